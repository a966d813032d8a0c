"""The calendar as the assignee of a task on someone else's customer sees it: she drags her task to
another day and it is stored, with its history; a teammate's task shown read-only is not offered
for dragging and stays where it was."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select
from ui_steps import drag_onto

from crm_app.models import Activity, AuditLog
from crm_app.services.people import work_scope
from crm_app.services.people.permissions import load_actor
from crm_app.services.work import activities

TEAM = "Kinh doanh Hà Nội"  # a demo team; quanly.hn manages it
PASSWORD = "Lich@2026x"


@pytest.fixture
def sharing_off(app_db):
    """Other tests expect each salesperson to see their own records only: off afterwards."""
    yield
    app_db.set_team_sharing("off")


def _task(app_db, author: int, customer_id: int, assignee: int, subject: str, due) -> int:
    with app_db.session() as s:
        return activities.create(
            s,
            load_actor(s, author),
            customer_id,
            {"type_code": "task", "subject": subject, "assignee_id": assignee, "due_at": due, "status": "planned"},
        ).id


def _due(app_db, task_id: int):
    with app_db.session() as s:
        return s.get(Activity, task_id).due_at


def test_the_assignee_drags_her_task_and_a_read_only_one_stays(page: Page, base_url, login, app_db, shot, sharing_off):
    owner = app_db.ensure_user("sale.lich.chu", PASSWORD, "sales", "Chủ Khách Lịch", team=TEAM)
    assignee = app_db.ensure_user("sale.lich.nhan", PASSWORD, "sales", "Người Nhận Lịch", team=TEAM)
    manager = app_db.user("quanly.hn").id
    customer = app_db.create_customer(owner, full_name="Khách Hẹn Lịch Tour Sapa")
    today = work_scope.local_today()
    target = today + timedelta(days=1) if today.weekday() < 6 else today - timedelta(days=1)
    hers = _task(
        app_db,
        manager,
        customer.id,
        assignee,
        "Gửi lịch khởi hành Sapa",
        work_scope.day_start(today) + timedelta(hours=8),
    )
    not_hers = _task(
        app_db, owner, customer.id, owner, "Gọi xác nhận cọc Sapa", work_scope.day_start(today) + timedelta(hours=10)
    )
    due, fixed_due = _due(app_db, hers), _due(app_db, not_hers)

    login("sale.lich.nhan", PASSWORD)
    page.set_viewport_size({"width": 1366, "height": 800})
    page.goto(f"{base_url}/calendar")
    page.locator("#cal-view").get_by_role("radio", name="Tuần").click()
    day = page.locator(f'.cal-day[data-day="{today.isoformat()}"]')
    item = day.locator(".cal-item", has_text="Gửi lịch khởi hành Sapa")
    expect(item).to_be_visible(timeout=20_000)
    expect(item).not_to_have_class(re.compile("cal-item-fixed"))
    expect(day.locator(".cal-item", has_text="Gọi xác nhận cọc Sapa")).to_have_count(0)  # not hers to see

    drag_onto(page, item, page.locator(f'.cal-day[data-day="{target.isoformat()}"]'), drop_at=60)
    expect(page.get_by_text("Đã dời sang")).to_be_visible()
    expect(
        page.locator(f'.cal-day[data-day="{target.isoformat()}"] .cal-item', has_text="Gửi lịch khởi hành Sapa")
    ).to_be_visible()
    shot("calendar_assignee_moved")
    moved = due + (target - today)  # the same time of day
    assert app_db.eventually(lambda s: s.get(Activity, hers).due_at, moved) == moved
    with app_db.session() as s:
        [change] = s.exec(
            select(AuditLog).where(
                AuditLog.entity == "activity", AuditLog.entity_id == hers, AuditLog.action == "update"
            )
        ).all()
        assert (change.field, change.user_id) == ("due_at", assignee)
        assert s.get(Activity, hers).owner_id == owner  # the customer stays its owner's

    # the team's records shared read-only: the owner's task shows, but cannot be dragged
    app_db.set_team_sharing("read")
    page.reload()
    page.locator("#cal-view").get_by_role("radio", name="Tuần").click()
    fixed = page.locator(f'.cal-day[data-day="{today.isoformat()}"] .cal-item', has_text="Gọi xác nhận cọc Sapa")
    expect(fixed).to_be_visible(timeout=20_000)
    expect(fixed).to_have_class(re.compile("cal-item-fixed"))
    drag_onto(page, fixed, page.locator(f'.cal-day[data-day="{target.isoformat()}"]'), drop_at=60)
    expect(fixed).to_be_visible()
    expect(
        page.locator(f'.cal-day[data-day="{target.isoformat()}"] .cal-item', has_text="Gọi xác nhận cọc Sapa")
    ).to_have_count(0)
    shot("calendar_read_only_stays")
    assert _due(app_db, not_hers) == fixed_due

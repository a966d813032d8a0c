"""The dashboard, the calendar, the activities module and notifications in a real Chromium: a task
due today shows on the dashboard and the calendar and is rescheduled by dragging it; the charts
draw the demo data; a task and a watched record's change reach the bell."""

from __future__ import annotations

import re
from datetime import UTC, timedelta

import sqlalchemy as sa
from playwright.sync_api import Page, expect
from sqlmodel import select
from ui_steps import drag_onto, signed_in

from crm_app.models import Activity, Customer, Notification, Watcher
from crm_app.services.customer import notes
from crm_app.services.people import work_scope
from crm_app.services.people.permissions import load_actor
from crm_app.services.people.work_scope import local_date
from crm_app.services.work import dashboard

SALES = ("sale.lan", "Sale@2026")
MANAGER = ("quanly.hn", "Quanly@2026")


def _lan_customer(app_db) -> Customer:
    lan = app_db.user(SALES[0])
    with app_db.session() as s:
        return s.exec(
            select(Customer).where(Customer.owner_id == lan.id, Customer.archived == sa.false()).order_by(Customer.id)
        ).first()


def _task(app_db, subject: str) -> Activity:
    with app_db.session() as s:
        return s.exec(select(Activity).where(Activity.subject == subject)).one()


def test_task_due_today_on_the_dashboard_and_calendar_and_rescheduled_by_drag(
    page: Page, base_url, login, app_db, shot
):
    customer = _lan_customer(app_db)
    subject = "Gọi lại chốt tour Đà Lạt"
    today = work_scope.local_today()
    login(*SALES)
    expect(page).to_have_url(re.compile(r"/dashboard/?$"))  # the home page after login
    page.goto(f"{base_url}/calendar")
    expect(page.locator(".cal-day").first).to_be_visible(timeout=20_000)
    page.locator("#cal-view").get_by_role("radio", name="Tuần").click()
    today_cell = page.locator(f'.cal-day[data-day="{today.isoformat()}"]')
    expect(today_cell).to_be_visible()
    # click the day: the dialog opens with a task due that day
    today_cell.locator(".cal-add").click()
    expect(page.locator("#field-subject")).to_be_visible()
    expect(page.locator("#field-due_at")).to_have_value(f"{today.isoformat()}T09:00")
    page.locator("#field-customer_id-search").fill(customer.full_name)
    page.locator(".customer_id-option").first.click()
    expect(page.locator("#customer_id-selected")).to_contain_text(customer.full_name)
    page.locator("#field-subject").fill(subject)
    page.locator("#field-due_at").fill(f"{today.isoformat()}T07:30")
    page.locator("#activity-save").click()
    expect(page.locator("#field-subject")).to_be_hidden()
    task = _task(app_db, subject)
    assert task.type_code == "task" and task.status == "planned" and task.customer_id == customer.id
    assert task.assignee_id == app_db.user(SALES[0]).id and local_date(task.due_at) == today
    item = today_cell.locator(".cal-item", has_text=subject)
    expect(item).to_be_visible()
    expect(item.locator(".cal-time")).to_have_text("07:30")
    shot("calendar-week")

    # the dashboard lists it among today's tasks
    page.locator("#nav-dashboard").click()
    expect(page.locator("#tasks-today")).to_contain_text(subject, timeout=20_000)
    expect(page.locator(f'.mini-cal-day[data-day="{today.isoformat()}"]')).to_have_class(re.compile("mini-cal-busy"))

    # drag it to the next day (the day before when today ends the week)
    target_day = today + timedelta(days=1) if today.weekday() < 6 else today - timedelta(days=1)
    page.goto(f"{base_url}/calendar")
    page.locator("#cal-view").get_by_role("radio", name="Tuần").click()
    item = page.locator(f'.cal-day[data-day="{today.isoformat()}"] .cal-item', has_text=subject)
    expect(item).to_be_visible(timeout=20_000)
    drag_onto(page, item, page.locator(f'.cal-day[data-day="{target_day.isoformat()}"]'), drop_at=60)
    moved = page.locator(f'.cal-day[data-day="{target_day.isoformat()}"] .cal-item', has_text=subject)
    expect(moved).to_be_visible()
    expect(page.get_by_text(re.compile("Đã dời sang"))).to_be_visible()
    task = _task(app_db, subject)
    assert local_date(task.due_at) == target_day
    assert task.due_at.astimezone(UTC).strftime("%H:%M") == "00:30"  # 07:30 Vietnam time kept
    page.reload()
    expect(page.locator(f'.cal-day[data-day="{target_day.isoformat()}"] .cal-item', has_text=subject)).to_be_visible(
        timeout=20_000
    )
    expect(page.locator(f'.cal-day[data-day="{today.isoformat()}"] .cal-item', has_text=subject)).to_have_count(0)


def _bars(page: Page, chart_id: str):
    return page.locator(f"#{chart_id} .recharts-bar-rectangle")


def test_charts_draw_the_demo_data_and_a_manager_picks_a_user(page: Page, base_url, login, app_db, shot):
    manager = app_db.user(MANAGER[0])
    lan = app_db.user(SALES[0])
    first, nxt = work_scope.month_bounds(work_scope.local_today())
    with app_db.session() as s:
        actor = load_actor(s, manager.id)
        team = work_scope.scope_of(s, actor)
        stages = [f for f in dashboard.pipeline_by_stage(s, actor, team, dashboard.default_pipeline_id(s)) if f.value]
        leads = dashboard.leads_by_source(s, actor, team, first, nxt, "vi")
        per_user = dashboard.activities_per_user(s, actor, team, first, nxt)
        won_lost = dashboard.won_lost(s, actor, team, first, nxt)
    assert stages and per_user  # the demo data gives the charts something to draw
    login(*MANAGER)
    expect(page.locator("#chart-pipeline .recharts-surface")).to_be_visible(timeout=20_000)
    expect(_bars(page, "chart-pipeline")).to_have_count(len(stages))
    expect(_bars(page, "chart-leads")).to_have_count(len(leads))
    expect(_bars(page, "chart-users")).to_have_count(len(per_user))
    expect(_bars(page, "chart-won-lost")).to_have_count(sum(1 for k in ("won", "lost") if won_lost[k][0]))
    # the axis wraps a long name over two lines ("Phạm Quang" / "Minh")
    top_name = re.compile(r"\s*".join(re.escape(word) for word in per_user[0][0].split()))
    expect(page.locator("#chart-users")).to_contain_text(top_name)
    expect(page.locator("#kpi-activities")).to_have_text(f"{sum(n for _, n in per_user):,}".replace(",", "."))
    expect(page.locator(".mini-cal-busy").first).to_be_visible()
    shot("dashboard-manager")

    # one member of the team: the charts follow
    page.locator("#dash-user").select_option(str(lan.id))
    with app_db.session() as s:
        only_lan = dashboard.activities_per_user(s, load_actor(s, manager.id), frozenset({lan.id}), first, nxt)
    expect(_bars(page, "chart-users")).to_have_count(len(only_lan))
    expect(page.locator("#chart-users")).to_contain_text(lan.full_name)
    shot("dashboard-one-user")


def test_a_task_reaches_the_assignee_and_a_watched_change_reaches_the_watcher(
    page: Page, base_url, login, app_db, browser, shot
):
    customer = _lan_customer(app_db)
    manager = app_db.user(MANAGER[0])
    lan = app_db.user(SALES[0])
    with app_db.session() as s:
        before = s.exec(
            sa.select(sa.func.count())
            .select_from(Notification)
            .where(Notification.user_id == lan.id, Notification.read == sa.false())
        ).scalar_one()

    # the manager watches Lan's customer and gives Lan a task from the calendar
    login(*MANAGER)
    page.goto(f"{base_url}/customers/{customer.id}")
    page.locator("#record-watch").click()
    expect(page.locator("#record-watch")).to_contain_text("Bỏ theo dõi")
    with app_db.session() as s:
        assert s.exec(select(Watcher).where(Watcher.user_id == manager.id, Watcher.record_id == customer.id)).first()
    page.goto(f"{base_url}/calendar")
    today = work_scope.local_today()
    expect(page.locator(".cal-item").first).to_be_visible(timeout=20_000)
    shot("calendar-month-manager")
    # a busy day's "+n more" opens its week, where every item shows
    more = page.locator(".cal-more").first
    busy_day = more.get_attribute("data-day")
    more.click()
    expect(page.locator("#cal-title")).to_contain_text("Tuần")
    expect(page.locator(f'.cal-day[data-day="{busy_day}"]')).to_be_visible()
    expect(page.locator(".cal-more")).to_have_count(0)
    page.locator("#cal-view").get_by_role("radio", name="Tháng").click()
    page.locator("#cal-today").click()
    expect(page.locator("#cal-title")).to_have_text(f"Tháng {today.month}/{today.year}")
    page.locator(f'.cal-day[data-day="{today.isoformat()}"] .cal-add').click()
    page.locator("#field-customer_id-search").fill(customer.full_name)
    page.locator(".customer_id-option").first.click()
    page.locator("#field-subject").fill("Gửi hồ sơ visa cho đoàn")
    page.locator("#field-assignee_id").select_option(str(lan.id))
    page.locator("#activity-save").click()
    expect(page.locator("#field-subject")).to_be_hidden()

    # Lan, in her own browser, sees the count on the bell and opens the notification
    context, theirs = signed_in(browser, base_url, *SALES)
    expect(theirs.locator("#notifications-count")).to_have_text(str(before + 1), timeout=20_000)
    theirs.locator("#notifications-open").click()
    note = theirs.locator(".notification-item", has_text="Gửi hồ sơ visa cho đoàn")
    expect(note).to_be_visible()
    theirs.screenshot(path="screenshots/notification-bell.png")
    note.click()
    expect(theirs).to_have_url(re.compile(rf"/customers/{customer.id}/?$"))
    with app_db.session() as s:
        mine = s.exec(
            select(Notification).where(Notification.user_id == lan.id).order_by(Notification.id.desc())
        ).first()
        assert "Gửi hồ sơ visa cho đoàn" in mine.text and mine.read
    if before:
        expect(theirs.locator("#notifications-count")).to_have_text(str(before))
    else:
        expect(theirs.locator("#notifications-count")).to_have_count(0)

    # Lan adds a note: the watching manager hears of it (Lan does not hear of her own change)
    with app_db.session() as s:
        notes.create(s, load_actor(s, lan.id), customer.id, {"body": "Khách xác nhận 40 người"})
    page.goto(f"{base_url}/customers")
    page.locator("#notifications-open").click()
    expect(page.locator(".notification-item", has_text=f"Trần Thị Lan đã cập nhật {customer.full_name}")).to_be_visible(
        timeout=20_000
    )
    context.close()


def test_activities_list_edit_delete_and_chart(page: Page, base_url, login, app_db, shot):
    login(*SALES)
    page.locator("#nav-activities").click()
    expect(page.locator("#data-table .data-row").first).to_be_visible(timeout=20_000)
    first = page.locator("#data-table .data-row").first
    activity_id = int(first.get_attribute("data-id"))
    first.locator(".activity-edit").click()
    page.locator("#field-subject").fill("Gọi tư vấn tour Nhật (đã sửa)")
    page.locator("#activity-save").click()
    expect(page.locator("#data-table")).to_contain_text("Gọi tư vấn tour Nhật (đã sửa)")
    with app_db.session() as s:
        assert s.get(Activity, activity_id).subject == "Gọi tư vấn tour Nhật (đã sửa)"
    # delete asks first
    page.locator(f'.data-row[data-id="{activity_id}"] .activity-delete').click()
    page.locator("#confirm-delete-activity").click()
    expect(page.locator(f'.data-row[data-id="{activity_id}"]')).to_have_count(0)
    with app_db.session() as s:
        assert s.get(Activity, activity_id) is None
    shot("activities-list")
    # the chart view: by type, then by week
    page.locator("#acts-view").get_by_role("radio", name="Biểu đồ").click()
    expect(page.locator("#activities-chart .recharts-bar-rectangle").first).to_be_visible()
    page.locator("#chart-by").get_by_role("radio", name="Theo tuần").click()
    expect(page.locator("#activities-chart")).to_contain_text("Tuần")
    shot("activities-chart")

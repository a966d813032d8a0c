"""Records shared with the team: the admin's setting decides whether a salesperson reads, or also
changes, a teammate's customer; a manager shares a static list with the team; a task given to
someone who does not own its customer is theirs to see and finish."""

import time

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from crm_app.models import Activity, Customer, RecordList
from crm_app.models._base import utcnow
from crm_app.services import process_cache
from crm_app.services.people import team_sharing
from crm_app.services.people.permissions import load_actor
from crm_app.services.work import activities
from tests.e2e.ui_steps import signed_in

OWNER = ("sale.minh", "Sale@2026")  # demo salesperson of the Hà Nội team
TEAMMATE = ("sale.lan", "Sale@2026")  # the same team
MANAGER = ("quanly.hn", "Quanly@2026")  # that team's manager
SHARING_LABEL = "Bản ghi của nhóm"


@pytest.fixture
def sharing_reset(app_db):
    """Other tests expect each salesperson to see their own records only: back to off afterwards."""
    yield
    app_db.set_team_sharing("off")


def _stored_mode(app_db) -> str:
    with app_db.session() as s:
        return team_sharing.mode(s)


def _admin_sets(page: Page, base_url: str, label: str) -> None:
    page.goto(f"{base_url}/admin/users")
    page.get_by_label(SHARING_LABEL).select_option(label=label)
    expect(page.get_by_text(f"Đã lưu: {label}")).to_be_visible()
    time.sleep(process_cache.TTL_SECONDS)  # another backend process may keep the old setting that long


def test_read_only_then_editable_team_records(page: Page, browser, base_url, login, app_db, shot, sharing_reset):
    owner = app_db.user(OWNER[0])
    customer = app_db.create_customer(owner.id, full_name="Đặng Chia Sẻ", phones="0936 120 518", email="")
    login()  # the admin
    _admin_sets(page, base_url, "Chỉ xem")
    assert _stored_mode(app_db) == "read"
    shot("sharing_admin_read_only")

    context, teammate = signed_in(browser, base_url, *TEAMMATE)
    try:
        # read-only: the teammate's customer is in the list and opens, with no control that changes it
        teammate.goto(f"{base_url}/customers")
        teammate.get_by_placeholder("Tìm theo tên, SĐT, email, mã (không cần dấu)").fill("dang chia se")
        expect(teammate.get_by_role("row").filter(has_text="Đặng Chia Sẻ")).to_be_visible()
        teammate.goto(f"{base_url}/customers/{customer.id}")
        expect(teammate.get_by_role("heading", name="Đặng Chia Sẻ")).to_be_visible()
        expect(teammate.get_by_text("Chỉ xem", exact=True)).to_be_visible()
        expect(teammate.get_by_role("button", name="Sửa", exact=True)).to_have_count(0)
        expect(teammate.get_by_role("button", name="Sửa: Email")).to_have_count(0)
        expect(teammate.get_by_role("button", name="Lưu trữ")).to_have_count(0)
        expect(teammate.get_by_role("button", name="Thêm công việc")).to_have_count(0)
        teammate.goto(f"{base_url}/customers/{customer.id}/edit")  # the edit page does not open either
        expect(teammate).to_have_url(f"{base_url}/customers")
        stored = app_db.customer(customer.id)
        assert (stored.full_name, stored.email, stored.updated_at) == ("Đặng Chia Sẻ", "", customer.updated_at)

        # editable: the same customer is changed in place
        _admin_sets(page, base_url, "Được sửa")
        assert _stored_mode(app_db) == "edit"
        teammate.goto(f"{base_url}/customers/{customer.id}")
        expect(teammate.get_by_role("button", name="Sửa", exact=True)).to_be_visible()
        teammate.get_by_role("button", name="Sửa: Email").click()
        teammate.get_by_role("textbox", name="Email", exact=True).fill("chiase@congty.vn")
        teammate.get_by_role("button", name="Lưu", exact=True).click()
        expect(teammate.locator("#value-email")).to_have_text("chiase@congty.vn")
    finally:
        context.close()
    with app_db.session() as s:
        stored = s.get(Customer, customer.id)
        lan = app_db.user(TEAMMATE[0])
        assert (stored.email, stored.owner_id, stored.updated_by_id) == ("chiase@congty.vn", owner.id, lan.id)


def test_a_manager_shares_a_static_list_with_the_team(page: Page, browser, base_url, login, app_db, shot):
    login(*MANAGER)
    page.goto(f"{base_url}/lists")
    page.get_by_label("Tên danh sách").fill("Khách hội chợ Tết")
    page.get_by_label("Chia sẻ", exact=True).select_option(label="Nhóm")
    page.get_by_label("Tên danh sách").press("Enter")  # Enter creates it
    row = page.get_by_role("row").filter(has_text="Khách hội chợ Tết")
    expect(row).to_be_visible()
    # the same name again is refused, naming it
    page.get_by_label("Tên danh sách").fill("Khách hội chợ Tết")
    page.get_by_role("button", name="Danh sách mới").click()
    expect(page.get_by_text("Bạn đã có danh sách tên “Khách hội chợ Tết”")).to_be_visible()
    shot("sharing_manager_lists")
    manager = app_db.user(MANAGER[0])
    with app_db.session() as s:
        stored = s.exec(select(RecordList).where(RecordList.owner_id == manager.id)).all()
        assert [(r.name, r.scope) for r in stored if r.name == "Khách hội chợ Tết"] == [("Khách hội chợ Tết", "team")]

    context, sales = signed_in(browser, base_url, *TEAMMATE)
    try:
        sales.goto(f"{base_url}/lists")
        shared = sales.get_by_role("row").filter(has_text="Khách hội chợ Tết")
        expect(shared).to_contain_text("Nhóm")
        expect(shared).to_contain_text(manager.full_name)
        expect(shared.get_by_role("button", name="Đổi tên")).to_have_count(0)  # the owner's to rename
        expect(shared.get_by_role("button", name="Xóa")).to_have_count(0)
    finally:
        context.close()


def test_the_assignee_of_a_task_on_anothers_customer_sees_it_and_marks_it_done(
    page: Page, base_url, login, app_db, shot
):
    owner = app_db.user(OWNER[0])
    customer = app_db.create_customer(owner.id, full_name="Hồ Giao Việc", phones="0936 120 519")
    lan = app_db.user(TEAMMATE[0])
    with app_db.session() as s:  # the manager gave the task to a salesperson who does not own the customer
        task = activities.create(
            s,
            load_actor(s, app_db.user(MANAGER[0]).id),
            customer.id,
            {
                "type_code": "task",
                "subject": "Gửi báo giá cho Hồ Giao Việc",
                "assignee_id": lan.id,
                "due_at": utcnow(),
                "status": "planned",
            },
        )
        task_id = task.id
    login(*TEAMMATE)
    page.goto(f"{base_url}/activities")
    page.get_by_placeholder("Tìm theo tên, SĐT, email, mã (không cần dấu)").fill("gui bao gia cho ho giao viec")
    expect(page.get_by_role("row").filter(has_text="Gửi báo giá cho Hồ Giao Việc")).to_be_visible()
    page.goto(f"{base_url}/dashboard")
    row = page.locator(".task-subject", has_text="Gửi báo giá cho Hồ Giao Việc").locator("xpath=../..")
    row.get_by_role("button", name="Hoàn thành").click()
    expect(row).to_have_count(0)  # no longer among the open tasks
    shot("sharing_assignee_done")
    with app_db.session() as s:
        assert s.get(Activity, task_id).status == "done"
    page.goto(f"{base_url}/customers/{customer.id}")  # the customer itself stays its owner's
    expect(page.get_by_role("heading", name="Hồ Giao Việc")).to_have_count(0)

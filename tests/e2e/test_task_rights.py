"""Tasks as the people they concern see them: the assignee of a task on someone else's customer
is offered its status alone (no other field, no delete); the owner and assignee pickers offer a
salesperson only themselves, even when the team's records are shared for editing, and a manager
their team; a contact's page lists the tasks naming the contact and adds one."""

import re

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from crm_app.models import Activity, Customer
from crm_app.models._base import utcnow
from crm_app.services.customer import contacts
from crm_app.services.people.permissions import load_actor
from crm_app.services.work import activities

TEAM = "Kinh doanh TP.HCM"  # a demo team
PASSWORD = "Viec@2026x"
SEARCH = "Tìm theo tên, SĐT, email, mã (không cần dấu)"


def _users(app_db) -> dict[str, int]:
    return {
        "owner": app_db.ensure_user("sale.chuviec", PASSWORD, "sales", "Chủ Khách Việc", team=TEAM),
        "assignee": app_db.ensure_user("sale.nhanviec", PASSWORD, "sales", "Người Nhận Việc", team=TEAM),
        "manager": app_db.ensure_user("quanly.viec", PASSWORD, "manager", "Quản Lý Giao Việc", team=TEAM),
    }


def _option_texts(page: Page, select_id: str) -> list[str]:
    return [
        t.strip() for t in page.locator(f"#{select_id} option").all_inner_texts() if t.strip() and not t.startswith("—")
    ]


@pytest.fixture
def sharing_off(app_db):
    """Other tests expect each salesperson to see their own records only: off afterwards."""
    yield
    app_db.set_team_sharing("off")


def test_the_assignee_changes_the_status_alone_and_cannot_delete(page: Page, base_url, login, app_db, shot):
    people = _users(app_db)
    customer = app_db.create_customer(people["owner"], full_name="Khách Của Chủ Việc")
    with app_db.session() as s:  # the manager gives the owner's customer's task to a teammate
        task_id = activities.create(
            s,
            load_actor(s, people["manager"]),
            customer.id,
            {
                "type_code": "task",
                "subject": "Gửi lịch trình tour Huế",
                "content": "Lịch trình 3 ngày",
                "assignee_id": people["assignee"],
                "due_at": utcnow(),
                "status": "planned",
            },
        ).id
    login("sale.nhanviec", PASSWORD)
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"{base_url}/activities")
    page.get_by_placeholder(SEARCH).fill("gui lich trinh tour hue")
    row = page.locator(f'.data-row[data-id="{task_id}"]')
    expect(row).to_contain_text("Gửi lịch trình tour Huế")
    expect(row.get_by_role("button", name="Xóa")).to_have_count(0)  # not hers to delete
    row.get_by_role("button", name="Sửa").click()

    dialog = page.get_by_role("dialog")
    hint = "Việc này được giao cho bạn: bạn chỉ đổi được trạng thái và ngày giờ của nó."
    expect(dialog.get_by_text(hint)).to_be_visible()
    expect(dialog.locator("#field-due_at")).to_be_editable()  # she reschedules her task
    expect(dialog.locator("#field-at")).not_to_be_editable()
    expect(dialog.locator("#field-subject")).not_to_be_editable()
    expect(dialog.locator("#field-content")).not_to_be_editable()
    expect(dialog.locator("#field-type_code")).to_be_disabled()
    expect(dialog.locator("#field-assignee_id")).to_be_disabled()
    expect(dialog.get_by_role("button", name="Xóa")).to_have_count(0)
    expect(dialog.locator("#field-status")).to_be_enabled()
    shot("task_assignee_dialog")
    dialog.locator("#field-status").select_option(label="Hoàn thành")
    dialog.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã lưu hoạt động")).to_be_visible()
    expect(dialog).to_be_hidden()
    with app_db.session() as s:
        stored = s.get(Activity, task_id)
        assert (stored.status, stored.subject, stored.content, stored.assignee_id) == (
            "done",
            "Gửi lịch trình tour Huế",
            "Lịch trình 3 ngày",
            people["assignee"],
        )
        assert s.get(Customer, customer.id).owner_id == people["owner"]


def test_pickers_offer_a_salesperson_herself_even_when_records_are_shared_for_editing(
    page: Page, browser, base_url, login, app_db, shot, sharing_off
):
    people = _users(app_db)
    theirs = app_db.create_customer(people["owner"], full_name="Khách Chia Sẻ Sửa Được")
    app_db.set_team_sharing("edit")  # the admin shares the team's records for editing

    login("sale.nhanviec", PASSWORD)
    # a new customer: its owner is hers alone to choose
    page.goto(f"{base_url}/customers/new")
    expect(page.locator("#field-owner_id")).to_have_value(str(people["assignee"]))
    assert _option_texts(page, "field-owner_id") == ["Người Nhận Việc"]
    # a teammate's customer she may change: its owner stays shown, no one else is offered
    page.goto(f"{base_url}/customers/{theirs.id}/edit")
    expect(page.locator("#field-owner_id")).to_have_value(str(people["owner"]))
    assert sorted(_option_texts(page, "field-owner_id")) == ["Chủ Khách Việc", "Người Nhận Việc"]
    # a task on it: she assigns it to herself only
    page.goto(f"{base_url}/customers/{theirs.id}")
    page.get_by_role("tab", name="Công việc").click()
    page.get_by_role("tabpanel").get_by_role("button", name="Thêm công việc").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.locator("#field-assignee_id")).to_have_value(str(people["assignee"]))
    assert _option_texts(page, "field-assignee_id") == ["Người Nhận Việc"]
    shot("task_picker_sales")
    dialog.locator("#field-subject").fill("Hẹn khách xem hợp đồng")
    dialog.locator("#field-due_at").fill("2027-01-15T09:00")
    dialog.get_by_role("button", name="Lưu").click()
    expect(page.locator(".task-row").filter(has_text="Hẹn khách xem hợp đồng")).to_be_visible()
    with app_db.session() as s:
        [task] = s.exec(select(Activity).where(Activity.customer_id == theirs.id)).all()
        assert (task.customer_id, task.assignee_id) == (theirs.id, people["assignee"])

    # the team's manager is offered the team
    context = browser.new_context(viewport={"width": 1366, "height": 800}, locale="vi-VN")
    try:
        manager = context.new_page()
        manager.goto(f"{base_url}/login")
        manager.fill("#login-username", "quanly.viec")
        manager.fill("#login-password", PASSWORD)
        manager.click("#login-submit")
        manager.wait_for_url(re.compile(r"/dashboard"))
        manager.goto(f"{base_url}/customers/new")
        expect(manager.locator("#field-owner_id")).to_have_value(str(people["manager"]))
        offered = set(_option_texts(manager, "field-owner_id"))
        assert {"Chủ Khách Việc", "Người Nhận Việc", "Quản Lý Giao Việc", "Lê Anh Tuấn"} <= offered
        assert "Trần Thị Lan" not in offered  # another team's salesperson
    finally:
        context.close()


def test_a_contact_page_lists_and_adds_the_tasks_naming_the_contact(page: Page, base_url, login, app_db, shot):
    people = _users(app_db)
    company = app_db.create_customer(people["owner"], full_name="Công ty Lữ Hành Sông Hương", kind="business")
    with app_db.session() as s:
        person = contacts.create(
            s, load_actor(s, people["owner"]), {"full_name": "Tôn Nữ Minh Thư", "customer_id": company.id}
        )
        person_id = person.id
    login("sale.chuviec", PASSWORD)
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"{base_url}/contacts/{person_id}")
    expect(page.get_by_role("heading", name="Tôn Nữ Minh Thư")).to_be_visible()
    page.get_by_role("tab", name="Công việc").click()
    expect(page.get_by_text("Chưa có công việc nào cho người liên hệ này.")).to_be_visible()
    page.get_by_role("tabpanel").get_by_role("button", name="Thêm công việc").click()
    dialog = page.get_by_role("dialog")
    dialog.locator("#field-subject").fill("Gửi hợp đồng tour Huế cho chị Thư")
    dialog.locator("#field-due_at").fill("2027-01-20T10:00")
    dialog.get_by_role("button", name="Lưu").click()
    task_row = page.locator(".task-row").filter(has_text="Gửi hợp đồng tour Huế cho chị Thư")
    expect(task_row).to_be_visible()
    shot("contact_page_tasks")
    with app_db.session() as s:
        [task] = s.exec(select(Activity).where(Activity.contact_id == person_id)).all()
        assert (task.type_code, task.customer_id, task.contact_id, task.assignee_id, task.status) == (
            "task",
            company.id,
            person_id,
            people["owner"],
            "planned",
        )
    # marked done from the contact's page
    task_row.get_by_role("button", name="Hoàn thành").click()
    expect(task_row.get_by_text("Hoàn thành")).to_be_visible()
    with app_db.session() as s:
        assert s.get(Activity, task.id).status == "done"


def test_the_assignee_finishes_a_task_on_a_customer_shared_read_only(
    page: Page, base_url, login, app_db, shot, sharing_off
):
    people = _users(app_db)
    customer = app_db.create_customer(people["owner"], full_name="Khách Chỉ Xem Có Việc")
    app_db.set_team_sharing("read")
    with app_db.session() as s:
        task_id = activities.create(
            s,
            load_actor(s, people["manager"]),
            customer.id,
            {
                "type_code": "task",
                "subject": "Xác nhận danh sách đoàn",
                "assignee_id": people["assignee"],
                "due_at": utcnow(),
                "status": "planned",
            },
        ).id
    login("sale.nhanviec", PASSWORD)
    page.set_viewport_size({"width": 1366, "height": 800})
    page.goto(f"{base_url}/customers/{customer.id}")
    expect(page.get_by_text("Chỉ xem", exact=True)).to_be_visible()  # the customer is read-only to her
    page.get_by_role("tab", name="Công việc").click()
    row = page.locator(".task-row").filter(has_text="Xác nhận danh sách đoàn")
    expect(row.get_by_role("button", name="Hoàn thành")).to_be_visible()
    expect(row.get_by_role("button", name="Xóa")).to_have_count(0)
    expect(page.get_by_role("tabpanel").get_by_role("button", name="Thêm công việc")).to_have_count(0)
    shot("task_assignee_read_only_customer")
    row.get_by_role("button", name="Hoàn thành").click()
    expect(row.get_by_role("button", name="Hoàn thành")).to_have_count(0)
    # the other tabs that add to the customer offer nothing either
    page.get_by_role("tab", name="Hoạt động").click()
    expect(page.locator(".timeline-item").first).to_contain_text("Xác nhận danh sách đoàn")
    expect(page.get_by_role("tabpanel").get_by_role("button", name="Thêm hoạt động")).to_have_count(0)
    expect(page.locator(".timeline-item .activity-delete")).to_have_count(0)
    page.get_by_role("tab", name="Email").click()
    expect(page.get_by_role("tabpanel").get_by_role("button", name="Gửi", exact=True)).to_have_count(0)
    with app_db.session() as s:
        assert s.get(Activity, task_id).status == "done"
        assert s.get(Customer, customer.id).updated_at == customer.updated_at  # the customer itself unchanged

"""Automation rules: an admin builds a rule on "Quy tắc tự động" (conditions in the filter builder,
a task and a tag as actions), a wrong one is refused, and it is switched off and on; a manager
ticks 3 customers, previews the rule on them and runs it, then sees the report, the log and the
changes named by the rule on a customer's History tab."""

import re
import time
from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect
from sqlmodel import select

from crm_app.models import Activity, AutomationRule, AutomationRun
from crm_app.services.automation import rules
from crm_app.services.people.permissions import load_actor
from crm_app.services.records import catalogs

MANAGER = ("quanly.hn", "Quanly@2026")  # demo manager of the Hà Nội team


def _stored_rule(app_db, name: str) -> AutomationRule | None:
    with app_db.session() as s:
        return s.exec(select(AutomationRule).where(AutomationRule.name == name)).first()


def test_an_admin_builds_a_rule_with_conditions_and_actions(page: Page, base_url, login, app_db, shot):
    name = "Chăm sóc KH tiềm năng (E2E)"
    login()
    page.goto(f"{base_url}/customers")
    page.get_by_role("link", name="Quy tắc tự động").click()
    expect(page.get_by_role("heading", name="Quy tắc tự động")).to_be_visible()
    page.get_by_role("button", name="Thêm quy tắc").click()
    dialog = page.get_by_role("dialog")

    # a rule without a name is refused, saying so, and nothing is kept
    dialog.get_by_role("button", name="Lưu").click()
    expect(dialog.locator("#rule-error")).to_contain_text("Tên quy tắc")
    assert _stored_rule(app_db, "") is None

    dialog.get_by_label("Tên quy tắc").fill(name)
    dialog.get_by_role("button", name="Thêm điều kiện").click()
    condition = dialog.locator(".filter-row").first
    condition.locator("select").nth(0).select_option("status")
    condition.locator("select").nth(1).select_option("any_of")
    condition.locator('.filter-choice[data-value="potential"]').click()
    action = dialog.locator(".rule-action").first
    action.get_by_label("Hành động", exact=True).select_option("create_task")
    action.get_by_label("Tiêu đề công việc").fill("Gọi lại khách tiềm năng")
    action.get_by_label("Hạn sau (ngày)").fill("2")
    dialog.get_by_role("button", name="Thêm hành động").click()
    second = dialog.locator(".rule-action").nth(1)
    second.get_by_label("Các thẻ cách nhau bởi dấu phẩy").fill("Chăm sóc X")
    shot("automation_rule_editor")
    dialog.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text(f"Đã lưu quy tắc “{name}”")).to_be_visible()
    row = page.locator(".rule-row", has_text=name)
    expect(row).to_contain_text("1 điều kiện")
    expect(row).to_contain_text("Tạo công việc, Thêm thẻ")

    rule = _stored_rule(app_db, name)
    assert (rule.entity, rule.trigger, rule.active) == ("customer", "manual", True)
    assert rule.conditions == {
        "op": "and",
        "items": [{"field": "status", "operator": "any_of", "value": ["potential"]}],
    }
    assert rule.actions == [
        {"kind": "create_task", "subject": "Gọi lại khách tiềm năng", "due_days": 2, "assignee": "owner"},
        {"kind": "add_tags", "field": "", "mode": "replace", "value": "Chăm sóc X"},
    ]

    # switched off, then on again
    switch = page.get_by_role("switch", name=f"Đang bật {name}")
    switch.click()
    expect(switch).not_to_be_checked()
    assert _stored_rule(app_db, name).active is False
    switch.click()
    expect(switch).to_be_checked()
    assert _stored_rule(app_db, name).active is True
    shot("automation_rules")


def test_a_manager_previews_and_runs_a_rule_on_three_customers(page: Page, base_url, login, app_db, shot):
    name = "Gắn thẻ khách tiềm năng (E2E)"
    owner = app_db.user("sale.lan").id  # in the manager's team
    ids = [
        app_db.create_customer(owner, full_name=f"Khách Quy Tắc {n}", status=status).id
        for n, status in (("Một", "potential"), ("Hai", "potential"), ("Ba", "lead"))
    ]
    with app_db.session() as s:
        admin = load_actor(s, app_db.user("admin").id)
        task = {"kind": "create_task", "subject": "Gọi lại", "due_days": 2, "assignee": "owner"}
        rules.save(
            s,
            admin,
            {
                "name": name,
                "entity": "customer",
                "conditions": {
                    "op": "and",
                    "items": [{"field": "status", "operator": "any_of", "value": ["potential"]}],
                },
                "actions": [{"kind": "add_tags", "value": "Chăm sóc X"}, task],
            },
        )
    login(*MANAGER)
    page.set_viewport_size({"width": 1024, "height": 800})
    page.goto(f"{base_url}/customers")
    page.fill("#list-search", "khach quy tac")
    rows = page.locator("#data-table .data-row")
    expect(rows).to_have_count(3)
    for i in range(3):
        rows.nth(i).locator(".row-select").click()
    expect(page.locator("#selection-label")).to_contain_text("3")

    page.get_by_role("button", name="Chạy tự động").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Quy tắc", exact=True).select_option(label=name)
    expect(dialog.get_by_role("button", name="Chạy", exact=True)).to_be_disabled()  # previewed first
    dialog.get_by_role("button", name="Xem trước").click()
    expect(dialog.locator("#rule-preview-counts")).to_contain_text("Khớp điều kiện: 2 / 3 bản ghi · sẽ đổi 2")
    expect(dialog.get_by_text("Thêm thẻ: 2 bản ghi")).to_be_visible()
    expect(dialog.get_by_text("Tạo công việc: 2 bản ghi")).to_be_visible()
    expect(dialog.locator("#rule-preview-rows")).to_contain_text("Chăm sóc X")
    shot("automation_preview")
    with app_db.session() as s:  # a preview changes nothing
        assert s.exec(select(Activity).where(Activity.customer_id.in_(ids))).all() == []
        assert catalogs.tags_for_customers(s, ids) == {}

    dialog.get_by_role("button", name="Chạy", exact=True).click()
    expect(dialog.locator("#rule-report")).to_contain_text("khớp 2, đã đổi 2, bỏ qua 0, lỗi 0")
    shot("automation_report")
    with app_db.session() as s:
        tags = catalogs.tags_for_customers(s, ids)
        tasks = s.exec(select(Activity).where(Activity.customer_id.in_(ids))).all()
        run = s.exec(select(AutomationRun).order_by(AutomationRun.id.desc())).first()
    assert tags == {ids[0]: ["Chăm sóc X"], ids[1]: ["Chăm sóc X"]}
    assert sorted((t.customer_id, t.type_code, t.subject, t.assignee_id) for t in tasks) == [
        (ids[0], "task", "Gọi lại", owner),
        (ids[1], "task", "Gọi lại", owner),
    ]
    assert (run.selected, run.matched, run.changed, run.skipped, run.failed, run.status) == (3, 2, 2, 0, 0, "done")
    assert run.started_by_id == app_db.user("quanly.hn").id
    dialog.get_by_role("button", name="Đóng").click()

    page.goto(f"{base_url}/customers/{ids[0]}")
    page.get_by_role("tab", name="Lịch sử").click()
    changed_by_rule = page.get_by_role("row").filter(has_text=f"Quy tắc “{name}”")
    expect(changed_by_rule.filter(has_text="Chăm sóc X")).to_have_count(1)
    expect(changed_by_rule.filter(has_text=re.compile("Gọi lại"))).not_to_have_count(0)
    shot("automation_history")


def test_a_status_becoming_potential_makes_a_task_for_the_owner_and_a_tag(page: Page, base_url, login, app_db, shot):
    """The rule acts after the change is saved, outside the user's request: the page shows it once
    reloaded."""
    name = "Khách thành tiềm năng (E2E)"
    owner = app_db.user("sale.minh").id
    customer = app_db.create_customer(owner, full_name="Khách Sự Kiện Một", status="lead")
    login()
    page.goto(f"{base_url}/admin/automation")
    page.get_by_role("button", name="Thêm quy tắc").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Tên quy tắc").fill(name)
    dialog.get_by_label("Khi nào chạy").select_option("field_changed")
    dialog.get_by_label("Trường", exact=True).select_option("status")
    dialog.get_by_label("Thành giá trị (để trống: bất kỳ)").fill("Tiềm năng")
    dialog.get_by_role("button", name="Thêm điều kiện").click()  # only this test's customers
    condition = dialog.locator(".filter-row").first
    condition.locator("select").nth(0).select_option("full_name")
    condition.locator("select").nth(1).select_option("contains")
    condition.locator("input").first.fill("Sự Kiện")
    action = dialog.locator(".rule-action").first
    action.get_by_label("Hành động", exact=True).select_option("create_task")
    action.get_by_label("Tiêu đề công việc").fill("Gọi khách vừa thành tiềm năng")
    action.get_by_label("Hạn sau (ngày)").fill("2")
    dialog.get_by_role("button", name="Thêm hành động").click()
    dialog.locator(".rule-action").nth(1).get_by_label("Các thẻ cách nhau bởi dấu phẩy").fill("X nóng")
    dialog.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text(f"Đã lưu quy tắc “{name}”")).to_be_visible()
    rule = _stored_rule(app_db, name)
    assert (rule.trigger, rule.trigger_field, rule.trigger_value) == ("field_changed", "status", "Tiềm năng")

    page.goto(f"{base_url}/customers/{customer.id}")
    page.click("#tab-followups")
    started = time.monotonic()
    page.get_by_role("button", name="Chuyển sang Tiềm năng").click()
    expect(page.get_by_role("button", name="Chuyển sang Tiềm năng")).to_have_count(0)
    assert app_db.customer(customer.id).status == "potential"
    # the worker acts within about a second of the commit
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not _tasks(app_db, customer.id):
        time.sleep(0.2)
    tasks = _tasks(app_db, customer.id)
    assert [(t.subject, t.assignee_id, t.type_code) for t in tasks] == [
        ("Gọi khách vừa thành tiềm năng", owner, "task")
    ]
    due = tasks[0].due_at.replace(tzinfo=UTC) - datetime.now(UTC)
    assert timedelta(days=1, hours=23) < due <= timedelta(days=2)
    tagged = {customer.id: ["X nóng"]}  # (the rule's actions may commit one after the other)
    assert app_db.eventually(lambda s: catalogs.tags_for_customers(s, [customer.id]), tagged) == tagged
    assert time.monotonic() - started < 15

    page.reload()
    expect(page.get_by_text("X nóng").first).to_be_visible()
    page.click("#tab-followups")
    expect(page.get_by_text("Gọi khách vừa thành tiềm năng").first).to_be_visible()
    shot("automation_event_task")
    page.get_by_role("tab", name="Lịch sử").click()
    expect(page.get_by_role("row").filter(has_text=f"Quy tắc “{name}”").first).to_be_visible()

    # switched off at the end: it acts on no other test's customers
    page.goto(f"{base_url}/admin/automation")
    page.get_by_role("switch", name=f"Đang bật {name}").click()
    expect(page.get_by_role("switch", name=f"Đang bật {name}")).not_to_be_checked()
    assert _stored_rule(app_db, name).active is False


def _tasks(app_db, customer_id: int) -> list[Activity]:
    with app_db.session() as s:
        return list(s.exec(select(Activity).where(Activity.customer_id == customer_id)).all())


def test_a_salesperson_is_refused_the_rules_page(page: Page, base_url, login):
    login("sale.hoa", "Sale@2026")
    page.goto(f"{base_url}/admin/automation")
    expect(page.locator("#access-denied")).to_contain_text(
        "Chỉ quản trị viên và quản lý được tạo và sửa quy tắc tự động"
    )
    expect(page.get_by_role("button", name="Thêm quy tắc")).to_have_count(0)
    expect(page.get_by_role("link", name="Quy tắc tự động")).to_have_count(0)


def test_an_action_row_is_removed_by_its_own_button_and_a_missing_choice_is_named(page: Page, base_url, login, app_db):
    name = "Quy tắc thiếu chiến dịch (E2E)"
    login(*MANAGER)
    page.goto(f"{base_url}/admin/automation")
    page.get_by_role("button", name="Thêm quy tắc").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Tên quy tắc").fill(name)
    # a rule keeps one action: the only one cannot be removed
    expect(dialog.get_by_role("button", name="Xóa hành động 1")).to_be_disabled()
    dialog.get_by_role("button", name="Thêm hành động").click()
    dialog.get_by_role("button", name="Xóa hành động 2").click()
    expect(dialog.locator(".rule-action")).to_have_count(1)

    dialog.locator(".rule-action").first.get_by_label("Hành động", exact=True).select_option("add_to_campaign")
    dialog.get_by_role("button", name="Lưu").click()
    expect(dialog.locator("#rule-error")).to_have_text("Chọn chiến dịch: Vui lòng nhập trường này")
    assert _stored_rule(app_db, name) is None

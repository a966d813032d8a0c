"""Automation rules beyond the customer list: a manager runs a deal rule from the deals list's bulk
bar (preview, run, report, the deals and their customers changed), and reaches the rules page
from the sidebar, where they keep their team's rules and no other team's."""

from playwright.sync_api import Page, expect
from sqlmodel import select

from crm_app.models import Activity, AutomationRule, AutomationRun, Opportunity
from crm_app.services.automation import rules
from crm_app.services.customer import customers
from crm_app.services.people.permissions import load_actor
from crm_app.services.pipeline import opportunities

MANAGER = ("quanly.hn", "Quanly@2026")  # demo manager of the Hà Nội team (sale.minh, sale.lan)
OTHER_MANAGER = "quanly.hcm"


def _admin_made(app_db, data: dict) -> AutomationRule:
    with app_db.session() as s:
        rule = rules.save(s, load_actor(s, app_db.user("admin").id), data)
        s.commit()
        s.refresh(rule)
        return rule


def _deal(app_db, owner_id: int, name: str, customer_name: str, phones: str) -> Opportunity:
    with app_db.session() as s:
        owner = load_actor(s, owner_id)
        customer = customers.create(s, owner, {"full_name": customer_name, "phones": phones}).customer
        deal = opportunities.create(s, owner, {"name": name, "value": "50.000.000", "customer_id": str(customer.id)})
        s.commit()
        s.refresh(deal)
        return deal


def test_a_manager_runs_a_rule_on_two_deals_from_the_deals_list(page: Page, base_url, login, app_db, shot):
    name = "Chuyển cơ hội cho Lan (E2E)"
    minh, lan = app_db.user("sale.minh").id, app_db.user("sale.lan").id
    deals = [
        _deal(app_db, minh, f"Hợp đồng Quy Tắc {n}", f"Công ty Quy Tắc {n}", phone)
        for n, phone in (("Một", "0936 410 201"), ("Hai", "0936 410 202"), ("Ba", "0936 410 203"))
    ]
    _admin_made(
        app_db,
        {
            "name": name,
            "entity": "opportunity",
            "conditions": {"op": "and", "items": [{"field": "name", "operator": "contains", "value": "Quy Tắc"}]},
            "actions": [
                {"kind": "create_task", "subject": "Gọi lại về hợp đồng", "due_days": 3, "assignee": "owner"},
                {"kind": "change_owner", "value": lan},
            ],
        },
    )
    login(*MANAGER)
    page.set_viewport_size({"width": 1024, "height": 800})
    page.goto(f"{base_url}/opportunities")
    page.fill("#list-search", "hop dong quy tac")
    rows = page.locator("#data-table .data-row")
    expect(rows).to_have_count(3)
    chosen = [d for d in deals if d.name.endswith(("Một", "Hai"))]
    for deal in chosen:
        rows.filter(has_text=deal.name).locator(".row-select").click()
    expect(page.locator("#selection-label")).to_contain_text("2")

    page.get_by_role("button", name="Chạy tự động").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Quy tắc", exact=True).select_option(label=name)
    dialog.get_by_role("button", name="Xem trước").click()
    expect(dialog.locator("#rule-preview-counts")).to_contain_text("Khớp điều kiện: 2 / 2 bản ghi · sẽ đổi 2")
    expect(dialog.get_by_text("Tạo công việc: 2 bản ghi")).to_be_visible()
    expect(dialog.get_by_text("Giao người phụ trách: 2 bản ghi")).to_be_visible()
    shot("automation_deals_preview")
    with app_db.session() as s:  # the preview changed nothing
        assert {d.owner_id for d in s.exec(select(Opportunity).where(Opportunity.id.in_([d.id for d in deals])))} == {
            minh
        }

    dialog.get_by_role("button", name="Chạy", exact=True).click()
    expect(dialog.locator("#rule-report")).to_contain_text("khớp 2, đã đổi 2, bỏ qua 0, lỗi 0")
    shot("automation_deals_report")
    with app_db.session() as s:
        owners = {
            d.id: d.owner_id for d in s.exec(select(Opportunity).where(Opportunity.id.in_([d.id for d in deals])))
        }
        tasks = s.exec(select(Activity).where(Activity.customer_id.in_([d.customer_id for d in deals]))).all()
        run = s.exec(select(AutomationRun).order_by(AutomationRun.id.desc())).first()
    assert owners == {chosen[0].id: lan, chosen[1].id: lan, deals[2].id: minh}
    assert sorted((t.customer_id, t.subject, t.assignee_id) for t in tasks) == sorted(
        (d.customer_id, "Gọi lại về hợp đồng", minh) for d in chosen
    )
    assert (run.selected, run.matched, run.changed, run.failed, run.status) == (2, 2, 2, 0, "done")
    assert run.started_by_id == app_db.user(MANAGER[0]).id
    dialog.get_by_role("button", name="Đóng").click()
    expect(page.locator("#data-table .data-row").filter(has_text=chosen[0].name)).to_contain_text(
        app_db.user("sale.lan").full_name
    )


def test_a_manager_keeps_their_teams_rules_from_the_sidebar(page: Page, base_url, login, app_db, shot):
    other = _admin_made(
        app_db,
        {
            "name": "Quy tắc của quản trị (E2E)",
            "entity": "customer",
            "actions": [{"kind": "add_tags", "value": "Quản trị"}],
        },
    )
    name = "Gắn thẻ liên hệ của nhóm (E2E)"
    login(*MANAGER)
    page.set_viewport_size({"width": 1366, "height": 800})
    page.goto(f"{base_url}/customers")
    page.get_by_role("link", name="Quy tắc tự động").click()
    expect(page.get_by_role("heading", name="Quy tắc tự động")).to_be_visible()
    expect(page.locator(".rule-row", has_text=other.name)).to_have_count(0)  # not made in their team

    page.get_by_role("button", name="Thêm quy tắc").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Tên quy tắc").fill(name)
    dialog.get_by_label("Áp dụng cho").select_option("contact")
    action = dialog.locator(".rule-action").first
    action.get_by_label("Hành động", exact=True).select_option("update_field")
    action.get_by_label("Trường", exact=True).select_option("title")
    action.get_by_label("Giá trị").fill("Đầu mối")
    dialog.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text(f"Đã lưu quy tắc “{name}”")).to_be_visible()
    expect(page.locator(".rule-row", has_text=name)).to_be_visible()
    shot("automation_manager_rules")
    with app_db.session() as s:
        kept = s.exec(select(AutomationRule).where(AutomationRule.name == name)).one()
    assert (kept.entity, kept.created_by_id, kept.active) == ("contact", app_db.user(MANAGER[0]).id, True)
    assert kept.actions == [{"kind": "update_field", "field": "title", "mode": "replace", "value": "Đầu mối"}]

    # switched off: it is theirs to change; the other team's manager does not see it
    page.get_by_role("switch", name=f"Đang bật {name}").click()
    expect(page.get_by_role("switch", name=f"Đang bật {name}")).not_to_be_checked()
    with app_db.session() as s:
        assert s.get(AutomationRule, kept.id).active is False
        assert name not in [r.name for r in rules.kept(s, load_actor(s, app_db.user(OTHER_MANAGER).id))]

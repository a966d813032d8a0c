"""Saved views shown as a kanban board in a real Chromium: a manager makes a customer view grouped
by status and drags a card to another column; a refused drop says why and the card goes back;
the lead board applies the saved view and search of the lead list. Screen and database checked."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from sqlmodel import select
from ui_steps import drag_onto

from crm_app.models import AuditLog, Customer, ListView, ListViewDefault
from crm_app.services.customer import customers
from crm_app.services.lists import query, views
from crm_app.services.people.permissions import load_actor
from crm_app.services.pipeline import leads

ADMIN = ("admin", "Admin@12345")
MANAGER = ("quanly.hn", "Quanly@2026")  # demo manager of the Hà Nội team


def _count(page: Page, key: str) -> int:
    return int(page.locator(f'[data-column="{key}"] .kb-count').get_attribute("data-count"))


def _visible_count(app_db, username: str, entity: str, field: str, value: str, search: str = "") -> int:
    with app_db.session() as s:
        actor = load_actor(s, app_db.user(username).id)
        return query.count(
            s,
            actor,
            query.ListSpec(
                entity=entity,
                search=search,
                filter={"op": "and", "items": [{"field": field, "operator": "any_of", "value": [value]}]},
            ),
        )


def test_manager_makes_a_kanban_view_and_drags_a_card_to_another_status(page: Page, base_url, login, app_db, shot):
    manager_id = app_db.user(MANAGER[0]).id
    with app_db.session() as s:  # the newest customer: first card of its column
        card_id = customers.create(
            s, load_actor(s, manager_id), {"full_name": "Đặng Thị Kéo Thả", "phone": "0912 345 670", "status": "lead"}
        ).customer.id
    login(*MANAGER)
    page.goto(f"{base_url}/customers")
    expect(page.locator("#data-table .data-row").first).to_be_visible(timeout=20_000)
    page.select_option("#view-switcher", "")  # the plain list, whatever view the manager uses
    expect(page.locator("#filter-toggle .rt-Badge")).to_have_count(0)

    page.select_option("#view-display", "kanban")
    page.select_option("#view-group-by", "status")
    for key in ("lead", "potential", "customer", "inactive"):
        expect(page.locator(f'[data-column="{key}"]')).to_be_visible()
    lead_total = _visible_count(app_db, MANAGER[0], "customer", "status", "lead")
    expect(page.locator('[data-column="lead"] .kb-count')).to_have_attribute("data-count", str(lead_total))
    assert _count(page, "customer") == _visible_count(app_db, MANAGER[0], "customer", "status", "customer")
    expect(page.locator('[data-column="lead"] .kb-card').first).to_have_attribute("data-card-id", str(card_id))
    assert page.locator('[data-column="lead"] .kb-card').count() == min(lead_total, 50)

    # save it as the manager's view, opened by default
    page.click("#view-save-as")
    page.fill("#view-name", "Bảng khách theo tình trạng")
    page.locator("#view-activate").click()
    page.click("#view-create")
    expect(page.locator("#view-switcher")).to_have_value(re.compile(r"\d+"))
    with app_db.session() as s:
        view = s.exec(select(ListView).where(ListView.name == "Bảng khách theo tình trạng")).one()
        assert s.get(ListViewDefault, (manager_id, "customer")).view_id == view.id
    assert (view.spec["display_type"], view.spec["group_by"]) == ("kanban", "status")
    shot("view_kanban_customers")

    customer_before = _count(page, "customer")
    card = page.locator(f'[data-column="lead"] [data-card-id="{card_id}"]')
    drag_onto(page, card, page.locator('[data-column="customer"] .kb-cards'), grab_at=20)
    expect(page.get_by_text("Đã chuyển sang “Khách hàng”")).to_be_visible()
    expect(page.locator(f'[data-column="customer"] [data-card-id="{card_id}"]')).to_be_visible()
    expect(page.locator('[data-column="customer"] .kb-count')).to_have_attribute("data-count", str(customer_before + 1))
    assert _count(page, "lead") == lead_total - 1

    with app_db.session() as s:
        assert s.get(Customer, card_id).status == "customer"
        row = s.exec(
            select(AuditLog).where(
                AuditLog.entity == "customer",
                AuditLog.entity_id == card_id,
                AuditLog.field == "status",
                AuditLog.action == "update",
            )
        ).one()
    assert (row.old_value, row.new_value, row.user_id) == ("lead", "customer", manager_id)

    # reload: the view opens as a board and the card is still in its new column
    page.reload()
    expect(page.locator("#view-switcher")).to_have_value(str(view.id))
    expect(page.locator(f'[data-column="customer"] [data-card-id="{card_id}"]')).to_be_visible(timeout=20_000)
    expect(page.locator(f'[data-column="lead"] [data-card-id="{card_id}"]')).to_have_count(0)
    # the list's search applies to the board: counts over what matches
    page.fill("#list-search", "keo tha")
    expect(page.locator('[data-column="customer"] .kb-count')).to_have_attribute("data-count", "1")
    expect(page.locator('[data-column="lead"] .kb-count')).to_have_attribute("data-count", "0")
    expect(page.locator(".kb-card")).to_have_count(1)


def test_a_refused_drop_says_why_and_the_card_goes_back(page: Page, base_url, login, app_db, shot):
    admin_id = app_db.user("admin").id
    with app_db.session() as s:
        actor = load_actor(s, admin_id)
        company = customers.create(
            s, actor, {"full_name": "Công ty Gán Loại", "kind": "business", "phone": "0243 555 0101"}
        ).customer
        person = customers.create(
            s,
            actor,
            {"full_name": "Ông Gán Loại", "kind": "individual", "assigned_to_id": company.id, "phone": "0912 555 010"},
        ).customer
    login(*ADMIN)
    page.goto(f"{base_url}/customers")
    expect(page.locator("#data-table .data-row").first).to_be_visible(timeout=20_000)
    page.fill("#list-search", "gan loai")
    expect(page.locator("#data-table .data-row")).to_have_count(2)
    page.select_option("#view-display", "kanban")
    page.select_option("#view-group-by", "kind")
    card = page.locator(f'[data-column="individual"] [data-card-id="{person.id}"]')
    expect(card).to_be_visible()
    # a person assigned to a company cannot become a company
    drag_onto(page, card, page.locator('[data-column="business"] .kb-cards'), grab_at=20)
    expect(page.get_by_text("Chỉ được gán cho khách hàng thuộc loại hình khác").first).to_be_visible()
    expect(page.locator(f'[data-column="individual"] [data-card-id="{person.id}"]')).to_be_visible()
    shot("view_kanban_refused")
    expect(page.locator('[data-column="business"] .kb-count')).to_have_attribute("data-count", "1")
    with app_db.session() as s:
        assert s.get(Customer, person.id).kind == "individual"


def test_the_lead_board_applies_the_list_view_and_search(page: Page, base_url, login, app_db, shot):
    admin_id = app_db.user("admin").id
    with app_db.session() as s:
        actor = load_actor(s, admin_id)
        for name in ("Lâm Bảng Một", "Lâm Bảng Hai"):
            leads.create(s, actor, {"full_name": name, "province": "Cần Thơ"})
        leads.create(s, actor, {"full_name": "Lâm Bảng Ba", "province": "Huế"})
        view = views.create(
            s,
            actor,
            "lead",
            {"name": "Tiềm năng Cần Thơ"},
            {
                "columns": ["full_name", "province", "status"],
                "filter": {"op": "and", "items": [{"field": "province", "operator": "any_of", "value": ["92"]}]},
            },
        )
    login(*ADMIN)
    page.goto(f"{base_url}/leads")
    expect(page.locator("#data-table .data-row").first).to_be_visible(timeout=20_000)
    page.select_option("#view-switcher", str(view.id))
    expect(page.locator("#data-table th.sortable-header")).to_have_count(3)
    page.fill("#list-search", "lam bang")
    expect(page.locator("#data-table .data-row")).to_have_count(2)
    shot("view_kanban_lead_list")
    page.click("#view-board")
    expect(page.locator("#board-view")).to_have_value(str(view.id), timeout=20_000)
    expect(page.locator("#board-search")).to_have_value("lam bang")
    expect(page.locator('[data-column="new"] .kb-count')).to_have_attribute("data-count", "2")
    expect(page.locator(".kb-card")).to_have_count(2)
    shot("view_kanban_lead_board")
    # no view: every lead matching the search
    page.select_option("#board-view", "")
    expect(page.locator('[data-column="new"] .kb-count')).to_have_attribute("data-count", "3")
    assert _visible_count(app_db, "admin", "lead", "status", "new", search="lam bang") == 3

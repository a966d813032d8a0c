"""'Sinh' on the customer list: a manager ticks customers and makes one deal, then one order, for
each, chosen once in the bulk dialog; a wrong value is refused before anything is made."""

import re

from playwright.sync_api import Page, expect
from sqlmodel import select

from crm_app.models import Job, Opportunity, SalesDocument, SalesLine

TEAM = "Kinh doanh Hà Nội"  # a demo team


def test_a_manager_makes_a_deal_and_an_order_for_each_ticked_customer(page: Page, base_url, login, app_db, shot):
    # users of their own, so no view another test saved opens their list filtered
    app_db.ensure_user("quanly.sinh", "Quanly@2026x", "manager", "Quản Lý Sinh", team=TEAM)
    owner = app_db.ensure_user("sale.sinh", "Sale@2026x", "sales", "Người Bán Sinh", team=TEAM)
    ids = [app_db.create_customer(owner, full_name=f"Khách Sinh Hàng Loạt {n}").id for n in ("Một", "Hai", "Ba")]
    login("quanly.sinh", "Quanly@2026x")
    page.set_viewport_size({"width": 1024, "height": 800})
    page.goto(f"{base_url}/customers")
    page.fill("#list-search", "khach sinh hang loat")
    rows = page.locator("#data-table .data-row")
    expect(rows).to_have_count(3)
    for i in range(3):
        rows.nth(i).locator(".row-select").click()
    expect(page.locator("#selection-label")).to_contain_text("3")

    # a deal for each: a wrong value is refused, naming it, and nothing is made
    page.get_by_role("button", name="Sinh cơ hội").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Sinh cơ hội")
    dialog.get_by_label("Tên cơ hội").fill("Gia hạn 2027")
    dialog.get_by_label("Giá trị (VND)").fill("mười lăm triệu")
    page.click("#bulk-run")
    expect(page.get_by_text(re.compile("Giá trị \\(VND\\):"))).to_be_visible()
    with app_db.session() as s:
        assert s.exec(select(Opportunity).where(Opportunity.customer_id.in_(ids))).all() == []
        manager = app_db.user("quanly.sinh").id
        assert s.exec(select(Job).where(Job.user_id == manager)).all() == []  # a refused choice is no job
    dialog.get_by_label("Giá trị (VND)").fill("15.000.000")
    dialog.get_by_label("Ngày dự kiến chốt").fill("2027-01-31")
    shot("bulk_generate_deals")
    page.click("#bulk-run")
    expect(page.locator("#bulk-report")).to_contain_text("đã tạo 3 cơ hội")
    page.click("#bulk-close")
    with app_db.session() as s:
        made = s.exec(select(Opportunity).where(Opportunity.customer_id.in_(ids))).all()
    assert sorted(o.name for o in made) == sorted(
        f"Gia hạn 2027 – Khách Sinh Hàng Loạt {n}" for n in ("Một", "Hai", "Ba")
    )
    assert {(o.value, o.owner_id, str(o.expected_close)) for o in made} == {(15_000_000, owner, "2027-01-31")}

    # an order for each: two lines, chosen once
    for i in range(3):
        rows.nth(i).locator(".row-select").click()
    page.get_by_role("button", name="Sinh đơn hàng").click()
    page.locator("#gen-product-0").select_option(index=1)
    page.fill("#gen-quantity-0", "2")
    page.click("#gen-add-line")
    page.locator("#gen-product-1").select_option(index=2)
    shot("bulk_generate_orders")
    page.click("#bulk-run")
    expect(page.locator("#bulk-report")).to_contain_text("đã tạo 3 đơn hàng")
    with app_db.session() as s:
        orders = s.exec(select(SalesDocument).where(SalesDocument.customer_id.in_(ids))).all()
        assert len(orders) == 3 and {o.kind for o in orders} == {"order"}
        codes = {o.customer_id: o.code for o in orders}
        quantities = sorted(
            (line.position, line.quantity)
            for line in s.exec(select(SalesLine).where(SalesLine.document_id == orders[0].id)).all()
        )
    assert quantities == [(0, 2), (1, 1)]
    page.click("#bulk-close")
    page.goto(f"{base_url}/customers/{ids[0]}")
    page.get_by_role("tab", name="Cơ hội / Báo giá / Đơn hàng").click()
    expect(page.get_by_text("Gia hạn 2027 – Khách Sinh Hàng Loạt Một").first).to_be_visible()
    expect(page.get_by_text(codes[ids[0]]).first).to_be_visible()

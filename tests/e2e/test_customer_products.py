"""Customer products (Sản phẩm khách hàng) as a salesperson uses them: the product of an order on
the customer's Products tab, a service added by hand (a wrong period refused first), the list page
filtered by product, and the customers filtered by "has bought"; another salesperson sees none."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import Page, expect
from sqlmodel import select
from ui_steps import signed_in

from crm_app.models import Customer, CustomerProduct, Product
from crm_app.services.customer import customers
from crm_app.services.people.permissions import load_actor
from crm_app.services.people.work_scope import local_today

PASSWORD = "BanHang2026sp"
TOUR = "Tour Phú Quốc 4N3Đ"
VISA = "Dịch vụ visa Nhật Bản"


def _customer(app_db, owner_id: int, name: str) -> Customer:
    with app_db.session() as s:
        created = customers.create(s, load_actor(s, owner_id), {"full_name": name}).customer
        s.commit()
        return created


def _product_id(app_db, code: str) -> int:
    with app_db.session() as s:
        return s.exec(select(Product.id).where(Product.code == code)).one()


def _filter_on(page: Page, field: str, operator: str, product_id: int) -> None:
    """The filter builder: one condition on ``field`` with one product ticked, applied."""
    page.get_by_role("button", name=re.compile(r"^Bộ lọc")).click()
    page.click("#filter-add")
    row = page.locator("#filter-panel .filter-row").last
    row.locator("select").nth(0).select_option(field)
    row.locator("select").nth(1).select_option(operator)
    row.locator(f'.filter-choice[data-value="{product_id}"]').click()
    page.click("#filter-apply")


def test_a_salesperson_sees_what_a_customer_bought_and_adds_a_service(page: Page, base_url, login, app_db, shot):
    seller = app_db.ensure_user("sale.sanpham", PASSWORD, "sales", "Người Bán Sản Phẩm")
    buyer = _customer(app_db, seller, "Khách Mua Tour Đảo")
    _customer(app_db, seller, "Khách Chưa Mua Gì")
    tour_id, visa_id = _product_id(app_db, "TOUR-PQ"), _product_id(app_db, "VISA-JP")
    login("sale.sanpham", PASSWORD)

    # An order of two tours on the customer's Sales tab ...
    page.goto(f"{base_url}/customers/{buyer.id}")
    expect(page.locator("#customer-name")).to_be_visible()
    page.get_by_role("tab", name="Cơ hội / Báo giá / Đơn hàng").click()
    page.click("#order-new")
    page.locator(".line-product").first.select_option(label=f"{TOUR} (TOUR-PQ)")
    page.locator(".line-quantity input").first.fill("2")
    page.click("#doc-save")
    expect(page.locator(".doc-row").first).to_contain_text(f"{TOUR} × 2")

    # ... is on its Products tab: quantity, dates of purchase, total.
    page.get_by_role("tab", name="Sản phẩm", exact=True).click()
    bought = page.locator(".bought-row")
    expect(bought).to_have_count(1)
    today = local_today().strftime("%d/%m/%Y")
    expect(bought.first).to_contain_text(TOUR)
    expect(bought.first).to_contain_text("13.980.000 ₫")
    expect(bought.first).to_contain_text(today)
    shot("products_tab_bought")

    # A service entered by hand: an end before the start is refused, naming both days.
    page.get_by_role("button", name="Thêm dịch vụ").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Sản phẩm").select_option(label=f"{VISA} (VISA-JP)")
    dialog.get_by_label("Ngày bắt đầu").fill("2026-06-01")
    dialog.get_by_label("Ngày kết thúc").fill("2026-05-01")
    dialog.get_by_label("Ghi chú").fill("Visa công tác 1 năm")
    page.click("#service-save")
    expect(page.locator("#error-service-end_date")).to_have_text(
        "Ngày kết thúc 01/05/2026 trước ngày bắt đầu 01/06/2026"
    )
    with app_db.session() as s:
        assert s.exec(select(CustomerProduct).where(CustomerProduct.source == "service")).first() is None
    shot("products_service_refused")
    dialog.get_by_label("Ngày kết thúc").fill("2027-05-31")
    page.click("#service-save")
    expect(dialog).to_be_hidden()
    service = page.locator(".service-row")
    expect(service).to_have_count(1)
    expect(service.first).to_contain_text(VISA)
    expect(service.first).to_contain_text("01/06/2026 – 31/05/2027")
    expect(service.first).to_contain_text("Đang sử dụng")
    shot("products_tab_service")
    with app_db.session() as s:
        rows = s.exec(select(CustomerProduct).where(CustomerProduct.customer_id == buyer.id)).all()
        assert {(r.source, r.product_id) for r in rows} == {("order", tour_id), ("service", visa_id)}
        order_row = next(r for r in rows if r.source == "order")
        assert (order_row.quantity, order_row.total, order_row.last_purchase) == (2, 13_980_000, local_today())
        service_row = next(r for r in rows if r.source == "service")
        assert (service_row.start_date, service_row.end_date, service_row.status, service_row.owner_id) == (
            date(2026, 6, 1),
            date(2027, 5, 31),
            "active",
            seller,
        )

    # The list page, from the sidebar, filtered by product.
    page.locator(".sidebar").get_by_role("link", name="Sản phẩm khách hàng").click()
    expect(page).to_have_url(re.compile(r"/customer-products"))
    rows = page.locator("#data-table .data-row")
    expect(rows).to_have_count(2)
    expect(page.locator('#view-display option[value="kanban"]')).to_have_count(0)  # no cards to make a board of
    shot("customer_products_list")
    _filter_on(page, "product_id", "any_of", visa_id)
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(VISA)
    expect(rows.first).to_contain_text("Khách Mua Tour Đảo")
    shot("customer_products_filtered")
    with app_db.session() as s:
        seen = s.exec(
            select(CustomerProduct).where(CustomerProduct.owner_id == seller, CustomerProduct.product_id == visa_id)
        ).all()
        assert [r.customer_id for r in seen] == [buyer.id]
    # A row opens its customer's Products tab.
    rows.first.get_by_text(VISA).click()
    expect(page).to_have_url(re.compile(rf"/customers/{buyer.id}\?tab=products"))
    expect(page.locator(".service-row")).to_have_count(1)

    # The customers who bought the tour.
    page.locator(".sidebar").get_by_role("link", name="Khách hàng", exact=True).click()
    expect(page).to_have_url(re.compile(r"/customers/?$"))
    _filter_on(page, "bought_products", "bought", tour_id)
    customer_rows = page.locator("#data-table .data-row")
    expect(customer_rows).to_have_count(1)
    expect(customer_rows.first).to_contain_text("Khách Mua Tour Đảo")
    shot("customers_who_bought")
    with app_db.session() as s:
        buyers = s.exec(
            select(CustomerProduct.customer_id).where(
                CustomerProduct.product_id == tour_id,
                CustomerProduct.source == "order",
                CustomerProduct.owner_id == seller,
            )
        ).all()
        assert buyers == [buyer.id]


def test_another_salesperson_sees_none_of_them(page: Page, browser, base_url, login, app_db):
    owner = app_db.ensure_user("sale.chusp", PASSWORD, "sales", "Người Bán Chủ")
    app_db.ensure_user("sale.khac", PASSWORD, "sales", "Người Bán Khác")
    customer = _customer(app_db, owner, "Khách Riêng Của Chủ")
    login("sale.chusp", PASSWORD)
    page.goto(f"{base_url}/customers/{customer.id}?tab=products")
    page.get_by_role("button", name="Thêm dịch vụ").click()
    page.get_by_role("dialog").get_by_label("Sản phẩm").select_option(label=f"{VISA} (VISA-JP)")
    page.click("#service-save")
    expect(page.locator(".service-row")).to_have_count(1)

    context, other = signed_in(browser, base_url, "sale.khac", PASSWORD)
    try:
        other.goto(f"{base_url}/customer-products")
        expect(other.get_by_text("Chưa có sản phẩm nào của khách hàng")).to_be_visible()
        expect(other.locator("#data-table .data-row")).to_have_count(0)
        other.goto(f"{base_url}/customers/{customer.id}?tab=products")
        expect(other.locator(".service-row")).to_have_count(0)
    finally:
        context.close()
    with app_db.session() as s:
        rows = s.exec(select(CustomerProduct).where(CustomerProduct.customer_id == customer.id)).all()
        assert [(r.source, r.owner_id) for r in rows] == [("service", owner)]

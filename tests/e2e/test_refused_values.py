"""Wrong values a user meets, refused naming them and changing nothing: a "not bought since"
condition without its date, a bulk deal closing in the past, a bulk order with a product on two
lines, a service in use whose end date is past; and a salesperson's personal list, which her
manager does not see."""

import re
import uuid
from datetime import timedelta

from playwright.sync_api import Page, expect
from sqlmodel import select

from crm_app.models import CustomerProduct, Opportunity, RecordList, SalesDocument
from crm_app.services.lists import record_lists
from crm_app.services.people.permissions import load_actor
from crm_app.services.people.work_scope import local_today

TEAM = "Kinh doanh Hà Nội"  # a demo team
PASSWORD = "Sai@2026x"


def _seller(app_db) -> int:
    return app_db.ensure_user("sale.giatri", PASSWORD, "sales", "Người Bán Giá Trị", team=TEAM)


def test_a_not_bought_since_condition_without_its_date_is_refused(page: Page, base_url, login, app_db, shot):
    seller = _seller(app_db)
    run = uuid.uuid4().hex[:8]  # names of this run alone
    for name in ("Một", "Hai"):
        app_db.create_customer(seller, full_name=f"Khách Lọc Ngày {name} {run}")
    login("sale.giatri", PASSWORD)
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"{base_url}/customers")
    page.fill("#list-search", run)
    rows = page.locator("#data-table .data-row")
    expect(rows).to_have_count(2)
    page.get_by_role("button", name=re.compile(r"^Bộ lọc")).click()
    page.click("#filter-add")
    row = page.locator("#filter-panel .filter-row").last
    row.locator("select").nth(0).select_option("bought_products")
    row.locator("select").nth(1).select_option("not_bought_since")
    row.locator(".filter-choice").first.click()  # a product ticked, no date
    page.click("#filter-apply")
    expect(page.get_by_text("Điều kiện lọc “Sản phẩm đã mua” chưa có ngày: hãy chọn ngày")).to_be_visible()
    expect(rows).to_have_count(2)  # the list as it was
    expect(page.get_by_role("button", name=re.compile(r"^Bộ lọc"))).not_to_contain_text("1")
    shot("filter_date_missing")
    # with its date it applies: neither bought anything, so both stay
    row.locator("input[type=date]").fill("2026-01-01")
    page.click("#filter-apply")
    expect(page.get_by_role("button", name=re.compile(r"^Bộ lọc"))).to_contain_text("1")
    expect(rows).to_have_count(2)


def test_bulk_generation_refuses_a_past_close_date_and_a_product_on_two_lines(
    page: Page, base_url, login, app_db, shot
):
    app_db.ensure_user("quanly.giatri", PASSWORD, "manager", "Quản Lý Giá Trị", team=TEAM)
    seller = _seller(app_db)
    run = uuid.uuid4().hex[:8]  # names of this run alone
    ids = [app_db.create_customer(seller, full_name=f"Khách Sinh Sai {n} {run}").id for n in ("Một", "Hai")]
    login("quanly.giatri", PASSWORD)
    page.set_viewport_size({"width": 1366, "height": 800})
    page.goto(f"{base_url}/customers")
    page.fill("#list-search", run)
    rows = page.locator("#data-table .data-row")
    expect(rows).to_have_count(2)

    def tick_both() -> None:
        for i in range(2):
            rows.nth(i).locator(".row-select").click()
        expect(page.locator("#selection-label")).to_contain_text("2")

    tick_both()
    page.get_by_role("button", name="Sinh cơ hội").click()
    dialog = page.get_by_role("dialog")
    page.click("#bulk-run")  # no name yet: the deal's field is named, not the customer's
    expect(page.get_by_text(re.compile(r"^Tên cơ hội: ")).first).to_be_visible()
    dialog.get_by_label("Tên cơ hội").fill("Tour Tết")
    yesterday = local_today() - timedelta(days=1)
    dialog.get_by_label("Ngày dự kiến chốt").fill(yesterday.isoformat())
    page.click("#bulk-run")
    expect(page.get_by_text(f"Ngày dự kiến chốt {yesterday:%d/%m/%Y} đã qua").first).to_be_visible()
    shot("bulk_generate_past_date")
    with app_db.session() as s:
        assert s.exec(select(Opportunity).where(Opportunity.customer_id.in_(ids))).all() == []
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)

    page.reload()
    page.fill("#list-search", run)
    expect(rows).to_have_count(2)
    tick_both()
    page.get_by_role("button", name="Sinh đơn hàng").click()
    page.locator("#gen-product-0").select_option(label="TOUR-PQ – Tour Phú Quốc 4N3Đ")
    page.click("#gen-add-line")
    page.locator("#gen-product-1").select_option(label="TOUR-PQ – Tour Phú Quốc 4N3Đ")
    page.click("#bulk-run")
    expect(page.get_by_text(re.compile("“Tour Phú Quốc 4N3Đ” có ở cả dòng 1 và dòng 2")).first).to_be_visible()
    shot("bulk_generate_repeated_product")
    with app_db.session() as s:
        assert s.exec(select(SalesDocument).where(SalesDocument.customer_id.in_(ids))).all() == []


def test_a_service_in_use_with_a_past_end_date_is_refused(page: Page, base_url, login, app_db, shot):
    seller = _seller(app_db)
    customer = app_db.create_customer(seller, full_name="Khách Dịch Vụ Hết Hạn")
    login("sale.giatri", PASSWORD)
    page.goto(f"{base_url}/customers/{customer.id}?tab=products")
    page.get_by_role("button", name="Thêm dịch vụ").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Sản phẩm").select_option(label="Dịch vụ visa Nhật Bản (VISA-JP)")
    dialog.get_by_label("Ngày bắt đầu").fill("2025-01-01")
    dialog.get_by_label("Ngày kết thúc").fill("2025-12-31")
    page.click("#service-save")
    expect(page.locator("#error-service-end_date")).to_contain_text("Ngày kết thúc 31/12/2025 đã qua")
    shot("service_past_end_refused")
    with app_db.session() as s:
        assert s.exec(select(CustomerProduct).where(CustomerProduct.customer_id == customer.id)).all() == []
    dialog.get_by_label("Trạng thái dịch vụ").select_option(label="Đã kết thúc")
    page.click("#service-save")
    expect(dialog).to_be_hidden()
    expect(page.locator(".service-row").first).to_contain_text("Đã kết thúc")
    with app_db.session() as s:
        [row] = s.exec(select(CustomerProduct).where(CustomerProduct.customer_id == customer.id)).all()
        assert (row.status, str(row.end_date)) == ("ended", "2025-12-31")


def test_a_salespersons_personal_list_is_not_her_managers(page: Page, browser, base_url, login, app_db, shot):
    seller = _seller(app_db)
    app_db.ensure_user("quanly.giatri", PASSWORD, "manager", "Quản Lý Giá Trị", team=TEAM)
    mine = f"Khách riêng của tôi {uuid.uuid4().hex[:8]}"
    with app_db.session() as s:
        record_lists.create(s, load_actor(s, seller), "customer", {"name": mine})
    login("quanly.giatri", PASSWORD)
    page.goto(f"{base_url}/lists")
    expect(page.get_by_label("Tên danh sách")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=mine)).to_have_count(0)
    shot("lists_manager_personal_hidden")
    page.context.clear_cookies()
    login("sale.giatri", PASSWORD)
    page.goto(f"{base_url}/lists")
    expect(page.get_by_role("row").filter(has_text=mine)).to_be_visible()
    with app_db.session() as s:
        [stored] = s.exec(select(RecordList).where(RecordList.name == mine)).all()
        assert (stored.owner_id, stored.scope) == (seller, "personal")

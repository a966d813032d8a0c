"""The "assigned to" picker of a person's form offers organisations found by any of their words,
in any order, and never a person; a salesperson is offered no other team's organisation."""

import re

from playwright.sync_api import Page, expect

ADMIN = ("admin", "Admin@12345")


def test_an_organisation_is_found_by_its_words_in_any_order_and_assigned(page: Page, base_url, login, app_db, shot):
    admin_id = app_db.user("admin").id
    office = app_db.create_customer(admin_id, full_name="Sở Văn hóa Thái Nguyên", kind="public", phones="0208 385 1234")
    app_db.create_customer(admin_id, full_name="Nguyễn Văn Thái", phones="0904 111 271")  # a person: not offered
    page.set_viewport_size({"width": 1366, "height": 800})
    login(*ADMIN)
    page.goto(f"{base_url}/customers/new")
    expect(page.locator("#field-full_name")).to_be_visible()
    page.fill("#field-full_name", "Phạm Thị Gán")
    page.fill("#field-phones", "0904 222 381")
    picker = page.get_by_placeholder("Gõ để tìm đơn vị…")
    picker.fill("thai nguyen van")  # no organisation holds the words as typed: each starts one of its words
    office_option = page.get_by_role("button", name=re.compile(r"Sở Văn hóa Thái Nguyên"))
    expect(office_option).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"Nguyễn Văn Thái"))).to_have_count(0)
    shot("assigned_to_any_order")
    picker.fill("van hoa khong co")  # a word no organisation has: nothing is offered
    expect(page.get_by_text("Không tìm thấy")).to_be_visible()
    picker.fill("nguyen thai")
    office_option.click()
    expect(page.locator("#assigned_to-selected")).to_contain_text("Sở Văn hóa Thái Nguyên")
    page.click("#customer-save")
    expect(page).to_have_url(re.compile(r"/customers/\d+/?$"))
    saved = app_db.customers_named("pham thi gan")
    assert len(saved) == 1 and saved[0].assigned_to_id == office.id


def test_a_salesperson_is_offered_no_other_salespersons_organisation(page: Page, base_url, login, app_db, shot):
    own = app_db.ensure_user("sale.gan", "Sale@2026x", "sales", "Người Gán")
    other = app_db.ensure_user("sale.gan.khac", "Sale@2026x", "sales", "Người Khác Gán")
    app_db.create_customer(other, full_name="Sở Văn hóa Thái Bình", kind="public", phones="0227 383 1234")
    mine = app_db.create_customer(own, full_name="Trường Văn hóa Thái Bình", kind="public", phones="0227 383 5678")
    page.set_viewport_size({"width": 1024, "height": 768})
    login("sale.gan", "Sale@2026x")
    page.goto(f"{base_url}/customers/new")
    expect(page.locator("#field-full_name")).to_be_visible()
    page.fill("#field-full_name", "Vũ Thị Gán")
    page.fill("#field-phones", "0904 222 382")
    picker = page.get_by_placeholder("Gõ để tìm đơn vị…")
    picker.fill("thai binh van")
    expect(page.get_by_role("button", name=re.compile(r"Trường Văn hóa Thái Bình"))).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"Sở Văn hóa Thái Bình"))).to_have_count(0)
    shot("assigned_to_sales_1024")
    page.get_by_role("button", name=re.compile(r"Trường Văn hóa Thái Bình")).click()
    page.click("#customer-save")
    expect(page).to_have_url(re.compile(r"/customers/\d+/?$"))
    saved = app_db.customers_named("vu thi gan")
    assert len(saved) == 1 and (saved[0].assigned_to_id, saved[0].owner_id) == (mine.id, own)

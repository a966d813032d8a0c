"""A sales team's day with customers, in a real Chromium: create, duplicates, search, archive."""

import re

from playwright.sync_api import Page, expect

ADMIN = ("admin", "Admin@12345")


def _new_customer(page: Page, base_url: str, name: str, phones: str, email: str = "") -> None:
    page.goto(f"{base_url}/customers/new")
    expect(page.locator("#field-full_name")).to_be_visible()
    page.fill("#field-full_name", name)
    page.fill("#field-phones", phones)
    if email:
        page.fill("#field-email", email)
    page.click("#customer-save")


def test_create_customer_then_duplicate_is_refused(page: Page, base_url, login, app_db, shot):
    login(*ADMIN)
    _new_customer(page, base_url, "Nguyễn Văn Bảo", "0987 654 321", "bao.nguyen@example.vn")
    expect(page).to_have_url(re.compile(r"/customers/\d+/?$"))
    expect(page.locator("#customer-name")).to_have_text("Nguyễn Văn Bảo")
    shot("customer_created")
    stored = app_db.customers_named("nguyen van bao")
    assert len(stored) == 1 and stored[0].phone_norm == "0987654321" and stored[0].email_norm == "bao.nguyen@example.vn"
    before = app_db.count_customers()

    # The same person typed differently: lower case, no diacritics, +84 phone.
    _new_customer(page, base_url, "nguyen van  bao", "+84 987 654 321")
    error = page.locator("#error-full_name")
    expect(error).to_be_visible()
    expect(error).to_contain_text(stored[0].code)
    expect(page).to_have_url(re.compile(r"/customers/new/?$"))
    shot("customer_duplicate_error")
    assert app_db.count_customers() == before

    # The same phone under another name is saved, with a warning that links to the first record.
    page.fill("#field-full_name", "Nguyễn Thị Hồng")
    page.click("#customer-save")
    expect(page).to_have_url(re.compile(r"/customers/\d+/?$"))
    warning = page.locator("#similar-records")
    expect(warning).to_contain_text(stored[0].code)
    shot("customer_same_phone_warning")
    assert app_db.count_customers() == before + 1
    warning.locator(".similar-link").first.click()
    expect(page).to_have_url(re.compile(rf"/customers/{stored[0].id}/?$"))
    expect(page.locator("#customer-name")).to_have_text("Nguyễn Văn Bảo")


def test_required_name_is_shown_at_the_field(page: Page, base_url, login, app_db):
    login(*ADMIN)
    before = app_db.count_customers()
    _new_customer(page, base_url, "", "0911 222 333")
    expect(page.locator("#error-full_name")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/customers/new/?$"))
    assert app_db.count_customers() == before


def test_search_without_diacritics_finds_vietnamese_names(page: Page, base_url, login, app_db, shot):
    admin_id = app_db.user("admin").id
    app_db.create_customer(admin_id, full_name="Nguyễn Văn Quý Đức", phones="0903 111 222")
    app_db.create_customer(admin_id, full_name="Trần Thị Bích", phones="0903 111 333")
    login(*ADMIN)
    page.goto(f"{base_url}/customers")
    page.fill("#list-search", "nguyen van quy duc")
    rows = page.locator("#data-table .data-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Nguyễn Văn Quý Đức")
    # A phone typed with +84 and spaces finds the record stored as 0903...
    page.fill("#list-search", "+84 903 111 333")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Trần Thị Bích")
    # The header search works from any page.
    page.goto(f"{base_url}/contacts")
    page.fill("#global-search", "nguyen van")
    page.press("#global-search", "Enter")
    expect(page).to_have_url(re.compile(r"/customers/?\?q=nguyen"))
    expect(rows.first).to_be_visible()
    for text in rows.all_inner_texts():
        assert "Nguyễn Văn" in text
    shot("customer_search")


def test_archive_and_restore(page: Page, base_url, login, app_db, shot):
    admin_id = app_db.user("admin").id
    customer = app_db.create_customer(admin_id, full_name="Lê Hoàng Lưu Trữ", phones="0934 555 666")
    login(*ADMIN)
    page.goto(f"{base_url}/customers/{customer.id}")
    page.click("#customer-archive")
    page.click("#confirm-archive")
    expect(page.locator("#archived-badge")).to_be_visible()
    assert app_db.customer(customer.id).archived is True

    page.goto(f"{base_url}/customers")
    page.fill("#list-search", "le hoang luu tru")
    expect(page.locator("#empty-state")).to_be_visible()

    page.goto(f"{base_url}/customers/archive")
    page.fill("#list-search", "le hoang luu tru")
    row = page.locator(f'.data-row[data-id="{customer.id}"]')
    expect(row).to_be_visible()
    shot("customer_archive")
    row.locator(".restore-button").click()
    expect(row).to_have_count(0)
    assert app_db.customer(customer.id).archived is False

    page.goto(f"{base_url}/customers")
    page.fill("#list-search", "le hoang luu tru")
    expect(page.locator("#data-table .data-row")).to_have_count(1)


def test_quick_create_from_the_header(page: Page, base_url, login, app_db, shot):
    login(*ADMIN)
    page.goto(f"{base_url}/contacts")
    page.click("#quick-create-open")
    dialog = page.locator("#quick-create-dialog")
    expect(dialog).to_be_visible()
    dialog.locator("#field-full_name").fill("Công ty TNHH Hải Âu")
    dialog.locator("#field-kind").select_option("business")
    dialog.locator("#field-phones").fill("028 3822 1234")
    shot("quick_create")
    dialog.locator("#quick-create-save").click()
    expect(page).to_have_url(re.compile(r"/customers/\d+/?$"))
    expect(page.locator("#customer-name")).to_have_text("Công ty TNHH Hải Âu")
    stored = app_db.customers_named("cong ty tnhh hai au")
    assert len(stored) == 1 and stored[0].kind == "business" and stored[0].phone_norm == "02838221234"

"""Login, language and the server-side refusal of another sales user's record."""

import re

from playwright.sync_api import Page, expect


def test_wrong_password_then_login_and_logout(page: Page, base_url):
    page.goto(f"{base_url}/login")
    page.fill("#login-username", "admin")
    page.fill("#login-password", "wrong-password-1")
    page.click("#login-submit")
    expect(page.locator("#login-error")).to_be_visible(timeout=10_000)
    expect(page.locator("#login-username")).to_have_value("admin")  # kept for the next try
    page.goto(f"{base_url}/login")  # a fresh page, typed into at once: the name typed stays
    page.fill("#login-username", "admin")
    page.fill("#login-password", "Admin@12345")
    page.click("#login-submit")
    expect(page).to_have_url(re.compile(r"/dashboard/?$"), timeout=20_000)
    expect(page.locator("#page-title")).to_be_visible()
    page.click("#user-menu")
    page.click("#logout")
    expect(page).to_have_url(re.compile(r"/login/?$"))
    page.goto(f"{base_url}/customers")
    expect(page).to_have_url(re.compile(r"/login/?$"))


def test_typing_as_soon_as_the_login_page_shows_signs_in(browser, base_url):
    """What is typed before the page has finished starting is what is sent (no re-render drops it)."""
    for _ in range(3):
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{base_url}/login", wait_until="commit")
        page.fill("#login-username", "admin")
        page.fill("#login-password", "Admin@12345")
        page.click("#login-submit")
        expect(page).to_have_url(re.compile(r"/dashboard/?$"), timeout=20_000)
        context.close()


def test_switch_language(page: Page, base_url, login, app_db, shot):
    app_db.ensure_user("sale.lang", "Sale@2026x", "sales", "Phạm Ngôn Ngữ")
    login("sale.lang", "Sale@2026x")
    page.goto(f"{base_url}/customers")
    expect(page.locator("#page-title")).to_have_text("Khách hàng")
    page.click("#user-menu")
    page.click("#lang-en")
    expect(page.locator("#page-title")).to_have_text("Customers")
    expect(page.locator("#nav-contacts")).to_contain_text("Contacts")
    assert app_db.user("sale.lang").language == "en"
    page.reload()
    expect(page.locator("#page-title")).to_have_text("Customers")
    shot("english_ui")
    page.click("#user-menu")
    page.click("#lang-vi")
    expect(page.locator("#page-title")).to_have_text("Khách hàng")


def test_sales_user_cannot_open_another_users_customer(page: Page, base_url, login, app_db, shot):
    owner = app_db.ensure_user("sale.owner", "Sale@2026x", "sales", "Người Sở Hữu")
    app_db.ensure_user("sale.other", "Sale@2026x", "sales", "Người Khác")
    secret = app_db.create_customer(owner, full_name="Khách Bí Mật Của Owner", phones="0977 888 999")
    login("sale.other", "Sale@2026x")
    page.goto(f"{base_url}/customers/{secret.id}")
    expect(page.locator("#access-denied")).to_be_visible()
    expect(page.get_by_text("Khách Bí Mật Của Owner")).to_have_count(0)
    shot("access_denied")
    page.goto(f"{base_url}/customers/{secret.id}/edit")
    expect(page).to_have_url(re.compile(r"/customers/?$"))
    expect(page.get_by_text("Khách Bí Mật Của Owner")).to_have_count(0)
    # The list does not show it either, even when searched by name.
    page.fill("#list-search", "khach bi mat")
    expect(page.locator("#empty-state")).to_be_visible()
    assert app_db.customer(secret.id).full_name == "Khách Bí Mật Của Owner"


def test_the_next_user_of_a_tab_starts_with_empty_pages(page: Page, base_url, login, app_db):
    app_db.ensure_user("sale.truoc", "Sale@2026x", "sales", "Người Dùng Trước")
    app_db.ensure_user("sale.sau", "Sale@2026x", "sales", "Người Dùng Sau")
    login("sale.truoc", "Sale@2026x")
    page.goto(f"{base_url}/customers")
    page.fill("#list-search", "nguyen thi my")
    page.press("#list-search", "Enter")
    page.click("#user-menu")
    page.click("#logout")
    expect(page).to_have_url(re.compile(r"/login/?$"))
    login("sale.sau", "Sale@2026x")
    page.goto(f"{base_url}/customers")
    expect(page.locator("#page-title")).to_have_text("Khách hàng")
    expect(page.locator("#list-search")).to_have_value("")

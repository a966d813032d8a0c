"""An admin backs the database up from the app and sees the backup listed; a salesperson gets a
refusal there and on the other admin pages."""

import re

from playwright.sync_api import Page, expect

ADMIN = ("admin", "Admin@12345")
SALES = ("sale.lan", "Sale@2026")


def test_an_admin_backs_up_now_and_sees_it_listed(page: Page, base_url, login, shot):
    login(*ADMIN)
    page.goto(f"{base_url}/admin/backups")
    expect(page.locator("#page-title")).to_have_text("Sao lưu dữ liệu")
    expect(page.locator("#backup-schedule")).to_contain_text("24 giờ")
    before = page.locator(".backup-row").count()
    page.click("#backup-now")
    expect(page.locator(".backup-row")).to_have_count(before + 1, timeout=30_000)
    newest = page.locator(".backup-row").first
    expect(newest).to_contain_text(re.compile(r"crm-\d{8}-\d{6}\.(db|dump)"))
    expect(newest).to_contain_text(re.compile(r"\d+(,\d)? (KB|MB)"))
    expect(page.get_by_text("Đã sao lưu")).to_be_visible()
    shot("backups_admin")


def test_a_salesperson_gets_a_refusal_on_the_admin_pages(page: Page, base_url, login):
    login(*SALES)
    expect(page.locator("#nav-admin-backups")).to_have_count(0)
    page.goto(f"{base_url}/admin/backups")
    expect(page.locator("#access-denied")).to_contain_text("Chỉ quản trị viên được làm việc này")
    expect(page.locator("#backup-now")).to_have_count(0)
    expect(page.locator(".backup-row")).to_have_count(0)
    for path in ("/admin/users", "/admin/fields"):  # the other admin pages alike
        page.goto(f"{base_url}{path}")
        expect(page.locator("#access-denied")).to_contain_text("Chỉ quản trị viên được làm việc này")
        expect(page.locator("#page-title")).to_have_count(0)

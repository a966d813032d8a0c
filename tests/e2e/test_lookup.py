"""Customer lookup as a salesperson uses it: a phone of another's customer says who owns it and
nothing more; one of her own opens the record; an unknown value says so; the admin reads the
lookups in the system history."""

import re

import sqlalchemy as sa
from playwright.sync_api import Page, expect

from crm_app.models import AuditLog

PASSWORD = "Sale@2026x"


def _look_up(page: Page, text: str) -> None:
    box = page.get_by_role("textbox", name="Số điện thoại, email, MST hoặc họ tên")
    box.fill(text)
    page.get_by_role("button", name="Tra cứu", exact=True).click()


def test_a_salesperson_learns_who_owns_a_number_without_seeing_the_record(page: Page, base_url, login, app_db, shot):
    owner = app_db.ensure_user("sale.chu", PASSWORD, "sales", "Người Chủ Sở Hữu")
    me = app_db.ensure_user("sale.tracuu", PASSWORD, "sales", "Người Tra Cứu")
    theirs = app_db.create_customer(owner, full_name="Đỗ Văn Bí Mật", phones=["0915 222 333"], email="bimat@ab.vn")
    mine = app_db.create_customer(me, full_name="Hồ Thị Của Tôi", phones=["0915 444 555"])
    login("sale.tracuu", PASSWORD)
    page.goto(f"{base_url}/dashboard")
    page.click("#nav-lookup")
    expect(page).to_have_url(f"{base_url}/lookup")
    expect(page.locator("#page-title")).to_have_text("Tra cứu khách hàng")

    _look_up(page, "+84 915.222.333")
    expect(page.locator("#lookup-found")).to_be_visible()
    hit = page.locator(".lookup-hit")
    expect(hit).to_have_count(1)
    expect(hit.locator(".lookup-owner")).to_have_text("Người Chủ Sở Hữu")
    expect(hit).to_contain_text("Không thuộc quyền xem của bạn")
    expect(page.locator("#lookup-table")).not_to_contain_text("Bí Mật")  # never the record itself
    expect(page.locator("#lookup-table")).not_to_contain_text(theirs.code)
    shot("lookup_someone_elses")

    _look_up(page, "0915444555")
    expect(hit.locator(".lookup-open")).to_have_text(f"{mine.code} Hồ Thị Của Tôi")
    hit.locator(".lookup-open").click()
    expect(page).to_have_url(f"{base_url}/customers/{mine.id}")

    page.go_back()
    _look_up(page, "0915 999 000")
    expect(page.locator("#lookup-none")).to_have_text("Chưa có trên hệ thống CRM")
    _look_up(page, "Bí")  # a word is not a whole name
    expect(page.locator("#lookup-error")).to_contain_text("Nhập họ tên đầy đủ")
    with app_db.session() as s:
        typed = s.execute(
            sa.select(AuditLog.new_value).where(AuditLog.action == "lookup", AuditLog.user_id == me)
        ).scalars()
        assert set(typed) == {"+84 915.222.333", "0915444555", "0915 999 000"}

    page.click("#user-menu")
    page.click("#logout")
    expect(page).to_have_url(re.compile(r"/login/?$"))
    login("admin", "Admin@12345")
    page.goto(f"{base_url}/history")
    expect(page.get_by_text("+84 915.222.333").first).to_be_visible()

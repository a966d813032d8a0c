"""Contacts with a company picked or created inline; the admin creating a user and a team."""

import re

from playwright.sync_api import Page, expect
from sqlmodel import select

from crm_app.models import Contact, Customer, TeamMember, User

ADMIN = ("admin", "Admin@12345")


def test_contact_with_existing_company_and_inline_company(page: Page, base_url, login, app_db, shot):
    admin_id = app_db.user("admin").id
    company = app_db.create_customer(
        admin_id, full_name="Công ty CP Thương mại Sao Mai", kind="business", phones="024 3999 8888"
    )
    login(*ADMIN)
    page.goto(f"{base_url}/contacts/new")
    page.fill("#field-full_name", "Đặng Thu Trang")
    page.fill("#field-company-search", "sao mai")
    page.locator(".company-option").first.click()
    expect(page.locator("#company-selected")).to_contain_text("Sao Mai")
    page.fill("#field-title", "Kế toán trưởng")
    page.fill("#field-mobile", "0912 000 111")
    page.click("#field-email_opt_out")
    expect(page.locator("#field-email_opt_out")).to_have_attribute("aria-checked", "true")
    page.fill("#field-support_start", "2026-01-01")
    page.fill("#field-support_end", "2026-12-31")
    shot("contact_form")
    page.click("#contact-save")
    expect(page).to_have_url(re.compile(r"/contacts/?$"))
    with app_db.session() as s:
        contact = s.exec(select(Contact).where(Contact.name_norm == "dang thu trang")).one()
        assert contact.customer_id == company.id and contact.email_opt_out and contact.mobile_norm == "0912000111"
        assert contact.support_end.isoformat() == "2026-12-31"
    # It shows on the company's page.
    page.goto(f"{base_url}/customers/{company.id}")
    expect(page.locator("#related-contacts")).to_contain_text("Đặng Thu Trang")

    # A second contact creates its company inline.
    page.goto(f"{base_url}/contacts/new")
    page.fill("#field-full_name", "Vũ Minh Khôi")
    page.fill("#field-new_company", "Công ty TNHH Minh Khôi Travel")
    page.click("#contact-save")
    expect(page).to_have_url(re.compile(r"/contacts/?$"))
    with app_db.session() as s:
        new_company = s.exec(select(Customer).where(Customer.name_norm == "cong ty tnhh minh khoi travel")).one()
        contact = s.exec(select(Contact).where(Contact.name_norm == "vu minh khoi")).one()
        assert new_company.kind == "business" and contact.customer_id == new_company.id
    page.fill("#list-search", "vu minh khoi")
    expect(page.locator("#data-table .data-row")).to_have_count(1)

    # Edited in the form, the change shows in the contact page's History tab with its labels.
    page.goto(f"{base_url}/contacts/{contact.id}/edit")
    expect(page.locator("#field-title")).to_have_value("")
    page.fill("#field-title", "Giám đốc")
    page.click("#contact-save")
    expect(page).to_have_url(re.compile(r"/contacts/?$"))
    page.goto(f"{base_url}/contacts/{contact.id}")
    page.get_by_role("tab", name="Lịch sử").click()
    title = page.locator("#history-table .history-row", has_text="Chức danh").first
    expect(title.locator(".history-new")).to_have_text("Giám đốc")
    expect(page.locator("#history-all")).to_have_attribute("href", re.compile(rf"entity=contact&record={contact.id}"))
    shot("contact_history")


def test_admin_creates_team_and_user_then_deactivates(page: Page, base_url, login, app_db, shot):
    login(*ADMIN)
    page.goto(f"{base_url}/admin/users")
    page.fill("#field-team-name", "Kinh doanh Đà Nẵng")
    page.click("#create-team")
    expect(page.get_by_text("Kinh doanh Đà Nẵng").first).to_be_visible()
    page.click("#new-user")
    page.fill("#field-username", "sale.danang")
    page.fill("#field-full_name", "Hồ Thị Đà")
    page.fill("#field-email", "da.ho@example.vn")
    page.fill("#field-password", "short")
    page.select_option("#field-team_id", label="Kinh doanh Đà Nẵng")
    page.click("#create-user")
    expect(page.locator("#error-password")).to_be_visible()
    assert app_db.user("sale.danang") is None
    page.fill("#field-password", "DaNang@2026")
    page.click("#create-user")
    row = page.locator('[data-username="sale.danang"]')
    expect(row).to_be_visible()
    shot("admin_users")
    user = app_db.user("sale.danang")
    assert user.role == "sales" and user.active
    with app_db.session() as s:
        assert s.exec(select(TeamMember).where(TeamMember.user_id == user.id)).first() is not None
    row.get_by_role("button").click()
    expect(row).to_contain_text(re.compile("Ngừng hoạt động|Inactive"))
    with app_db.session() as s:
        assert s.get(User, user.id).active is False


def test_sales_user_has_no_admin_page(page: Page, base_url, login, app_db):
    app_db.ensure_user("sale.noadmin", "Sale@2026x", "sales")
    login("sale.noadmin", "Sale@2026x")
    expect(page.locator("#nav-admin-users")).to_have_count(0)
    page.goto(f"{base_url}/admin/users")
    expect(page.locator('[data-username="admin"]')).to_have_count(0)

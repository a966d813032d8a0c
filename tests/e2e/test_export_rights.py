"""The admin sets what each role may export; the export dialogs of those roles follow it."""

import csv
import io
import re
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlmodel import delete, select

from crm_app.models import ExportRight

ADMIN = ("admin", "Admin@12345")


def _logout(page: Page) -> None:
    page.click("#user-menu")
    page.click("#logout")
    expect(page).to_have_url(re.compile(r"/login/?$"))


def test_the_admin_lets_sales_export_phones_and_stops_managers_exporting_leads(
    page: Page, base_url, login, app_db, shot
):
    seller = app_db.ensure_user("sale.xuat", "Sale@2026x", "sales", "Người Bán Xuất")
    app_db.ensure_user("quanly.xuat", "Manager@2026x", "manager", "Quản Lý Xuất")
    app_db.create_customer(seller, full_name="Khách Được Xuất Số", phones="0915 246 802", website="xuat.vn")
    try:
        login("sale.xuat", "Sale@2026x")
        page.goto(f"{base_url}/admin/export-rights")
        expect(page.locator("#access-denied")).to_be_visible()  # not for sales
        expect(page.get_by_text("Chỉ quản trị viên được làm việc này")).to_have_count(1)  # said once, no toast
        _logout(page)

        login(*ADMIN)
        page.set_viewport_size({"width": 1024, "height": 768})
        page.click("#nav-admin-export-rights")
        expect(page.locator("#page-title")).to_have_text("Quyền xuất dữ liệu")
        expect(page.locator("#field-right_role")).to_have_value("sales")
        phones = page.locator('.export-right-field[data-field="phones"]')
        website = page.locator('.export-right-field[data-field="website"]')
        expect(phones).not_to_be_checked()  # the default: sales export no phone
        expect(website).to_be_checked()
        phones.click()
        website.click()
        shot("export_rights_sales")
        page.click("#export-rights-save")
        expect(page.get_by_text("Đã lưu quyền xuất: Nhân viên kinh doanh — Khách hàng")).to_be_visible()

        page.select_option("#field-right_role", "manager")
        page.select_option("#field-right_entity", "lead")
        expect(page.locator("#export-allowed")).to_be_checked()
        page.click("#export-allowed")
        expect(page.locator('.export-right-field[data-field="full_name"]')).to_be_disabled()
        page.click("#export-rights-save")
        expect(page.get_by_text("Đã lưu quyền xuất: Quản lý — Tiềm năng")).to_be_visible()
        page.reload()  # what was saved is what the page shows again
        expect(page.locator("#export-allowed")).not_to_be_checked()
        # a tick not saved is not lost by choosing another role: the page says so and stays
        page.click("#export-allowed")
        page.select_option("#field-right_role", "sales")
        expect(page.get_by_text("Thay đổi của “Quản lý — Tiềm năng” chưa được lưu")).to_be_visible()
        expect(page.locator("#field-right_role")).to_have_value("manager")
        expect(page.locator("#export-allowed")).to_be_checked()
        page.click("#export-rights-discard")
        expect(page.locator("#export-allowed")).not_to_be_checked()
        expect(page.locator("#export-rights-discard")).to_be_disabled()
        page.select_option("#field-right_role", "sales")
        page.select_option("#field-right_entity", "customer")
        expect(page.locator('.export-right-field[data-field="phones"]')).to_be_checked()
        expect(page.locator('.export-right-field[data-field="website"]')).not_to_be_checked()
        with app_db.session() as s:
            rows = {(r.role, r.entity): r for r in s.exec(select(ExportRight)).all()}
        assert "website" in rows[("sales", "customer")].hidden_fields.split(",")
        assert "phones" not in rows[("sales", "customer")].hidden_fields.split(",")
        assert rows[("manager", "lead")].allowed is False
        page.goto(f"{base_url}/history")
        expect(page.get_by_text("Trường không được xuất").first).to_be_visible()
        _logout(page)

        login("sale.xuat", "Sale@2026x")
        page.goto(f"{base_url}/customers")
        page.fill("#list-search", "khach duoc xuat so")
        expect(page.locator(".data-row")).to_have_count(1)
        page.click("#export-open")
        expect(page.locator('.export-field[data-field="website"]')).to_have_count(0)
        field = page.locator('.export-field[data-field="phones"]')
        if not field.is_checked():
            field.click()
        page.click("#export-csv")
        with page.expect_download() as info:
            page.click("#export-run")
        rows = list(csv.reader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8-sig"))))
        assert rows[1][rows[0].index("Số điện thoại")] == "0915 246 802"
        assert "Website" not in rows[0] and "Mã số thuế" not in rows[0]
        _logout(page)

        login("quanly.xuat", "Manager@2026x")
        page.goto(f"{base_url}/leads")
        expect(page.locator("#page-title")).to_be_visible()
        expect(page.locator("#data-table")).to_be_visible()
        expect(page.locator("#export-open")).to_have_count(0)  # leads: not for managers now
        page.goto(f"{base_url}/customers")
        expect(page.locator("#export-open")).to_be_visible()  # customers: still
    finally:
        with app_db.session() as s:  # the defaults again for the other tests
            s.exec(delete(ExportRight))
            s.commit()

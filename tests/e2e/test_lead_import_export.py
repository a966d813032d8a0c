"""Leads through the import wizard, and exporting only the ticked rows of a list: in a real Chromium."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook, load_workbook
from playwright.sync_api import Page, expect
from sqlmodel import select

from crm_app.models import CatalogItem, ImportRun, Lead
from crm_app.services.people.permissions import load_actor
from crm_app.services.pipeline import leads

ADMIN = ("admin", "Admin@12345")
SALES = ("sales.xuatfile", "Sales@12345")


def _xlsx(path, rows) -> None:
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    wb.save(path)


def _make_leads(app_db, owner_id: int, *names: str, **data) -> list[Lead]:
    with app_db.session() as s:
        actor = load_actor(s, owner_id)
        return [leads.create(s, actor, {"full_name": n, **data}) for n in names]


def _leads_named(app_db, *names: str) -> dict[str, Lead]:
    with app_db.session() as s:
        return {x.full_name: x for x in s.exec(select(Lead).where(Lead.full_name.in_(names))).all()}


def _download_csv(page: Page) -> list[list[str]]:
    with page.expect_download() as info:
        page.click("#export-run")
    assert info.value.suggested_filename.endswith(".csv")
    return list(csv.reader(io.StringIO(info.value.path().read_text(encoding="utf-8-sig"))))


def test_import_leads_from_xlsx_through_the_wizard(page: Page, base_url, login, app_db, shot, tmp_path):
    admin = app_db.user("admin").id
    _make_leads(app_db, admin, "Tiềm Năng Có Sẵn", phone="0966 222 111")
    path = tmp_path / "tiem-nang.xlsx"
    _xlsx(
        path,
        [
            ["Họ và tên", "Công ty", "SĐT", "Email", "Nguồn", "Trạng thái", "Đánh giá", "Giá trị"],
            [
                "Tiềm Năng Nhập Một",
                "Công ty Hoa Sen",
                966222333,
                "mot@hoasen.vn",
                "Website",
                "Đã liên hệ",
                4,
                "15.000.000",
            ],
            ["Tiềm Năng Nhập Hai", "", "0966 222 444", "", "Facebook", "Mới", None, 2500000],
            ["tiem nang co san", "", "+84 966 222 111", "", "", "", None, None],  # the stored lead again
            ["Tiềm Năng Nhập Lỗi", "", "0966222555", "khong-phai-email", "", "", None, None],
        ],
    )
    login(*ADMIN)
    page.goto(f"{base_url}/import")
    expect(page.locator("#import-steps")).to_be_visible()
    page.select_option("#import-entity", "customer")
    page.goto(f"{base_url}/leads")
    page.click("#lead-import")  # the lead list opens the wizard with leads chosen
    expect(page.locator("#import-steps")).to_be_visible()
    expect(page.locator("#import-entity")).to_have_value("lead")
    with page.expect_download() as template:
        page.click("#import-template")
    assert template.value.suggested_filename == "mau-nhap-tiem-nang.xlsx"
    header = [
        c.value for c in next(load_workbook(io.BytesIO(template.value.path().read_bytes())).active.iter_rows(max_row=1))
    ]
    assert header[:3] == ["Họ và tên *", "Loại hình", "Công ty"] and "Giá trị (VND)" in header
    page.locator("#import-upload input[type=file]").set_input_files(str(path))
    expect(page.locator("#import-file-info")).to_contain_text("4")
    for i, field in enumerate(("full_name", "company", "phone", "email", "source_id", "status", "rating", "value")):
        expect(page.locator(f"#map-{i}")).to_have_value(field)
    shot("lead_import_mapping")
    page.click("#mapping-next")
    expect(page.locator("#opt-key-phone")).to_be_checked()
    expect(page.locator("#opt-key-email")).to_be_checked()
    expect(page.locator("#opt-key-name_phone")).not_to_be_checked()
    page.click("#opt-mode-create")
    shot("lead_import_options")
    page.click("#options-next")
    rows = page.locator(".review-row")
    expect(rows).to_have_count(4)
    expect(page.locator(".review-row[data-verdict=new]")).to_have_count(2)
    expect(page.locator(".review-row[data-verdict=duplicate]")).to_contain_text("Tiềm Năng Có Sẵn")
    expect(page.locator(".review-row[data-verdict=error]")).to_contain_text("Email")
    shot("lead_import_review")
    page.click("#import-run")
    expect(page.locator("#import-summary")).to_be_visible(timeout=30_000)

    made = _leads_named(app_db, "Tiềm Năng Nhập Một", "Tiềm Năng Nhập Hai", "Tiềm Năng Nhập Lỗi")
    assert set(made) == {"Tiềm Năng Nhập Một", "Tiềm Năng Nhập Hai"}
    one = made["Tiềm Năng Nhập Một"]
    with app_db.session() as s:
        website = s.exec(
            select(CatalogItem.id).where(CatalogItem.kind == "source", CatalogItem.code == "website")
        ).one()
        run = s.exec(select(ImportRun).order_by(ImportRun.id.desc())).first()
    assert (one.company, one.phone_norm, one.email, one.status) == (
        "Công ty Hoa Sen",
        "0966222333",
        "mot@hoasen.vn",
        "contacted",
    )
    assert (one.source_id, one.rating, one.value, one.owner_id) == (website, 4, 15_000_000, admin)
    assert made["Tiềm Năng Nhập Hai"].value == 2_500_000
    assert (run.entity, run.created, run.errors, run.status) == ("lead", 2, 2, "done")

    page.goto(f"{base_url}/leads")
    expect(page.locator("#data-table .data-row").first).to_be_visible(timeout=20_000)
    page.fill("#list-search", "tiem nang nhap")
    listed = page.locator("#data-table .data-row")
    expect(listed).to_have_count(2)
    first = page.locator(f'#data-table .data-row[data-id="{one.id}"]')
    expect(first).to_contain_text("Công ty Hoa Sen")
    expect(first).to_contain_text("Đã liên hệ")
    expect(first).to_contain_text("Website")
    shot("lead_import_list")


def test_export_only_the_selected_customers_to_csv(page: Page, base_url, login, app_db, shot):
    admin = app_db.user("admin").id
    for name in ("Chọn Xuất An", "Chọn Xuất Bình", "Chọn Xuất Cường"):
        app_db.create_customer(admin, full_name=name, province="Lâm Đồng")
    login(*ADMIN)
    page.goto(f"{base_url}/customers")
    page.fill("#list-search", "chon xuat")
    rows = page.locator("#data-table .data-row")
    expect(rows).to_have_count(3)
    picked = set()
    for i in (0, 2):
        rows.nth(i).locator(".row-select").click()
        picked.add(rows.nth(i).locator(".cell-text").nth(1).inner_text())
    expect(page.locator("#selection-label")).to_contain_text("2")
    page.click("#export-open")
    expect(page.locator("#export-dialog")).to_be_visible()
    expect(page.locator("#export-scope-selected")).to_be_checked()
    expect(page.locator("#export-dialog")).to_contain_text("Các bản ghi đã chọn (2)")
    expect(page.locator("#export-dialog")).to_contain_text("Mọi bản ghi khớp danh sách hiện tại (3)")
    page.click("#export-csv")
    shot("export_selected_dialog")
    data = _download_csv(page)
    names = [r[data[0].index("Họ và tên")] for r in data[1:]]
    assert len(data) == 3 and set(names) == picked and len(picked) == 2

    # the same dialog can still export every matching record
    page.click("#export-open")
    page.click("#export-scope-all")
    page.click("#export-csv")
    assert len(_download_csv(page)) == 4


def test_export_selected_leads_as_a_sales_user_without_contact_fields(page: Page, base_url, login, app_db, shot):
    sales = app_db.ensure_user(*SALES, role="sales", full_name="Nhân Viên Xuất File")
    made = _make_leads(
        app_db,
        sales,
        "Xuất Tiềm Năng Một",
        "Xuất Tiềm Năng Hai",
        "Xuất Tiềm Năng Ba",
        company="Công ty Phù Sa",
        phone="0977 888 999",
    )
    login(*SALES)
    page.goto(f"{base_url}/leads")
    page.fill("#list-search", "xuat tiem nang")
    rows = page.locator("#data-table .data-row")
    expect(rows).to_have_count(3)
    chosen = [made[0], made[2]]
    for lead in chosen:
        page.locator(f'#data-table .data-row[data-id="{lead.id}"] .row-select').click()
    expect(page.locator("#bulk-convert")).to_contain_text("2")
    page.click("#export-open")
    expect(page.locator("#export-scope-selected")).to_be_checked()
    expect(page.locator("#export-dialog")).to_contain_text("Các bản ghi đã chọn (2)")
    expect(page.locator(".export-field[data-field=full_name]")).to_have_count(1)
    expect(page.locator(".export-field[data-field=phone]")).to_have_count(0)  # not for a sales role
    page.click("#export-csv")
    shot("export_selected_leads")
    data = _download_csv(page)
    assert len(data) == 3 and "Điện thoại" not in data[0]
    names = {r[data[0].index("Họ và tên")] for r in data[1:]}
    assert names == {"Xuất Tiềm Năng Một", "Xuất Tiềm Năng Ba"}
    assert {r[data[0].index("Công ty")] for r in data[1:]} == {"Công ty Phù Sa"}

"""Import through the wizard, export a searched list, merge two customers: in a real Chromium."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook
from playwright.sync_api import Page, expect
from sqlmodel import select

from crm_app.models import AuditLog, Contact, Customer, CustomerPhone, ImportRun, Lead, SavedMapping, Tag
from crm_app.services.customer import contacts
from crm_app.services.people.permissions import load_actor
from crm_app.services.pipeline import leads

ADMIN = ("admin", "Admin@12345")


def _admin_id(app_db) -> int:
    return app_db.user("admin").id


def _import_in_update_mode(page: Page, base_url: str, path, entity: str) -> None:
    """A file of two rows through the wizard to its review, matches updated."""
    page.goto(f"{base_url}/import?entity={entity}")
    expect(page.locator("#import-entity")).to_have_value(entity)
    page.locator("#import-upload input[type=file]").set_input_files(str(path))
    expect(page.locator("#import-file-info")).to_contain_text("2")
    page.click("#mapping-next")
    page.click("#opt-mode-update")
    page.click("#options-next")
    expect(page.locator(".review-row")).to_have_count(2)


def _xlsx(path, rows) -> None:
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    wb.save(path)


def test_import_wizard_with_a_duplicate_a_warning_and_a_bad_row_then_undo(
    page: Page, base_url, login, app_db, shot, tmp_path
):
    stored = app_db.create_customer(_admin_id(app_db), full_name="Đoàn Văn Tồn Tại", phones=["0966111222"])
    path = tmp_path / "khach-hang.xlsx"
    _xlsx(
        path,
        [
            ["Họ và tên", "SĐT", "Email", "Ngày sinh", "Giới tính", "Thẻ"],
            ["Nhập Thử Một", 966000111, "mot@nhapthu.vn", "12/03/1990", "Nam", "đại lý VIP"],
            ["Nhập Thử Hai", "0966 000 222", "hai@nhapthu.vn", "", "Nữ", "Đại Lý vip"],  # the same tag
            ["doan van ton tai", "+84 966 111 222", "", "", "", ""],  # the stored customer again
            ["Nhập Thử Lỗi", "0966000333", "khong-phai-email", "", "", ""],
            ["Tổng Đài Chung", "0966 111 222", "", "", "", ""],  # another name on the stored phone
        ],
    )
    login(*ADMIN)
    page.goto(f"{base_url}/import")
    expect(page.locator("#import-steps")).to_be_visible()
    shot("import_upload")
    page.locator("#import-upload input[type=file]").set_input_files(str(path))
    expect(page.locator("#import-file-info")).to_contain_text("5")
    expect(page.locator("#map-0")).to_have_value("full_name")
    expect(page.locator("#map-1")).to_have_value("phones")
    expect(page.locator("#map-3")).to_have_value("birthday")
    page.fill("#mapping-name", "File hội chợ")
    page.click("#mapping-save")
    expect(page.locator("#mapping-saved option", has_text="File hội chợ")).to_have_count(1)
    with app_db.session() as s:
        saved = s.exec(select(SavedMapping).where(SavedMapping.name == "File hội chợ")).one()
        assert json.loads(saved.mapping)["sdt"] == "phones"
    shot("import_mapping")
    page.click("#mapping-next")
    page.click("#opt-mode-create")
    shot("import_options")
    page.click("#options-next")
    rows = page.locator(".review-row")
    expect(rows).to_have_count(5)
    expect(page.locator(".review-row[data-verdict=new]")).to_have_count(2)
    duplicate = page.locator(".review-row[data-verdict=duplicate]")
    expect(duplicate).to_contain_text(f"{stored.code} Đoàn Văn Tồn Tại")  # named by code and name, and linked
    expect(duplicate.locator(".review-link")).to_have_attribute("href", f"/customers/{stored.id}")
    expect(page.locator(".review-row[data-verdict=error]")).to_contain_text("Email")
    expect(page.locator(".review-row[data-verdict=warning]")).to_contain_text(f"{stored.code} Đoàn Văn Tồn Tại")
    expect(page.locator("#filter-warning")).to_contain_text("1")
    shot("import_review")
    page.click("#filter-error")
    expect(rows).to_have_count(1)
    page.click("#filter-warning")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Tổng Đài Chung")
    # the language switched mid-review: the rows' details follow
    page.click("#user-menu")
    page.click("#lang-en")
    expect(rows.first).to_contain_text("Added, but the phone")
    expect(page.locator("#import-run")).to_contain_text("Import rows: 3")
    expect(page.locator("#lang-en")).to_have_count(0)  # the menu closed before it is opened again
    page.click("#user-menu")
    page.click("#lang-vi")
    expect(rows.first).to_contain_text("Vẫn thêm mới")
    page.click("#import-run")
    expect(page.locator("#import-summary")).to_be_visible(timeout=30_000)
    expect(page.locator("#import-summary")).to_contain_text("3 thêm mới (1 có cảnh báo)")
    expect(page.locator("#import-summary")).to_contain_text("1 trùng không nhập, 1 lỗi")
    shot("import_summary")
    made = app_db.customers_named("nhap thu mot")
    assert len(made) == 1 and made[0].phone_norm == "0966000111" and str(made[0].birthday) == "1990-03-12"
    assert len(app_db.customers_named("nhap thu loi")) == 0 and len(app_db.customers_named("tong dai chung")) == 1
    with app_db.session() as s:  # two spellings of one tag are one tag
        tags = s.exec(select(Tag.name).where(Tag.name_norm == "dai ly vip")).all()
        assert tags == ["đại lý VIP"]

    with page.expect_download() as info:
        page.click("#import-error-report")
    assert info.value.suggested_filename.endswith(".xlsx")
    report = load_workbook(io.BytesIO(info.value.path().read_bytes())).active
    lines = list(report.iter_rows(values_only=True))
    assert lines[0][-1] == "Lý do" and len(lines) == 4
    reasons = {r[1]: r[-1] for r in lines[1:]}
    assert "Email" in reasons["Nhập Thử Lỗi"] and stored.code in reasons["doan van ton tai"]
    assert reasons["Tổng Đài Chung"].startswith("Vẫn thêm mới")

    page.click("#import-undo")
    expect(page.get_by_role("alertdialog")).to_contain_text("xóa 3 bản ghi đã thêm và trả 0 bản ghi")
    page.click("#import-undo-confirm")
    expect(page.locator("#import-undone")).to_be_visible()
    assert app_db.customers_named("nhap thu mot") == [] and app_db.customers_named("tong dai chung") == []
    with app_db.session() as s:
        last = s.exec(select(ImportRun).order_by(ImportRun.id.desc())).first()
        assert last.status == "undone" and last.created == 3
    page.click("#import-again")
    recent = page.locator(f".recent-run[data-id='{last.id}']")
    expect(recent).to_contain_text("Đã hoàn tác")
    expect(recent).to_contain_text("3 / 0 / 2")  # added / updated / not imported: the duplicate and the error
    expect(recent).to_contain_text(app_db.user("admin").full_name)  # who ran it
    shot("import_recent")
    # the summary left, the run's report is still there, from its row
    with page.expect_download() as again:
        recent.locator(".recent-report").click()
    kept = list(load_workbook(io.BytesIO(again.value.path().read_bytes())).active.iter_rows(values_only=True))
    assert kept == lines


def test_export_a_searched_list_to_csv(page: Page, base_url, login, app_db, tmp_path):
    admin = _admin_id(app_db)
    for name in ("Xuất Khẩu Kiwi Một", "Xuất Khẩu Kiwi Hai", "Xuất Khẩu Kiwi Ba"):
        app_db.create_customer(admin, full_name=name, province="Cần Thơ")
    login(*ADMIN)
    page.goto(f"{base_url}/customers")
    page.fill("#list-search", "kiwi xuat")  # (words in any order: "xuat khau" finds the demo's exporters too)
    expect(page.locator(".data-row")).to_have_count(3)
    page.click("#export-open")
    expect(page.locator("#export-dialog")).to_be_visible()
    page.click("#export-csv")
    page.locator(".export-field[data-field=province]").click() if not page.locator(
        ".export-field[data-field=province]"
    ).is_checked() else None
    with page.expect_download() as info:
        page.click("#export-run")
    text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    names = {r[rows[0].index("Họ và tên")] for r in rows[1:]}
    assert names == {"Xuất Khẩu Kiwi Một", "Xuất Khẩu Kiwi Hai", "Xuất Khẩu Kiwi Ba"}
    assert {r[rows[0].index("Tỉnh/Thành phố")] for r in rows[1:]} == {"Cần Thơ"}
    # the jobs panel keeps the file: downloaded again from there, the same file
    page.click("#jobs-open")
    job = page.locator(".job-item").first
    expect(job.locator(".job-status")).to_have_text("Xong")
    expect(job.locator(".job-message")).to_have_text("3 dòng")
    with page.expect_download() as again:
        job.locator(".job-download").click()
    assert again.value.suggested_filename == info.value.suggested_filename
    assert Path(again.value.path()).read_text(encoding="utf-8-sig") == text


def test_merge_two_customers_choosing_fields(page: Page, base_url, login, app_db, shot):
    admin = _admin_id(app_db)
    keep = app_db.create_customer(
        admin, full_name="Gộp Thử Giữ", phones=["0977123123"], province="Hà Nội", tags=["VIP"]
    )
    other = app_db.create_customer(
        admin, full_name="Gộp Thử Bỏ", phones=["+84 977 123 123", "0977999888"], province="Đà Nẵng", tags=["Du lịch"]
    )
    with app_db.session() as s:
        contacts.create(s, load_actor(s, admin), {"full_name": "Người Liên Hệ Gộp", "customer_id": other.id})
    login(*ADMIN)
    page.goto(f"{base_url}/duplicates")
    group = page.locator(".dup-group", has_text="Gộp Thử Bỏ")
    expect(group).to_be_visible()
    group.locator(".merge-open").click()
    expect(page.locator("#merge-dialog")).to_be_visible()
    page.select_option("#merge-survivor", str(keep.id))
    choice = page.locator(f".merge-choice[data-field=province][data-record='{other.id}']")
    choice.click()
    expect(choice).to_be_checked()
    expect(page.locator("#merge-preview")).to_contain_text("Đà Nẵng")
    expect(page.locator("#merge-preview")).to_contain_text("0977999888")
    shot("merge_dialog")
    page.click("#merge-confirm")
    expect(page.locator("#merge-dialog")).not_to_be_visible()
    with app_db.session() as s:
        assert s.get(Customer, other.id) is None
        kept = s.get(Customer, keep.id)
        assert kept.province == "48" and kept.full_name == "Gộp Thử Giữ"
        phones = s.exec(select(CustomerPhone.number_norm).where(CustomerPhone.customer_id == keep.id)).all()
        assert sorted(phones) == ["0977123123", "0977999888"]
        moved = s.exec(select(Contact.customer_id).where(Contact.full_name == "Người Liên Hệ Gộp")).one()
        assert moved == keep.id
        assert (
            s.execute(
                sa.select(sa.func.count()).select_from(Customer).where(Customer.full_name == "Gộp Thử Bỏ")
            ).scalar_one()
            == 0
        )
    other_code = other.code

    # The survivor's History tab tells of the merge and of the fields it took, with labels.
    page.goto(f"{base_url}/customers/{keep.id}")
    page.click("#tab-history")
    rows = page.locator(".history-row")
    merged = rows.filter(has_text="Bản ghi đã gộp vào đây").first
    expect(merged).to_contain_text("Gộp")
    expect(merged.locator(".history-new")).to_have_text(other_code)
    province = rows.filter(has_text="Tỉnh/Thành phố").first
    expect(province.locator(".history-old")).to_have_text("Hà Nội")
    expect(province.locator(".history-new")).to_have_text("Đà Nẵng")
    shot("merge_history")


def test_duplicates_within_one_list(page: Page, base_url, login, app_db, shot):
    from crm_app.services.lists import record_lists

    admin = _admin_id(app_db)
    in_a = app_db.create_customer(admin, full_name="Trùng Danh Sách Một", phones=["0966555111"])
    in_b = app_db.create_customer(admin, full_name="Trùng Danh Sách Hai", phones=["0966 555 111"])
    app_db.create_customer(admin, full_name="Ngoài Danh Sách Một", phones=["0966555222"])
    app_db.create_customer(admin, full_name="Ngoài Danh Sách Hai", phones=["0966555222"])
    with app_db.session() as s:
        actor = load_actor(s, admin)
        fair = record_lists.create(s, actor, "customer", {"name": "Khách hội chợ tháng 11"})
        record_lists.add_members(s, actor, fair.id, [in_a.id, in_b.id])
    login(*ADMIN)
    page.goto(f"{base_url}/duplicates")
    expect(page.locator(".dup-group", has_text="Ngoài Danh Sách Hai")).to_be_visible()
    page.select_option("#dup-list", str(fair.id))
    expect(page.locator(".dup-group", has_text="Ngoài Danh Sách Hai")).to_have_count(0)
    groups = page.locator(".dup-group")
    expect(groups).to_have_count(1)
    expect(groups.first).to_contain_text("Trùng Danh Sách Một")
    expect(groups.first).to_contain_text("Trùng Danh Sách Hai")
    shot("duplicates_within_list")


def test_import_options_a_required_column_and_a_list_to_join(page: Page, base_url, login, app_db, shot, tmp_path):
    from crm_app.models import RecordListMember
    from crm_app.services.lists import record_lists

    with app_db.session() as s:
        fair = record_lists.create(s, load_actor(s, _admin_id(app_db)), "customer", {"name": "Hội chợ Đà Lạt"})
    path = tmp_path / "hoi-cho.xlsx"
    _xlsx(
        path,
        [
            ["Họ và tên", "SĐT"],
            ["Khách Hội Chợ Một", "0977000111"],
            ["Khách Hội Chợ Hai", "0977000222"],
            ["Khách Không Số", None],
        ],
    )
    login(*ADMIN)
    page.goto(f"{base_url}/import")
    page.locator("#import-upload input[type=file]").set_input_files(str(path))
    expect(page.locator("#map-0")).to_have_value("full_name")
    page.click("#mapping-next")
    page.select_option("#opt-list", str(fair.id))
    page.click("#opt-required-phones")  # a row without a phone is an error now
    shot("import_options_list")
    page.click("#options-next")
    expect(page.locator(".review-row[data-verdict=new]")).to_have_count(2)
    expect(page.locator(".review-row[data-verdict=error]")).to_contain_text("Khách Không Số")
    page.click("#import-run")
    expect(page.locator("#import-summary")).to_be_visible(timeout=30_000)
    made = {c.id for name in ("khach hoi cho mot", "khach hoi cho hai") for c in app_db.customers_named(name)}
    assert len(made) == 2
    with app_db.session() as s:
        members = set(s.exec(select(RecordListMember.record_id).where(RecordListMember.list_id == fair.id)).all())
    assert members == made


def test_a_file_that_is_not_a_spreadsheet_is_named_in_vietnamese(page: Page, base_url, login, tmp_path):
    path = tmp_path / "ghi-chu.txt"
    path.write_text("không phải bảng tính", encoding="utf-8")
    login("admin", "Admin@12345")
    page.goto(f"{base_url}/import")
    page.locator("#import-upload input[type=file]").set_input_files(str(path))
    expect(page.get_by_text("File “ghi-chu.txt” không phải bảng tính hay danh bạ")).to_be_visible()
    expect(page.get_by_text("Files not Accepted")).to_have_count(0)


def test_csv_files_as_other_software_writes_them_are_read_or_refused_by_name(
    page: Page, base_url, login, app_db, tmp_path
):
    login("admin", "Admin@12345")
    page.goto(f"{base_url}/import")
    upload = page.locator("#import-upload input[type=file]")
    # a PDF renamed .csv, and a quote never closed: refused by name, nothing goes on
    pdf = tmp_path / "bao-gia.csv"
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 5 >>\nstream\n\x00\x01\x02\nendstream\n")
    upload.set_input_files(str(pdf))
    expect(page.get_by_text("File “bao-gia.csv” không phải văn bản CSV hay danh bạ")).to_be_visible()
    quoted = tmp_path / "ngoac.csv"
    quoted.write_text(
        'Họ và tên;SĐT\nAn Một;0917000021\n"Quote Hai;0917000022\nQuote Ba;0917000023\n', encoding="utf-8"
    )
    upload.set_input_files(str(quoted))
    expect(page.get_by_text("Dấu ngoặc kép mở ở dòng 3 không được đóng")).to_be_visible()
    expect(page.locator("#mapping-next")).to_have_count(0)
    # lines ending in CR (Excel for Mac); a row refused for three cells names each of them
    mac = tmp_path / "mac.csv"
    mac.write_bytes(
        "Họ và tên,SĐT,Email,Ngày sinh\rMac Một,0917000031,,\rMac Hai,12345,sai-email,31/02/1990\r".encode()
    )
    upload.set_input_files(str(mac))
    expect(page.locator("#import-file-info")).to_contain_text("2")
    page.select_option("#map-2", "full_name")  # two columns on one field: both named
    page.click("#mapping-next")
    expect(page.get_by_text("Hai cột “Họ và tên” và “Email” cùng ghép vào trường “Họ và tên”")).to_be_visible()
    page.select_option("#map-2", "email")
    page.click("#mapping-next")
    page.click("#options-next")
    bad = page.locator(".review-row[data-verdict=error]")
    expect(bad).to_contain_text("“12345”")
    expect(bad).to_contain_text("“sai-email”")
    expect(bad).to_contain_text("“31/02/1990”")
    page.click("#import-run")
    expect(page.locator("#import-summary")).to_contain_text("1 thêm mới", timeout=30_000)
    assert len(app_db.customers_named("mac mot")) == 1 and app_db.customers_named("mac hai") == []


def test_undo_from_the_recent_runs_asks_first(page: Page, base_url, login, app_db, tmp_path):
    path = tmp_path / "mot-dong.xlsx"
    _xlsx(path, [["Họ và tên", "SĐT"], ["Hoàn Tác Hỏi Trước", "0977 123 456"]])
    login(*ADMIN)
    page.goto(f"{base_url}/import")
    page.locator("#import-upload input[type=file]").set_input_files(str(path))
    expect(page.locator("#map-0")).to_have_value("full_name")
    page.click("#mapping-next")
    page.click("#options-next")
    expect(page.locator(".review-row")).to_have_count(1)
    page.click("#import-run")
    expect(page.locator("#import-summary")).to_be_visible(timeout=30_000)
    page.click("#import-again")
    run = page.locator(".recent-run").first
    run.locator(".recent-undo").click()
    expect(page.get_by_role("alertdialog")).to_be_visible()
    page.get_by_role("alertdialog").get_by_role("button", name="Hủy").click()
    assert len(app_db.customers_named("hoan tac hoi truoc")) == 1  # nothing undone on cancel
    run.locator(".recent-undo").click()
    page.locator(".recent-undo-confirm").click()
    expect(page.get_by_text("Đã hoàn tác lần nhập").first).to_be_visible()
    assert app_db.customers_named("hoan tac hoi truoc") == []
    # ten more runs since: the first is on the next page of the list, still reachable
    with app_db.session() as s:
        for i in range(10):
            s.add(ImportRun(entity="customer", user_id=_admin_id(app_db), file_name=f"sau-{i}.csv", status="done"))
        s.commit()
        runs = s.exec(select(sa.func.count()).select_from(ImportRun)).one()  # the other tests' runs too
    page.goto(f"{base_url}/import")
    expect(page.locator(".recent-run")).to_have_count(10)
    expect(page.locator("#recent-runs")).not_to_contain_text("mot-dong.xlsx")
    page.click("#recent-more")
    expect(page.locator(".recent-run")).to_have_count(min(runs, 20))
    expect(page.locator(".recent-run", has_text="mot-dong.xlsx")).to_have_count(1)
    expect(page.locator("#recent-more")).to_have_count(1 if runs > 20 else 0)


def test_an_undo_blocked_by_a_contact_names_it_and_is_not_offered_again(page: Page, base_url, login, app_db, tmp_path):
    path = tmp_path / "cong-ty.xlsx"
    _xlsx(path, [["Họ và tên", "SĐT", "Loại khách hàng"], ["Công ty Chặn Hoàn Tác", "0977 555 001", "Doanh nghiệp"]])
    login(*ADMIN)
    page.goto(f"{base_url}/import")
    page.locator("#import-upload input[type=file]").set_input_files(str(path))
    page.click("#mapping-next")
    page.click("#options-next")
    page.click("#import-run")
    expect(page.locator("#import-summary")).to_contain_text("1 thêm mới", timeout=30_000)
    company = app_db.customers_named("cong ty chan hoan tac")[0]
    with app_db.session() as s:  # someone adds a contact at the imported company
        contacts.create(s, load_actor(s, _admin_id(app_db)), {"full_name": "Người Gắn Bó", "customer_id": company.id})
    page.click("#import-undo")
    page.click("#import-undo-confirm")
    expect(page.get_by_text("Không thể hoàn tác: 1 bản ghi khác").first).to_contain_text("“Người Gắn Bó”")
    assert len(app_db.customers_named("cong ty chan hoan tac")) == 1  # nothing removed
    page.click("#jobs-open")
    undo = page.locator(".job-item").first
    expect(undo.locator(".job-status")).to_have_text("Không thực hiện được")
    expect(undo.locator(".job-retry")).to_have_count(0)  # running it again would be refused again


def test_an_export_imported_back_changes_nothing_and_an_edited_cell_shows_in_history(
    page: Page, base_url, login, app_db, shot, tmp_path
):
    admin = _admin_id(app_db)
    made = [
        app_db.create_customer(
            admin,
            full_name=name,
            phones=phones,
            province="Quảng Ninh",
            tags=["Đại lý", "VIP"],
            rating=4,
            birthday="1985-07-09",
            description="Khách đoàn",
        )
        for name, phones in (("Vòng Lại Một", ["0944 100 001", "0944 100 002"]), ("Vòng Lại Hai", ["0944 100 003"]))
    ]
    login(*ADMIN)
    page.goto(f"{base_url}/customers")
    page.fill("#list-search", "vong lai")
    expect(page.locator(".data-row")).to_have_count(2)
    page.click("#export-open")
    expect(page.locator("#export-dialog")).to_be_visible()
    boxes = page.locator(".export-field")
    for i in range(boxes.count()):  # every field the role may export
        if not boxes.nth(i).is_checked():
            boxes.nth(i).click()
    shot("export_every_field")
    with page.expect_download() as info:
        page.click("#export-run")
    exported = tmp_path / "khach-hang.xlsx"
    info.value.save_as(exported)
    sheet = load_workbook(exported).active
    header = [c.value for c in sheet[1]]
    assert {"Số điện thoại", "Danh sách", "Mô tả", "Đánh giá"} <= set(header)

    def history_rows() -> int:
        with app_db.session() as s:
            return s.execute(
                sa.select(sa.func.count()).select_from(AuditLog).where(AuditLog.entity_id.in_([c.id for c in made]))
            ).scalar_one()

    before = history_rows()

    _import_in_update_mode(page, base_url, exported, "customer")
    expect(page.locator(".review-row[data-verdict=unchanged]")).to_have_count(2)
    expect(page.locator("#import-run")).to_be_disabled()  # nothing to write
    shot("import_round_trip_review")
    assert history_rows() == before

    # One cell edited in the file: that one change, on the record's History tab with its labels.
    book = load_workbook(exported)
    sheet = book.active
    name_col, province_col = header.index("Họ và tên") + 1, header.index("Tỉnh/Thành phố") + 1
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row=row, column=name_col).value == "Vòng Lại Một":
            sheet.cell(row=row, column=province_col).value = "Hải Phòng"
    edited = tmp_path / "khach-hang-sua.xlsx"
    book.save(edited)
    _import_in_update_mode(page, base_url, edited, "customer")
    expect(page.locator(".review-row[data-verdict=update]")).to_have_count(1)
    page.click("#import-run")
    expect(page.locator("#import-summary")).to_be_visible(timeout=30_000)
    page.goto(f"{base_url}/customers/{made[0].id}")
    page.click("#tab-history")
    province = page.locator(".history-row").filter(has_text="Tỉnh/Thành phố").first
    expect(province.locator(".history-old")).to_have_text("Quảng Ninh")
    expect(province.locator(".history-new")).to_have_text("Hải Phòng")
    # and which file the change came from
    expect(page.locator(".history-row").filter(has_text="khach-hang-sua.xlsx").first).to_be_visible()
    shot("import_update_history")
    assert history_rows() == before + 2  # the province, and the file it came from


VCARDS = (
    "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:V=C5=A9;Lan;Th=E1=BB=8B\r\n"
    "TEL;CELL:0913 222 001\r\nEMAIL;INTERNET:lan@danhba.vn\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Hoàng Danh Bạ\r\nORG:Công ty Danh Bạ Xanh;Kinh doanh\r\nTITLE:Giám đốc\r\n"
    "TEL;TYPE=WORK:024 3999 0002\r\nTEL;TYPE=CELL:0913 222 002\r\nTEL;TYPE=CELL,PREF:0913 222 003\r\n"
    "EMAIL;TYPE=INTERNET:hoang@danhba.vn\r\nEMAIL;TYPE=INTERNET,PREF:giamdoc@xanh.vn\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Thẻ Sai Email\r\nEMAIL:khong-phai-email\r\nEND:VCARD\r\n"
)


def test_a_vcard_file_becomes_contacts_without_losing_a_phone_or_an_email(
    page: Page, base_url, login, app_db, shot, tmp_path
):
    app_db.create_customer(_admin_id(app_db), full_name="Công ty Danh Bạ Xanh", kind="business")
    path = tmp_path / "danh-ba.vcf"
    path.write_bytes(VCARDS.encode("utf-8"))
    login(*ADMIN)
    page.goto(f"{base_url}/import")
    page.select_option("#import-entity", "contact")
    page.locator("#import-upload input[type=file]").set_input_files(str(path))
    expect(page.locator("#import-file-info")).to_contain_text("3")
    page.click("#mapping-next")
    page.click("#options-next")
    rows = page.locator(".review-row")
    expect(rows).to_have_count(3)
    expect(page.get_by_role("columnheader", name="Danh thiếp")).to_be_visible()
    expect(rows.nth(2)).to_contain_text("3")  # numbered by card, not by line of the file
    expect(page.locator(".review-row[data-verdict=error]")).to_contain_text("khong-phai-email")
    shot("import_vcard_review")
    page.click("#import-run")
    expect(page.locator("#import-summary")).to_contain_text("2 thêm mới", timeout=30_000)
    with app_db.session() as s:
        director = s.exec(select(Contact).where(Contact.name_norm == "hoang danh ba")).one()
        lan = s.exec(select(Contact).where(Contact.name_norm == "vu thi lan")).one()
    assert (director.mobile, director.phone, director.email) == ("0913 222 003", "024 3999 0002", "giamdoc@xanh.vn")
    assert director.title == "Giám đốc" and director.customer_id is not None
    assert "0913 222 002" in director.description and "hoang@danhba.vn" in director.description
    assert lan.mobile == "0913 222 001"


ROUND_TRIP = {
    # entity: (list page, records' common name, the fields the k-th is made with)
    "contact": (
        "/contacts",
        "vong lien he",
        lambda k, customer_id: {
            "title": "Kế toán trưởng",
            "phone": "024 3555 0101",
            "mobile": f"0977 300 00{k}",
            "email": f"vong.lienhe{k}@abc.vn",
            "customer_id": customer_id,
            "birthday": "1990-02-14",
            "description": "Gọi sau 14h",
        },
    ),
    "lead": (
        "/leads",
        "vong tiem nang",
        lambda k, _customer_id: {
            "company": "Công ty Vòng Lặp",
            "phone": f"0977 400 00{k}",
            "email": f"vong.tiemnang{k}@abc.vn",
            "status": "contacted",
            "rating": 3,
            "value": "15.500.000",
            "description": "Hỏi giá tour Đà Lạt",
        },
    ),
}


@pytest.mark.parametrize("entity", ROUND_TRIP)
def test_an_exported_list_of_contacts_or_leads_imported_back_changes_nothing(
    page: Page, base_url, login, app_db, shot, tmp_path, entity
):
    path, search, fields = ROUND_TRIP[entity]
    admin = _admin_id(app_db)
    company = app_db.create_customer(admin, full_name="Công ty Vòng Lặp", kind="business")
    service, model = {"contact": (contacts, Contact), "lead": (leads, Lead)}[entity]
    with app_db.session() as s:
        actor = load_actor(s, admin)
        made = [
            service.create(s, actor, {"full_name": name, **fields(k, company.id)}).id
            for k, name in enumerate((f"{search.title()} Một", f"{search.title()} Hai"))
        ]
    login(*ADMIN)
    page.goto(f"{base_url}{path}")
    page.fill("#list-search", search)
    expect(page.locator(".data-row")).to_have_count(2)
    page.click("#export-open")
    boxes = page.locator(".export-field")
    for i in range(boxes.count()):  # every field the role may export
        if not boxes.nth(i).is_checked():
            boxes.nth(i).click()
    with page.expect_download() as info:
        page.click("#export-run")
    exported = tmp_path / info.value.suggested_filename
    info.value.save_as(exported)

    def history_rows() -> int:
        with app_db.session() as s:
            return s.execute(
                sa.select(sa.func.count())
                .select_from(AuditLog)
                .where(AuditLog.entity == entity, AuditLog.entity_id.in_(made))
            ).scalar_one()

    def stored() -> int:
        with app_db.session() as s:
            return s.execute(sa.select(sa.func.count()).select_from(model)).scalar_one()

    before, records = history_rows(), stored()
    _import_in_update_mode(page, base_url, exported, entity)
    expect(page.locator(".review-row[data-verdict=unchanged]")).to_have_count(2)
    expect(page.locator("#import-run")).to_be_disabled()  # nothing to write
    shot(f"import_round_trip_{entity}")
    assert (history_rows(), stored()) == (before, records)


def test_a_csv_written_in_vni_by_old_software_is_imported_as_unicode(page: Page, base_url, login, app_db, tmp_path):
    path = tmp_path / "khach-cu.csv"
    path.write_bytes("Hoï vaø teân,Ñieän thoaïi\nTröông Thò Hoàng Nhung,0913555777\n".encode("cp1252"))
    login(*ADMIN)
    page.goto(f"{base_url}/import")
    page.locator("#import-upload input[type=file]").set_input_files(str(path))
    expect(page.locator("#import-file-info")).to_contain_text("đọc theo bảng mã VNI")  # said before importing
    expect(page.locator("#map-0")).to_have_value("full_name")
    page.click("#mapping-next")
    page.click("#options-next")
    expect(page.locator(".review-row").first).to_contain_text("Trương Thị Hồng Nhung")
    page.click("#import-run")
    expect(page.locator("#import-summary")).to_be_visible(timeout=30_000)
    made = app_db.customers_named("truong thi hong nhung")
    assert [c.full_name for c in made] == ["Trương Thị Hồng Nhung"] and made[0].phone_norm == "0913555777"


def test_a_manager_merges_customers_selected_in_the_list(page: Page, base_url, login, app_db, shot):
    manager = app_db.ensure_user("quanly.ghep", "Quanly@2026x", "manager", "Quản Lý Ghép")
    keep = app_db.create_customer(manager, full_name="Ghép Từ Danh Sách", phones=["0961 111 222"], province="Huế")
    twin = app_db.create_customer(manager, full_name="Ghép Từ Danh Sách B", phones=["0961 333 444"])
    alone = app_db.create_customer(manager, full_name="Ghép Từ Danh Sách C")
    login("quanly.ghep", "Quanly@2026x")
    page.goto(f"{base_url}/customers")
    page.fill("#list-search", "ghep tu danh sach")
    page.press("#list-search", "Enter")
    expect(page.locator(".data-row")).to_have_count(3)
    page.locator(f'#data-table .data-row[data-id="{alone.id}"] .row-select').click()
    page.get_by_role("button", name="Ghép bản ghi").click()
    expect(page.get_by_text("Chọn ít nhất hai bản ghi để gộp")).to_be_visible()  # one is not a merge
    page.locator(f'#data-table .data-row[data-id="{alone.id}"] .row-select').click()
    for cid in (keep.id, twin.id):
        page.locator(f'#data-table .data-row[data-id="{cid}"] .row-select').click()
    page.get_by_role("button", name="Ghép bản ghi").click()
    expect(page.locator("#merge-dialog")).to_be_visible()
    page.select_option("#merge-survivor", str(keep.id))
    expect(page.locator("#merge-preview")).to_contain_text("0961 333 444")
    shot("merge_from_list")
    page.click("#merge-confirm")
    expect(page).to_have_url(f"{base_url}/customers/{keep.id}")  # the record kept
    expect(page.get_by_text(f"Đã gộp 1 bản ghi vào {keep.code}")).to_be_visible()
    with app_db.session() as s:
        assert s.get(Customer, twin.id) is None and s.get(Customer, alone.id) is not None
        phones = s.exec(select(CustomerPhone.number_norm).where(CustomerPhone.customer_id == keep.id)).all()
        assert sorted(phones) == ["0961111222", "0961333444"]


def test_a_salesperson_is_not_offered_the_merge(page: Page, base_url, login, app_db):
    app_db.ensure_user("sale.khongghep", "Sale@2026x", "sales", "Không Được Ghép")
    login("sale.khongghep", "Sale@2026x")
    page.goto(f"{base_url}/customers")
    expect(page.locator("#page-title")).to_have_text("Khách hàng")
    page.locator("#data-table .data-row .row-select").first.click() if page.locator(".data-row").count() else None
    expect(page.get_by_role("button", name="Ghép bản ghi")).to_have_count(0)

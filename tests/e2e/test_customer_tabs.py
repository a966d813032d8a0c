"""The customer page's tabs in a real Chromium: follow-ups, e-mail over SMTP, tasks with
notifications, files, orders and the last purchase date, history; rights on file URLs."""

from __future__ import annotations

import base64
import re
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect
from sqlmodel import select
from ui_steps import signed_in

from crm_app.models import Activity, Customer, EmailMessage, Notification, SalesDocument, StoredFile
from crm_app.services.customer import customers
from crm_app.services.people.permissions import load_actor
from crm_app.services.people.work_scope import local_today

ADMIN = ("admin", "Admin@12345")
SALES_PASSWORD = "BanHang2024"


def _customer(app_db, owner: str, name: str, **data) -> Customer:
    owner_id = app_db.user(owner).id
    with app_db.session() as s:
        return customers.create(s, load_actor(s, owner_id), {"full_name": name, **data}).customer


def _open_tab(page: Page, base_url: str, customer_id: int, tab: str) -> None:
    page.goto(f"{base_url}/customers/{customer_id}")
    expect(page.locator("#customer-name")).to_be_visible()
    page.click(f"#tab-{tab}")


def test_a_new_follow_up_shows_on_top(page: Page, base_url, login, app_db, shot):
    cust = _customer(app_db, "admin", "Phạm Minh Khoa", phones="0905 111 001")
    login(*ADMIN)
    _open_tab(page, base_url, cust.id, "followups")
    expect(page.locator("#timeline-empty")).to_be_visible()

    page.click("#activity-new")
    page.select_option("#field-type_code", "meeting")
    page.fill("#field-subject", "Gặp khách tại văn phòng")
    page.fill("#field-at", "2026-01-05T09:30")
    page.click("#activity-save")
    expect(page.locator(".timeline-item")).to_have_count(1)

    page.click("#activity-new")
    page.fill("#field-subject", "Gọi tư vấn tour Phú Quốc")
    page.fill("#field-content", "Khách muốn đi tháng 12")
    shot("dialog_activity")
    page.click("#activity-save")
    items = page.locator(".timeline-item")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("Gọi tư vấn tour Phú Quốc")
    expect(items.nth(1)).to_contain_text("05/01/2026 09:30")
    shot("tabs_followups")
    with app_db.session() as s:
        rows = s.exec(select(Activity).where(Activity.customer_id == cust.id).order_by(Activity.id)).all()
        assert [(a.type_code, a.subject) for a in rows] == [
            ("meeting", "Gặp khách tại văn phòng"),
            ("call", "Gọi tư vấn tour Phú Quốc"),
        ]

    # Edit in the dialog, delete with a confirmation.
    items.first.locator(".activity-edit").click()
    expect(page.locator("#field-subject")).to_have_value("Gọi tư vấn tour Phú Quốc")
    page.fill("#field-subject", "Gọi tư vấn tour Phú Quốc (đã chốt)")
    page.click("#activity-save")
    expect(items.first).to_contain_text("(đã chốt)")
    items.nth(1).locator(".activity-delete").click()
    page.click("#confirm-delete-activity")
    expect(items).to_have_count(1)

    # A lead is promoted to Potential from the follow-ups.
    page.click("#promote-lead")
    expect(page.locator("#promote-lead")).to_have_count(0)
    with app_db.session() as s:
        assert s.get(Customer, cust.id).status == "potential"


def test_email_from_a_template_arrives_at_the_smtp_server(page: Page, base_url, login, app_db, smtp_sink, shot):
    cust = _customer(app_db, "admin", "Đỗ Thu Hà", email="thuha@khachhang.vn")
    opted = _customer(app_db, "admin", "Vũ Văn Tùng", email="tung@khachhang.vn", email_opt_out=True)
    login(*ADMIN)
    _open_tab(page, base_url, cust.id, "emails")
    page.select_option("#field-template_id", label="Chào mừng khách hàng mới")
    expect(page.locator("#field-mail-subject")).to_have_value("Chào mừng Đỗ Thu Hà đến với chúng tôi")
    expect(page.locator("#field-mail-body")).to_contain_text("Kính gửi Đỗ Thu Hà")
    before = len(smtp_sink.messages)
    page.click("#mail-send")
    expect(page.locator(".mail-item").first).to_contain_text("Đã gửi", timeout=30_000)
    shot("tabs_emails")
    got = smtp_sink.wait_for(before + 1)
    msg = next(m for m in got if m["To"] == "thuha@khachhang.vn")
    assert msg["Subject"] == "Chào mừng Đỗ Thu Hà đến với chúng tôi"
    assert "Kính gửi Đỗ Thu Hà" in msg.get_content()
    with app_db.session() as s:
        stored = s.exec(select(EmailMessage).where(EmailMessage.customer_id == cust.id)).all()
        assert [(m.status, m.to_addr) for m in stored] == [("sent", "thuha@khachhang.vn")]
    # The follow-ups show the e-mail too.
    page.click("#tab-followups")
    expect(page.locator(".timeline-item").first).to_contain_text("Chào mừng Đỗ Thu Hà")

    # An opted-out customer cannot be emailed.
    _open_tab(page, base_url, opted.id, "emails")
    expect(page.locator("#mail-blocked")).to_be_visible()
    expect(page.locator("#mail-send")).to_have_count(0)


def test_task_notifies_the_assignee(page: Page, base_url, login, app_db, smtp_sink, browser, shot):
    assignee_id = app_db.ensure_user("nv.giao", SALES_PASSWORD, "sales", "Nhân Viên Giao")
    cust = _customer(app_db, "nv.giao", "Công ty Du lịch Sen Vàng", kind="business")
    login(*ADMIN)
    _open_tab(page, base_url, cust.id, "tasks")
    page.click("#task-new")
    page.fill("#field-subject", "Gửi hợp đồng")
    page.fill("#field-due_at", "2026-12-15T16:00")
    page.select_option("#field-assignee_id", str(assignee_id))
    shot("dialog_task")
    page.click("#activity-save")
    expect(page.locator(".task-row")).to_have_count(1)
    expect(page.locator(".task-row").first).to_contain_text("15/12/2026 16:00")
    with app_db.session() as s:
        notes = s.exec(select(Notification).where(Notification.user_id == assignee_id)).all()
        assert len(notes) == 1 and "Gửi hợp đồng" in notes[0].text
    # ... and an e-mail, delivered in the background right after the save.
    for _ in range(100):
        if any(m["To"] == "nv.giao@test.vn" for m in smtp_sink.messages):
            break
        page.wait_for_timeout(200)
    mail = [m for m in smtp_sink.messages if m["To"] == "nv.giao@test.vn"]
    assert len(mail) == 1 and "Gửi hợp đồng" in mail[0]["Subject"]

    # The assignee finds the notification under the bell; opening it leads to the customer.
    context, theirs = signed_in(browser, base_url, "nv.giao", SALES_PASSWORD)
    theirs.click("#notifications-open")
    item = theirs.locator(".notification-item")
    expect(item).to_have_count(1)
    expect(item.first).to_contain_text("Gửi hợp đồng")
    item.first.click()
    expect(theirs).to_have_url(re.compile(rf"/customers/{cust.id}/?$"))
    expect(theirs.locator("#customer-name")).to_have_text("Công ty Du lịch Sen Vàng")
    context.close()
    with app_db.session() as s:
        assert s.exec(select(Notification).where(Notification.user_id == assignee_id)).one().read


def test_upload_download_and_rights_on_file_urls(page: Page, base_url, login, app_db, shot, tmp_path, browser):
    app_db.ensure_user("nv.khac", SALES_PASSWORD, "sales", "Nhân Viên Khác")
    cust = _customer(app_db, "admin", "Hoàng Gia Bảo", phones="0905 222 002")
    login(*ADMIN)
    _open_tab(page, base_url, cust.id, "files")
    payload = bytes(range(256)) * 40 + "Hợp đồng".encode()
    source = tmp_path / "Hợp đồng tour.pdf"
    source.write_bytes(payload)
    _drop_file(page, ".file-drop", source.name, payload)
    rows = page.locator(".file-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Hợp đồng tour.pdf")
    shot("tabs_files")
    with page.expect_download() as info:
        rows.first.locator(".file-link").click()
    download = info.value
    assert download.suggested_filename == "Hợp đồng tour.pdf"
    assert Path(download.path()).read_bytes() == payload

    # Too large: a clear error and nothing stored.
    big = tmp_path / "lon.bin"
    big.write_bytes(b"x" * (2 * 1024 * 1024 + 1))
    page.locator(".file-drop input[type=file]").set_input_files(str(big))
    expect(page.get_by_text(re.compile("quá lớn"))).to_be_visible()
    expect(rows).to_have_count(1)
    with app_db.session() as s:
        stored = s.exec(select(StoredFile).where(StoredFile.customer_id == cust.id)).all()
        assert [f.name for f in stored] == ["Hợp đồng tour.pdf"]
        file_id = stored[0].id
    assert page.request.get(f"{base_url}/api/files/{file_id}").body() == payload

    # Another sales user cannot download it by its URL; without a session nobody can.
    anonymous = browser.new_context()
    assert anonymous.new_page().request.get(f"{base_url}/api/files/{file_id}").status == 401
    anonymous.close()
    other, other_page = signed_in(browser, base_url, "nv.khac", SALES_PASSWORD)
    response = other_page.request.get(f"{base_url}/api/files/{file_id}")
    assert response.status == 403 and payload not in response.body()
    other_page.goto(f"{base_url}/api/files/{file_id}")
    expect(other_page.locator("#refusal")).to_have_text(
        "Bạn không có quyền xem hoặc sửa bản ghi này, hoặc bản ghi không tồn tại."
    )
    other.close()

    # Delete with a confirmation.
    rows.first.locator(".file-delete").click()
    page.click("#confirm-delete-file")
    expect(rows).to_have_count(0)
    with app_db.session() as s:
        assert s.exec(select(StoredFile).where(StoredFile.customer_id == cust.id)).first() is None


def _drop_file(page: Page, selector: str, name: str, data: bytes) -> None:
    """Drag a file from the desktop onto the drop zone: dragenter, dragover and drop with the file."""
    expect(page.locator(selector)).to_be_visible()
    page.evaluate(
        """([selector, name, b64]) => {
        const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
        const transfer = new DataTransfer();
        transfer.items.add(new File([bytes], name, {type: "application/pdf"}));
        const zone = document.querySelector(selector);
        for (const type of ["dragenter", "dragover", "drop"]) {
            zone.dispatchEvent(new DragEvent(type, {bubbles: true, cancelable: true, dataTransfer: transfer}));
        }
    }""",
        [selector, name, base64.b64encode(data).decode()],
    )


def test_order_sets_the_last_purchase_date(page: Page, base_url, login, app_db, shot):
    cust = _customer(app_db, "admin", "Lý Thanh Tâm", phones="0905 333 003")
    login(*ADMIN)
    _open_tab(page, base_url, cust.id, "sales")
    expect(page.locator("#last-purchase")).to_contain_text("—")
    page.click("#order-new")
    page.locator(".line-product").first.select_option(label="Tour Phú Quốc 4N3Đ (TOUR-PQ)")
    page.locator(".line-quantity input").first.fill("2")
    page.click("#line-add")
    page.locator(".line-product").nth(1).select_option(label="Dịch vụ visa Nhật Bản (VISA-JP)")
    expect(page.locator("#form-total")).to_have_text("15.480.000 ₫")
    shot("dialog_order")
    page.click("#doc-save")
    row = page.locator(".doc-row").first
    expect(row).to_contain_text("15.480.000 ₫")
    expect(row).to_contain_text("Tour Phú Quốc 4N3Đ × 2")
    today = local_today().strftime("%d/%m/%Y")
    expect(page.locator("#last-purchase")).to_contain_text(today)
    shot("tabs_orders")
    with app_db.session() as s:
        assert s.get(Customer, cust.id).last_purchase_at == local_today()
        doc = s.exec(select(SalesDocument).where(SalesDocument.customer_id == cust.id)).one()
        assert (doc.kind, doc.total) == ("order", 15_480_000)
    page.click("#tab-overview")
    expect(page.locator("#value-last_purchase_at")).to_have_text(today)


def test_a_changed_field_shows_old_and_new_in_history(page: Page, base_url, login, app_db, shot):
    cust = _customer(app_db, "admin", "Trịnh Công Sơn", phones="0905 444 004", province="Huế")
    login(*ADMIN)
    page.goto(f"{base_url}/customers/{cust.id}/edit")
    expect(page.locator("#field-province")).to_have_value("46")  # Huế
    page.select_option("#field-province", label="Đà Nẵng")
    page.click("#customer-save")
    expect(page).to_have_url(re.compile(rf"/customers/{cust.id}/?$"))
    page.click("#quick-note")
    page.fill("#note-body", "Khách chuyển vào Đà Nẵng")
    page.click("#note-save")
    page.click("#tab-history")
    rows = page.locator(".history-row")
    province = rows.filter(has_text="Tỉnh/Thành phố").first
    expect(province.locator(".history-old")).to_have_text("Huế")
    expect(province.locator(".history-new")).to_have_text("Đà Nẵng")
    expect(rows.first).to_contain_text("Khách chuyển vào Đà Nẵng")
    shot("tabs_history")

    # The system history, opened from the tab on this record.
    page.click("#history-all")
    expect(page).to_have_url(re.compile(rf"/history\?entity=customer&record={cust.id}$"))
    expect(page.locator("#field-record")).to_have_value(f"{cust.code} Trịnh Công Sơn")  # named, not numbered
    system = page.locator("#system-history .history-row")
    expect(system.filter(has_text="Đà Nẵng").first).to_be_visible()
    expect(system).to_have_count(_audit_rows(app_db, cust.id))
    shot("system_history")
    # Filtered to days before today: nothing.
    yesterday = date.fromordinal(local_today().toordinal() - 1).isoformat()
    page.fill("#field-date_to", yesterday)
    page.click("#history-apply")
    expect(system).to_have_count(0)
    page.fill("#field-date_from", local_today().isoformat())  # after the end: said, and no rows
    page.click("#history-apply")
    expect(page.get_by_text("Ngày kết thúc phải sau ngày bắt đầu")).to_be_visible()
    page.fill("#field-date_from", "")
    # Each row names its record and links to it.
    page.fill("#field-date_to", "")
    page.click("#history-apply")
    record = system.first.locator(".history-record")
    expect(record).to_have_text(f"{cust.code} Trịnh Công Sơn")
    # typed by name, any kind of record, words in any order: the same rows
    page.select_option("#field-entity", "")
    page.fill("#field-record", "son trinh")
    page.press("#field-record", "Enter")  # Enter filters as the button does
    expect(system).to_have_count(_audit_rows(app_db, cust.id))
    page.fill("#field-record", "Không Ai Tên Này")
    page.click("#history-apply")
    expect(system).to_have_count(0)
    page.fill("#field-record", cust.code)
    page.click("#history-apply")
    expect(system).to_have_count(_audit_rows(app_db, cust.id))
    record.click()
    expect(page).to_have_url(re.compile(rf"/customers/{cust.id}/?$"))
    expect(page.locator("#customer-name")).to_have_text("Trịnh Công Sơn")


def _audit_rows(app_db, customer_id: int) -> int:
    from crm_app.models import AuditLog

    with app_db.session() as s:
        return s.exec(
            sa.select(sa.func.count())
            .select_from(AuditLog)
            .where(AuditLog.root_entity == "customer", AuditLog.root_id == customer_id)
        ).scalar_one()


@pytest.mark.parametrize("path", ["/history", "/admin/templates-products"])
def test_sales_cannot_open_the_admin_pages(page: Page, base_url, login, app_db, path):
    app_db.ensure_user("nv.thuong", SALES_PASSWORD, "sales", "Nhân Viên Thường")
    login("nv.thuong", SALES_PASSWORD)
    page.goto(base_url + path)
    expect(page.locator("#access-denied")).to_contain_text(re.compile("Chỉ (quản lý|quản trị)"))


def test_overview_fields_are_edited_in_place_under_the_duplicate_rule(page: Page, base_url, login, app_db, shot):
    first = _customer(app_db, "admin", "Ngô Bảo Châu", phones="0905 555 005")
    second = _customer(app_db, "admin", "Ngô Bảo Ngọc", phones="0905 555 005")
    login(*ADMIN)
    page.goto(f"{base_url}/customers/{second.id}")
    # The form's validation: a bad phone is refused at the field.
    page.click("#edit-phones")
    page.fill("#field-inline", "0905 555 005, abc")
    page.click("#inline-save")
    expect(page.locator("#inline-error")).to_contain_text("abc")
    page.click("#inline-cancel")
    # The duplicate rule: the same name (typed differently) and phone as another customer is refused.
    page.click("#edit-full_name")
    page.fill("#field-inline", "ngo bao  chau")
    page.click("#inline-save")
    expect(page.locator("#inline-error")).to_contain_text(first.code)
    shot("tabs_overview_inline")
    page.press("#field-inline", "Escape")  # leaves the field as it was
    expect(page.locator("#field-inline")).to_have_count(0)
    expect(page.locator("#value-full_name")).to_have_text("Ngô Bảo Ngọc")
    # Saved edits (each shows the same-phone warning of the duplicate rule).
    page.click("#edit-province")
    page.select_option("#field-inline", label="Đà Nẵng")
    page.click("#inline-save")
    expect(page.locator("#value-province")).to_have_text("Đà Nẵng")
    page.click("#edit-status")
    page.select_option("#field-inline", "potential")
    page.click("#inline-save")
    expect(page.locator("#value-status")).to_have_text("Tiềm năng")

    with app_db.session() as s:
        stored = s.get(Customer, second.id)
        assert (stored.full_name, stored.province, stored.status, stored.phone) == (
            "Ngô Bảo Ngọc",
            "48",
            "potential",
            "0905 555 005",
        )
    # An old 11-digit mobile typed in place is stored as today's number and the user is told.
    page.click("#edit-phones")
    page.fill("#field-inline", "0905 555 005, 0168 777 1235")
    page.click("#inline-save")
    expect(page.locator("[data-sonner-toast]", has_text="0168 777 1235 → 038 777 1235")).to_be_visible()
    expect(page.locator("#value-phones")).to_contain_text("038 777 1235")
    with app_db.session() as s:
        assert customers.phones_of(s, second.id) == ["0905 555 005", "038 777 1235"]


def test_admin_manages_templates_and_products(page: Page, base_url, login, app_db, shot):
    from crm_app.models import EmailTemplate, Product

    login(*ADMIN)
    page.goto(f"{base_url}/admin/templates-products")
    page.click("#template-new")
    page.fill("#field-name", "Chúc mừng sinh nhật")
    page.fill("#field-subject", "Chúc mừng sinh nhật {{customer_name}}")
    page.fill("#field-body", "Kính gửi {{ten_khach}},")
    page.click("#catalog-save")
    expect(page.locator("#error-body")).to_contain_text("ten_khach")
    page.fill("#field-body", "Kính gửi {{customer_name}}, chúc anh/chị sinh nhật vui vẻ. {{owner_name}}")
    page.click("#catalog-save")
    expect(page.locator(".template-row").filter(has_text="Chúc mừng sinh nhật")).to_have_count(1)

    page.click("#product-new")
    page.fill("#field-code", "tour-hl")
    page.fill("#field-name", "Tour Hạ Long 2N1Đ")
    page.fill("#field-unit", "khách")
    page.fill("#field-unit_price", "2590000")
    page.click("#catalog-save")
    row = page.locator(".product-row").filter(has_text="TOUR-HL")
    expect(row).to_contain_text("2.590.000 ₫")
    shot("admin_templates_products")
    with app_db.session() as s:
        assert s.exec(select(EmailTemplate).where(EmailTemplate.name == "Chúc mừng sinh nhật")).one().active
        assert s.exec(select(Product).where(Product.code == "TOUR-HL")).one().unit_price == 2_590_000


def test_header_quick_actions_quote_to_order_and_convert(page: Page, base_url, login, app_db):
    from crm_app.models import AuditLog

    cust = _customer(app_db, "admin", "Bùi Minh Quân", phones="0905 666 006")
    login(*ADMIN)
    page.goto(f"{base_url}/customers/{cust.id}")
    page.click("#quick-more")
    page.click("#quick-quote")
    page.locator(".line-product").first.select_option(label="Tour Singapore 4N3Đ (TOUR-SG)")
    page.click("#doc-save")
    page.click("#tab-sales")
    rows = page.locator(".doc-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Báo giá")
    expect(page.locator("#last-purchase")).to_contain_text("—")  # a quote is no purchase
    rows.first.locator(".quote-to-order").click()
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="Đơn hàng").first).to_contain_text("12.900.000 ₫")
    expect(page.locator("#last-purchase")).to_contain_text(local_today().strftime("%d/%m/%Y"))

    page.click("#quick-more")
    page.click("#quick-convert")  # asked first, naming the customer
    expect(page.get_by_role("alertdialog")).to_contain_text(f"Chuyển {cust.code} ")
    page.click("#confirm-convert")
    expect(page.get_by_text("Đã chuyển thành khách hàng")).to_be_visible()
    expect(page.locator("#quick-more")).to_be_visible()
    page.click("#tab-overview")
    expect(page.locator("#value-status")).to_have_text("Khách hàng")
    with app_db.session() as s:
        assert s.get(Customer, cust.id).status == "customer"
        docs = s.exec(
            select(SalesDocument).where(SalesDocument.customer_id == cust.id).order_by(SalesDocument.id)
        ).all()
        assert [(d.kind, d.total, d.source_id) for d in docs] == [
            ("quote", 12_900_000, None),
            ("order", 12_900_000, docs[0].id),
        ]
        convert = s.exec(
            select(AuditLog).where(
                AuditLog.entity == "customer", AuditLog.entity_id == cust.id, AuditLog.action == "convert"
            )
        ).one()
        assert (convert.old_value, convert.new_value) == ("lead", "customer") and convert.user_id


def test_a_required_choice_in_place_offers_no_empty_value(page: Page, base_url, login, app_db):
    cust = _customer(app_db, "admin", "Tạ Minh Trạng", status="potential")
    login(*ADMIN)
    page.goto(f"{base_url}/customers/{cust.id}")
    page.click("#edit-status")
    expect(page.locator("#field-inline")).to_have_value("potential")
    expect(page.locator('#field-inline option[value=""]')).to_have_count(0)
    page.click("#inline-cancel")
    expect(page.locator("#value-status")).to_have_text("Tiềm năng")
    with app_db.session() as s:
        assert s.get(Customer, cust.id).status == "potential"

"""The contact page in a real Chromium: opened from the contacts list, a field edited in place and
seen in the History tab, a follow-up, a note and a file added there (the first two seen on the
company's page too); a sales user refused another's contact."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from sqlmodel import select

from crm_app.models import Activity, AuditLog, Contact, Note, StoredFile
from crm_app.services.customer import contacts
from crm_app.services.people.permissions import load_actor

PASSWORD = "BanHang2024"


def _contact(app_db, owner_id: int, company_id: int | None, name: str, **data) -> Contact:
    with app_db.session() as s:
        return contacts.create(s, load_actor(s, owner_id), {"full_name": name, "customer_id": company_id, **data})


def test_contact_page_edit_in_place_follow_up_note_and_rights(page: Page, base_url, login, app_db, shot, tmp_path):
    owner_id = app_db.ensure_user("sale.thu", PASSWORD, "sales", "Đinh Thị Thu")
    other_id = app_db.ensure_user("sale.khang", PASSWORD, "sales", "Hà Văn Khang")
    company = app_db.create_customer(owner_id, full_name="Công ty Du lịch Hải Âu", kind="business")
    person = _contact(
        app_db,
        owner_id,
        company.id,
        "Quách Thị Ngân",
        title="Trưởng phòng",
        email="ngan@haiau.vn",
        phone="0905 222 333",
    )
    login("sale.thu", PASSWORD)

    # Opened from the contacts list: the header names the person, the company is a link.
    page.goto(f"{base_url}/contacts")
    page.get_by_role("textbox", name="Tìm theo tên, SĐT, email, mã").fill("quach thi ngan")
    page.locator(".data-row").get_by_text("Quách Thị Ngân").click()
    expect(page).to_have_url(re.compile(rf"/contacts/{person.id}$"))
    expect(page.get_by_role("heading", name="Quách Thị Ngân")).to_be_visible()
    expect(page.get_by_role("link", name="Công ty Du lịch Hải Âu")).to_have_attribute(
        "href", f"/customers/{company.id}"
    )
    expect(page.get_by_role("link", name="ngan@haiau.vn")).to_be_visible()

    # A field edited in place: a wrong value is refused, naming it; a right one is saved.
    page.get_by_role("button", name="Sửa: Email", exact=True).click()
    page.get_by_role("textbox", name="Email", exact=True).fill("ngan@@haiau")
    page.get_by_role("textbox", name="Email", exact=True).press("Enter")
    expect(page.locator("#inline-error")).to_be_visible()
    page.get_by_role("button", name="Hủy").click()
    with app_db.session() as s:
        assert s.get(Contact, person.id).email == "ngan@haiau.vn"
    page.get_by_role("button", name="Sửa: Chức danh").click()
    page.get_by_role("textbox", name="Chức danh", exact=True).fill("Giám đốc kinh doanh")
    page.get_by_role("textbox", name="Chức danh", exact=True).press("Enter")
    expect(page.locator("#value-title")).to_have_text("Giám đốc kinh doanh")
    shot("contact_page_overview")
    with app_db.session() as s:
        assert s.get(Contact, person.id).title == "Giám đốc kinh doanh"
        rows = s.exec(
            select(AuditLog).where(
                AuditLog.entity == "contact",
                AuditLog.entity_id == person.id,
                AuditLog.action == "update",
                AuditLog.field == "title",
            )
        ).all()
        assert [(r.old_value, r.new_value) for r in rows] == [("Trưởng phòng", "Giám đốc kinh doanh")]

    # ... and seen in the History tab.
    page.get_by_role("tab", name="Lịch sử").click()
    change = page.locator("#history-table .history-row", has_text="Chức danh").first
    expect(change.locator(".history-new")).to_have_text("Giám đốc kinh doanh")

    # A follow-up from the contact page: on the contact and on its company.
    page.get_by_role("tab", name="Hoạt động").click()
    expect(page.locator("#timeline-empty")).to_be_visible()
    page.get_by_role("button", name="Thêm hoạt động").click()
    dialog = page.get_by_role("dialog")
    dialog.locator("#field-subject").fill("Gọi chào tour Đà Lạt")
    dialog.get_by_role("button", name="Lưu").click()
    expect(page.locator(".timeline-item")).to_have_count(1)
    expect(page.locator(".timeline-item").first).to_contain_text("Gọi chào tour Đà Lạt")
    with app_db.session() as s:
        [act] = s.exec(select(Activity).where(Activity.subject == "Gọi chào tour Đà Lạt")).all()
        assert (act.customer_id, act.contact_id) == (company.id, person.id)

    # A note likewise.
    page.get_by_role("tab", name="Ghi chú").click()
    page.get_by_role("button", name="Thêm ghi chú").click()
    page.get_by_role("dialog").locator("#note-body").fill("Chị Ngân thích tour nghỉ dưỡng")
    page.get_by_role("dialog").get_by_role("button", name="Lưu").click()
    expect(page.locator(".note-card")).to_have_count(1)
    expect(page.locator(".note-body")).to_have_text("Chị Ngân thích tour nghỉ dưỡng")
    shot("contact_page_notes")
    with app_db.session() as s:
        [note] = s.exec(select(Note).where(Note.customer_id == company.id)).all()
        assert (note.body, note.contact_id) == ("Chị Ngân thích tour nghỉ dưỡng", person.id)

    # A file chosen on the Files tab names the contact too.
    page.get_by_role("tab", name="Tệp").click()
    brochure = tmp_path / "Tour Đà Lạt.pdf"
    brochure.write_bytes(b"%PDF-1.4 tour")
    page.locator(".file-drop input[type=file]").set_input_files(str(brochure))
    expect(page.locator(".file-row")).to_have_count(1)
    expect(page.locator(".file-row").first).to_contain_text("Tour Đà Lạt.pdf")
    with app_db.session() as s:
        [stored] = s.exec(select(StoredFile).where(StoredFile.contact_id == person.id)).all()
        assert (stored.name, stored.customer_id) == ("Tour Đà Lạt.pdf", company.id)

    # The company's page shows both.
    page.get_by_role("tab", name="Tổng quan").click()
    page.get_by_role("link", name="Công ty Du lịch Hải Âu").click()
    expect(page.locator("#customer-name")).to_have_text("Công ty Du lịch Hải Âu")
    page.get_by_role("tab", name="Hoạt động").click()
    expect(page.locator(".timeline-item").first).to_contain_text("Gọi chào tour Đà Lạt")
    expect(page.locator(".timeline-item").first).to_contain_text("Quách Thị Ngân")
    page.get_by_role("tab", name="Ghi chú").click()
    expect(page.locator(".note-body")).to_have_text("Chị Ngân thích tour nghỉ dưỡng")

    # Another sales user is refused the contact, and nothing of it shows.
    page.context.clear_cookies()
    login("sale.khang", PASSWORD)
    page.goto(f"{base_url}/contacts/{person.id}")
    expect(page.locator("#access-denied")).to_be_visible()
    expect(page.get_by_role("heading", name="Quách Thị Ngân")).to_have_count(0)
    expect(page.get_by_role("tab", name="Ghi chú")).to_have_count(0)
    shot("contact_page_refused")
    with app_db.session() as s:
        assert s.get(Contact, person.id).title == "Giám đốc kinh doanh"
        assert len(s.exec(select(Note).where(Note.contact_id == person.id)).all()) == 1
        assert not s.exec(select(AuditLog).where(AuditLog.entity == "contact", AuditLog.user_id == other_id)).all()

"""An admin's custom field filled from an imported file: in a real Chromium."""

from __future__ import annotations

from openpyxl import Workbook
from playwright.sync_api import Page, expect
from sqlmodel import select
from ui_steps import create_custom_field

from crm_app.models import CustomField, CustomFieldValue

ADMIN = ("admin", "Admin@12345")


def test_a_file_column_named_like_a_custom_field_fills_it(page: Page, base_url, login, app_db, shot, tmp_path):
    login(*ADMIN)
    field = create_custom_field(
        page, base_url, app_db, "Hạng hội viên", "choice", "Kim cương, Vàng, Bạc", "hang_hoi_vien"
    )

    path = tmp_path / "hoi-vien.xlsx"
    wb = Workbook()
    for row in (
        ["Họ và tên", "SĐT", "Hạng hội viên", "Kênh biết đến"],
        ["Hội Viên Nhập Một", "0967000111", "kim cuong", "Hội chợ"],  # typed without diacritics
        ["Hội Viên Nhập Hai", "0967000222", "Bạch kim", ""],
    ):  # not an option
        wb.active.append(row)
    wb.save(path)

    page.goto(f"{base_url}/import")
    page.locator("#import-upload input[type=file]").set_input_files(str(path))
    expect(page.locator("#import-file-info")).to_contain_text("2")
    expect(page.locator("#map-0")).to_have_value("full_name")
    expect(page.locator("#map-2")).to_have_value("cf_hang_hoi_vien")
    # the custom field is offered in its own group, by its label
    expect(page.locator('#map-2 optgroup option[value="cf_hang_hoi_vien"]')).to_have_text("Hạng hội viên")
    expect(page.locator(".mapping-row").nth(2).locator(".custom-field-mark")).to_be_visible()
    expect(page.locator(".custom-field-mark")).to_have_count(1)
    shot("import_custom_mapping")

    # a column no field matches becomes a new custom field
    expect(page.locator("#map-3")).to_have_value("")
    page.click("#map-add-3")
    expect(page.locator("#new-field-label")).to_have_value("Kênh biết đến")
    expect(page.locator("#new-field-options")).to_be_disabled()
    shot("import_custom_new_field")
    page.click("#new-field-create")
    expect(page.locator("#map-3")).to_have_value("cf_kenh_biet_den")
    expect(page.locator(".custom-field-mark")).to_have_count(2)
    expect(page.locator("#map-add-3")).to_have_count(0)
    expect(page.locator("#new-field-label")).to_have_count(0)
    shot("import_custom_mapping_new_field")
    with app_db.session() as s:
        made_field = s.exec(select(CustomField).where(CustomField.key == "kenh_biet_den")).one()
    assert (made_field.label, made_field.type, made_field.entity) == ("Kênh biết đến", "text", "customer")
    page.click("#mapping-next")
    expect(page.locator("#opt-required-cf_hang_hoi_vien")).to_be_visible()
    page.click("#opt-mode-create")
    page.click("#options-next")
    expect(page.locator(".review-row")).to_have_count(2)
    expect(page.locator(".review-row[data-verdict=new]")).to_contain_text("Hội Viên Nhập Một")
    expect(page.locator(".review-row[data-verdict=error]")).to_contain_text("Hạng hội viên")
    expect(page.locator(".review-row[data-verdict=error]")).to_contain_text("Bạch kim")
    shot("import_custom_review")
    page.click("#import-run")
    expect(page.locator("#import-summary")).to_be_visible(timeout=30_000)

    made = app_db.customers_named("hoi vien nhap mot")
    assert len(made) == 1 and not app_db.customers_named("hoi vien nhap hai")
    with app_db.session() as s:
        values = s.exec(
            select(CustomFieldValue.text_value).where(
                CustomFieldValue.field_id == field.id, CustomFieldValue.record_id == made[0].id
            )
        ).all()
    assert values == ["Kim cương"]
    with app_db.session() as s:
        assert s.exec(select(CustomFieldValue.text_value).where(CustomFieldValue.field_id == made_field.id)).all() == [
            "Hội chợ"
        ]

    page.goto(f"{base_url}/customers/{made[0].id}/edit")
    expect(page.locator("#field-cf_hang_hoi_vien")).to_have_value("Kim cương")
    expect(page.locator("#field-cf_kenh_biet_den")).to_have_value("Hội chợ")
    shot("import_custom_customer")

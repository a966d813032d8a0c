"""The list-view builder in a real Chromium: a manager builds, saves and activates a view; a sales
user changes a shared view for themself; a saved filter is reused; customers are tagged in bulk;
a custom field is created, filled in and filtered on. Each checks the screen and the database."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from playwright.sync_api import Page, expect
from sqlmodel import select
from ui_steps import create_custom_field

from crm_app.models import Customer, Job, ListView, ListViewDefault, ListViewOverride, SavedFilter
from crm_app.services.customer import customers
from crm_app.services.lists import query, views
from crm_app.services.people.permissions import load_actor

ADMIN = ("admin", "Admin@12345")
MANAGER = ("quanly.hn", "Quanly@2026")  # demo manager of the Hà Nội team
SALES = ("sale.lan", "Sale@2026")  # demo salesperson of that team


def _headers(page: Page) -> list[str]:
    return [h.get_attribute("id").removeprefix("col-") for h in page.locator("#data-table th.sortable-header").all()]


def _drag(page: Page, source, target) -> None:
    """Mouse down on ``source``, move in steps onto ``target``, mouse up: a real drag."""
    a, b = source.bounding_box(), target.bounding_box()
    page.mouse.move(a["x"] + 20, a["y"] + a["height"] / 2)
    page.mouse.down()
    page.wait_for_timeout(150)
    for i in range(1, 11):
        page.mouse.move(a["x"] + 20, a["y"] + a["height"] / 2 + (b["y"] - a["y"]) * i / 10, steps=2)
        page.wait_for_timeout(40)
    page.mouse.up()


def _filter_row(page: Page, index: int):
    return page.locator("#filter-panel .filter-row").nth(index)


def _set_condition(row, field: str, operator: str, value: str | None = None, choices: list[str] = ()) -> None:
    row.locator("select").nth(0).select_option(field)
    expect(row.locator("select").nth(1)).to_have_value(re.compile(".+"))
    row.locator("select").nth(1).select_option(operator)
    if value is not None:
        row.locator("input").first.fill(value)
    for choice in choices:
        row.locator(f'.filter-choice[data-value="{choice}"]').click()


def _expected_total(app_db, username: str, spec: dict) -> int:
    with app_db.session() as s:
        actor = load_actor(s, app_db.user(username).id)
        return query.count(s, actor, query.ListSpec(entity="customer", filter=spec["filter"]))


def test_manager_builds_saves_and_activates_a_view(page: Page, base_url, login, app_db, shot):
    login(*MANAGER)
    page.goto(f"{base_url}/customers")
    expect(page.locator("#data-table .data-row").first).to_be_visible()

    # Columns: add the rating, then drag the province to the top of the shown columns.
    page.click("#columns-open")
    page.locator('.column-choice[data-column="rating"]').click()
    picked = page.locator("#picked-columns .picked-column")
    expect(picked.last).to_have_attribute("data-column", "rating")
    province = page.locator('#picked-columns .picked-column[data-column="province"]')
    _drag(page, province, picked.first)
    expect(picked.first).to_have_attribute("data-column", "province")
    province.locator(".wider").click()
    expect(province.locator(".width-label")).to_have_text("200px")
    shot("list_views_column_picker")
    page.click("#columns-apply")
    expect(page.locator("#data-table th.sortable-header").first).to_have_attribute("id", "col-province")
    columns = _headers(page)
    assert columns[0] == "province" and columns[-1] == "rating"

    # Sort by name, then filter: status lead or potential AND (province Hà Nội OR rating > 3).
    page.locator("#col-full_name .sort-handle").click()
    page.click("#filter-toggle")
    page.click("#filter-add")
    _set_condition(_filter_row(page, 0), "status", "any_of", choices=["lead", "potential"])
    page.click("#filter-add-group")
    group = page.locator("#filter-panel .filter-group")
    group.locator(".group-op").select_option("or")
    _set_condition(group.locator(".filter-row").nth(0), "province", "any_of", choices=["01"])  # Hà Nội
    group.locator(".filter-add-in-group").click()
    _set_condition(group.locator(".filter-row").nth(1), "rating", "gt", "3")
    shot("list_views_filter_builder")
    page.click("#filter-apply")
    expect(page.locator("#filter-toggle")).to_contain_text("3")

    # Save as a company-wide view and activate it.
    page.click("#view-save-as")
    page.fill("#view-name", "Tiềm năng Hà Nội hoặc hạng cao")
    page.select_option("#view-scope", "company")
    page.locator("#view-activate").click()
    page.click("#view-create")
    expect(page.locator("#view-switcher")).to_have_value(re.compile(r"\d+"))

    with app_db.session() as s:
        view = s.exec(select(ListView).where(ListView.name == "Tiềm năng Hà Nội hoặc hạng cao")).one()
        default = s.get(ListViewDefault, (app_db.user(MANAGER[0]).id, "customer"))
    assert view.scope == "company" and default.view_id == view.id
    assert view.spec["columns"] == columns and view.spec["widths"] == {"province": 200}
    assert (view.spec["sort"], view.spec["descending"]) == ("full_name", False)
    assert view.spec["filter"]["items"][0] == {"field": "status", "operator": "any_of", "value": ["lead", "potential"]}
    assert view.spec["filter"]["items"][1]["op"] == "or"

    # Reload: the activated view is what the page opens with.
    page.reload()
    expect(page.locator("#view-switcher")).to_have_value(str(view.id))
    expect(page.locator("#data-table th.sortable-header").first).to_have_attribute("id", "col-province")
    assert _headers(page) == columns
    expect(page.locator("#filter-toggle")).to_contain_text("3")
    total = _expected_total(app_db, MANAGER[0], view.spec)
    expect(page.locator("#range-label")).to_contain_text(f"/ {total}")
    shot("list_views_saved_view")


def test_sales_user_changes_a_shared_view_for_themself(page: Page, base_url, login, app_db, shot):
    manager_id = app_db.user(MANAGER[0]).id
    with app_db.session() as s:
        shared = views.create(
            s,
            load_actor(s, manager_id),
            "customer",
            {"name": "Chung: theo mã", "scope": "company"},
            {"columns": ["code", "full_name", "phone"], "sort": "code", "descending": True},
        )
    login(*SALES)
    page.goto(f"{base_url}/customers")
    page.select_option("#view-switcher", str(shared.id))
    expect(page.locator("#data-table th.sortable-header")).to_have_count(3)
    page.locator("#col-full_name .sort-handle").click()
    page.click("#view-save")
    expect(page.locator("#view-personal")).to_be_visible()
    shot("list_views_personal_override")
    sales_id = app_db.user(SALES[0]).id
    with app_db.session() as s:
        mine = s.get(ListViewOverride, (shared.id, sales_id))
        base = s.get(ListView, shared.id)
    assert mine is not None and mine.spec["sort"] == "full_name"
    assert base.spec["sort"] == "code"  # the shared view is unchanged for everyone else

    page.click("#view-reset")
    expect(page.locator("#view-personal")).to_have_count(0)
    with app_db.session() as s:
        assert s.get(ListViewOverride, (shared.id, sales_id)) is None

    # bulk actions for managers only are not offered to a salesperson
    app_db.create_customer(sales_id, full_name="Khách Bán Hàng Chọn")
    page.fill("#list-search", "khach ban hang chon")
    page.locator("#data-table .data-row").first.locator(".row-select").click()
    expect(page.locator("#bulk-add_tags")).to_be_visible()
    expect(page.locator("#bulk-update_field")).to_have_count(0)
    expect(page.locator("#bulk-change_owner")).to_have_count(0)


def test_a_saved_filter_is_reused(page: Page, base_url, login, app_db, shot):
    login(*ADMIN)
    page.goto(f"{base_url}/customers")
    page.click("#filter-toggle")
    page.click("#filter-add")
    _set_condition(_filter_row(page, 0), "kind", "any_of", choices=["business"])
    page.fill("#filter-name", "Doanh nghiệp")
    page.click("#filter-save")
    expect(page.locator("#filter-toggle")).to_contain_text("1")
    with app_db.session() as s:
        saved = s.exec(select(SavedFilter).where(SavedFilter.name == "Doanh nghiệp")).one()
        businesses = s.exec(select(Customer.id).where(Customer.kind == "business", Customer.archived == False)).all()  # noqa: E712
    assert saved.filter == {"op": "and", "items": [{"field": "kind", "operator": "any_of", "value": ["business"]}]}

    page.click("#filter-clear")
    expect(page.locator("#filter-panel .filter-row")).to_have_count(0)
    page.select_option("#saved-filters", str(saved.id))
    expect(page.locator("#filter-panel .filter-row")).to_have_count(1)
    expect(page.locator("#range-label")).to_contain_text(f"/ {len(businesses)}")
    shot("list_views_saved_filter")
    kinds = page.locator("#data-table .data-row td:nth-child(4)").all_inner_texts()
    assert kinds and all(k == "Doanh nghiệp" for k in kinds)
    expect(page.locator("#saved-filters")).to_have_value(str(saved.id))  # shown as the one applied

    # deleted after a question naming it; its conditions stay applied
    page.click("#saved-filter-delete")
    expect(page.get_by_role("alertdialog")).to_contain_text("Xóa bộ lọc đã lưu “Doanh nghiệp”?")
    page.click("#saved-filter-delete-confirm")
    expect(page.get_by_text("Đã xóa bộ lọc “Doanh nghiệp”")).to_be_visible()
    expect(page.locator(f'#saved-filters option[value="{saved.id}"]')).to_have_count(0)
    expect(page.locator("#filter-panel .filter-row")).to_have_count(1)
    with app_db.session() as s:
        assert s.get(SavedFilter, saved.id) is None


def test_a_manager_shares_a_view_with_the_team_then_deletes_it_after_a_question(
    page: Page, base_url, login, app_db, shot
):
    login(*MANAGER)
    page.goto(f"{base_url}/customers")
    expect(page.locator("#data-table")).to_be_visible()
    page.click("#view-save-as")
    page.fill("#view-name", "Khách của tôi")
    page.click("#view-create")
    expect(page.locator("#view-current-scope")).to_have_value("personal")
    with app_db.session() as s:
        view = s.exec(select(ListView).where(ListView.name == "Khách của tôi")).one()
    page.select_option("#view-current-scope", "team")
    expect(page.get_by_text("Đã đổi phạm vi chia sẻ của giao diện")).to_be_visible()
    with app_db.session() as s:
        assert s.get(ListView, view.id).scope == "team"

    page.click("#view-delete")
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("Xóa giao diện “Khách của tôi”?")
    dialog.get_by_role("button", name="Hủy").click()  # cancelled: still there
    expect(page.locator("#view-switcher")).to_have_value(str(view.id))
    page.click("#view-delete")
    page.click("#view-delete-confirm")
    expect(page.get_by_text("Đã xóa giao diện")).to_be_visible()
    expect(page.locator(f'#view-switcher option[value="{view.id}"]')).to_have_count(0)
    with app_db.session() as s:
        assert s.get(ListView, view.id) is None


def test_three_customers_are_tagged_in_bulk(page: Page, base_url, login, app_db, shot):
    login(*ADMIN)
    page.goto(f"{base_url}/customers")
    rows = page.locator("#data-table .data-row")
    expect(rows.first).to_be_visible()
    ids = [rows.nth(i).get_attribute("data-id") for i in range(3)]
    for i in range(3):
        rows.nth(i).locator(".row-select").click()
    expect(page.locator("#selection-label")).to_contain_text("3")
    page.click("#bulk-add_tags")
    page.fill("#bulk-value", "Hội chợ 2026")
    page.click("#bulk-run")
    expect(page.locator("#bulk-report")).to_contain_text("3")
    shot("list_views_bulk_report")
    page.click("#bulk-close")
    with app_db.session() as s:
        for cid in ids:
            assert "Hội chợ 2026" in customers.tags_of(s, int(cid))

    # The tags column shows the new tag on those three rows.
    page.click("#columns-open")
    page.locator('.column-choice[data-column="tags"]').click()
    page.click("#columns-apply")
    for cid in ids:
        expect(page.locator(f'#data-table .data-row[data-id="{cid}"]')).to_contain_text("Hội chợ 2026")
    shot("list_views_bulk_tagged")

    # A bulk change of a choice field shows on each record's History tab with its labels.
    for i in range(2):
        rows.nth(i).locator(".row-select").click()
    expect(page.locator("#selection-label")).to_contain_text("2")
    page.click("#bulk-update_field")
    page.select_option("#bulk-field", "province")
    expect(page.locator("#bulk-mode option[value=clear]")).to_have_count(1)
    page.select_option("#bulk-mode", "clear")
    page.select_option("#bulk-field", "status")  # a customer always has a status: it is not cleared
    expect(page.locator("#bulk-mode option[value=clear]")).to_have_count(0)
    expect(page.locator("#bulk-mode option[value=add]")).to_have_count(0)  # it is never empty to fill
    expect(page.locator("#bulk-mode")).to_have_value("replace")
    page.select_option("#bulk-value", "inactive")
    page.click("#bulk-run")
    expect(page.locator("#bulk-report")).to_contain_text("2")
    expect(page.locator("#bulk-run")).to_be_disabled()  # done: its selection is cleared
    page.click("#bulk-close")
    with app_db.session() as s:
        before_status = {cid: s.get(Customer, int(cid)).status for cid in ids[:2]}
    assert set(before_status.values()) == {"inactive"}
    # a change of owner waits for the owner to be chosen
    rows.nth(0).locator(".row-select").click()
    page.click("#bulk-change_owner")
    expect(page.locator("#bulk-value")).to_have_value("")
    expect(page.locator("#bulk-run")).to_be_disabled()
    new_owner = page.locator("#bulk-value option").nth(1).get_attribute("value")
    page.select_option("#bulk-value", new_owner)
    page.click("#bulk-run")
    expect(page.locator("#bulk-report")).to_contain_text("1")
    page.click("#bulk-close")
    with app_db.session() as s:
        assert s.get(Customer, int(ids[0])).owner_id == int(new_owner)
    page.goto(f"{base_url}/customers/{ids[0]}")
    page.click("#tab-history")
    history_rows = page.locator(".history-row")
    expect(history_rows.filter(has_text="Hội chợ 2026").first).to_be_visible()
    status = history_rows.filter(has_text="Trạng thái").first
    expect(status.locator(".history-new")).to_have_text("Ngừng giao dịch")
    shot("list_views_bulk_history")


def test_a_custom_field_is_created_filled_in_and_filtered_on(page: Page, base_url, login, app_db, shot):
    admin_id = app_db.user("admin").id
    target = app_db.create_customer(admin_id, full_name="Đỗ Thị Hạng Vàng", phones="0977 123 456")
    login(*ADMIN)
    field = create_custom_field(
        page, base_url, app_db, "Hạng thành viên", "choice", "Vàng, Bạc, Đồng", "hang_thanh_vien"
    )
    shot("list_views_custom_fields")
    assert (field.type, field.options) == ("choice", ["Vàng", "Bạc", "Đồng"])

    page.goto(f"{base_url}/customers/{target.id}/edit")
    select_box = page.locator("#field-cf_hang_thanh_vien")
    expect(select_box).to_be_visible()
    select_box.select_option("Vàng")
    page.click("#customer-save")
    expect(page).to_have_url(re.compile(rf"/customers/{target.id}/?$"))

    # The Overview tab shows the custom field under its label and edits it in place.
    expect(page.locator("#label-cf_hang_thanh_vien")).to_have_text("Hạng thành viên")
    expect(page.locator("#value-cf_hang_thanh_vien")).to_have_text("Vàng")
    page.click("#edit-cf_hang_thanh_vien")
    page.select_option("#field-inline", "Bạc")
    page.click("#inline-save")
    expect(page.locator("#value-cf_hang_thanh_vien")).to_have_text("Bạc")
    shot("custom_field_overview")
    with app_db.session() as s:
        assert customers.snapshot(s, s.get(Customer, target.id))["cf_hang_thanh_vien"] == "Bạc"
    page.click("#edit-cf_hang_thanh_vien")
    page.select_option("#field-inline", "Vàng")
    page.click("#inline-save")
    expect(page.locator("#value-cf_hang_thanh_vien")).to_have_text("Vàng")

    page.goto(f"{base_url}/customers")
    page.click("#filter-toggle")
    page.click("#filter-add")
    _set_condition(_filter_row(page, 0), "cf_hang_thanh_vien", "any_of", choices=["Vàng"])
    page.click("#filter-apply")
    rows = page.locator("#data-table .data-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-id", str(target.id))
    shot("list_views_custom_filter")


def test_a_static_list_is_filled_from_a_selection_and_used_as_a_filter(page: Page, base_url, login, app_db, shot):
    from crm_app.models import RecordList, RecordListMember

    login(*ADMIN)
    page.goto(f"{base_url}/lists")
    page.fill("#list-new-name", "Khách mời hội chợ Tết")
    page.click("#list-create")
    row = page.locator(".list-row", has_text="Khách mời hội chợ Tết")
    expect(row).to_be_visible()
    with app_db.session() as s:
        made = s.exec(select(RecordList).where(RecordList.name == "Khách mời hội chợ Tết")).one()

    page.goto(f"{base_url}/customers")
    rows = page.locator("#data-table .data-row")
    expect(rows.first).to_be_visible()
    ids = [rows.nth(i).get_attribute("data-id") for i in (1, 4)]
    for cid in ids:
        page.locator(f'#data-table .data-row[data-id="{cid}"] .row-select').click()
    page.click("#bulk-add_to_list")
    page.select_option("#bulk-value", str(made.id))
    page.click("#bulk-run")
    expect(page.locator("#bulk-report")).to_contain_text("2")
    page.click("#bulk-close")
    with app_db.session() as s:
        members = set(s.exec(select(RecordListMember.record_id).where(RecordListMember.list_id == made.id)).all())
    assert members == {int(i) for i in ids}

    # The list page shows its size; opening it filters the customers by the list, shown as cards.
    page.goto(f"{base_url}/lists")
    expect(row.locator(".list-members")).to_have_text("2")
    row.locator(".list-show").click()
    expect(page).to_have_url(re.compile(rf"/customers/?\?list={made.id}"))
    expect(rows).to_have_count(2)
    expect(page.locator("#shown-list")).to_contain_text("Khách mời hội chợ Tết")  # the page names the list
    assert sorted(r.get_attribute("data-id") for r in rows.all()) == sorted(ids)
    page.select_option("#view-display", "cards")
    expect(page.locator("#data-cards .record-card")).to_have_count(2)
    shot("list_views_list_as_cards")

    page.goto(f"{base_url}/lists")
    row.locator(".list-rename").click()
    page.fill("#list-rename-input", "Khách mời Tết 2027")
    page.press("#list-rename-input", "Enter")  # Enter saves the new name
    renamed = page.locator(".list-row", has_text="Khách mời Tết 2027")
    expect(renamed).to_be_visible()
    renamed.locator(".list-delete").click()
    page.locator(".list-delete-ok").click()
    expect(renamed).to_have_count(0)
    with app_db.session() as s:
        assert s.get(RecordList, made.id) is None
        assert s.exec(select(RecordListMember).where(RecordListMember.list_id == made.id)).all() == []


def test_adding_to_a_list_when_there_is_none_says_where_to_make_one(page: Page, base_url, login, app_db, shot):
    uid = app_db.ensure_user("sale.nolist", "Sale@2026x", "sales", "Lý Chưa Có")
    for name in ("Khách Không Danh Sách Một", "Khách Không Danh Sách Hai"):
        app_db.create_customer(uid, full_name=name)
    login("sale.nolist", "Sale@2026x")
    page.goto(f"{base_url}/customers")
    rows = page.locator("#data-table .data-row")
    expect(rows).to_have_count(2)
    rows.nth(0).locator(".row-select").click()
    page.click("#bulk-add_to_list")
    expect(page.locator("#bulk-no-list")).to_contain_text("Chưa có danh sách nào")
    expect(page.locator("#bulk-run")).to_be_disabled()
    shot("bulk_no_list")


def test_every_matching_record_is_selected_without_leaving_the_page(page: Page, base_url, login, app_db):
    started = datetime.now(UTC)
    login(*ADMIN)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{base_url}/customers")
    page.select_option("#page-size", "25")
    rows = page.locator("#data-table .data-row")
    expect(rows).to_have_count(25)
    total = _expected_total(app_db, "admin", {"filter": None})
    rows.first.locator(".row-select").click()
    expect(page.locator("#selection-label")).to_contain_text("1")
    page.click("#select-all-matching")
    expect(page.locator("#selection-label")).to_contain_text(f"{total:,}".replace(",", "."))
    expect(page).to_have_url(re.compile(r"/customers/?$"))  # no reload: the list stays as it was
    expect(page.locator("#page-size")).to_have_value("25")
    expect(rows.nth(24).locator(".row-select")).to_be_checked()
    page.click("#bulk-add_tags")
    expect(page.locator("#bulk-target")).to_contain_text(f"{total:,}".replace(",", "."))
    page.keyboard.press("Escape")  # closes the dialog without running
    expect(page.locator("#bulk-run")).to_have_count(0)
    with app_db.session() as s:  # nothing ran
        assert s.exec(select(Job).where(Job.kind == "bulk", Job.created_at > started)).first() is None

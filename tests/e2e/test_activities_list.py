"""The activities list on the list machinery: rows ticked and acted on in bulk (mark done, a list
of activities, delete), a header's filter icon, the column picker."""

import re

from playwright.sync_api import Page, expect
from sqlmodel import select

from crm_app.models import Activity, RecordList, RecordListMember
from crm_app.services.people.permissions import load_actor
from crm_app.services.work import activities


def test_a_salesperson_acts_on_her_tasks_in_bulk(page: Page, base_url, login, app_db, shot):
    seller = app_db.ensure_user("sale.viec", "Sale@2026x", "sales", "Người Bán Việc")
    customer = app_db.create_customer(seller, full_name="Khách Việc Tuần")
    ids = []
    with app_db.session() as s:
        actor = load_actor(s, seller)
        for subject in ("Việc tuần gọi lại", "Việc tuần gửi báo giá", "Việc tuần hẹn gặp"):
            data = {"type_code": "task", "subject": subject, "status": "planned", "assignee_id": seller}
            ids.append(activities.create(s, actor, customer.id, {**data, "due_at": "2026-12-10T09:00"}).id)
        s.commit()
    login("sale.viec", "Sale@2026x")
    page.goto(f"{base_url}/activities")
    page.fill("#list-search", "viec tuan")
    rows = page.locator("#data-table .data-row")
    expect(rows).to_have_count(3)
    shot("activities_list")

    # Two ticked, marked done.
    for activity_id in ids[:2]:
        page.locator(f'.data-row[data-id="{activity_id}"] .row-select').click()
    expect(page.locator("#selection-label")).to_contain_text("2")
    page.click("#bulk-mark_done")
    expect(page.get_by_role("dialog")).to_contain_text("Đánh dấu hoàn thành")
    page.click("#bulk-run")
    expect(page.locator("#bulk-report")).to_contain_text("2")
    page.click("#bulk-close")
    with app_db.session() as s:
        status = dict(s.exec(select(Activity.id, Activity.status).where(Activity.id.in_(ids))).all())
    assert [status[i] for i in ids] == ["done", "done", "planned"]

    # A header's filter icon opens the filter on that column; the column picker adds a column.
    page.click("#quick-filter-status")
    expect(page.locator("#filter-panel .filter-row")).to_have_count(1)
    expect(page.locator("#filter-panel .filter-row select").first).to_have_value("status")
    page.click("#filter-toggle")
    page.click("#columns-open")
    page.locator('.column-choice[data-column="content"]').click()
    page.click("#columns-apply")
    expect(page.locator("#col-content")).to_be_visible()
    expect(page.get_by_role("dialog")).to_have_count(0)
    shot("activities_bulk")

    # A list of activities: made on the lists page, filled from every matching row, shown again.
    page.goto(f"{base_url}/lists")
    page.select_option("#list-entity", "activity")
    page.fill("#list-new-name", "Việc tuần này")
    page.click("#list-create")
    row = page.locator(".list-row", has_text="Việc tuần này")
    expect(row.locator(".list-members")).to_have_text("0")
    page.goto(f"{base_url}/activities")
    page.fill("#list-search", "viec tuan")
    expect(rows).to_have_count(3)
    page.click("#select-page")
    page.click("#bulk-add_to_list")
    page.click("#bulk-run")
    expect(page.locator("#bulk-report")).to_contain_text("3")
    page.click("#bulk-close")
    with app_db.session() as s:
        listed = s.exec(select(RecordList).where(RecordList.name == "Việc tuần này")).one()
        members = s.exec(select(RecordListMember.record_id).where(RecordListMember.list_id == listed.id)).all()
    assert sorted(members) == sorted(ids) and listed.entity == "activity"
    page.goto(f"{base_url}/lists")
    page.select_option("#list-entity", "activity")
    row.locator(".list-show").click()
    expect(page).to_have_url(re.compile(rf"/activities\?list={listed.id}$"))
    expect(rows).to_have_count(3)

    # One deleted, after the dialog says it cannot be undone.
    page.locator(f'.data-row[data-id="{ids[2]}"] .row-select').click()
    page.click("#bulk-delete")
    expect(page.get_by_role("dialog")).to_contain_text("Không thể hoàn tác")
    page.click("#bulk-run")
    expect(page.locator("#bulk-report")).to_contain_text("1")
    page.click("#bulk-close")
    expect(rows).to_have_count(2)
    with app_db.session() as s:
        assert s.get(Activity, ids[2]) is None


def test_activities_are_filtered_by_type_and_by_their_customers_name(page: Page, base_url, login, app_db):
    seller = app_db.ensure_user("sale.loc", "Sale@2026x", "sales", "Người Lọc Việc")
    ours = app_db.create_customer(seller, full_name="Công ty Lọc Ánh Dương")
    other = app_db.create_customer(seller, full_name="Cửa hàng Bình Minh")
    with app_db.session() as s:
        actor = load_actor(s, seller)
        for customer, code, subject in (
            (ours, "call", "Lọc gọi Ánh Dương"),
            (ours, "meeting", "Lọc gặp Ánh Dương"),
            (other, "call", "Lọc gọi Bình Minh"),
        ):
            activities.create(s, actor, customer.id, {"type_code": code, "subject": subject, "at": "2026-12-01T09:00"})
        s.commit()
    login("sale.loc", "Sale@2026x")
    page.goto(f"{base_url}/activities")
    rows = page.locator("#data-table .data-row")
    expect(rows).to_have_count(3)

    page.click("#filter-toggle")
    page.click("#filter-add")
    row = page.locator("#filter-panel .filter-row").first
    row.locator("select").nth(0).select_option("type_code")
    row.locator("select").nth(1).select_option("any_of")
    row.locator('.filter-choice[data-value="call"]').click()
    page.click("#filter-apply")
    expect(rows).to_have_count(2)
    expect(page.locator("#data-table")).not_to_contain_text("Lọc gặp Ánh Dương")

    page.click("#filter-add")  # the panel stays open after applying
    row = page.locator("#filter-panel .filter-row").nth(1)
    row.locator("select").nth(0).select_option("customer_id")
    row.locator("select").nth(1).select_option("contains")
    row.locator("input").first.fill("anh duong")
    page.click("#filter-apply")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Lọc gọi Ánh Dương")

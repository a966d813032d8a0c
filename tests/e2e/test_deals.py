"""Deals and the customer page in a real Chromium: a won deal generates the customer's order, the
customer page opens a deal and lists its deals, and board cards show the next activity."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect
from sqlmodel import select
from ui_steps import drag_onto, signed_in

from crm_app.models import Activity, AuditLog, Customer, Opportunity, PipelineStage, SalesDocument
from crm_app.services.customer import contacts, customers
from crm_app.services.people.permissions import load_actor
from crm_app.services.pipeline import opportunities
from crm_app.services.work import activities

ADMIN = ("admin", "Admin@12345")
VN = timedelta(hours=7)


def _today_vn():
    return (datetime.now(UTC) + VN).date()


def _stages(app_db) -> dict[str, PipelineStage]:
    with app_db.session() as s:
        return {st.name: st for st in s.exec(select(PipelineStage).where(PipelineStage.pipeline_id == 1)).all()}


def _customer(app_db, name: str, **data) -> Customer:
    admin_id = app_db.user("admin").id
    with app_db.session() as s:
        return customers.create(s, load_actor(s, admin_id), {"full_name": name, **data}).customer


def _deal(app_db, name: str, value: str, stage: PipelineStage, customer: Customer | None) -> Opportunity:
    admin_id = app_db.user("admin").id
    with app_db.session() as s:
        return opportunities.create(
            s,
            load_actor(s, admin_id),
            {
                "name": name,
                "value": value,
                "stage_id": str(stage.id),
                "customer_id": str(customer.id) if customer else "",
            },
        )


def _toast(page: Page, text: str):
    return page.locator("[data-sonner-toast]", has_text=text)


def test_a_won_deal_generates_the_customers_order(page: Page, base_url, login, app_db, browser, shot):
    stages = _stages(app_db)
    cust = _customer(app_db, "Công ty TNHH Hoa Sen Travel", phones="0906 700 001")
    deal = _deal(app_db, "Tour Hàn Quốc cho 25 nhân viên", "375.000.000", stages["Chờ ký hợp đồng"], cust)
    login(*ADMIN)
    page.goto(f"{base_url}/opportunities/{deal.id}")
    expect(page.locator("#page-title")).to_have_text("Tour Hàn Quốc cho 25 nhân viên")

    # not won yet: refused with the reason, nothing stored
    page.click("#opportunity-make-order")
    expect(_toast(page, "Chỉ cơ hội đã thành công mới tạo được đơn hàng")).to_be_visible()
    with app_db.session() as s:
        assert s.exec(select(SalesDocument).where(SalesDocument.customer_id == cust.id)).first() is None

    # won through the form, with the customer's contact person picked, then the order
    with app_db.session() as s:
        admin = s.exec(select(Customer.owner_id).where(Customer.id == cust.id)).one()
        person = contacts.create(s, load_actor(s, admin), {"full_name": "Phan Thị Liên Hệ", "customer_id": cust.id})
    other = _customer(app_db, "Công ty Khác")
    with app_db.session() as s:
        contacts.create(s, load_actor(s, admin), {"full_name": "Phan Văn Liên Hệ Khác", "customer_id": other.id})
    page.click("#field-contact-search")  # focused: the customer's people are offered at once
    expect(page.locator(".contact-option", has_text="Phan Thị Liên Hệ")).to_be_visible()
    page.fill("#field-contact-search", "lien he")
    page.locator(".contact-option", has_text="Phan Thị Liên Hệ").wait_for()
    expect(page.locator(".contact-option", has_text="Liên Hệ Khác")).to_have_count(0)  # another customer's
    page.locator(".contact-option", has_text="Phan Thị Liên Hệ").click()
    expect(page.locator("#contact-selected")).to_have_text("Phan Thị Liên Hệ — Công ty TNHH Hoa Sen Travel")
    page.select_option("#field-stage_id", str(stages["Thành công"].id))
    page.click("#opportunity-save")
    expect(_toast(page, "Đã lưu cơ hội")).to_be_visible()
    with app_db.session() as s:
        assert s.get(Opportunity, deal.id).contact_id == person.id
    page.click("#opportunity-make-order")
    order_badge = page.locator("#opportunity-order")
    expect(order_badge).to_contain_text(re.compile(r"Đơn hàng DH\d{6}"))
    shot("deal_order_made")
    with app_db.session() as s:
        order = s.exec(select(SalesDocument).where(SalesDocument.opportunity_id == deal.id)).one()
        assert (order.kind, order.customer_id, order.total, order.status) == ("order", cust.id, 375_000_000, "new")
        assert s.get(Customer, cust.id).last_purchase_at == _today_vn() == order.doc_date
        logged = s.exec(
            select(AuditLog).where(
                AuditLog.entity == "opportunity", AuditLog.entity_id == deal.id, AuditLog.field == "order_code"
            )
        ).one()
        assert logged.new_value == order.code
    expect(order_badge).to_contain_text(order.code)
    expect(page.locator("#opportunity-make-order")).to_have_count(0)  # one order per deal
    expect(page.locator("#history .history-row", has_text=order.code)).to_be_visible()

    # a salesperson who does not own the deal cannot open it, let alone order it again
    app_db.ensure_user("nv.donhang", "BanHang2024", "sales", "Nhân Viên Đơn Hàng")
    context, theirs = signed_in(browser, base_url, "nv.donhang", "BanHang2024")
    theirs.goto(f"{base_url}/opportunities/{deal.id}")
    expect(_toast(theirs, "Bạn không có quyền xem hoặc sửa bản ghi này")).to_be_visible()
    expect(theirs).to_have_url(re.compile(r"/opportunities/?$"))
    expect(theirs.locator("#opportunity-make-order")).to_have_count(0)
    context.close()
    with app_db.session() as s:
        assert len(s.exec(select(SalesDocument).where(SalesDocument.opportunity_id == deal.id)).all()) == 1

    # the badge leads to the customer's sales tab: the order, its deal and the last purchase date
    order_badge.click()
    expect(page).to_have_url(re.compile(rf"/customers/{cust.id}\?tab=sales$"))
    row = page.locator(".doc-row", has_text=order.code)
    expect(row).to_contain_text("375.000.000 ₫")
    expect(row).to_contain_text("Tour Hàn Quốc cho 25 nhân viên")
    expect(page.locator("#last-purchase")).to_contain_text(_today_vn().strftime("%d/%m/%Y"))
    deal_row = page.locator(".deal-row", has_text="Tour Hàn Quốc cho 25 nhân viên")
    expect(deal_row).to_contain_text("Thành công")
    expect(deal_row).to_contain_text(order.code)
    shot("customer_sales_tab_with_deals")


def test_a_deal_won_on_the_board_orders_from_the_toast(page: Page, base_url, login, app_db, shot):
    stages = _stages(app_db)
    signing, won = stages["Chờ ký hợp đồng"], stages["Thành công"]
    cust = _customer(app_db, "Công ty CP Lữ hành Đông Dương", phones="0906 700 005")
    deal = _deal(app_db, "Tour Singapore khen thưởng đại lý", "212.500.000", signing, cust)
    login(*ADMIN)
    page.goto(f"{base_url}/opportunities/board")
    card = page.locator(f'[data-column="{signing.id}"] [data-card-id="{deal.id}"]')
    expect(card).to_be_visible(timeout=20_000)
    target = page.locator(f'[data-column="{won.id}"] .kb-cards')
    target.scroll_into_view_if_needed()
    drag_onto(page, card, target, grab_at=20)
    toast = _toast(page, "Chúc mừng! Cơ hội đã thành công.")
    expect(toast).to_be_visible()
    expect(page.locator(f'[data-column="{won.id}"] [data-card-id="{deal.id}"]')).to_be_visible()
    shot("board_won_toast")
    toast.get_by_role("button", name="Tạo đơn hàng").click()
    expect(_toast(page, "Đã tạo đơn hàng DH")).to_be_visible()
    with app_db.session() as s:
        assert s.get(Opportunity, deal.id).stage_id == won.id
        order = s.exec(select(SalesDocument).where(SalesDocument.opportunity_id == deal.id)).one()
        assert (order.customer_id, order.total, order.kind) == (cust.id, 212_500_000, "order")
        assert s.get(Customer, cust.id).last_purchase_at == order.doc_date
    expect(_toast(page, order.code)).to_be_visible()


def test_the_customer_page_opens_a_deal_and_lists_it(page: Page, base_url, login, app_db, shot):
    stages = _stages(app_db)
    cust = _customer(app_db, "Trần Thị Mai Anh", phones="0906 700 002")
    login(*ADMIN)
    page.goto(f"{base_url}/customers/{cust.id}")
    expect(page.locator("#customer-name")).to_have_text("Trần Thị Mai Anh")
    page.click("#quick-more")
    page.click("#quick-opportunity")
    dialog = page.locator("#deal-dialog")
    expect(dialog).to_be_visible()
    # the defaults: named after the customer, the first pipeline and stage, closing in a month
    expect(page.locator("#field-name")).to_have_value("Trần Thị Mai Anh")
    expect(page.locator("#field-expected_close")).to_have_value((_today_vn() + timedelta(days=30)).isoformat())
    expect(page.locator("#field-pipeline_id")).to_have_value("1")
    expect(page.locator("#field-stage_id")).to_have_value(str(stages["Mới"].id))

    # a wrong value is refused at its field, nothing stored
    page.fill("#field-name", "")
    page.fill("#field-value", "ba triệu")
    page.click("#deal-save")
    expect(dialog.locator("#error-name")).to_be_visible()
    expect(dialog.locator("#error-value")).to_be_visible()
    with app_db.session() as s:
        assert s.exec(select(Opportunity).where(Opportunity.customer_id == cust.id)).first() is None

    page.fill("#field-name", "Tour Sa Pa 3N2Đ gia đình")
    page.fill("#field-value", "45.000.000")
    page.select_option("#field-stage_id", str(stages["Đã liên hệ"].id))
    page.fill("#field-expected_close", "2026-12-24")
    shot("deal_dialog")
    page.click("#deal-save")
    expect(dialog).to_be_hidden()
    row = page.locator("#deals-table .deal-row")
    expect(row).to_have_count(1)  # the Deals tab is open with the new deal
    for text in ("Tour Sa Pa 3N2Đ gia đình", "Đã liên hệ", "45.000.000 ₫", "24/12/2026", "Quản trị viên"):
        expect(row).to_contain_text(text)
    with app_db.session() as s:
        opp = s.exec(select(Opportunity).where(Opportunity.customer_id == cust.id)).one()
        assert (opp.name, opp.value, opp.stage_id, opp.expected_close.isoformat(), opp.owner_id) == (
            "Tour Sa Pa 3N2Đ gia đình",
            45_000_000,
            stages["Đã liên hệ"].id,
            "2026-12-24",
            app_db.user("admin").id,
        )
    shot("customer_opportunities_list")
    row.locator(".deal-link").click()
    expect(page).to_have_url(re.compile(rf"/opportunities/{opp.id}/?$"))
    expect(page.locator("#page-title")).to_have_text("Tour Sa Pa 3N2Đ gia đình")


def test_board_cards_show_the_next_activity(page: Page, base_url, login, app_db, shot):
    stages = _stages(app_db)
    new = stages["Mới"]
    cust = _customer(app_db, "Khách sạn Biển Xanh", phones="0906 700 003")
    deal = _deal(app_db, "Hội nghị cuối năm Biển Xanh", "120.000.000", new, cust)
    late_cust = _customer(app_db, "Nhà hàng Phố Cổ", phones="0906 700 004")
    late_deal = _deal(app_db, "Tiệc tất niên Phố Cổ", "60.000.000", new, late_cust)
    admin_id = app_db.user("admin").id
    past = datetime.now(UTC) - timedelta(hours=5)
    with app_db.session() as s:  # a call planned for earlier today, not made yet
        activities.create(
            s,
            load_actor(s, admin_id),
            late_cust.id,
            {
                "type_code": "call",
                "subject": "Gọi chốt thực đơn",
                "status": "planned",
                "at": (past + VN).strftime("%Y-%m-%dT%H:%M"),
            },
        )
    login(*ADMIN)

    # the salesperson plans a task on the customer page ...
    due = _today_vn() + timedelta(days=2)
    page.goto(f"{base_url}/customers/{cust.id}")
    page.click("#quick-task")
    page.fill("#field-subject", "Gửi hợp đồng hội nghị")
    page.fill("#field-due_at", f"{due.isoformat()}T09:00")
    page.click("#activity-save")
    page.click("#tab-tasks")
    expect(page.locator(".task-row")).to_have_count(1)

    # ... and the deal's card says what comes next; a missed call is marked
    page.goto(f"{base_url}/opportunities/board")
    note = page.locator(f'[data-column="{new.id}"] [data-card-id="{deal.id}"] .kb-card-note')
    expect(note).to_have_text(f"✔ {due.strftime('%d/%m')} 09:00 Gửi hợp đồng hội nghị", timeout=20_000)
    expect(note).not_to_have_class(re.compile("kb-card-note-late"))
    late = page.locator(f'[data-card-id="{late_deal.id}"] .kb-card-note')
    expect(late).to_have_class(re.compile("kb-card-note-late"))
    expect(late).to_have_text(f"⚠ ☎ {(past + VN).strftime('%d/%m %H:%M')} Gọi chốt thực đơn")
    expect(late).to_have_attribute("title", "Quá hạn")
    shot("board_next_activity")

    # done: the card no longer shows it
    page.goto(f"{base_url}/customers/{cust.id}")
    page.click("#tab-tasks")
    # (the tab reloads its rows on opening: on a busy machine that can take more than the default wait)
    expect(page.locator(".task-row")).to_have_count(1)
    page.locator(".task-row .task-done").click(timeout=60_000)
    expect(page.locator(".task-row")).to_contain_text("Hoàn thành", timeout=20_000)
    with app_db.session() as s:
        task = s.exec(select(Activity).where(Activity.customer_id == cust.id)).one()
        assert task.status == "done" and task.assignee_id == admin_id
    page.goto(f"{base_url}/opportunities/board")
    card = page.locator(f'[data-card-id="{deal.id}"]')
    expect(card).to_be_visible(timeout=20_000)
    expect(card.locator(".kb-card-note")).to_have_count(0)

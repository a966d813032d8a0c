"""A campaign's members in a real Chromium: a member's status follows its mail when the outbox
delivers it later (the SMTP server deferred it at the send), removing a member asks first naming
it (cancel keeps it), and the campaign pages follow a switch of language without a reload."""

import re
import time

from playwright.sync_api import Page, expect
from sqlmodel import select
from test_campaigns import TEAM, TEMPLATE, _members

from crm_app.models import AuditLog, CampaignMember, EmailMessage

PASSWORD = "Sale@2026cm"


def _campaign_with(app_db, username: str, name: str, customers: list[dict], **values) -> tuple[int, list[int]]:
    """A salesperson's campaign and customers of theirs as its members (made through the services)."""
    from crm_app.services.campaigns import campaigns
    from crm_app.services.people.permissions import load_actor

    owner = app_db.ensure_user(username, PASSWORD, "sales", f"Người Bán {name}", team=TEAM)
    ids = [app_db.create_customer(owner, **data).id for data in customers]
    with app_db.session() as s:
        actor = load_actor(s, owner)
        campaign_id = campaigns.create(s, actor, {"name": name, **values}).id
        campaigns.add_members(s, actor, campaign_id, "customer", ids)
    return campaign_id, ids


def _row(page: Page, name: str):
    return page.get_by_role("row").filter(has=page.get_by_role("link", name=name, exact=True))


def test_a_members_status_follows_its_mail_delivered_later_by_the_outbox(
    page: Page, base_url, login, app_db, smtp_sink, shot
):
    address, full = "hoan@chiendich.vn", "day@chiendich.vn"  # deferred at the send; never taken
    campaign_id, (customer_id, full_id) = _campaign_with(
        app_db,
        "sale.cd.outbox",
        "Gửi sau qua hộp thư đi",
        [
            {"full_name": "Khách Gửi Sau", "email": address, "phones": "0912300101"},
            {"full_name": "Khách Hộp Thư Đầy", "email": full, "phones": "0912300105"},
        ],
    )
    login("sale.cd.outbox", PASSWORD)
    page.set_viewport_size({"width": 1366, "height": 900})
    smtp_sink.busy.update({address, full})  # the server defers both at the send: they wait in the outbox
    try:
        page.goto(f"{base_url}/campaigns/{campaign_id}")
        page.get_by_role("button", name="Gửi e-mail").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_label("Mẫu e-mail").select_option(label=TEMPLATE)
        dialog.get_by_role("button", name="Kiểm tra").click()
        expect(dialog.locator("#plan-will_send")).to_have_text("2")
        dialog.get_by_role("button", name="Xác nhận gửi").click()
        expect(dialog.get_by_text(re.compile("Đã gửi 0, lỗi 0, chờ gửi 2"))).to_be_visible(timeout=30_000)
        dialog.get_by_role("button", name="Đóng").click()
        row = _row(page, "Khách Gửi Sau")
        expect(row.get_by_role("combobox")).to_have_value("planned")
        expect(row).to_contain_text("Hộp thư đi")
        assert _members(app_db, campaign_id) == {customer_id: "planned", full_id: "planned"}

        # the server takes the first address again; the outbox is delivered from a customer's
        # E-mail tab: the first goes out, the other is tried again until its last try
        smtp_sink.busy.discard(address)
        before = len(smtp_sink.messages)
        page.goto(f"{base_url}/customers/{customer_id}?tab=emails")
        page.get_by_role("button", name="Gửi hộp thư đi").click()
        # (the outbox sends whatever waits in it: other tests' mails too)
        deadline = time.monotonic() + 20
        while address not in (sent := [m["To"] for m in smtp_sink.messages[before:]]):
            assert time.monotonic() < deadline, sent
            time.sleep(0.2)
        assert full not in sent
        expect(page.locator("#outbox-count")).to_have_text("1 email đang chờ gửi")
        page.get_by_role("button", name="Gửi hộp thư đi").click()
        expect(page.locator("#outbox-count")).to_have_count(0)  # failed for good after its third try
    finally:
        smtp_sink.busy.difference_update({address, full})
    with app_db.session() as s:
        message = s.exec(select(EmailMessage).where(EmailMessage.customer_id == customer_id)).one()
        failed = s.exec(select(EmailMessage).where(EmailMessage.customer_id == full_id)).one()
        assert (message.status, failed.status, failed.attempts) == ("sent", "failed", 3)

    page.goto(f"{base_url}/campaigns/{campaign_id}")
    row = _row(page, "Khách Gửi Sau")
    expect(row.get_by_role("combobox")).to_have_value("sent")
    expect(row.get_by_role("combobox").locator("option:checked")).to_have_text("Đã gửi")
    refused = _row(page, "Khách Hộp Thư Đầy")
    expect(refused.get_by_role("combobox").locator("option:checked")).to_have_text("Gửi lỗi")
    expect(refused.locator(".mail-error")).to_contain_text("Mailbox busy")  # the server's answer
    expect(page.locator("#fig-sent")).to_have_text("1")
    expect(page.locator("#fig-failed")).to_have_text("1")
    shot("campaign_member_sent_later")
    assert _members(app_db, campaign_id) == {customer_id: "sent", full_id: "failed"}


def test_removing_a_member_asks_first_naming_it(page: Page, base_url, login, app_db, shot):
    campaign_id, (kept, removed) = _campaign_with(
        app_db,
        "sale.cd.remove",
        "Chiến dịch bỏ thành viên",
        [
            {"full_name": "Khách Ở Lại", "email": "olai@chiendich.vn", "phones": "0912300102"},
            {"full_name": "Khách Bị Bỏ", "email": "bibo@chiendich.vn", "phones": "0912300103"},
        ],
    )
    login("sale.cd.remove", PASSWORD)
    page.set_viewport_size({"width": 1024, "height": 800})
    page.goto(f"{base_url}/campaigns/{campaign_id}")

    # cancel: nothing changes
    _row(page, "Khách Bị Bỏ").get_by_role("button", name="Bỏ khỏi chiến dịch").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("Bỏ “Khách Bị Bỏ” khỏi chiến dịch “Chiến dịch bỏ thành viên”?")
    shot("campaign_remove_member_confirm")
    dialog.get_by_role("button", name="Hủy").click()
    expect(dialog).to_have_count(0)
    expect(_row(page, "Khách Bị Bỏ")).to_be_visible()
    assert set(_members(app_db, campaign_id)) == {kept, removed}

    # confirm: that member goes, the other stays, the customer's history says it
    _row(page, "Khách Bị Bỏ").get_by_role("button", name="Bỏ khỏi chiến dịch").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("Khách Bị Bỏ")
    dialog.get_by_role("button", name="Bỏ khỏi chiến dịch").click()
    expect(page.get_by_text("Đã bỏ thành viên khỏi chiến dịch")).to_be_visible()
    expect(_row(page, "Khách Bị Bỏ")).to_have_count(0)
    expect(_row(page, "Khách Ở Lại")).to_be_visible()
    expect(page.locator("#fig-members")).to_have_text("1")
    assert set(_members(app_db, campaign_id)) == {kept}
    with app_db.session() as s:
        assert s.exec(select(CampaignMember).where(CampaignMember.customer_id == removed)).all() == []
        history = s.exec(
            select(AuditLog).where(AuditLog.entity_id == removed, AuditLog.action == "campaign_remove")
        ).all()
        assert len(history) == 1


def test_the_campaign_pages_follow_a_switch_of_language(page: Page, base_url, login, app_db, shot):
    campaign_id, _ids = _campaign_with(
        app_db,
        "sale.cd.lang",
        "Hội thảo ngôn ngữ",
        [{"full_name": "Khách Song Ngữ", "email": "songngu@chiendich.vn", "phones": "0912300104"}],
        kind="event",
    )
    login("sale.cd.lang", PASSWORD)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{base_url}/campaigns/{campaign_id}")
    header, members = page.locator("#campaign-header"), page.locator("#members-table")
    expect(header).to_contain_text("Loại chiến dịch")
    expect(header).to_contain_text("Sự kiện")
    expect(members.get_by_role("columnheader", name="Trạng thái")).to_be_visible()
    row = _row(page, "Khách Song Ngữ")
    expect(row).to_contain_text("Khách hàng")
    expect(row.get_by_role("combobox").locator("option:checked")).to_have_text("Chưa gửi")

    page.click("#user-menu")
    page.click("#lang-en")  # no reload: the labels follow
    expect(header).to_contain_text("Campaign type")
    expect(header).to_contain_text("Event")
    expect(header).to_contain_text("Planned")
    expect(header).not_to_contain_text("Sự kiện")
    for name in ("Member", "Type", "Status", "Campaign e-mail"):
        expect(members.get_by_role("columnheader", name=name, exact=True)).to_be_visible()
    expect(row).to_contain_text("Customer")
    expect(row.get_by_role("combobox").locator("option:checked")).to_have_text("Planned")
    expect(row.get_by_role("button", name="Remove from the campaign")).to_be_visible()
    shot("campaign_page_english")
    assert app_db.user("sale.cd.lang").language == "en"

    # the campaigns list, opened in English, and switched back without a reload
    page.get_by_role("link", name="All campaigns").click()
    listed = page.get_by_role("row").filter(has_text="Hội thảo ngôn ngữ")
    expect(listed).to_contain_text("Event")
    page.click("#user-menu")
    page.click("#lang-vi")
    expect(page.get_by_role("columnheader", name="Loại chiến dịch")).to_be_visible()
    expect(listed).to_contain_text("Sự kiện")
    expect(listed).to_contain_text("Kế hoạch")
    shot("campaign_list_back_in_vietnamese")

"""Campaigns in a real Chromium: a salesperson makes a campaign, ticks customers on the customer
list and adds them with "Chọn vào chiến dịch", sends a template to every member through the local
SMTP server (an opted-out customer and one without an address skipped and counted), and the
unsubscribe link of one message (a tampered copy first, which changes nothing) opts that customer
out without signing in; another salesperson can neither open the campaign nor add to it."""

import re

from playwright.sync_api import Page, expect
from sqlmodel import select

from crm_app.models import AuditLog, Campaign, CampaignMember, Customer, EmailMessage

TEAM = "Kinh doanh TP.HCM"  # a demo team
TEMPLATE = "Chào mừng khách hàng mới"  # a demo template
LINK = re.compile(r"(https?://\S+/unsubscribe/\S+)")


def _members(app_db, campaign_id: int) -> dict[int, str]:
    with app_db.session() as s:
        rows = s.exec(select(CampaignMember).where(CampaignMember.campaign_id == campaign_id)).all()
        return {m.customer_id: m.status for m in rows}


def test_a_campaign_gets_members_from_a_selection_is_sent_and_a_link_unsubscribes(
    page: Page, base_url, login, app_db, smtp_sink, shot
):
    owner = app_db.ensure_user("sale.chiendich", "Sale@2026cd", "sales", "Người Bán Chiến Dịch", team=TEAM)
    kept = app_db.create_customer(
        owner, full_name="Khách Chiến Dịch Một", email="mot@chiendich.vn", phones="0912300001"
    )
    opted = app_db.create_customer(
        owner, full_name="Khách Chiến Dịch Hai", email="hai@chiendich.vn", phones="0912300002", email_opt_out=True
    )
    silent = app_db.create_customer(owner, full_name="Khách Chiến Dịch Ba", phones="0912300003")
    ids = {kept.id, opted.id, silent.id}
    login("sale.chiendich", "Sale@2026cd")
    page.set_viewport_size({"width": 1366, "height": 900})

    # a new campaign: a wrong value is said under its field and nothing is saved
    page.get_by_role("link", name="Chiến dịch", exact=True).click()
    expect(page.get_by_role("heading", name="Chiến dịch")).to_be_visible()
    page.get_by_role("button", name="Thêm chiến dịch").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Tên chiến dịch").fill("Tri ân khách hàng 2027")
    dialog.get_by_label("Ngân sách").fill("năm triệu")
    dialog.get_by_role("button", name="Lưu").click()
    expect(dialog.locator(".field-error")).to_contain_text("năm triệu")
    with app_db.session() as s:
        assert s.exec(select(Campaign).where(Campaign.owner_id == owner)).all() == []
    dialog.get_by_label("Ngân sách").fill("5.000.000")
    dialog.get_by_label("Ngày bắt đầu").fill("2026-01-01")
    dialog.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", name="Tri ân khách hàng 2027")).to_be_visible()
    with app_db.session() as s:
        campaign = s.exec(select(Campaign).where(Campaign.owner_id == owner)).one()
    assert (campaign.name, campaign.budget, campaign.status) == ("Tri ân khách hàng 2027", 5_000_000, "planned")
    expect(page.get_by_text("Chưa có thành viên")).to_be_visible()

    # members from a selection on the customer list ("Chọn vào chiến dịch")
    page.get_by_role("link", name="Khách hàng", exact=True).click()
    page.get_by_placeholder("Tìm theo tên, SĐT").fill("khach chien dich")
    boxes = page.get_by_role("checkbox", name="Chọn dòng này")
    expect(boxes).to_have_count(3)
    for i in range(3):
        boxes.nth(i).click()
    page.get_by_role("button", name="Chọn vào chiến dịch").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Chọn chiến dịch").select_option(label="Tri ân khách hàng 2027")
    shot("campaign_bulk_add")
    dialog.get_by_role("button", name="Thực hiện").click()
    expect(dialog.get_by_text(re.compile("3 bản ghi được thêm vào chiến dịch"))).to_be_visible()
    assert _members(app_db, campaign.id) == dict.fromkeys(ids, "planned")
    dialog.get_by_role("button", name="Đóng").click()

    # the campaign page: send the template to every member through the SMTP server
    page.goto(f"{base_url}/campaigns/{campaign.id}")
    expect(page.get_by_role("link", name="Khách Chiến Dịch Một")).to_be_visible()
    page.get_by_role("button", name="Gửi e-mail").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Mẫu e-mail").select_option(label=TEMPLATE)
    dialog.get_by_role("button", name="Kiểm tra").click()
    expect(dialog.locator("#plan-will_send")).to_have_text("1")
    expect(dialog.locator("#plan-opted_out")).to_have_text("1")
    expect(dialog.locator("#plan-no_address")).to_have_text("1")
    before = len(smtp_sink.messages)
    dialog.get_by_role("button", name="Xác nhận gửi").click()
    expect(dialog.get_by_text(re.compile("Đã gửi 1, lỗi 0"))).to_be_visible(timeout=30_000)
    shot("campaign_sent")
    got = smtp_sink.wait_for(before + 1)
    message = next(m for m in got[before:] if m["To"] == "mot@chiendich.vn")
    assert not any(m["To"] in ("hai@chiendich.vn",) for m in got[before:])
    assert "Khách Chiến Dịch Một" in message.get_content()
    link = LINK.search(message.get_content()).group(1)
    assert link.startswith(base_url)
    assert _members(app_db, campaign.id)[kept.id] == "sent"
    with app_db.session() as s:
        assert [m.status for m in s.exec(select(EmailMessage).where(EmailMessage.customer_id == kept.id))] == ["sent"]
    dialog.get_by_role("button", name="Đóng").click()
    expect(page.locator("#fig-sent")).to_have_text("1")

    # a tampered link changes nothing; the message's own link opts the customer out, signed out
    other = page.context.browser.new_context()
    visitor = other.new_page()
    visitor.goto(link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB"))
    expect(visitor.get_by_text("không hợp lệ")).to_be_visible()
    assert app_db.customer(kept.id).email_opt_out is False
    visitor.goto(link)
    expect(visitor.get_by_text("mot@chiendich.vn")).to_be_visible()
    visitor.get_by_role("button", name="Hủy nhận e-mail").click()
    expect(visitor.get_by_text(re.compile("Đã hủy nhận e-mail cho mot@chiendich.vn"))).to_be_visible()
    visitor.screenshot(path="screenshots/campaign_unsubscribed.png")
    visitor.goto(link)  # opened again: said done, nothing asked
    expect(visitor.get_by_text("mot@chiendich.vn đã hủy nhận e-mail chiến dịch của chúng tôi")).to_be_visible()
    expect(visitor.get_by_role("button", name="Hủy nhận e-mail")).to_have_count(0)
    other.close()
    assert app_db.customer(kept.id).email_opt_out is True
    assert _members(app_db, campaign.id)[kept.id] == "unsubscribed"
    with app_db.session() as s:
        change = s.exec(
            select(AuditLog).where(
                AuditLog.entity == "customer", AuditLog.entity_id == kept.id, AuditLog.field == "email_opt_out"
            )
        ).one()
        assert (change.old_value, change.new_value) == ("0", "1")

    # what the user sees afterwards: the figures, and the customer's Campaigns tab
    page.reload()
    expect(page.locator("#fig-unsubscribed")).to_have_text("1")
    page.get_by_role("link", name="Khách Chiến Dịch Một").click()
    page.get_by_role("tab", name="Chiến dịch").click()
    row = page.locator(".customer-campaign-row")
    expect(row).to_contain_text("Tri ân khách hàng 2027")
    expect(row).to_contain_text("Đã hủy nhận e-mail")
    shot("campaign_customer_tab")
    page.get_by_role("tab", name="Lịch sử").click()
    expect(page.get_by_role("row").filter(has_text="Hủy nhận e-mail qua liên kết")).to_contain_text(
        "Tri ân khách hàng 2027"
    )
    expect(page.get_by_role("row").filter(has_text="Từ chối nhận email").first).to_be_visible()
    shot("campaign_customer_history")
    with app_db.session() as s:
        assert s.get(Customer, kept.id).email_opt_out is True


def test_another_salesperson_cannot_open_or_add_to_a_campaign_and_an_empty_one_is_not_sent(
    page: Page, base_url, login, app_db, shot
):
    owner = app_db.ensure_user("sale.chiendich2", "Sale@2026cd", "sales", "Chủ Chiến Dịch", team=TEAM)
    app_db.ensure_user("sale.khac.cd", "Sale@2026cd", "sales", "Người Khác", team=TEAM)
    with app_db.session() as s:
        from crm_app.services.campaigns import campaigns
        from crm_app.services.people.permissions import load_actor

        campaign_id = campaigns.create(s, load_actor(s, owner), {"name": "Chiến dịch riêng"}).id
    app_db.create_customer(
        app_db.user("sale.khac.cd").id, full_name="Khách Người Khác", email="khac@cd.vn", phones="0912300009"
    )

    login("sale.khac.cd", "Sale@2026cd")
    page.set_viewport_size({"width": 1024, "height": 800})
    page.goto(f"{base_url}/campaigns/{campaign_id}")
    expect(page.get_by_text(re.compile("không có quyền"))).to_be_visible()
    expect(page.get_by_role("button", name="Gửi e-mail")).to_have_count(0)
    page.goto(f"{base_url}/campaigns")
    expect(page.get_by_text("Chiến dịch riêng")).to_have_count(0)
    page.goto(f"{base_url}/customers")
    page.get_by_placeholder("Tìm theo tên, SĐT").fill("khach nguoi khac")
    boxes = page.get_by_role("checkbox", name="Chọn dòng này")
    expect(boxes).to_have_count(1)
    boxes.first.click()
    page.get_by_role("button", name="Chọn vào chiến dịch").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text(re.compile("Chưa có chiến dịch nào"))).to_be_visible()
    expect(dialog.get_by_role("button", name="Thực hiện")).to_be_disabled()
    shot("campaign_none_to_add")
    assert _members(app_db, campaign_id) == {}
    # a campaign of their own, made in the dialog ("Thêm nhanh chiến dịch"), takes the selection
    dialog.get_by_label("Tên chiến dịch mới").fill("Chiến dịch của người khác")
    dialog.get_by_role("button", name="Thêm nhanh chiến dịch").click()
    expect(dialog.get_by_label("Chọn chiến dịch")).to_have_value(re.compile(r"\d+"))
    dialog.get_by_role("button", name="Thực hiện").click()
    expect(dialog.get_by_text(re.compile("1 bản ghi được thêm vào chiến dịch"))).to_be_visible()
    with app_db.session() as s:
        made = s.exec(select(Campaign).where(Campaign.name == "Chiến dịch của người khác")).one()
        assert (made.owner_id, made.status) == (app_db.user("sale.khac.cd").id, "active")
    assert list(_members(app_db, made.id).values()) == ["planned"]

    # the owner: a campaign without members is not sent, saying why
    page.context.clear_cookies()
    login("sale.chiendich2", "Sale@2026cd")
    page.goto(f"{base_url}/campaigns/{campaign_id}")
    page.get_by_role("button", name="Gửi e-mail").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Mẫu e-mail").select_option(label=TEMPLATE)
    dialog.get_by_role("button", name="Kiểm tra").click()
    expect(page.get_by_text(re.compile("chưa có thành viên nào"))).to_be_visible()
    expect(dialog.get_by_role("button", name="Xác nhận gửi")).to_be_disabled()
    with app_db.session() as s:
        assert s.exec(select(EmailMessage).where(EmailMessage.created_by_id == owner)).all() == []


def _manager_campaign(app_db, username: str, name: str) -> tuple[int, int]:
    """A manager of the demo team and a campaign of theirs, active (made through the service)."""
    from crm_app.services.campaigns import campaigns
    from crm_app.services.people.permissions import load_actor

    manager = app_db.ensure_user(username, "Quanly@2026cd", "manager", "Quản Lý Chiến Dịch", team=TEAM)
    with app_db.session() as s:
        made = campaigns.create(
            s, load_actor(s, manager), {"name": name, "status": "active", "start_date": "2026-02-01"}
        )
        return manager, made.id


def test_a_manager_edits_a_campaign_and_keeps_its_members(page: Page, base_url, login, app_db, shot):
    from crm_app.models import Contact
    from crm_app.services.customer import contacts
    from crm_app.services.lists import record_lists
    from crm_app.services.people.permissions import load_actor

    manager, campaign_id = _manager_campaign(app_db, "quanly.chiendich", "Hội chợ du lịch")
    with app_db.session() as s:
        actor = load_actor(s, manager)
        listed = contacts.create(s, actor, {"full_name": "Liên Hệ Hội Chợ Một", "email": "mot@hoicho.vn"})
        ticked = contacts.create(s, actor, {"full_name": "Liên Hệ Hội Chợ Hai", "email": "hai@hoicho.vn"})
        vip = record_lists.create(s, actor, "contact", {"name": "Khách mời hội chợ"})
        record_lists.add_members(s, actor, vip.id, [listed.id])
        listed_id, ticked_id = listed.id, ticked.id
    login("quanly.chiendich", "Quanly@2026cd")
    page.set_viewport_size({"width": 1024, "height": 800})

    # the header: an end before the start is refused under its field, then saved
    page.goto(f"{base_url}/campaigns")
    page.get_by_role("cell", name="Hội chợ du lịch").click()
    expect(page.get_by_role("heading", name="Hội chợ du lịch")).to_be_visible()
    page.get_by_role("button", name="Sửa").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Ngày kết thúc").fill("2026-01-15")
    dialog.get_by_role("button", name="Lưu").click()
    expect(dialog.locator(".field-error")).to_be_visible()
    with app_db.session() as s:
        assert s.get(Campaign, campaign_id).end_date is None
    dialog.get_by_label("Ngày kết thúc").fill("2026-03-31")
    dialog.get_by_label("Loại chiến dịch").select_option(label="Sự kiện")
    dialog.get_by_role("button", name="Lưu").click()
    expect(page.locator("#campaign-header")).to_contain_text("31/03/2026")
    expect(page.locator("#campaign-header")).to_contain_text("Sự kiện")
    with app_db.session() as s:
        stored = s.get(Campaign, campaign_id)
        assert (str(stored.end_date), stored.kind) == ("2026-03-31", "event")

    # members from a static list of contacts, then from the contact list's selection
    page.get_by_label("Thêm từ danh sách tĩnh").select_option(label="Khách mời hội chợ (Người liên hệ, 1)")
    page.get_by_role("button", name="Thêm", exact=True).click()
    expect(page.get_by_role("link", name="Liên Hệ Hội Chợ Một")).to_be_visible()
    page.goto(f"{base_url}/contacts")
    page.get_by_placeholder("Tìm theo tên, SĐT").fill("lien he hoi cho hai")
    boxes = page.get_by_role("checkbox", name="Chọn dòng này")
    expect(boxes).to_have_count(1)
    boxes.first.click()
    page.get_by_role("button", name="Chọn vào chiến dịch").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Chọn chiến dịch").select_option(label="Hội chợ du lịch")
    dialog.get_by_role("button", name="Thực hiện").click()
    expect(dialog.get_by_text(re.compile("1 bản ghi được thêm vào chiến dịch"))).to_be_visible()
    with app_db.session() as s:
        members = {
            m.contact_id: m for m in s.exec(select(CampaignMember).where(CampaignMember.campaign_id == campaign_id))
        }
    assert set(members) == {listed_id, ticked_id}

    # a member's status, and a member removed
    page.goto(f"{base_url}/campaigns/{campaign_id}")
    page.get_by_label("Trạng thái Liên Hệ Hội Chợ Một").select_option(label="Đã phản hồi")
    expect(page.locator("#fig-responded")).to_have_text("1")
    row = page.locator(".member-row", has_text="Liên Hệ Hội Chợ Hai")
    row.get_by_role("button", name="Bỏ khỏi chiến dịch").click()
    confirm = page.get_by_role("alertdialog")
    expect(confirm).to_contain_text("Liên Hệ Hội Chợ Hai")  # asked first, naming the member
    confirm.get_by_role("button", name="Bỏ khỏi chiến dịch").click()
    expect(page.get_by_role("link", name="Liên Hệ Hội Chợ Hai")).to_have_count(0)
    expect(page.locator("#fig-members")).to_have_text("1")
    shot("campaign_members")
    with app_db.session() as s:
        kept = s.exec(select(CampaignMember).where(CampaignMember.campaign_id == campaign_id)).all()
        assert [(m.contact_id, m.status) for m in kept] == [(listed_id, "responded")]
        assert s.get(Campaign, campaign_id).member_count == 1
        assert s.get(Contact, ticked_id) is not None  # the record stays; only its membership goes


def test_a_rule_adds_the_customers_it_matches_to_a_campaign(page: Page, base_url, login, app_db, shot):
    name = "Khách có e-mail vào chiến dịch (E2E)"
    _manager, campaign_id = _manager_campaign(app_db, "quanly.quytac.cd", "Chiến dịch theo quy tắc")
    owner = app_db.ensure_user("sale.quytac.cd", "Sale@2026cd", "sales", "Người Bán Quy Tắc", team=TEAM)
    with_mail = app_db.create_customer(owner, full_name="Khách Quy Tắc CD Một", email="qt1@cd.vn", phones="0912300011")
    without = app_db.create_customer(owner, full_name="Khách Quy Tắc CD Hai", phones="0912300012")
    login("quanly.quytac.cd", "Quanly@2026cd")
    page.goto(f"{base_url}/admin/automation")
    page.get_by_role("button", name="Thêm quy tắc").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Tên quy tắc").fill(name)
    dialog.get_by_role("button", name="Thêm điều kiện").click()
    condition = dialog.locator(".filter-row").first
    condition.locator("select").nth(0).select_option("email")
    condition.locator("select").nth(1).select_option("not_empty")
    action = dialog.locator(".rule-action").first
    action.get_by_label("Hành động", exact=True).select_option(label="Thêm vào chiến dịch")
    action.get_by_label("Chọn chiến dịch").select_option(label="Chiến dịch theo quy tắc")
    dialog.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text(f"Đã lưu quy tắc “{name}”")).to_be_visible()
    with app_db.session() as s:
        from crm_app.models import AutomationRule

        rule = s.exec(select(AutomationRule).where(AutomationRule.name == name)).one()
        assert rule.actions == [{"kind": "add_to_campaign", "field": "", "mode": "replace", "value": str(campaign_id)}]

    page.goto(f"{base_url}/customers")
    page.get_by_placeholder("Tìm theo tên, SĐT").fill("khach quy tac cd")
    boxes = page.get_by_role("checkbox", name="Chọn dòng này")
    expect(boxes).to_have_count(2)
    boxes.nth(0).click()
    boxes.nth(1).click()
    page.get_by_role("button", name="Chạy tự động").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Quy tắc", exact=True).select_option(label=name)
    dialog.get_by_role("button", name="Xem trước").click()
    expect(dialog.locator("#rule-preview-counts")).to_contain_text("Khớp điều kiện: 1 / 2 bản ghi")
    assert _members(app_db, campaign_id) == {}  # a preview changes nothing
    dialog.get_by_role("button", name="Chạy", exact=True).click()
    expect(dialog.locator("#rule-report")).to_contain_text("khớp 1, đã đổi 1")
    shot("campaign_rule_run")
    assert _members(app_db, campaign_id) == {with_mail.id: "planned"}
    assert without.id not in _members(app_db, campaign_id)


def test_the_campaign_pages_pass_axe(page: Page, base_url, login, app_db):
    from test_accessibility import ADMIN, _violations

    manager, campaign_id = _manager_campaign(app_db, "quanly.axe.cd", "Chiến dịch tiếp cận")
    customer = app_db.create_customer(manager, full_name="Khách Tiếp Cận Chiến Dịch", email="tccd@vidu.vn")
    with app_db.session() as s:
        from crm_app.services.campaigns import campaigns
        from crm_app.services.people.permissions import load_actor

        campaigns.add_members(s, load_actor(s, manager), campaign_id, "customer", [customer.id])
    login(*ADMIN)
    for path in ("/campaigns", f"/campaigns/{campaign_id}", f"/customers/{customer.id}?tab=campaigns"):
        page.goto(base_url + path)
        expect(page.locator("#page-title, #customer-name").first).to_be_visible()
        page.wait_for_timeout(1000)  # the page's data in place
        assert _violations(page) == [], path


def test_a_second_campaign_under_the_same_name_is_refused_naming_it(page: Page, base_url, login, app_db, shot):
    from crm_app.services.campaigns import campaigns
    from crm_app.services.people.permissions import load_actor

    owner = app_db.ensure_user("sale.trungten.cd", "Sale@2026cd", "sales", "Người Trùng Tên", team=TEAM)
    with app_db.session() as s:
        campaigns.create(s, load_actor(s, owner), {"name": "Chiến dịch trùng tên"})

    login("sale.trungten.cd", "Sale@2026cd")
    page.goto(f"{base_url}/campaigns")
    page.get_by_role("button", name="Thêm chiến dịch").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Tên chiến dịch").fill("chiến dịch TRÙNG tên")
    dialog.get_by_role("button", name="Lưu").click()
    expect(dialog.get_by_text("Người phụ trách này đã có chiến dịch tên “chiến dịch TRÙNG tên”")).to_be_visible()
    shot("campaign_name_taken")
    dialog.get_by_label("Tên chiến dịch").fill("Chiến dịch trùng tên 2")
    dialog.get_by_role("button", name="Lưu").click()
    expect(page).to_have_url(re.compile(r"/campaigns/\d+$"))
    with app_db.session() as s:
        names = s.exec(select(Campaign.name).where(Campaign.owner_id == owner).order_by(Campaign.id)).all()
    assert names == ["Chiến dịch trùng tên", "Chiến dịch trùng tên 2"]

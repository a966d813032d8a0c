"""The deal board in a real Chromium: drag a card to another stage, lose a deal with a reason,
and convert a lead that matches an existing customer."""

from __future__ import annotations

import re

import sqlalchemy as sa
from playwright.sync_api import Page, expect
from sqlmodel import select
from ui_steps import drag_onto

from crm_app.models import AuditLog, CatalogItem, Customer, Lead, Opportunity, PipelineStage
from crm_app.services.people.permissions import load_actor
from crm_app.services.pipeline import leads, opportunities

ADMIN = ("admin", "Admin@12345")


def _stages(app_db) -> dict[str, PipelineStage]:
    with app_db.session() as s:
        return {st.name: st for st in s.exec(select(PipelineStage).where(PipelineStage.pipeline_id == 1)).all()}


def _opp(app_db, opp_id: int) -> Opportunity:
    with app_db.session() as s:
        return s.get(Opportunity, opp_id)


def _count(page: Page, stage_id: int) -> int:
    return int(page.locator(f'[data-column="{stage_id}"] .kb-count').get_attribute("data-count"))


def _open_board(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/opportunities/board")
    expect(page.locator(".kb-column").first).to_be_visible(timeout=20_000)
    expect(page.locator(".kb-card").first).to_be_visible()


def test_drag_a_card_to_another_stage_is_saved_with_totals_and_history(page: Page, base_url, login, app_db, shot):
    stages = _stages(app_db)
    new, contacted = stages["Mới"], stages["Đã liên hệ"]
    admin_id = app_db.user("admin").id
    with app_db.session() as s:  # a new deal goes first in its column
        card_id = opportunities.create(
            s,
            load_actor(s, admin_id),
            {"name": "Tour Đà Lạt cho đoàn 40 khách", "value": "77.000.000", "stage_id": str(new.id)},
        ).id
    title = "Tour Đà Lạt cho đoàn 40 khách"
    login(*ADMIN)
    _open_board(page, base_url)
    shot("board_before_drag")
    card = page.locator(f'[data-column="{new.id}"] [data-card-id="{card_id}"]')
    before_new, before_contacted = _count(page, new.id), _count(page, contacted.id)
    total_before = page.locator(f'[data-column="{contacted.id}"] .kb-total').inner_text()

    drag_onto(page, card, page.locator(f'[data-column="{contacted.id}"] .kb-cards'), grab_at=20)
    expect(page.locator(f'[data-column="{contacted.id}"] [data-card-id="{card_id}"]')).to_be_visible()
    expect(page.locator(f'[data-column="{contacted.id}"] .kb-count')).to_have_attribute(
        "data-count", str(before_contacted + 1)
    )
    stored = _opp(app_db, card_id)
    assert stored.stage_id == contacted.id and stored.probability == contacted.probability

    # after a reload the card is still there and the totals have changed
    page.reload()
    expect(page.locator(f'[data-column="{contacted.id}"] [data-card-id="{card_id}"]')).to_be_visible(timeout=20_000)
    assert _count(page, new.id) == before_new - 1 and _count(page, contacted.id) == before_contacted + 1
    assert page.locator(f'[data-column="{contacted.id}"] .kb-total').inner_text() != total_before
    shot("board_after_drag")

    # the history shows the move
    page.locator(f'[data-card-id="{card_id}"]').click()
    expect(page).to_have_url(re.compile(rf"/opportunities/{card_id}/?$"))
    expect(page.locator("#page-title")).to_have_text(title)
    row = page.locator("#history .history-row", has_text="Giai đoạn").first
    expect(row.locator(".history-old")).to_have_text("Mới")
    expect(row.locator(".history-new")).to_have_text("Đã liên hệ")
    shot("opportunity_history")


def test_lose_a_deal_with_a_reason(page: Page, base_url, login, app_db, shot):
    stages = _stages(app_db)
    source, lost = stages["Đàm phán"], stages["Thất bại"]
    login(*ADMIN)
    _open_board(page, base_url)
    card = page.locator(f'[data-column="{source.id}"] .kb-card').first
    card_id = int(card.get_attribute("data-card-id"))
    lost_column = page.locator(f'[data-column="{lost.id}"] .kb-cards')
    lost_column.scroll_into_view_if_needed()
    drag_onto(page, card, lost_column, grab_at=20)
    dialog = page.locator("#lost-dialog")
    expect(dialog).to_be_visible()
    # no reason: refused at the field, nothing saved
    page.click("#lost-confirm")
    expect(dialog.locator(".field-error")).to_be_visible()
    assert _opp(app_db, card_id).stage_id == source.id
    with app_db.session() as s:
        reason = s.exec(
            select(CatalogItem).where(CatalogItem.kind == "lost_reason", CatalogItem.code == "competitor")
        ).one()
    page.select_option("#field-lost_reason", str(reason.id))
    shot("board_lost_reason")
    page.click("#lost-confirm")
    expect(dialog).to_be_hidden()
    expect(page.locator(f'[data-column="{lost.id}"] [data-card-id="{card_id}"]')).to_be_visible()
    stored = _opp(app_db, card_id)
    assert (stored.stage_id, stored.lost_reason_id, stored.probability) == (lost.id, reason.id, 0)
    with app_db.session() as s:
        rows = s.exec(
            select(AuditLog).where(
                AuditLog.entity == "opportunity", AuditLog.entity_id == card_id, AuditLog.field == "lost_reason_id"
            )
        ).all()
    assert rows and rows[-1].new_value == str(reason.id)


def test_convert_a_lead_whose_phone_matches_a_customer_links_it(page: Page, base_url, login, app_db, shot):
    admin_id = app_db.user("admin").id
    existing = app_db.create_customer(admin_id, full_name="Hoàng Văn Thái", phones="0911 222 444")
    with app_db.session() as s:
        lead = leads.create(
            s,
            load_actor(s, admin_id),
            {
                "full_name": "Hoàng Văn Thái",
                "phone": "+84 911 222 444",
                "email": "thai.hoang@example.vn",
                "value": "30.000.000",
            },
        )
    login(*ADMIN)
    page.goto(f"{base_url}/leads/{lead.id}")
    expect(page.locator("#page-title")).to_have_text("Hoàng Văn Thái", timeout=20_000)
    page.click("#lead-convert")
    dialog = page.locator("#convert-dialog")
    expect(dialog.locator("#convert-matches")).to_be_visible()
    expect(dialog).to_contain_text(existing.code)
    expect(page.locator(f"#customer-choice-{existing.id}")).to_be_checked()
    shot("lead_convert_matches")
    page.click("#convert-confirm")
    expect(page.locator("#converted-links")).to_be_visible()
    expect(page.locator("#converted-customer")).to_have_text("Hoàng Văn Thái")
    shot("lead_converted")
    with app_db.session() as s:
        stored = s.get(Lead, lead.id)
        assert stored.status == "converted" and stored.converted_customer_id == existing.id
        same = s.execute(
            sa.select(sa.func.count()).select_from(Customer).where(Customer.name_norm == "hoang van thai")
        ).scalar_one()
        assert same == 1
        opp = s.get(Opportunity, stored.converted_opportunity_id)
        assert opp.customer_id == existing.id and opp.value == 30_000_000
    page.click("#converted-customer")
    expect(page).to_have_url(re.compile(rf"/customers/{existing.id}/?$"))


def test_admin_creates_a_pipeline_adds_renames_and_reorders_stages(page: Page, base_url, login, app_db, shot):
    login(*ADMIN)
    page.goto(f"{base_url}/admin/pipelines")
    expect(page.locator("#stage-list .sl-item").first).to_be_visible(timeout=20_000)
    page.fill("#new-pipeline-name", "Dự án hội nghị")
    page.click("#new-pipeline")
    expect(page.locator("#pipeline-name")).to_have_value("Dự án hội nghị")
    items = page.locator("#stage-list .sl-item")
    expect(items).to_have_count(3)
    # add a stage: it goes before the won and lost stages
    page.fill("#field-name", "Khảo sát")
    page.fill("#field-probability", "40")
    page.click("#stage-save")
    expect(items).to_have_count(4)
    expect(items.nth(1)).to_contain_text("Khảo sát")
    # rename it
    items.nth(1).click()
    expect(page.locator("#field-name")).to_have_value("Khảo sát")
    page.fill("#field-name", "Khảo sát địa điểm")
    page.click("#stage-save")
    expect(items.nth(1)).to_contain_text("Khảo sát địa điểm")
    # drag it above "Mới"
    drag_onto(page, items.nth(1), items.nth(0), grab_at=20, drop_at=2)
    expect(items.nth(0)).to_contain_text("Khảo sát địa điểm")
    shot("admin_pipelines")

    def stage_names(s) -> list[str]:
        from crm_app.models import Pipeline

        pipe = s.exec(select(Pipeline).where(Pipeline.name == "Dự án hội nghị")).one()
        stages = select(PipelineStage).where(PipelineStage.pipeline_id == pipe.id).order_by(PipelineStage.position)
        return [st.name for st in s.exec(stages).all()]

    wanted = ["Khảo sát địa điểm", "Mới", "Thành công", "Thất bại"]
    assert app_db.eventually(stage_names, wanted) == wanted


def test_bulk_conversion_from_the_lead_list_reports_each_row(page: Page, base_url, login, app_db, shot):
    admin_id = app_db.user("admin").id
    existing = app_db.create_customer(admin_id, full_name="Đinh Văn Khoa", phones="0933 444 555")
    with app_db.session() as s:
        actor = load_actor(s, admin_id)
        known = leads.create(s, actor, {"full_name": "Đinh Văn Khoa", "phone": "0933444555"})
        new = leads.create(s, actor, {"full_name": "Mai Thị Thu", "phone": "0933 444 666"})
    login(*ADMIN)
    page.goto(f"{base_url}/leads")
    expect(page.locator("#data-table .data-row").first).to_be_visible(timeout=20_000)
    page.fill("#list-search", "0933 444")
    rows = page.locator("#data-table .data-row")
    expect(rows).to_have_count(2)
    for i in range(2):
        rows.nth(i).locator(".row-select").click()
    page.click("#bulk-convert")
    report = page.locator("#bulk-report .report-row")
    expect(report).to_have_count(2)
    expect(page.locator("#bulk-report")).to_contain_text(existing.code)
    shot("leads_bulk_report")
    with app_db.session() as s:
        a, b = s.get(Lead, known.id), s.get(Lead, new.id)
        assert (a.status, a.converted_customer_id) == ("converted", existing.id)
        assert b.status == "converted" and b.converted_customer_id not in (None, existing.id)
        assert s.get(Customer, b.converted_customer_id).full_name == "Mai Thị Thu"


def test_a_refused_move_says_why_and_the_card_goes_back(page: Page, base_url, login, app_db):
    admin_id = app_db.user("admin").id
    with app_db.session() as s:
        actor = load_actor(s, admin_id)
        lead = leads.create(s, actor, {"full_name": "Tạ Quang Vinh", "phone": "0944 111 777"})
        leads.convert(s, actor, lead.id, create_opportunity=False)
    login(*ADMIN)
    page.goto(f"{base_url}/leads/board")
    expect(page.locator(".kb-column").first).to_be_visible(timeout=20_000)
    page.fill("#board-search", "ta quang vinh")
    card = page.locator('[data-column="converted"] .kb-card')
    expect(card).to_have_count(1)
    drag_onto(page, card, page.locator('[data-column="new"] .kb-cards'), grab_at=20)
    expect(page.get_by_text("Tiềm năng đã chuyển đổi, không thể đổi trạng thái")).to_be_visible()
    expect(page.locator(f'[data-column="converted"] [data-card-id="{lead.id}"]')).to_be_visible()
    expect(page.locator('[data-column="new"] .kb-card')).to_have_count(0)
    with app_db.session() as s:
        assert s.get(Lead, lead.id).status == "converted"


def test_a_column_loads_50_cards_and_more_on_demand(page: Page, base_url, login, app_db):
    new = _stages(app_db)["Mới"]
    with app_db.session() as s:
        total = s.execute(
            sa.select(sa.func.count()).select_from(Opportunity).where(Opportunity.stage_id == new.id)
        ).scalar_one()
    assert total > 50  # the demo data fills the first stage
    login(*ADMIN)
    _open_board(page, base_url)
    cards = page.locator(f'[data-column="{new.id}"] .kb-card')
    expect(cards).to_have_count(50)
    assert _count(page, new.id) == total  # the header counts the whole column
    page.locator(f'[data-column="{new.id}"] .kb-more').click()
    expect(cards).to_have_count(min(total, 100))


def test_the_switcher_shows_another_pipeline(page: Page, base_url, login, app_db):
    from crm_app.services.pipeline import pipelines

    admin_id = app_db.user("admin").id
    with app_db.session() as s:
        other = pipelines.create_pipeline(s, load_actor(s, admin_id), {"name": "Tuyển sinh du học"})
        stage = pipelines.stages(s, other.id)[0]
        opportunities.create(
            s,
            load_actor(s, admin_id),
            {"name": "Du học Úc – Lê Gia Bảo", "value": "250.000.000", "pipeline_id": str(other.id)},
        )
    login(*ADMIN)
    _open_board(page, base_url)
    page.select_option("#pipeline-switch", str(other.id))
    expect(page.locator(".kb-column")).to_have_count(3)
    column = page.locator(f'[data-column="{stage.id}"]')
    expect(column.locator(".kb-card")).to_have_count(1)
    expect(column.locator(".kb-total")).to_have_text("250.000.000 ₫")

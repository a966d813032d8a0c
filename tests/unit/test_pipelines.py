"""Pipelines and stages (admin), opportunity moves on the board, totals under filters, won / lost."""

import pytest
from sqlmodel import select

from crm_app.models import AuditLog, Opportunity, PipelineStage
from crm_app.services.errors import NotAllowed, ServiceError, ValidationFailed
from crm_app.services.lists import query
from crm_app.services.pipeline import board, opportunities, pipelines
from crm_app.services.records import history
from tests.unit.factories import changes, committed, make_customer, reloaded


@pytest.fixture
def pipe(session):
    return pipelines.ensure_default_pipeline(session)


def _stages(session, pipe):
    return {s.name: s for s in pipelines.stages(session, pipe.id)}


def _opp(session, actor, name, value=0, stage=None, **extra):
    data = {"name": name, "value": str(value), **extra}
    if stage is not None:
        data["stage_id"] = stage.id
    return committed(session, opportunities.create(session, actor, data))


def _board(session, actor, pipe, search="", limit=50):
    return board.load(
        session, actor, opportunities.board_spec(search), opportunities.grouping(session, pipe.id), "vi", limit=limit
    )


def _column(cols, name):
    return next(c for c in cols if c.column.label == name)


# --- pipelines and stages ----------------------------------------------------------------------


def test_default_pipeline_has_eight_ordered_stages(session, pipe):
    stages = pipelines.stages(session, pipe.id)
    assert [s.name for s in stages][:2] == ["Mới", "Đã liên hệ"]
    assert len(stages) == 8 and [s.outcome for s in stages][-2:] == ["won", "lost"]
    assert pipelines.ensure_default_pipeline(session).id == pipe.id  # idempotent


def test_admin_creates_pipeline_adds_renames_and_reorders_stages(session, org):
    p = pipelines.create_pipeline(session, org.admin, {"name": "Dự án B2B", "team_id": str(org.team2.id)})
    names = [s.name for s in pipelines.stages(session, p.id)]
    assert names == ["Mới", "Thành công", "Thất bại"]
    added = pipelines.add_stage(
        session, org.admin, p.id, {"name": "Khảo sát", "probability": "40", "color": "teal", "warn_days": "5"}
    )
    assert [s.name for s in pipelines.stages(session, p.id)] == ["Mới", "Khảo sát", "Thành công", "Thất bại"]
    pipelines.update_stage(session, org.admin, added.id, {"name": "Khảo sát hiện trường"})
    ids = [s.id for s in pipelines.stages(session, p.id)]
    pipelines.reorder_stages(session, org.admin, p.id, [ids[1], ids[0], ids[2], ids[3]])
    assert [s.name for s in pipelines.stages(session, p.id)][:2] == ["Khảo sát hiện trường", "Mới"]
    assert changes(session, "pipeline", p.id, "update")["stages"][1].startswith("Khảo sát hiện trường, Mới")


def test_stage_values_are_checked_and_nothing_changes(session, org, pipe):
    stage = pipelines.stages(session, pipe.id)[0]
    with pytest.raises(ValidationFailed) as exc:
        pipelines.update_stage(
            session,
            org.admin,
            stage.id,
            {"name": "", "probability": "150", "color": "neon", "warn_days": "0", "outcome": "maybe"},
        )
    assert set(exc.value.errors) == {"name", "probability", "color", "warn_days", "outcome"}
    assert reloaded(session, PipelineStage, stage.id).name == "Mới"
    with pytest.raises(ServiceError):
        pipelines.reorder_stages(session, org.admin, pipe.id, [stage.id])


def test_only_admins_edit_pipelines(session, org, pipe):
    for actor in (org.manager, org.sales_a):
        with pytest.raises(NotAllowed):
            pipelines.create_pipeline(session, actor, {"name": "X"})
        with pytest.raises(NotAllowed):
            pipelines.add_stage(session, actor, pipe.id, {"name": "X"})


def test_team_pipeline_is_used_by_its_team_only(session, org, pipe):
    p = pipelines.create_pipeline(session, org.admin, {"name": "HCM", "team_id": str(org.team2.id)})
    assert p.id in [x.id for x in pipelines.usable(session, org.other_sales)]
    assert p.id not in [x.id for x in pipelines.usable(session, org.sales_a)]
    with pytest.raises(NotAllowed):
        pipelines.get(session, org.sales_a, p.id)
    with pytest.raises(NotAllowed):
        opportunities.create(session, org.sales_a, {"name": "Deal", "pipeline_id": str(p.id)})


def test_a_stage_with_deals_cannot_be_removed(session, org, pipe):
    s = _stages(session, pipe)
    _opp(session, org.sales_a, "Tour Nhật", 1000, s["Mới"])
    with pytest.raises(ServiceError):
        pipelines.delete_stage(session, org.admin, s["Mới"].id)
    pipelines.delete_stage(session, org.admin, s["Đàm phán"].id)
    assert "Đàm phán" not in _stages(session, pipe)


# --- opportunities -----------------------------------------------------------------------------


def test_create_takes_first_open_stage_and_its_probability(session, org, pipe, cat):
    c = make_customer(session, org.sales_a, "Công ty TNHH Ánh Dương", phones="0903 000 111")
    opp = _opp(session, org.sales_a, "Hội nghị khách hàng", "150.000.000", customer_id=str(c.id))
    assert (opp.value, opp.probability, opp.owner_id) == (150_000_000, 10, org.sales_a.id)
    assert pipelines.stages(session, pipe.id)[0].id == opp.stage_id


@pytest.mark.parametrize(
    "data, field",
    [
        ({"name": ""}, "name"),
        ({"name": "X", "value": "mười triệu"}, "value"),
        ({"name": "X", "probability": "120"}, "probability"),
        ({"name": "X", "expected_close": "31/02/2026"}, "expected_close"),
    ],
)
def test_bad_opportunity_values_are_refused(session, org, pipe, data, field):
    with pytest.raises(ValidationFailed) as exc:
        opportunities.create(session, org.sales_a, data)
    assert field in exc.value.errors
    assert session.exec(select(Opportunity)).first() is None


def test_cannot_link_a_customer_one_does_not_see(session, org, pipe):
    other = make_customer(session, org.sales_b, "Khách của B", phones="0903 000 222")
    with pytest.raises(ValidationFailed) as exc:
        _opp(session, org.sales_a, "X", customer_id=str(other.id))
    assert "customer_id" in exc.value.errors


# --- moves -------------------------------------------------------------------------------------


def test_move_between_stages_keeps_order_and_writes_history(session, org, pipe):
    s = _stages(session, pipe)
    a = _opp(session, org.sales_a, "A", 100, s["Đã liên hệ"])
    b = _opp(session, org.sales_a, "B", 200, s["Đã liên hệ"])  # new cards go first: B, A
    c = _opp(session, org.sales_a, "C", 300, s["Mới"])
    # drop C between B and A
    result = opportunities.move(session, org.sales_a, c.id, s["Đã liên hệ"].id, prev_id=b.id, next_id=a.id)
    session.commit()
    assert result.stage_changed and not result.won
    col = _column(_board(session, org.sales_a, pipe), "Đã liên hệ")
    assert [card["title"] for card in col.page.cards] == ["B", "C", "A"]
    moved = reloaded(session, Opportunity, c.id)
    assert moved.probability == 20
    # stored as ids, named when read, in the reader's language
    assert changes(session, "opportunity", c.id, "update")["stage_id"] == (str(s["Mới"].id), str(s["Đã liên hệ"].id))
    shown = {r["field"]: r for r in history.of_record(session, "opportunity", c.id, "vi") if r["action"] == "Sửa"}
    assert (shown["Giai đoạn"]["old"], shown["Giai đoạn"]["new"]) == ("Mới", "Đã liên hệ")
    # within the column: A to the top
    opportunities.move(session, org.sales_a, a.id, s["Đã liên hệ"].id, prev_id=None, next_id=b.id)
    col = _column(_board(session, org.sales_a, pipe), "Đã liên hệ")
    assert [card["title"] for card in col.page.cards] == ["A", "B", "C"]


def test_move_into_a_full_gap_spreads_the_next_cards_only(session, org, pipe):
    s = _stages(session, pipe)["Mới"]
    opps = [_opp(session, org.sales_a, f"D{i:03d}", 1, s) for i in range(100)]
    for k, o in enumerate(reversed(opps)):  # ranks 0, 8, 16, ... (D099 first)
        session.get(Opportunity, o.id).rank = k * 8
    session.get(Opportunity, opps[89].id).rank = session.get(Opportunity, opps[90].id).rank + 1  # no gap here
    session.commit()
    mover = _opp(session, org.sales_a, "X", 1, _stages(session, pipe)["Đàm phán"])
    before = {o.id: reloaded(session, Opportunity, o.id).rank for o in opps}
    # drop X between the 10th and the 11th card
    opportunities.move(session, org.sales_a, mover.id, s.id, prev_id=opps[90].id, next_id=opps[89].id)
    session.commit()
    spec, grouping = opportunities.board_spec(), opportunities.grouping(session, pipe.id)
    page = board.cards(session, org.sales_a, spec, grouping, str(s.id), "vi", limit=200)
    titles = [c["title"] for c in page.cards]
    assert titles[:12] == [f"D{i:03d}" for i in range(99, 89, -1)] + ["X", "D089"]
    assert titles[12:] == [f"D{i:03d}" for i in range(88, -1, -1)]
    after = {o.id: reloaded(session, Opportunity, o.id).rank for o in opps}
    assert 0 < sum(after[i] != before[i] for i in before) <= 64


def test_moves_into_the_same_spot_keep_their_order(session, org, pipe):
    s = _stages(session, pipe)
    bottom = _opp(session, org.sales_a, "bottom", 1, s["Mới"])
    top = _opp(session, org.sales_a, "top", 1, s["Mới"])  # new cards go first
    moved = []
    for i in range(30):  # each lands right above "bottom": 30 halvings of one gap
        o = _opp(session, org.sales_a, f"M{i:02d}", 1, s["Đàm phán"])
        prev = moved[-1] if moved else top
        opportunities.move(session, org.sales_a, o.id, s["Mới"].id, prev_id=prev.id, next_id=bottom.id)
        moved.append(o)
    cards = _column(_board(session, org.sales_a, pipe), "Mới").page.cards
    assert [c["title"] for c in cards] == ["top", *[f"M{i:02d}" for i in range(30)], "bottom"]


def test_lost_needs_a_reason_from_the_catalog(session, org, pipe, cat):
    s = _stages(session, pipe)
    opp = _opp(session, org.sales_a, "Tour Hàn", 500, s["Đàm phán"])
    for bad in (None, "", "abc", str(cat["source"]["website"])):
        with pytest.raises(ValidationFailed) as exc:
            opportunities.move(session, org.sales_a, opp.id, s["Thất bại"].id, lost_reason_id=bad)
        assert "lost_reason_id" in exc.value.errors
        assert reloaded(session, Opportunity, opp.id).stage_id == s["Đàm phán"].id
    opportunities.move(session, org.sales_a, opp.id, s["Thất bại"].id, lost_reason_id=cat["lost_reason"]["price"])
    session.commit()
    lost = reloaded(session, Opportunity, opp.id)
    assert (lost.lost_reason_id, lost.probability) == (cat["lost_reason"]["price"], 0) and lost.closed_at
    assert changes(session, "opportunity", opp.id, "update")["lost_reason_id"] == (
        None,
        str(cat["lost_reason"]["price"]),
    )
    for lang, reason in (("vi", "Giá cao"), ("en", "Price too high")):
        shown = {r["field"]: r["new"] for r in history.of_record(session, "opportunity", opp.id, lang)}
        assert reason in shown.values()


def test_won_runs_the_won_handlers(session, org, pipe, monkeypatch):
    s = _stages(session, pipe)
    seen = []
    monkeypatch.setattr(opportunities, "WON_HANDLERS", [lambda _s, actor, opp: seen.append((actor.id, opp.id))])
    opp = _opp(session, org.sales_a, "Teambuilding", 900, s["Chờ ký hợp đồng"])
    result = opportunities.move(session, org.sales_a, opp.id, s["Thành công"].id)
    session.commit()
    assert result.won and seen == [(org.sales_a.id, opp.id)]
    assert reloaded(session, Opportunity, opp.id).probability == 100


def test_a_move_is_refused_to_who_may_not_change_the_record(session, org, pipe):
    s = _stages(session, pipe)
    opp = _opp(session, org.sales_a, "Của A", 100, s["Mới"])
    for actor in (org.sales_b, org.other_manager):
        with pytest.raises(NotAllowed):
            opportunities.move(session, actor, opp.id, s["Đã liên hệ"].id)
    opportunities.move(session, org.manager, opp.id, s["Đã liên hệ"].id)  # the team's manager may
    session.commit()
    assert reloaded(session, Opportunity, opp.id).stage_id == s["Đã liên hệ"].id
    with pytest.raises(ValidationFailed):  # a stage of another pipeline
        other = pipelines.create_pipeline(session, org.admin, {"name": "Khác"})
        opportunities.move(session, org.sales_a, opp.id, pipelines.stages(session, other.id)[0].id)
    assert (
        session.exec(
            select(AuditLog).where(AuditLog.entity == "opportunity", AuditLog.user_id == org.sales_b.id)
        ).first()
        is None
    )


# --- the board: totals over the whole filter ---------------------------------------------------


def test_totals_cover_the_whole_filter_not_the_loaded_cards(session, org, pipe):
    s = _stages(session, pipe)
    for i in range(7):
        _opp(session, org.sales_a, f"Tour Đà Nẵng {i}", 1_000_000, s["Gửi báo giá"])
    _opp(session, org.sales_a, "Hội nghị Hà Nội", 5_000_000, s["Gửi báo giá"])
    _opp(session, org.sales_b, "Tour Đà Nẵng B", 9_000_000, s["Gửi báo giá"])
    cols = _board(session, org.sales_a, pipe, limit=3)
    col = _column(cols, "Gửi báo giá")
    assert (col.totals.count, col.totals.total, col.totals.weighted) == (8, 12_000_000, 6_000_000)
    assert len(col.page.cards) == 3 and col.page.more
    # search: diacritics-insensitive, and the totals follow it
    col = _column(_board(session, org.sales_a, pipe, search="tour da nang", limit=3), "Gửi báo giá")
    assert (col.totals.count, col.totals.total) == (7, 7_000_000)
    # the manager sees the team: sales B's deal too
    col = _column(_board(session, org.manager, pipe, search="da nang"), "Gửi báo giá")
    assert (col.totals.count, col.totals.total) == (8, 16_000_000)
    # another team's manager sees none of it
    assert _column(_board(session, org.other_manager, pipe), "Gửi báo giá").totals.count == 0


def test_more_cards_page_after_the_last_one(session, org, pipe):
    s = _stages(session, pipe)["Mới"]
    for i in range(5):
        _opp(session, org.sales_a, f"D{i}", 1, s)
    grouping = opportunities.grouping(session, pipe.id)
    spec = opportunities.board_spec()
    first = board.cards(session, org.sales_a, spec, grouping, str(s.id), "vi", limit=2)
    second = board.cards(session, org.sales_a, spec, grouping, str(s.id), "vi", after=first.last_key, limit=2)
    third = board.cards(session, org.sales_a, spec, grouping, str(s.id), "vi", after=second.last_key, limit=2)
    titles = [c["title"] for p in (first, second, third) for c in p.cards]
    assert titles == ["D4", "D3", "D2", "D1", "D0"] and first.more and second.more and not third.more


def test_days_in_stage_past_the_limit_are_marked(session, org, pipe):
    from datetime import timedelta

    from crm_app.models._base import utcnow

    s = _stages(session, pipe)["Mới"]  # warns after 7 days
    old = _opp(session, org.sales_a, "Cũ", 1, s)
    _opp(session, org.sales_a, "Mới tạo", 1, s)
    session.get(Opportunity, old.id).stage_entered_at = utcnow() - timedelta(days=9)
    session.commit()
    cards = {c["title"]: c for c in _column(_board(session, org.sales_a, pipe), "Mới").page.cards}
    assert (cards["Cũ"]["days"], cards["Cũ"]["stale"]) == (9, True)
    assert (cards["Mới tạo"]["days"], cards["Mới tạo"]["stale"]) == (0, False)


def test_list_page_of_opportunities_uses_the_list_machinery(session, org, pipe):
    s = _stages(session, pipe)
    c = make_customer(session, org.sales_a, "Nguyễn Văn An", phones="0903 111 999")
    _opp(session, org.sales_a, "Tour Phú Quốc", 12_500_000, s["Mới"], customer_id=str(c.id))
    spec = query.ListSpec(entity="opportunity", columns=["name", "customer_id", "value", "stage_id"], search="phu quoc")
    page = query.fetch_page(session, org.sales_a, spec)
    assert page.rows[0]["customer_id"] == "Nguyễn Văn An" and page.rows[0]["value"] == "12.500.000 ₫"
    assert page.rows[0]["stage_id"] == "Mới"
    assert query.count(session, org.sales_b, spec) == 0


def test_owner_filter_narrows_totals_and_cards(session, org, pipe):
    s = _stages(session, pipe)["Mới"]
    _opp(session, org.sales_a, "Của A", 1_000, s)
    _opp(session, org.sales_b, "Của B", 5_000, s)
    grouping = opportunities.grouping(session, pipe.id)
    spec = opportunities.board_spec()
    for owner, expected in ((None, (2, 6_000)), (org.sales_b.id, (1, 5_000))):
        cols = board.load(session, org.manager, spec, board.owned_by(grouping, owner), "vi")
        col = _column(cols, "Mới")
        assert (col.totals.count, col.totals.total) == expected
    # a salesperson filtering on someone else's deals still sees none of them
    col = _column(board.load(session, org.sales_a, spec, board.owned_by(grouping, org.sales_b.id), "vi"), "Mới")
    assert col.totals.count == 0 and col.page.cards == []


def test_opportunity_list_filters_on_value_stage_and_name(session, org, pipe):
    s = _stages(session, pipe)
    _opp(session, org.sales_a, "Tour Nhật Bản đoàn 20 khách", 400_000_000, stage=s["Mới"])
    _opp(session, org.sales_a, "Visa Hàn Quốc", 12_000_000, stage=s["Đã liên hệ"])
    _opp(session, org.sales_b, "Tour Đà Lạt", 90_000_000, stage=s["Đã liên hệ"])

    def names(actor, *items):
        spec = query.ListSpec(
            entity="opportunity", columns=["name", "value", "stage_id"], filter={"op": "and", "items": list(items)}
        )
        return {r["name"] for r in query.fetch_page(session, actor, spec).rows}

    assert names(org.manager, {"field": "value", "operator": "gt", "value": "50000000"}) == {
        "Tour Nhật Bản đoàn 20 khách",
        "Tour Đà Lạt",
    }
    assert names(org.manager, {"field": "stage_id", "operator": "any_of", "value": [s["Đã liên hệ"].id]}) == {
        "Visa Hàn Quốc",
        "Tour Đà Lạt",
    }
    assert names(org.manager, {"field": "name", "operator": "contains", "value": "nhat ban"}) == {
        "Tour Nhật Bản đoàn 20 khách"
    }
    # a sales user's filter never reaches another's deals
    assert names(org.sales_a, {"field": "stage_id", "operator": "any_of", "value": [s["Đã liên hệ"].id]}) == {
        "Visa Hàn Quốc"
    }
    with pytest.raises(query.BadSpec):
        names(org.manager, {"field": "stage_id", "operator": "contains", "value": "x"})
    with pytest.raises(query.BadSpec):
        names(org.manager, {"field": "value", "operator": "gt", "value": "nhiều"})
    stages = dict(query.reference_options(session, "stage"))
    assert stages[s["Mới"].id].endswith("› Mới")

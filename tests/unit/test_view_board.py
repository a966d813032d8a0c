"""The kanban display of saved views: any list grouped by any choice field (services.view_board)."""

import pytest

from crm_app.models import Customer, Lead, Opportunity
from crm_app.services.errors import NotAllowed, ServiceError, ValidationFailed
from crm_app.services.lists.filters import BadSpec
from crm_app.services.lists.query import ListSpec
from crm_app.services.pipeline import board, leads, opportunities, pipelines, view_board
from crm_app.services.records import custom_fields
from tests.unit.factories import changes, default_catalogs, make_customer, make_org, reloaded


@pytest.fixture
def org(session):
    return make_org(session)


@pytest.fixture
def cat(session):
    return default_catalogs(session)


def _load(session, actor, entity, field, filter=None, search="", limit=50):
    spec = ListSpec(entity=entity, search=search, filter=filter)
    g = view_board.grouping(session, actor, entity, field, "vi")
    return {c.column.key: c for c in board.load(session, actor, spec, g, "vi", limit=limit)}


def _counts(cols):
    return {k: c.totals.count for k, c in cols.items() if c.totals.count}


NONE = board.NO_VALUE
HANOI = {"op": "and", "items": [{"field": "province", "operator": "any_of", "value": ["01"]}]}


def test_customers_by_status_counts_the_whole_filter(session, org):
    for i in range(3):
        make_customer(session, org.sales_a, f"Khách Hà Nội {i}", province="Hà Nội", status="potential")
    make_customer(session, org.sales_a, "Khách HN mới", province="Hà Nội")
    make_customer(session, org.sales_a, "Khách Đà Nẵng", province="Đà Nẵng", status="potential")
    cols = _load(session, org.sales_a, "customer", "status", HANOI, limit=2)
    assert list(cols) == ["lead", "potential", "customer", "inactive"]
    assert cols["potential"].column.label == "Tiềm năng"
    assert _counts(cols) == {"lead": 1, "potential": 3}
    # 2 cards loaded of 3, newest first, the rest on demand after the last one shown
    first = cols["potential"].page
    assert [c["title"] for c in first.cards] == ["Khách Hà Nội 2", "Khách Hà Nội 1"] and first.more
    g = view_board.grouping(session, org.sales_a, "customer", "status", "vi")
    rest = board.cards(
        session,
        org.sales_a,
        ListSpec(entity="customer", filter=HANOI),
        g,
        "potential",
        "vi",
        after=first.last_key,
        limit=2,
    )
    assert [c["title"] for c in rest.cards] == ["Khách Hà Nội 0"] and not rest.more
    # a search narrows it too; another salesperson sees none of these
    assert _counts(_load(session, org.sales_a, "customer", "status", HANOI, search="moi")) == {"lead": 1}
    assert _counts(_load(session, org.sales_b, "customer", "status")) == {}


def test_a_board_without_values_counts_a_column_up_to_the_cap(session, org, monkeypatch):
    monkeypatch.setattr(board, "COUNT_CAP", 2)
    for i in range(3):
        make_customer(session, org.sales_a, f"Khách tiềm năng {i}", status="potential")
    make_customer(session, org.sales_a, "Khách mới")
    cols = _load(session, org.sales_a, "customer", "status")
    potential, lead = cols["potential"].totals, cols["lead"].totals
    assert (potential.count, potential.capped) == (2, True)  # shown as "2+"
    assert (lead.count, lead.capped) == (1, False)


def test_lead_values_total_per_source_under_a_filter(session, org, cat):
    web, ref = cat["source"]["website"], cat["source"]["referral"]
    for name, source, value, province in (
        ("A", web, "10000000", "Hà Nội"),
        ("B", web, "5000000", "Hà Nội"),
        ("C", ref, "7000000", "Hà Nội"),
        ("D", web, "9000000", "Huế"),
        ("E", None, "1000000", "Hà Nội"),
    ):
        leads.create(
            session, org.sales_a, {"full_name": name, "source_id": source, "value": value, "province": province}
        )
    filter_ = {"op": "and", "items": [{"field": "province", "operator": "any_of", "value": ["01"]}]}
    cols = _load(session, org.manager, "lead", "source_id", filter_)
    assert (cols[str(web)].totals.count, cols[str(web)].totals.total) == (2, 15_000_000)
    assert cols[str(ref)].totals.total == 7_000_000
    assert cols[NONE].column.label == "(Chưa có)" and cols[NONE].totals.count == 1  # no source
    assert cols[str(web)].totals.weighted is None  # no win chance per source
    assert cols[str(web)].page.cards[0]["value"] == "5.000.000 ₫"


def test_a_drop_changes_the_field_through_the_record_service(session, org):
    c = make_customer(session, org.sales_a, "Nguyễn Văn Kéo")
    assert view_board.move(session, org.sales_a, "customer", "status", c.id, "customer") is True
    session.commit()
    assert reloaded(session, Customer, c.id).status == "customer"
    assert changes(session, "customer", c.id, "update")["status"][1] == "customer"
    cols = _load(session, org.sales_a, "customer", "status")
    assert _counts(cols) == {"customer": 1}
    # the same column again changes nothing
    assert view_board.move(session, org.sales_a, "customer", "status", c.id, "customer") is False


def test_a_drop_on_someone_elses_record_is_refused_and_changes_nothing(session, org):
    c = make_customer(session, org.sales_a, "Khách của Lan")
    with pytest.raises(NotAllowed):
        view_board.move(session, org.sales_b, "customer", "status", c.id, "inactive")
    session.rollback()
    assert reloaded(session, Customer, c.id).status == "lead"
    assert "status" not in changes(session, "customer", c.id, "update")
    # a manager of the team may; one of another team may not
    with pytest.raises(NotAllowed):
        view_board.move(session, org.other_manager, "customer", "status", c.id, "inactive")
    session.rollback()
    assert view_board.move(session, org.manager, "customer", "status", c.id, "inactive")


def test_owner_columns_follow_the_assignment_rule(session, org):
    c = make_customer(session, org.sales_a, "Chuyển chủ")
    cols = _load(session, org.sales_a, "customer", "owner_id")
    assert list(cols) == [str(org.sales_a.id)]  # a salesperson gives records to nobody else
    cols = _load(session, org.manager, "customer", "owner_id")
    assert str(org.sales_b.id) in cols and cols[str(org.sales_a.id)].totals.count == 1
    view_board.move(session, org.manager, "customer", "owner_id", c.id, str(org.sales_b.id))
    session.commit()
    assert reloaded(session, Customer, c.id).owner_id == org.sales_b.id


def test_custom_choice_field_with_an_empty_column(session, org):
    custom_fields.create(session, org.admin, "customer", {"label": "Hạng", "type": "choice", "options": "Vàng,Bạc"})
    gold = make_customer(session, org.sales_a, "Khách vàng", cf_hang="Vàng")
    plain = make_customer(session, org.sales_a, "Khách thường")
    cols = _load(session, org.sales_a, "customer", "cf_hang")
    assert [(k, c.column.label) for k, c in cols.items()] == [("Vàng", "Vàng"), ("Bạc", "Bạc"), (NONE, "(Chưa có)")]
    assert _counts(cols) == {"Vàng": 1, NONE: 1}
    assert [c["id"] for c in cols[NONE].page.cards] == [plain.id]
    view_board.move(session, org.sales_a, "customer", "cf_hang", plain.id, "Bạc")
    view_board.move(session, org.sales_a, "customer", "cf_hang", gold.id, NONE)
    assert custom_fields.snapshot(session, "customer", plain.id)["cf_hang"] == "Bạc"
    assert custom_fields.snapshot(session, "customer", gold.id)["cf_hang"] is None
    assert _counts(_load(session, org.sales_a, "customer", "cf_hang")) == {"Bạc": 1, NONE: 1}
    # filtered by the custom field itself
    only = {"op": "and", "items": [{"field": "cf_hang", "operator": "any_of", "value": ["Bạc"]}]}
    assert _counts(_load(session, org.sales_a, "customer", "cf_hang", only)) == {"Bạc": 1}


def test_unknown_or_non_choice_fields_and_columns_are_refused(session, org):
    c = make_customer(session, org.sales_a, "Khách")
    for entity, field in (
        ("customer", "full_name"),
        ("customer", "rating"),
        ("customer", "secret"),
        ("customer", "tags"),
        ("nothing", "status"),
        ("customer", None),
    ):
        with pytest.raises(BadSpec):
            view_board.grouping(session, org.sales_a, entity, field, "vi")
        with pytest.raises(BadSpec):
            view_board.move(session, org.sales_a, entity, field, c.id, "x")
    with pytest.raises(ServiceError) as exc:
        view_board.move(session, org.sales_a, "customer", "status", c.id, "vip")
    assert exc.value.key == "err.board_column"
    with pytest.raises(NotAllowed):
        view_board.move(session, org.sales_a, "customer", "status", 99999, "customer")
    assert reloaded(session, Customer, c.id).status == "lead"


def test_lead_status_and_deal_stage_keep_their_own_rules(session, org):
    lead = leads.create(session, org.sales_a, {"full_name": "Đầu mối"})
    g = view_board.grouping(session, org.sales_a, "lead", "status", "vi")
    assert g.rank_field == "rank" and [c.key for c in g.columns][-1] == "converted"
    with pytest.raises(ServiceError) as exc:
        view_board.move(session, org.sales_a, "lead", "status", lead.id, "converted")
    assert exc.value.key == "err.lead_convert_to_move"
    assert view_board.move(session, org.sales_a, "lead", "status", lead.id, "qualified")
    session.commit()
    assert reloaded(session, Lead, lead.id).status == "qualified"

    pipe = pipelines.ensure_default_pipeline(session)
    stages = pipelines.stages(session, pipe.id)
    opp = opportunities.create(session, org.sales_a, {"name": "Hợp đồng", "value": "20000000"})
    cols = _load(session, org.sales_a, "opportunity", "stage_id")
    assert cols[str(opp.stage_id)].totals.total == 20_000_000
    assert view_board.move(session, org.sales_a, "opportunity", "stage_id", opp.id, str(stages[2].id))
    session.commit()
    assert reloaded(session, Opportunity, opp.id).stage_id == stages[2].id
    lost = next(s for s in stages if s.outcome == "lost")
    with pytest.raises(ValidationFailed):  # a lost deal needs its reason: the pipeline board asks for it
        view_board.move(session, org.sales_a, "opportunity", "stage_id", opp.id, str(lost.id))
    session.rollback()
    assert reloaded(session, Opportunity, opp.id).stage_id == stages[2].id
    # a deal's lost reason is shown as columns but set by losing the deal, not by a drop
    with pytest.raises(ServiceError) as exc:
        view_board.move(session, org.sales_a, "opportunity", "lost_reason_id", opp.id, NONE)
    assert exc.value.key == "err.board_field_fixed"


def test_a_value_the_record_rules_refuse_changes_nothing(session, org, cat):
    org_customer = make_customer(session, org.sales_a, "Công ty Mẹ", kind="business")
    person = make_customer(session, org.sales_a, "Người Con", assigned_to_id=org_customer.id)
    # a person assigned to an organisation may not become an organisation of the same kind
    with pytest.raises(ValidationFailed) as exc:
        view_board.move(session, org.sales_a, "customer", "kind", person.id, "business")
    assert exc.value.errors["assigned_to_id"][0] == "err.assigned_same_kind"
    session.rollback()
    assert reloaded(session, Customer, person.id).kind == "individual"
    assert "kind" not in changes(session, "customer", person.id, "update")

"""Deals and the customer's sales: the order of a won deal (rules, rights, history, last purchase
date), a customer's deals, and the next activity shown on board cards."""

from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from crm_app.models import Customer, Opportunity, SalesDocument, SalesLine
from crm_app.models._base import utcnow
from crm_app.services.errors import NotAllowed, ServiceError, ValidationFailed
from crm_app.services.formatting import VN_OFFSET
from crm_app.services.pipeline import board, opportunities, opportunity_orders, pipelines, sales
from crm_app.services.work import activities
from tests.unit.factories import changes, committed, count, default_catalogs, make_customer, make_org, reloaded


@pytest.fixture
def org(session):
    default_catalogs(session)
    return make_org(session)


@pytest.fixture
def stages(session):
    pipe = pipelines.ensure_default_pipeline(session)
    return {s.name: s for s in pipelines.stages(session, pipe.id)}


@pytest.fixture
def cust(session, org):
    return make_customer(session, org.sales_a, "Công ty Du lịch Sen Vàng", kind="business")


def _opp(session, actor, name, value, stage, customer=None, **extra):
    data = {
        "name": name,
        "value": str(value),
        "stage_id": str(stage.id),
        "customer_id": str(customer.id) if customer else "",
        **extra,
    }
    return committed(session, opportunities.create(session, actor, data))


def _won(session, actor, stages, customer, name="Tour Phú Quốc 30 khách", value=3_250_000_000):
    opp = _opp(session, actor, name, value, stages["Chờ ký hợp đồng"], customer)
    opportunities.move(session, actor, opp.id, stages["Thành công"].id)
    return committed(session, opp)


# --- an order from a won deal ------------------------------------------------------------------


def test_a_won_deal_makes_one_order_for_its_value_linked_and_in_both_histories(session, org, stages, cust):
    opp = _won(session, org.sales_a, stages, cust)
    assert reloaded(session, Customer, cust.id).last_purchase_at is None
    doc = opportunity_orders.order_from_opportunity(session, org.sales_a, opp.id)
    session.commit()

    stored = reloaded(session, SalesDocument, doc.id)
    assert (stored.kind, stored.status, stored.customer_id, stored.opportunity_id) == ("order", "new", cust.id, opp.id)
    assert stored.total == 3_250_000_000 and stored.code.startswith("DH")  # past 2^31: money is BIGINT
    [line] = sales.lines_of(session, doc.id)
    assert (line.description, line.quantity, line.unit_price, line.amount, line.product_id) == (
        "Tour Phú Quốc 30 khách",
        1,
        3_250_000_000,
        3_250_000_000,
        None,
    )
    assert reloaded(session, Customer, cust.id).last_purchase_at == stored.doc_date
    assert changes(session, "opportunity", opp.id, "update")["order_code"] == (None, stored.code)
    created = changes(session, "order", doc.id, "create")
    assert created["opportunity"] == (None, "Tour Phú Quốc 30 khách") and created["total"] == (None, "3250000000")
    assert opportunity_orders.order_of(session, opp.id).id == doc.id
    # the order shows among the customer's quotes and orders
    assert [d.id for d in sales.of_customer(session, org.sales_a, cust.id)] == [doc.id]


def test_a_second_order_is_refused_while_the_first_stands(session, org, stages, cust):
    opp = _won(session, org.sales_a, stages, cust)
    first = opportunity_orders.order_from_opportunity(session, org.sales_a, opp.id)
    with pytest.raises(ServiceError) as err:
        opportunity_orders.order_from_opportunity(session, org.sales_a, opp.id)
    assert err.value.key == "err.order_exists" and err.value.params == {"code": first.code}
    assert count(session, SalesDocument) == 1
    sales.set_status(session, org.sales_a, first.id, "cancelled")  # a cancelled order may be made again
    second = opportunity_orders.order_from_opportunity(session, org.sales_a, opp.id)
    assert second.id != first.id and count(session, SalesDocument) == 2


@pytest.mark.parametrize("stage_name", ["Mới", "Chờ ký hợp đồng"])
def test_an_open_deal_makes_no_order(session, org, stages, cust, stage_name):
    opp = _opp(session, org.sales_a, "Chưa chốt", 5_000_000, stages[stage_name], cust)
    with pytest.raises(ServiceError) as err:
        opportunity_orders.order_from_opportunity(session, org.sales_a, opp.id)
    assert err.value.key == "err.order_needs_won"
    assert count(session, SalesDocument) == 0 and count(session, SalesLine) == 0
    assert "order_code" not in changes(session, "opportunity", opp.id, "update")


def test_a_lost_deal_makes_no_order(session, org, stages, cust):
    reasons = opportunities.lost_reasons(session, "vi")
    opp = _opp(session, org.sales_a, "Mất", 5_000_000, stages["Đàm phán"], cust)
    opportunities.move(session, org.sales_a, opp.id, stages["Thất bại"].id, lost_reason_id=reasons[0][0])
    with pytest.raises(ServiceError) as err:
        opportunity_orders.order_from_opportunity(session, org.sales_a, opp.id)
    assert err.value.key == "err.order_needs_won" and count(session, SalesDocument) == 0


def test_a_won_deal_without_customer_or_value_or_archived_makes_no_order(session, org, stages, cust):
    no_customer = _won(session, org.sales_a, stages, None, "Không khách")
    no_value = _won(session, org.sales_a, stages, cust, "Không giá trị", 0)
    archived = _won(session, org.sales_a, stages, cust, "Đã lưu trữ")
    opportunities.set_archived(session, org.sales_a, archived.id, True)
    for opp, key in (
        (no_customer, "err.order_needs_customer"),
        (no_value, "err.order_needs_value"),
        (archived, "err.record_archived"),
    ):
        with pytest.raises(ServiceError) as err:
            opportunity_orders.order_from_opportunity(session, org.sales_a, opp.id)
        assert err.value.key == key
    assert count(session, SalesDocument) == 0
    assert reloaded(session, Customer, cust.id).last_purchase_at is None


def test_who_may_not_change_the_deal_makes_no_order(session, org, stages, cust):
    opp = _won(session, org.sales_a, stages, cust)
    for actor in (org.sales_b, org.other_manager, org.other_sales):
        with pytest.raises(NotAllowed):
            opportunity_orders.order_from_opportunity(session, actor, opp.id)
    with pytest.raises(NotAllowed):  # a deal that does not exist
        opportunity_orders.order_from_opportunity(session, org.admin, 999_999)
    assert count(session, SalesDocument) == 0
    doc = opportunity_orders.order_from_opportunity(session, org.manager, opp.id)  # the team's manager may
    session.commit()
    assert reloaded(session, SalesDocument, doc.id).created_by_id == org.manager.id


def test_a_deal_of_a_customer_one_does_not_see_makes_no_order(session, org, stages):
    """The manager moved a team member's deal onto a customer the deal's owner cannot see."""
    other = make_customer(session, org.manager, "Khách của quản lý")
    opp = _won(session, org.sales_a, stages, None, "Chuyển khách")
    opp = reloaded(session, Opportunity, opp.id)
    opp.customer_id = other.id
    session.add(opp)
    session.commit()
    with pytest.raises(NotAllowed):
        opportunity_orders.order_from_opportunity(session, org.sales_a, opp.id)
    assert count(session, SalesDocument) == 0


# --- a customer's deals ------------------------------------------------------------------------


def test_a_customers_deals_open_first_with_stage_owner_and_order(session, org, stages, cust):
    old_open = _opp(
        session, org.sales_a, "Hội nghị khách hàng", 120_000_000, stages["Mới"], cust, expected_close="2026-12-20"
    )
    won = _won(session, org.sales_a, stages, cust, "Tour Nhật Bản", 900_000_000)
    doc = opportunity_orders.order_from_opportunity(session, org.sales_a, won.id)
    new_open = _opp(session, org.sales_a, "Teambuilding Đà Lạt", 80_000_000, stages["Gửi báo giá"], cust)
    archived = _opp(session, org.sales_a, "Đã bỏ", 1, stages["Mới"], cust)
    opportunities.set_archived(session, org.sales_a, archived.id, True)
    _opp(session, org.sales_a, "Khách khác", 1, stages["Mới"], make_customer(session, org.sales_a, "Khác"))

    rows = opportunity_orders.of_customer(session, org.sales_a, cust.id)
    assert [r.id for r in rows] == [new_open.id, old_open.id, won.id]
    first, second, third = rows
    assert (first.stage, first.outcome, first.value, first.owner) == ("Gửi báo giá", "open", 80_000_000, "Sales A")
    assert second.expected_close == date(2026, 12, 20) and second.order_code == ""
    assert (third.outcome, third.order_code) == ("won", doc.code)


def test_a_customers_deals_follow_the_rights(session, org, stages):
    shared = make_customer(session, org.manager, "Khách chung của nhóm")
    mine = _opp(session, org.manager, "Của quản lý", 1_000, stages["Mới"], shared)
    _opp(session, org.admin, "Của quản trị", 2_000, stages["Mới"], shared, owner_id=str(org.other_sales.id))
    assert [r.id for r in opportunity_orders.of_customer(session, org.manager, shared.id)] == [mine.id]
    assert len(opportunity_orders.of_customer(session, org.admin, shared.id)) == 2
    for actor in (org.sales_a, org.other_manager):  # they do not see the customer
        with pytest.raises(NotAllowed):
            opportunity_orders.of_customer(session, actor, shared.id)


def test_an_opportunity_made_for_a_customer_is_on_its_page(session, org, stages, cust):
    opp = opportunities.create(
        session,
        org.sales_a,
        {
            "name": "Tour Hà Giang",
            "value": "45.000.000",
            "customer_id": str(cust.id),
            "stage_id": str(stages["Đã liên hệ"].id),
            "expected_close": "2026-12-31",
        },
    )
    [row] = opportunity_orders.of_customer(session, org.sales_a, cust.id)
    assert (row.id, row.stage, row.value, row.expected_close) == (opp.id, "Đã liên hệ", 45_000_000, date(2026, 12, 31))
    with pytest.raises(ValidationFailed):  # another salesperson cannot attach a deal to A's customer
        opportunities.create(session, org.sales_b, {"name": "Chen ngang", "customer_id": str(cust.id)})


# --- the next activity on a deal's card --------------------------------------------------------


def _activity(session, actor, customer, type_code, subject, at, status="planned", due=None):
    data = {"type_code": type_code, "subject": subject, "at": at, "status": status}
    if type_code == "task":
        data.update(assignee_id=str(actor.id), due_at=due or at)
    return activities.create(session, actor, customer.id, data)


def _vn(dt: datetime) -> str:
    """A UTC moment typed as the form takes it, in Vietnam time."""
    return (dt + VN_OFFSET).strftime("%Y-%m-%dT%H:%M")


def _cards(session, actor, stages):
    pipe_id = stages["Mới"].pipeline_id
    cols = board.load(session, actor, opportunities.board_spec(), opportunities.grouping(session, pipe_id), "vi")
    return {card["id"]: card for col in cols for card in col.page.cards}


def test_a_card_shows_the_earliest_open_activity_of_its_customer(session, org, stages, cust):
    now = utcnow().replace(second=0, microsecond=0)
    opp = _opp(session, org.sales_a, "Tour Côn Đảo", 10_000_000, stages["Mới"], cust)
    _activity(session, org.sales_a, cust, "call", "Đã gọi hôm trước", _vn(now - timedelta(days=2)), status="done")
    _activity(session, org.sales_a, cust, "meeting", "Hủy hẹn", _vn(now - timedelta(days=1)), status="cancelled")
    _activity(session, org.sales_a, cust, "call", "Gọi lại", _vn(now + timedelta(days=3)))
    _activity(
        session,
        org.sales_a,
        cust,
        "task",
        "Gửi hợp đồng bản có chữ ký",
        _vn(now - timedelta(days=5)),
        due=_vn(now + timedelta(days=1)),
    )  # a task counts by its due time, not when it was set up
    card = _cards(session, org.sales_a, stages)[opp.id]
    due = (now + timedelta(days=1) + VN_OFFSET).strftime("%d/%m %H:%M")
    assert (card["note"], card["note_late"]) == (f"✔ {due} Gửi hợp đồng bản có chữ ký", False)


def test_an_overdue_activity_is_marked_and_cards_without_one_show_nothing(session, org, stages, cust):
    now = utcnow().replace(second=0, microsecond=0)
    late = _opp(session, org.sales_a, "Tour Huế", 1, stages["Mới"], cust)
    no_customer = _opp(session, org.sales_a, "Chưa có khách", 1, stages["Mới"])
    quiet = _opp(session, org.sales_a, "Khách im lặng", 1, stages["Mới"], make_customer(session, org.sales_a, "Im"))
    _activity(
        session, org.sales_a, cust, "call", "Gọi lại " + "x" * 80, _vn(now - timedelta(hours=3)), status="in_progress"
    )
    _activity(session, org.sales_a, cust, "meeting", "Gặp sau", _vn(now + timedelta(days=2)))
    cards = _cards(session, org.sales_a, stages)
    when = (now - timedelta(hours=3) + VN_OFFSET).strftime("%d/%m %H:%M")
    assert cards[late.id]["note_late"] is True
    assert cards[late.id]["note"].startswith(f"☎ {when} Gọi lại x") and cards[late.id]["note"].endswith("…")
    for opp in (no_customer, quiet):
        assert (cards[opp.id]["note"], cards[opp.id]["note_late"]) == ("", False)


def test_next_activities_are_read_in_one_query_for_every_card(session, engine, org, stages):
    statements = []
    sa.event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))

    def queries_for_a_board() -> int:
        statements.clear()
        _cards(session, org.sales_a, stages)
        return sum("activity" in sql.lower() for sql in statements)

    now = utcnow()
    for i in range(3):
        customer = make_customer(session, org.sales_a, f"Khách {i}")
        _opp(session, org.sales_a, f"Cơ hội {i}", 1, stages["Mới" if i % 2 else "Đã liên hệ"], customer)
        _activity(session, org.sales_a, customer, "call", f"Gọi {i}", _vn(now + timedelta(days=i + 1)))
    few = queries_for_a_board()
    for i in range(3, 30):
        customer = make_customer(session, org.sales_a, f"Khách {i}")
        _opp(session, org.sales_a, f"Cơ hội {i}", 1, stages["Mới" if i % 2 else "Đã liên hệ"], customer)
        _activity(session, org.sales_a, customer, "call", f"Gọi {i}", _vn(now + timedelta(days=i + 1)))
    cards = _cards(session, org.sales_a, stages)
    assert few == 1 and queries_for_a_board() == 1
    assert sum(1 for c in cards.values() if c["note"].startswith("☎")) == 30

"""'Sinh' on the customer list: one opportunity or one order for each selected customer, chosen
once, through the same services as a single one; customers the user may not change are skipped."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from crm_app.i18n import tr
from crm_app.models import AuditLog, Customer, Opportunity, SalesDocument, SalesLine
from crm_app.services.errors import ValidationFailed
from crm_app.services.lists import bulk
from crm_app.services.lists.bulk import Action, Selection
from crm_app.services.lists.filters import BadSpec
from crm_app.services.lists.query import ListSpec
from crm_app.services.people.work_scope import local_today
from crm_app.services.pipeline import pipelines, sales
from tests.unit.factories import default_catalogs, make_customer, make_org, reloaded, stored_counts


@pytest.fixture
def world(session):
    default_catalogs(session)
    org = make_org(session)
    pipeline = pipelines.ensure_default_pipeline(session)
    stages = {s.outcome: s for s in reversed(pipelines.stages(session, pipeline.id))}
    first = pipelines.first_open_stage(session, pipeline.id)
    visa = sales.save_product(session, org.admin, {"code": "VISA", "name": "Dịch vụ visa", "unit_price": 1_200_000})
    customers = {
        "a1": make_customer(session, org.sales_a, "Công ty Sinh Một"),
        "a2": make_customer(session, org.sales_a, "Công ty Sinh Hai"),
        "x": make_customer(session, org.other_sales, "Công ty Nhóm Khác"),
    }
    session.commit()
    return org, pipeline, first, stages, visa, {k: c.id for k, c in customers.items()}


def run(session, actor, ids, kind, value, entity="customer"):
    return bulk.run(session, actor, entity, Selection(ids=list(ids)), Action(kind=kind, value=value))


def deal(pipeline, stage, **extra):
    return {"name": "Gia hạn 2027", "pipeline_id": str(pipeline.id), "stage_id": str(stage.id), **extra}


def test_a_manager_makes_one_deal_per_customer_of_the_team_and_skips_another_teams(session, world):
    org, pipeline, first, _stages, _visa, ids = world
    value = deal(pipeline, first, value="15.000.000", expected_close="2027-01-31")
    result = run(session, org.manager, ids.values(), "generate_opportunity", value)
    assert (result.total, result.changed, result.skipped) == (3, 2, 1)
    made = session.exec(select(Opportunity).order_by(Opportunity.id)).all()
    assert [(o.name, o.customer_id) for o in made] == [
        ("Gia hạn 2027 – Công ty Sinh Một", ids["a1"]),
        ("Gia hạn 2027 – Công ty Sinh Hai", ids["a2"]),
    ]
    for o in made:  # as one made by hand: the stage, the value, the date; the customer's salesperson owns it
        assert (o.pipeline_id, o.stage_id, o.value, o.expected_close) == (
            pipeline.id,
            first.id,
            15_000_000,
            date(2027, 1, 31),
        )
        assert o.owner_id == org.sales_a.id
        created = session.exec(
            select(AuditLog).where(AuditLog.entity == "opportunity", AuditLog.entity_id == o.id)
        ).all()
        assert created and created[0].user_id == org.manager.id


def test_a_salesperson_makes_orders_for_her_customers_only(session, world):
    org, _pipeline, _first, _stages, visa, ids = world
    lines = [{"product_id": str(visa.id), "quantity": "3"}]
    result = run(session, org.sales_a, ids.values(), "generate_order", {"lines": lines})
    assert (result.changed, result.skipped) == (2, 1)
    orders = session.exec(select(SalesDocument).where(SalesDocument.kind == "order")).all()
    assert sorted(o.customer_id for o in orders) == sorted([ids["a1"], ids["a2"]])
    assert {o.total for o in orders} == {3_600_000}
    assert all(len(session.exec(select(SalesLine).where(SalesLine.document_id == o.id)).all()) == 1 for o in orders)
    assert reloaded(session, Customer, ids["a1"]).last_purchase_at == local_today()
    assert reloaded(session, Customer, ids["x"]).last_purchase_at is None


def test_every_matching_customer_gets_one(session, world):
    org, pipeline, first, _stages, _visa, _ids = world
    spec = ListSpec(entity="customer", search="cong ty sinh")
    result = bulk.run(
        session,
        org.admin,
        "customer",
        Selection(spec=spec),
        Action(kind="generate_opportunity", value=deal(pipeline, first)),
    )
    assert result.changed == 2 and len(session.exec(select(Opportunity)).all()) == 2


BAD = [
    ("generate_opportunity", lambda p, f, s, v: deal(p, f, name=""), "name"),
    ("generate_opportunity", lambda p, f, s, v: deal(p, f, value="mười triệu"), "value"),
    ("generate_opportunity", lambda p, f, s, v: deal(p, f, expected_close="31/02/2027"), "expected_close"),
    ("generate_opportunity", lambda p, f, s, v: deal(p, s["lost"]), "stage_id"),  # a lost deal needs its reason
    ("generate_opportunity", lambda p, f, s, v: {**deal(p, f), "stage_id": "999999"}, "stage_id"),
    ("generate_opportunity", lambda p, f, s, v: {**deal(p, f), "pipeline_id": "999999"}, "pipeline_id"),
    ("generate_order", lambda p, f, s, v: {"lines": []}, "lines"),
    ("generate_order", lambda p, f, s, v: {"lines": [{"product_id": str(v.id), "quantity": "0"}]}, "lines"),
    ("generate_order", lambda p, f, s, v: {"lines": [{"product_id": "999999", "quantity": "1"}]}, "lines"),
    ("generate_order", lambda p, f, s, v: "VISA x 3", "value"),
]


@pytest.mark.parametrize(("kind", "value", "field"), BAD, ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD)])
def test_a_wrong_choice_is_refused_at_its_field_before_anything_is_made(session, world, kind, value, field):
    org, pipeline, first, stages, visa, ids = world
    before = stored_counts(session)
    with pytest.raises(ValidationFailed) as exc:
        run(session, org.admin, ids.values(), kind, value(pipeline, first, stages, visa))
    assert field in exc.value.errors
    assert stored_counts(session) == before


def test_only_customers_are_generated_for_in_pipelines_the_user_works_in(session, world):
    org, pipeline, first, _stages, _visa, ids = world
    with pytest.raises(BadSpec):
        run(session, org.admin, [1], "generate_opportunity", deal(pipeline, first), entity="contact")
    south = pipelines.create_pipeline(session, org.admin, {"name": "Dự án miền Nam", "team_id": str(org.team2.id)})
    session.commit()
    before = stored_counts(session)
    with pytest.raises(ValidationFailed) as exc:  # another team's pipeline
        run(session, org.sales_a, ids.values(), "generate_opportunity", deal(south, first_stage(session, south)))
    assert "pipeline_id" in exc.value.errors
    assert stored_counts(session) == before


def first_stage(session, pipeline):
    return pipelines.first_open_stage(session, pipeline.id)


@pytest.mark.parametrize("days_ago", [1, 400])
def test_a_deal_closing_in_the_past_is_refused_naming_the_date(session, world, days_ago):
    org, pipeline, first, _stages, _visa, ids = world
    past = local_today() - timedelta(days=days_ago)
    before = stored_counts(session)
    with pytest.raises(ValidationFailed) as refused:
        run(
            session,
            org.manager,
            ids.values(),
            "generate_opportunity",
            deal(pipeline, first, expected_close=past.isoformat()),
        )
    key, params = refused.value.errors["expected_close"]
    assert key == "err.close_date_past"
    assert past.strftime("%d/%m/%Y") in tr(key, "vi", **params)
    session.rollback()
    assert stored_counts(session) == before
    today = run(
        session,
        org.manager,
        [ids["a1"]],
        "generate_opportunity",
        deal(pipeline, first, expected_close=local_today().isoformat()),
    )
    assert today.changed == 1  # today is not past


def test_a_product_on_two_lines_is_refused_naming_it_and_the_lines(session, world):
    org, _pipeline, _first, _stages, visa, ids = world
    tour = sales.save_product(session, org.admin, {"code": "TOUR", "name": "Tour Đà Lạt", "unit_price": 5_000_000})
    session.commit()
    before = stored_counts(session)
    lines = [
        {"product_id": str(visa.id), "quantity": "1"},
        {"product_id": str(tour.id), "quantity": "2"},
        {"product_id": str(visa.id), "quantity": "3"},
    ]
    with pytest.raises(ValidationFailed) as refused:
        run(session, org.sales_a, [ids["a1"], ids["a2"]], "generate_order", {"lines": lines})
    key, params = refused.value.errors["lines"]
    assert key == "err.line_product_repeated"
    message = tr(key, "vi", **params)
    assert "“Dịch vụ visa”" in message and "dòng 1" in message and "dòng 3" in message
    session.rollback()
    assert stored_counts(session) == before

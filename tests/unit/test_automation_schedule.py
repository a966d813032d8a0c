"""Date rules checked daily (a birthday today, a deal closing in N days, a last purchase N days
ago), once a day each; owners given in turn within a team (round-robin), across runs."""

from datetime import date, timedelta

import pytest
from sqlmodel import select

from crm_app.models import Activity, AutomationRun, Customer
from crm_app.services.automation import rules, runner, schedule
from crm_app.services.errors import NotAllowed, ServiceError, ValidationFailed
from crm_app.services.lists.bulk import Selection
from tests.unit.factories import default_catalogs, make_customer, make_org, make_team, make_user, reloaded

TODAY = date(2026, 12, 5)
TASK = {"kind": "create_task", "subject": "Chúc mừng sinh nhật", "due_days": 0, "assignee": "owner"}


@pytest.fixture
def org(session):
    default_catalogs(session)
    return make_org(session)


def keep(session, actor, **data):
    rule = rules.save(session, actor, {"name": "Quy tắc ngày", "entity": "customer", "actions": [TASK]} | data)
    session.commit()
    return rule


def tasks_of(session, customer_id):
    return session.exec(select(Activity).where(Activity.customer_id == customer_id)).all()


def test_a_birthday_today_whatever_the_year(session, org):
    keep(session, org.admin, trigger="date", trigger_field="birthday", trigger_value="0")
    today = make_customer(session, org.sales_a, "Khách Sinh Nhật", phones="0911 000 001", birthday="1990-12-05")
    other = make_customer(session, org.sales_a, "Khách Khác Ngày", phones="0911 000 002", birthday="1990-12-06")
    assert schedule.run_due(TODAY) == 1
    session.expire_all()
    assert len(tasks_of(session, today.id)) == 1 and tasks_of(session, other.id) == []
    run = session.exec(select(AutomationRun)).one()
    assert (run.source, run.matched, run.changed) == ("schedule", 1, 1)


def test_once_a_day_only(session, org):
    keep(session, org.admin, trigger="date", trigger_field="birthday", trigger_value="0")
    c = make_customer(session, org.sales_a, "Khách Sinh Nhật", phones="0911 000 003", birthday="1990-12-05")
    schedule.run_due(TODAY)
    assert schedule.run_due(TODAY) == 0
    session.expire_all()
    assert len(tasks_of(session, c.id)) == 1
    schedule.run_due(TODAY + timedelta(days=365))  # the next year's birthday
    session.expire_all()
    assert len(tasks_of(session, c.id)) == 2


def test_a_last_purchase_n_days_ago(session, org):
    rule = keep(session, org.admin, trigger="date", trigger_field="last_purchase_at", trigger_value="-90")
    c = make_customer(session, org.sales_a, "Khách Lâu Không Mua", phones="0911 000 004")
    recent = make_customer(session, org.sales_a, "Khách Mới Mua", phones="0911 000 005")
    session.get(Customer, c.id).last_purchase_at = TODAY - timedelta(days=90)
    session.get(Customer, recent.id).last_purchase_at = TODAY - timedelta(days=10)
    session.commit()
    report = schedule.run_rule(session, session.get(type(rule), rule.id), TODAY)
    assert (report.matched, report.changed) == (1, 1)
    assert len(tasks_of(session, c.id)) == 1 and tasks_of(session, recent.id) == []


def test_the_conditions_and_the_makers_rights_apply(session, org):
    potential = {"op": "and", "items": [{"field": "status", "operator": "any_of", "value": ["potential"]}]}
    keep(session, org.manager, trigger="date", trigger_field="birthday", trigger_value="0", conditions=potential)
    mine = make_customer(
        session, org.sales_a, "Khách A", phones="0911 000 006", birthday="1990-12-05", status="potential"
    )
    lead = make_customer(session, org.sales_a, "Khách B", phones="0911 000 007", birthday="1990-12-05", status="lead")
    theirs = make_customer(
        session, org.other_sales, "Khách C", phones="0911 000 008", birthday="1990-12-05", status="potential"
    )
    schedule.run_due(TODAY)
    session.expire_all()
    assert [len(tasks_of(session, c.id)) for c in (mine, lead, theirs)] == [1, 0, 0]


def test_a_date_rule_on_a_field_that_is_not_a_date_is_refused(session, org):
    with pytest.raises(ServiceError) as exc:
        keep(session, org.admin, trigger="date", trigger_field="province", trigger_value="0")
    assert exc.value.key == "err.automation_date_field"


# --- owners in turn ------------------------------------------------------------------------------


def owner_in_turn(team_id):
    return {"kind": "change_owner", "mode": "round_robin", "value": team_id}


def test_owners_are_given_in_turn_across_runs(session, org):
    rule = keep(session, org.manager, actions=[owner_in_turn(org.team1.id)])
    made = [make_customer(session, org.manager, f"Khách {n}", phones=f"0911 000 10{n}") for n in range(5)]
    ids = [c.id for c in made]
    *_, report = runner.run_logged(session, org.manager, rule.id, "customer", Selection(ids=ids[:3]))
    owners = [reloaded(session, Customer, i).owner_id for i in ids[:3]]
    assert owners == [org.sales_a.id, org.sales_b.id, org.sales_a.id]  # the team's salespeople, in turn
    assert report.per_action == [3]
    *_, report = runner.run_logged(session, org.manager, rule.id, "customer", Selection(ids=ids[3:]))
    assert [reloaded(session, Customer, i).owner_id for i in ids[3:]] == [org.sales_b.id, org.sales_a.id]


def test_a_preview_of_owners_in_turn_moves_no_turn(session, org):
    rule = keep(session, org.manager, actions=[owner_in_turn(org.team1.id)])
    c = make_customer(session, org.manager, "Khách Xem", phones="0911 000 200")
    runner.preview(session.get_bind(), org.manager, rule.id, "customer", Selection(ids=[c.id]))
    assert reloaded(session, type(rule), rule.id).next_owner == 0
    assert reloaded(session, Customer, c.id).owner_id == org.manager.id


def test_owners_in_turn_only_within_a_team_the_maker_may_give_to(session, org):
    with pytest.raises(NotAllowed):
        keep(session, org.manager, actions=[owner_in_turn(org.team2.id)])
    with pytest.raises(ValidationFailed):
        keep(session, org.admin, actions=[owner_in_turn(999)])
    empty = make_team(session, "Nhóm Trống")
    make_user(session, "quanly.trong", "manager", empty)
    with pytest.raises(ServiceError) as exc:
        keep(session, org.admin, actions=[owner_in_turn(empty.id)])
    assert (exc.value.key, exc.value.params) == ("err.automation_team_empty", {"name": "Nhóm Trống"})

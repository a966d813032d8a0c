"""Event rules: a change is queued in its own transaction only when a rule watches the entity; the
worker acts on it after the commit (created, updated, a field changed to a value, the stage);
a rule's own changes do not trigger it again, and a chain of rules stops at a fixed depth, logged."""

import pytest
from sqlmodel import select

from crm_app.models import Activity, AutomationEvent, AutomationRun
from crm_app.services.automation import events, rules, worker
from crm_app.services.customer import customer_status, customers
from crm_app.services.records import catalogs
from tests.unit.factories import default_catalogs, make_customer, make_org, reloaded

TASK = {"kind": "create_task", "subject": "Gọi lại khách", "due_days": 2, "assignee": "owner"}


@pytest.fixture
def org(session):
    default_catalogs(session)
    return make_org(session)


def keep(session, actor, **data):
    rule = rules.save(session, actor, {"name": "Quy tắc", "entity": "customer", "actions": [TASK]} | data)
    session.commit()
    return rule


def queued(session) -> list[AutomationEvent]:
    return list(session.exec(select(AutomationEvent).order_by(AutomationEvent.id)).all())


def work(session) -> None:
    session.commit()
    while worker.process_pending():
        pass
    session.expire_all()


def tasks_of(session, customer_id):
    return session.exec(select(Activity).where(Activity.customer_id == customer_id)).all()


def tags_of(session, customer_id):
    return catalogs.tags_for_customers(session, [customer_id]).get(customer_id, [])


def test_nothing_is_queued_while_no_rule_watches(session, org):
    keep(session, org.admin)  # run by hand only
    make_customer(session, org.sales_a, "Khách A", phones="0911 000 001")
    assert queued(session) == []


def test_a_created_rule_acts_after_the_commit(session, org):
    keep(session, org.admin, trigger="created")
    c = customers.create(session, org.sales_a, {"full_name": "Khách Mới", "phones": "0911 000 002"}).customer
    assert [e.kind for e in queued(session)] == ["created"]
    assert tasks_of(session, c.id) == []  # not in the user's request
    work(session)
    assert [(t.subject, t.assignee_id) for t in tasks_of(session, c.id)] == [("Gọi lại khách", org.sales_a.id)]
    run = session.exec(select(AutomationRun)).one()
    assert (run.source, run.started_by_id, run.matched, run.changed) == ("event", None, 1, 1)
    assert queued(session)[0].status == "done"


def test_an_updated_rule_acts_on_any_change_and_not_on_a_save_changing_nothing(session, org):
    keep(session, org.admin, trigger="updated", actions=[{"kind": "add_tags", "value": "Đã sửa"}])
    c = make_customer(session, org.sales_a, "Khách Sửa", phones="0911 000 003")
    customers.update(session, org.sales_a, c.id, {"full_name": "Khách Sửa", "phones": "0911 000 003"})
    assert [e.kind for e in queued(session)] == ["created"]  # the save changing nothing is no change
    customers.update(session, org.sales_a, c.id, {"full_name": "Khách Đã Sửa", "phones": "0911 000 003"})
    work(session)
    assert tags_of(session, c.id) == ["Đã sửa"]


@pytest.mark.parametrize("value", ["potential", "Tiềm năng", "tiem nang", ""])
def test_a_field_changed_to_a_value_by_its_code_or_label(session, org, value):
    keep(session, org.admin, trigger="field_changed", trigger_field="status", trigger_value=value, actions=[TASK])
    c = make_customer(session, org.sales_a, "Khách Đầu Mối", phones="0911 000 004", status="lead")
    work(session)
    assert tasks_of(session, c.id) == []  # created, not changed
    customer_status.promote_lead(session, org.sales_a, c.id)
    work(session)
    assert len(tasks_of(session, c.id)) == 1


def test_a_field_changed_to_another_value_does_not_fire(session, org):
    keep(session, org.admin, trigger="field_changed", trigger_field="status", trigger_value="customer")
    c = make_customer(session, org.sales_a, "Khách Khác", phones="0911 000 005", status="lead")
    customer_status.promote_lead(session, org.sales_a, c.id)
    work(session)
    assert tasks_of(session, c.id) == [] and session.exec(select(AutomationRun)).all() == []


def test_conditions_apply_to_the_changed_record(session, org):
    vip = {"op": "and", "items": [{"field": "province", "operator": "any_of", "value": ["01"]}]}
    keep(session, org.admin, trigger="created", conditions=vip)
    far = make_customer(session, org.sales_a, "Khách Huế", phones="0911 000 006", province="Huế")
    near = make_customer(session, org.sales_a, "Khách Hà Nội", phones="0911 000 007", province="Hà Nội")
    work(session)
    assert tasks_of(session, far.id) == [] and len(tasks_of(session, near.id)) == 1
    assert len(session.exec(select(AutomationRun)).all()) == 1  # a record not matched is not logged


def test_a_rule_runs_as_its_maker_within_their_rights(session, org):
    keep(session, org.manager, trigger="created", actions=[{"kind": "add_tags", "value": "Nhóm HN"}])
    mine = make_customer(session, org.sales_a, "Khách Nhóm", phones="0911 000 008")
    theirs = make_customer(session, org.other_sales, "Khách Nhóm Khác", phones="0911 000 009")
    work(session)
    assert tags_of(session, mine.id) == ["Nhóm HN"]
    assert tags_of(session, theirs.id) == []  # outside the manager's team: not theirs to change


def test_a_rules_own_change_does_not_trigger_it_again(session, org):
    keep(session, org.admin, trigger="updated", actions=[{"kind": "update_field", "field": "province", "value": "Huế"}])
    c = make_customer(session, org.sales_a, "Khách Vòng", phones="0911 000 010")
    customers.update(session, org.sales_a, c.id, {"full_name": "Khách Vòng Lặp", "phones": "0911 000 010"})
    work(session)
    assert reloaded(session, type(c), c.id).province == "46"
    assert len(session.exec(select(AutomationRun)).all()) == 1
    rule_id = session.exec(select(AutomationRun)).one().rule_id
    assert [(e.kind, e.chain) for e in queued(session)] == [("created", []), ("updated", []), ("updated", [rule_id])]


def test_two_rules_changing_the_same_field_end_without_acting_twice_in_a_chain(session, org):
    """Rating 1, rating 2 by turns: each acts on the other's change once, then the chain holds both."""
    for rating in ("1", "2"):
        keep(
            session,
            org.admin,
            trigger="updated",
            actions=[{"kind": "update_field", "field": "rating", "value": rating}],
        )
    c = make_customer(session, org.sales_a, "Khách Chuỗi", phones="0911 000 011")
    customers.update(session, org.sales_a, c.id, {"full_name": "Khách Chuỗi Dài", "phones": "0911 000 011"})
    work(session)
    assert all(e.status == "done" for e in queued(session))
    assert all(len(set(e.chain)) == len(e.chain) for e in queued(session))


def test_a_chain_stops_at_its_depth_with_a_logged_reason(session, org):
    rule = keep(session, org.admin, trigger="updated")
    c = make_customer(session, org.sales_a, "Khách Chuỗi Sâu", phones="0911 000 013")
    deep = AutomationEvent(
        entity="customer", record_id=c.id, kind="updated", changes={"rating": "3"}, chain=[901, 902, 903]
    )
    session.add(deep)
    session.commit()
    worker.handle(session, deep)
    run = session.exec(select(AutomationRun)).one()
    assert (run.rule_id, run.status, run.reasons) == (
        rule.id,
        "stopped",
        [[c.id, "err.automation_chain_depth", {"max": events.MAX_CHAIN}]],
    )
    assert tasks_of(session, c.id) == []
    shorter = AutomationEvent(
        entity="customer", record_id=c.id, kind="updated", changes={"rating": "3"}, chain=[901, 902]
    )
    session.add(shorter)
    session.commit()
    worker.handle(session, shorter)
    assert len(tasks_of(session, c.id)) == 1


def test_a_deactivated_rule_queues_and_does_nothing(session, org):
    rule = keep(session, org.admin, trigger="created")
    rules.set_active(session, org.admin, rule.id, False)
    session.commit()
    c = make_customer(session, org.sales_a, "Khách Tắt", phones="0911 000 012")
    work(session)
    assert queued(session) == [] and tasks_of(session, c.id) == []  # no active rule watches: nothing queued

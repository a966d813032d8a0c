"""The event queue survives a worker that dies (its claim taken back after the lease, given up
after a few tries), and the values read on every save are kept in the process yet follow a
change at once in this process and within seconds in another."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from crm_app.db import make_engine
from crm_app.models import AutomationEvent
from crm_app.models._base import utcnow
from crm_app.services import process_cache
from crm_app.services.automation import events, rules, worker
from crm_app.services.customer import customers
from crm_app.services.people import team_sharing
from crm_app.services.people.permissions import load_actor
from crm_app.services.records import catalogs
from tests.unit.factories import default_catalogs, make_customer, make_org

TAG = {"kind": "add_tags", "value": "Đã sửa"}


@pytest.fixture
def org(session):
    default_catalogs(session)
    return make_org(session)


def keep(session, actor, **data):
    rule = rules.save(session, actor, {"name": "Quy tắc", "entity": "customer", "actions": [TAG]} | data)
    session.commit()
    return rule


def event_of(session) -> AutomationEvent:
    """The user's change (a rule's own change is queued after it)."""
    session.expire_all()
    return session.exec(select(AutomationEvent).order_by(AutomationEvent.id)).first()


def claimed_ago(session, minutes: float) -> None:
    """The queued change claimed by a worker ``minutes`` ago, which then stopped."""
    session.execute(
        sa.update(AutomationEvent).values(
            status="working", claimed_at=utcnow() - timedelta(minutes=minutes), attempts=AutomationEvent.attempts + 1
        )
    )
    session.commit()


# --- the lease -------------------------------------------------------------------------------------


def test_a_claim_records_when_and_how_many_times(session, org):
    keep(session, org.admin, trigger="updated")
    c = make_customer(session, org.sales_a, "Khách Một", phones="0911 000 101")
    session.commit()
    assert worker.process_pending() == 1
    event = event_of(session)
    assert (event.status, event.attempts) == ("done", 1)
    assert event.claimed_at is not None
    assert catalogs.tags_for_customers(session, [c.id]) == {}  # created, not updated: nothing to do


def test_a_dead_workers_claim_is_taken_back_after_the_lease(session, org):
    keep(session, org.admin, trigger="updated")
    c = make_customer(session, org.sales_a, "Khách Hai", phones="0911 000 102")
    session.commit()
    session.execute(sa.delete(AutomationEvent))
    customers.update(session, org.sales_a, c.id, {"full_name": "Khách Hai Sửa", "phones": "0911 000 102"})
    session.commit()

    claimed_ago(session, 1)  # within the lease: its worker may still be at it
    assert worker.process_pending() == 0
    assert event_of(session).status == "working"
    assert catalogs.tags_for_customers(session, [c.id]) == {}

    claimed_ago(session, worker.LEASE.total_seconds() / 60 + 1)  # past it: the worker died
    assert worker.process_pending() == 1
    event = event_of(session)
    assert (event.status, event.attempts) == ("done", 3)
    assert catalogs.tags_for_customers(session, [c.id]) == {c.id: ["Đã sửa"]}


def test_a_change_that_kills_its_worker_each_time_is_given_up(session, org):
    keep(session, org.admin, trigger="updated")
    c = make_customer(session, org.sales_a, "Khách Ba", phones="0911 000 103")
    session.commit()
    session.execute(sa.delete(AutomationEvent))
    customers.update(session, org.sales_a, c.id, {"full_name": "Khách Ba Sửa", "phones": "0911 000 103"})
    session.commit()
    for _ in range(worker.MAX_ATTEMPTS):
        claimed_ago(session, 60)
    assert worker.process_pending() == 0
    assert event_of(session).status == "failed"
    assert catalogs.tags_for_customers(session, [c.id]) == {}
    assert worker.process_pending() == 0  # not taken again


def test_two_workers_never_take_the_same_change(session, org, engine):
    keep(session, org.admin, trigger="updated")
    make_customer(session, org.sales_a, "Khách Bốn", phones="0911 000 104")
    session.commit()
    with Session(engine) as one, Session(engine) as other:
        first = [e.id for e in worker._claim(one)]
        second = [e.id for e in worker._claim(other)]
    assert len(first) == 1 and second == []


# --- kept in the process ---------------------------------------------------------------------------


def test_a_rule_switched_in_this_process_is_seen_by_the_next_save_at_once(session, org):
    assert events.watched(session, "customer") is False
    rule = keep(session, org.admin, trigger="updated")
    assert events.watched(session, "customer") is True
    rules.set_active(session, org.admin, rule.id, False)
    session.commit()
    assert events.watched(session, "customer") is False


def test_another_workers_change_is_seen_within_the_expiry(session, org, db_url, monkeypatch):
    """Another process is another engine on the same database: its change is not announced here."""
    assert events.watched(session, "customer") is False
    other = make_engine(db_url)
    try:
        with Session(other) as s:
            keep(s, load_actor(s, org.admin.id), trigger="updated")
    finally:
        other.dispose()
    assert events.watched(session, "customer") is False  # still the kept value
    now = process_cache.time.monotonic()
    monkeypatch.setattr(process_cache.time, "monotonic", lambda: now + process_cache.TTL_SECONDS + 0.1)
    assert events.watched(session, "customer") is True


def test_the_sharing_setting_changes_rights_at_once_and_a_rollback_leaves_them(session, org):
    assert not load_actor(session, org.sales_b.id).sees_owner(org.sales_a.id)
    team_sharing.set_mode(session, org.admin, "read")
    session.rollback()
    assert not load_actor(session, org.sales_b.id).sees_owner(org.sales_a.id)
    team_sharing.set_mode(session, org.admin, "read")
    session.commit()
    assert load_actor(session, org.sales_b.id).sees_owner(org.sales_a.id)

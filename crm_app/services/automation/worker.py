"""The event rules at work: the queued changes (services.automation.events) read after their
transaction committed, outside any user's request, each acted on by the active rules of its
entity whose trigger it fits.

A rule runs as the one who made it (its rights: a record they may not change is skipped), on the
one record, through the same runner as a run by hand, and each run that matched is logged. The
rules that led to a change (its chain) never act on it again; a chain reaching ``MAX_CHAIN``
stops there, logged as stopped with the reason. Several workers may poll: each event is claimed
by one (the update names the claim it expects); a claim not finished within ``LEASE`` (its worker
died or was stopped) is taken back by the next poll, so a change is acted on at least once (a
rule cut off midway may act again on the record).
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from crm_app.db import session_scope
from crm_app.models import AutomationEvent, AutomationRule, AutomationRun
from crm_app.models._base import utcnow
from crm_app.services.automation import events, runner, schedule
from crm_app.services.errors import ServiceError
from crm_app.services.lists.bulk import Selection
from crm_app.services.normalize import normalize_name
from crm_app.services.people.permissions import load_actor
from crm_app.services.records.fields import entity_def

log = logging.getLogger(__name__)
BATCH = 50
POLL_SECONDS = 1.0
SCHEDULE_SECONDS = 60.0
# A batch's events take seconds at most (one record each); a claim this old is a dead worker's.
LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 3


def fires(session: Session, rule: AutomationRule, event: AutomationEvent) -> bool:
    """Whether the change is one the rule's trigger names."""
    if rule.trigger == "created":
        return event.kind == "created"
    if rule.trigger == "updated":
        return event.kind == "updated"
    if event.kind != "updated":  # a new record's values are given, not changed
        return False
    if rule.trigger == "stage_changed":
        return "stage_id" in event.changes
    if rule.trigger != "field_changed" or rule.trigger_field not in event.changes:
        return False
    if not rule.trigger_value:
        return True
    new = event.changes[rule.trigger_field]
    field = entity_def(session, rule.entity).field(rule.trigger_field)
    # a choice is named by its code or its label in either language ("potential", "Tiềm năng")
    names = {new or ""}
    if field is not None and field.values:
        names |= {label for code, label in (*field.choice_pairs("vi"), *field.choice_pairs("en")) if code == new}
    wanted = normalize_name(rule.trigger_value)
    return any(normalize_name(n) == wanted for n in names)


def _claimable(now: datetime) -> sa.ColumnElement[bool]:
    """Queued, or claimed by a worker that has not finished within the lease (it died)."""
    return sa.or_(
        AutomationEvent.status == "queued",
        sa.and_(AutomationEvent.status == "working", AutomationEvent.claimed_at < now - LEASE),
    )


def _claim(session: Session, limit: int = BATCH) -> list[AutomationEvent]:
    """Up to ``limit`` events taken for this worker: each update names the claim it replaces, so
    two workers never take the same one. An event whose claims have killed ``MAX_ATTEMPTS``
    workers is given up (status "failed") rather than kill the next."""
    now = utcnow()
    free = session.exec(select(AutomationEvent).where(_claimable(now)).order_by(AutomationEvent.id).limit(limit)).all()
    claimed = []
    for event in free:
        given_up = event.attempts >= MAX_ATTEMPTS
        done = session.execute(
            sa.update(AutomationEvent)
            .where(
                AutomationEvent.id == event.id,
                AutomationEvent.status == event.status,
                AutomationEvent.attempts == event.attempts,
            )
            .values(
                status="failed" if given_up else "working",
                claimed_at=now,
                attempts=AutomationEvent.attempts + (0 if given_up else 1),
            )
        ).rowcount
        if done and given_up:
            log.warning(
                "change %s of %s %s given up after %s tries", event.id, event.entity, event.record_id, MAX_ATTEMPTS
            )
        elif done:
            claimed.append(event)
    session.commit()
    return claimed


def _stopped(session: Session, rule: AutomationRule, event: AutomationEvent) -> None:
    """A chain too long: logged as stopped, naming why, and nothing runs."""
    session.add(
        AutomationRun(
            rule_id=rule.id,
            source="event",
            status="stopped",
            selected=1,
            reasons=[[event.record_id, "err.automation_chain_depth", {"max": events.MAX_CHAIN}]],
            finished_at=utcnow(),
        )
    )
    session.commit()
    log.info("rule %s not run on %s %s: chain %s", rule.id, event.entity, event.record_id, event.chain)


def handle(session: Session, event: AutomationEvent) -> None:
    rules_ = session.exec(
        select(AutomationRule)
        .where(
            AutomationRule.entity == event.entity,
            AutomationRule.active == sa.true(),
            AutomationRule.deleted == sa.false(),
            AutomationRule.trigger.in_(events.EVENT_TRIGGERS),
        )
        .order_by(AutomationRule.id)
    ).all()
    chain = tuple(event.chain or ())
    for rule in rules_:
        if rule.id in chain or not fires(session, rule, event):
            continue  # a rule never acts on its own changes
        if len(chain) >= events.MAX_CHAIN:
            _stopped(session, rule, event)
            continue
        selection = Selection(ids=[event.record_id])
        try:
            actor = load_actor(session, rule.created_by_id)
            _report, ids = runner.matched_ids(session, actor, rule, selection)
            if not ids:
                continue
            for _step in runner.run_logged(session, actor, rule.id, event.entity, selection, "event", after=chain):
                pass
        except ServiceError as exc:  # logged by the run (a rule made wrong since): the next rule goes on
            session.rollback()
            log.info("rule %s on %s %s: %s", rule.id, event.entity, event.record_id, exc.key)


def process_pending(limit: int = BATCH) -> int:
    """Acts on the queued changes (at most ``limit``); how many were handled."""
    with session_scope() as session:
        claimed = _claim(session, limit)
        for event in claimed:
            handle(session, event)
            session.execute(sa.update(AutomationEvent).where(AutomationEvent.id == event.id).values(status="done"))
            session.commit()
        return len(claimed)


async def run_forever() -> None:
    """The app's worker loop: queued changes are acted on within about a second; the date rules
    are looked at every minute (each runs once a day)."""
    next_schedule = 0.0
    while True:
        try:
            while await asyncio.to_thread(process_pending):
                pass
            if time.monotonic() >= next_schedule:
                next_schedule = time.monotonic() + SCHEDULE_SECONDS
                await asyncio.to_thread(schedule.run_due)
        except Exception as exc:  # noqa: BLE001 - the next round tries again
            log.warning("automation rules failed: %s", exc)
        await asyncio.sleep(POLL_SECONDS)

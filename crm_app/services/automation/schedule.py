"""Date rules, checked once a day: the records whose date field falls on today + N days
(N < 0: N days ago; a birthday: its day and month, every year) and that match the rule's
conditions, acted on as a run of the rule's maker, logged with source "schedule".

One worker checks each rule each day: the day is claimed by an update naming the day it expects.
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from crm_app.db import session_scope
from crm_app.models import AutomationRule
from crm_app.models._base import utcnow
from crm_app.services.automation import runner
from crm_app.services.errors import ServiceError
from crm_app.services.lists.bulk import Selection
from crm_app.services.lists.filters import compile_filter
from crm_app.services.people.permissions import load_actor
from crm_app.services.people.work_scope import local_date
from crm_app.services.records.fields import entity_def

ANNUAL = ("birthday",)  # a date that comes back every year


def due_clause(session: Session, rule: AutomationRule, today: date) -> sa.ColumnElement[bool]:
    """The records whose date falls on the rule's day (a field removed since: BadSpec naming it)."""
    entity = entity_def(session, rule.entity)
    target = today + timedelta(days=int(rule.trigger_value or 0))
    if rule.trigger_field in ANNUAL:
        column = getattr(entity.model, rule.trigger_field)
        return sa.and_(sa.extract("month", column) == target.month, sa.extract("day", column) == target.day)
    item = {"field": rule.trigger_field, "operator": "eq", "value": target.isoformat()}
    return compile_filter(entity, {"op": "and", "items": [item]}, today)


def _claim(session: Session, rule: AutomationRule, today: date) -> bool:
    claimed = session.execute(
        sa.update(AutomationRule)
        .where(
            AutomationRule.id == rule.id,
            sa.or_(AutomationRule.checked_on.is_(None), AutomationRule.checked_on != today),
        )
        .values(checked_on=today)
    ).rowcount
    session.commit()
    return bool(claimed)


def run_rule(session: Session, rule: AutomationRule, today: date) -> runner.Report | None:
    """The rule's run of the day over its due records (None: none is due)."""
    actor = load_actor(session, rule.created_by_id)
    model = entity_def(session, rule.entity).model
    due = session.execute(
        sa.select(model.id).where(due_clause(session, rule, today), model.archived == sa.false())
    ).scalars()
    ids = list(due.all())
    if not ids:
        return None
    *_, report = runner.run_logged(session, actor, rule.id, rule.entity, Selection(ids=ids), "schedule")
    return report


def run_due(today: date | None = None) -> int:
    """Every active date rule not yet checked today, checked; how many ran."""
    today = today or local_date(utcnow())
    ran = 0
    with session_scope() as session:
        date_rules = session.exec(
            select(AutomationRule).where(
                AutomationRule.trigger == "date",
                AutomationRule.active == sa.true(),
                AutomationRule.deleted == sa.false(),
                sa.or_(AutomationRule.checked_on.is_(None), AutomationRule.checked_on != today),
            )
        ).all()
        for rule in date_rules:
            if not _claim(session, rule, today):
                continue  # another worker has it
            try:
                ran += run_rule(session, rule, today) is not None
            except ServiceError:  # logged by the run; the other rules go on
                session.rollback()
    return ran

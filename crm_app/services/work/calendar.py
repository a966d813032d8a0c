"""The calendar: activities placed on Vietnam-time days (a task at its due time, any other
activity at its time), limited to what the actor sees and to the chosen users' work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from crm_app.models import Activity, Customer
from crm_app.services.formatting import VN_OFFSET
from crm_app.services.lists.query import change_rights
from crm_app.services.people.permissions import Actor, visibility_clause
from crm_app.services.people.work_scope import Scope, day_start, in_scope, local_date
from crm_app.services.work.activities import TASK

# more than this many items in a view are not read (a day shows a few and "+n")
MAX_ITEMS = 1_000


def person_column():
    """The user whose work an activity is: its assignee, else who wrote it."""
    return sa.func.coalesce(Activity.assignee_id, Activity.created_by_id)


def position(activity_type: str, at: datetime | None, due_at: datetime | None) -> datetime | None:
    """Where an activity sits on the calendar."""
    return due_at if activity_type == TASK else at


@dataclass
class Item:
    id: int
    day: date
    time: str  # HH:MM, Vietnam time
    type_code: str
    subject: str
    status: str
    customer_id: int
    customer_name: str
    person_id: int | None
    movable: bool = False  # the actor may move it to another day: they may change it, or it is theirs to do


def visible_clauses(actor: Actor, scope: Scope) -> list[sa.ColumnElement[bool]]:
    clauses = [Activity.archived == sa.false()]
    vis = visibility_clause(actor, Activity.owner_id, Activity.assignee_id)
    if vis is not None:
        clauses.append(vis)
    return clauses + in_scope(person_column(), scope)


def items(
    session: Session, actor: Actor, first: date, end: date, scope: Scope = None, limit: int = MAX_ITEMS
) -> list[Item]:
    """The activities placed on the days ``first`` <= day < ``end``, in time order."""
    start, stop = day_start(first), day_start(end)
    base = visible_clauses(actor, scope)
    cols = (
        Activity.id,
        Activity.type_code,
        Activity.subject,
        Activity.content,
        Activity.at,
        Activity.due_at,
        Activity.status,
        Activity.customer_id,
        person_column(),
    )
    timed = sa.select(*cols).where(*base, Activity.type_code != TASK, Activity.at >= start, Activity.at < stop)
    tasks = sa.select(*cols).where(*base, Activity.type_code == TASK, Activity.due_at >= start, Activity.due_at < stop)
    rows = [
        *session.execute(timed.order_by(Activity.at).limit(limit)).all(),
        *session.execute(tasks.order_by(Activity.due_at).limit(limit)).all(),
    ]
    names = _customer_names(session, {r[7] for r in rows})
    out = []
    movable = change_rights(session, actor, "activity", [r[0] for r in rows])  # as the move is checked
    for rid, type_code, subject, content, at, due_at, status, customer_id, person in rows:
        when = position(type_code, at, due_at)
        out.append(
            Item(
                id=rid,
                day=local_date(when),
                time=(_aware(when) + VN_OFFSET).strftime("%H:%M"),
                type_code=type_code,
                subject=subject or content[:80],
                status=status,
                customer_id=customer_id,
                customer_name=names.get(customer_id, ""),
                person_id=person,
                movable=rid in movable,
            )
        )
    out.sort(key=lambda i: (i.day, i.time, i.id))
    return out[:limit]


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _customer_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(session.execute(sa.select(Customer.id, Customer.full_name).where(Customer.id.in_(sorted(ids)))).all())


def month_grid(month_first: date) -> list[date]:
    """The days of a month view: whole weeks, Monday first."""
    start = month_first - timedelta(days=month_first.weekday())
    next_month = (month_first + timedelta(days=32)).replace(day=1)
    end = next_month + timedelta(days=(7 - next_month.weekday()) % 7)
    return [start + timedelta(days=i) for i in range((end - start).days)]


def week_of(day: date) -> list[date]:
    start = day - timedelta(days=day.weekday())
    return [start + timedelta(days=i) for i in range(7)]

"""The dashboard's figures for a scope of users (work_scope), over what the actor may see.

Each figure is one indexed query: tasks by assignee and due time, activities by owner and time,
deals by owner and stage (the board's covering index) or close time, leads and customers by
owner and creation time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from crm_app.i18n import tr
from crm_app.models import Activity, ActivityDay, AuditLog, Customer, Lead, Opportunity, Pipeline, PipelineStage
from crm_app.services.people import users
from crm_app.services.people.permissions import Actor, visibility_clause
from crm_app.services.people.work_scope import Scope, day_start, in_scope, local_day_sql, month_bounds
from crm_app.services.records import catalogs
from crm_app.services.work.activities import TASK
from crm_app.services.work.calendar import person_column, visible_clauses

OPEN_TASK = ("planned", "in_progress")


def _owned(column, actor: Actor, scope: Scope) -> list[sa.ColumnElement[bool]]:
    """Records the actor sees, of the scope's owners."""
    vis = visibility_clause(actor, column)
    return ([vis] if vis is not None else []) + in_scope(column, scope)


@dataclass
class TaskRow:
    id: int
    subject: str
    due_at: datetime
    status: str
    customer_id: int
    assignee_id: int | None


def open_tasks(session: Session, actor: Actor, scope: Scope, today: date, limit: int = 30) -> list[TaskRow]:
    """Open tasks of the scope's users due before the end of ``today`` (overdue first)."""
    end = day_start(date.fromordinal(today.toordinal() + 1))
    clauses = [Activity.type_code == TASK, Activity.status.in_(OPEN_TASK), Activity.due_at < end]
    if scope is None:
        vis = visibility_clause(actor, Activity.owner_id, Activity.assignee_id)
        clauses += [vis] if vis is not None else []
    else:
        clauses += in_scope(Activity.assignee_id, scope)
    stmt = (
        sa.select(
            Activity.id,
            Activity.subject,
            Activity.content,
            Activity.due_at,
            Activity.status,
            Activity.customer_id,
            Activity.assignee_id,
        )
        .where(*clauses)
        .order_by(Activity.due_at, Activity.id)
        .limit(limit)
    )
    return [
        TaskRow(id=r[0], subject=r[1] or r[2][:80], due_at=r[3], status=r[4], customer_id=r[5], assignee_id=r[6])
        for r in session.execute(stmt).all()
    ]


def _day_count_clauses(actor: Actor, scope: Scope, first: date, end: date) -> list[sa.ColumnElement[bool]]:
    clauses = [ActivityDay.archived == sa.false(), ActivityDay.day >= first, ActivityDay.day < end, ActivityDay.n > 0]
    vis = visibility_clause(actor, ActivityDay.owner_id, ActivityDay.person_id)
    return clauses + ([vis] if vis is not None else []) + in_scope(ActivityDay.person_id, scope)


def busy_days(session: Session, actor: Actor, scope: Scope, month_first: date) -> set[date]:
    """The days of the month with an activity or a task (read from the day counts)."""
    first, nxt = month_bounds(month_first)
    days = (
        session.execute(sa.select(ActivityDay.day).where(*_day_count_clauses(actor, scope, first, nxt)).distinct())
        .scalars()
        .all()
    )
    return {d if isinstance(d, date) else date.fromisoformat(d) for d in days}


CHART_KEYS = ("type", "user", "week")


def activities_by(
    session: Session, actor: Actor, scope: Scope, first: date, end: date, key: str, extra: list | None = None
) -> list[tuple[object, int]]:
    """Activities (by their time) between two days, counted by "type", "user" or "week"
    (the Monday of each week); ``extra``: more WHERE clauses (a list's filter)."""
    start, stop = day_start(first), day_start(end)
    base = [*visible_clauses(actor, scope), Activity.at >= start, Activity.at < stop, *(extra or [])]
    if key == "week":
        day = local_day_sql(session, Activity.at)
        rows = session.execute(sa.select(day, sa.func.count()).where(*base).group_by(day)).all()
        weeks: dict[date, int] = {}
        for value, n in rows:
            d = value if isinstance(value, date) else date.fromisoformat(value)
            monday = date.fromordinal(d.toordinal() - d.weekday())
            weeks[monday] = weeks.get(monday, 0) + int(n)
        return sorted(weeks.items())
    group = Activity.type_code if key == "type" else person_column()
    rows = session.execute(sa.select(group, sa.func.count()).where(*base).group_by(group)).all()
    return sorted(((g, int(n)) for g, n in rows), key=lambda r: -r[1])


def activities_per_user(session: Session, actor: Actor, scope: Scope, first: date, end: date) -> list[tuple[str, int]]:
    """Activities on the days between ``first`` and ``end`` (a task on its due day) per person, most first."""
    total = sa.func.sum(ActivityDay.n)
    rows = session.execute(
        sa.select(ActivityDay.person_id, total)
        .where(*_day_count_clauses(actor, scope, first, end))
        .group_by(ActivityDay.person_id)
        .having(total > 0)
    ).all()
    names = users.names_by_id(session, [pid for pid, _ in rows])
    return sorted(((names.get(pid, "—"), int(n)) for pid, n in rows), key=lambda r: -r[1])


@dataclass
class StageFigure:
    stage_id: int
    name: str
    color: str
    count: int
    value: int


def default_pipeline_id(session: Session) -> int | None:
    return session.exec(
        select(Pipeline.id).where(Pipeline.active == sa.true()).order_by(Pipeline.position, Pipeline.id)
    ).first()


def pipeline_by_stage(session: Session, actor: Actor, scope: Scope, pipeline_id: int | None) -> list[StageFigure]:
    """Open deals of a pipeline: count and value per stage, in stage order.

    A team is summed owner by owner (one range each of the owner's board index): given the
    whole list of owners, SQLite walks the pipeline's index past every other owner's deals."""
    if pipeline_id is None:
        return []
    stages = session.exec(
        select(PipelineStage)
        .where(PipelineStage.pipeline_id == pipeline_id, PipelineStage.outcome == "open")
        .order_by(PipelineStage.position, PipelineStage.id)
    ).all()
    owners = scope if scope is not None else actor.visible_owner_ids
    owner_lists = [None] if owners is None else [[o] for o in sorted(owners) if actor.sees_owner(o)]
    parts = [
        sa.select(Opportunity.stage_id, sa.func.count(), sa.func.coalesce(sa.func.sum(Opportunity.value), 0))
        .where(
            Opportunity.pipeline_id == pipeline_id,
            Opportunity.archived == sa.false(),
            Opportunity.stage_id.in_([s.id for s in stages]),
            *([] if only is None else [Opportunity.owner_id == only[0]]),
        )
        .group_by(Opportunity.stage_id)
        for only in owner_lists
    ]
    totals: dict[int, tuple[int, int]] = {}
    if parts and stages:
        for stage_id, n, value in session.execute(sa.union_all(*parts) if len(parts) > 1 else parts[0]).all():
            count, total = totals.get(stage_id, (0, 0))
            totals[stage_id] = (count + int(n), total + int(value))
    return [StageFigure(s.id, s.name, s.color, *totals.get(s.id, (0, 0))) for s in stages]


def won_lost(session: Session, actor: Actor, scope: Scope, first: date, end: date) -> dict[str, tuple[int, int]]:
    """Deals closed between two days: {"won": (count, value), "lost": (count, value)}."""
    outcome_of = dict(
        session.execute(
            sa.select(PipelineStage.id, PipelineStage.outcome).where(PipelineStage.outcome.in_(("won", "lost")))
        ).all()
    )
    result = {"won": (0, 0), "lost": (0, 0)}
    if not outcome_of:
        return result
    stmt = (
        sa.select(Opportunity.stage_id, sa.func.count(), sa.func.coalesce(sa.func.sum(Opportunity.value), 0))
        .where(
            Opportunity.closed_at >= day_start(first),
            Opportunity.closed_at < day_start(end),
            Opportunity.archived == sa.false(),
            Opportunity.stage_id.in_(sorted(outcome_of)),
            *_owned(Opportunity.owner_id, actor, scope),
        )
        .group_by(Opportunity.stage_id)
    )
    for stage_id, n, value in session.execute(stmt).all():
        count, total = result[outcome_of[stage_id]]
        result[outcome_of[stage_id]] = (count + int(n), total + int(value))
    return result


def leads_by_source(
    session: Session, actor: Actor, scope: Scope, first: date, end: date, lang: str
) -> list[tuple[str, int]]:
    """Leads created between two days, counted by source (most first)."""
    stmt = (
        sa.select(Lead.source_id, sa.func.count())
        .where(
            Lead.created_at >= day_start(first),
            Lead.created_at < day_start(end),
            Lead.archived == sa.false(),
            *_owned(Lead.owner_id, actor, scope),
        )
        .group_by(Lead.source_id)
    )
    rows = session.execute(stmt).all()
    labels = catalogs.labels_by_id(session, {sid for sid, _ in rows if sid}, lang)
    unknown = tr("dash.no_source", lang)
    return sorted(((labels.get(sid, unknown) if sid else unknown, int(n)) for sid, n in rows), key=lambda r: -r[1])


def new_customers(session: Session, actor: Actor, scope: Scope, first: date, end: date) -> int:
    stmt = (
        sa.select(sa.func.count())
        .select_from(Customer)
        .where(
            Customer.created_at >= day_start(first),
            Customer.created_at < day_start(end),
            Customer.archived == sa.false(),
            *_owned(Customer.owner_id, actor, scope),
        )
    )
    return int(session.execute(stmt).scalar_one())


def recent_customers(
    session: Session, actor: Actor, user_id: int, limit: int = 8, scan: int = 400
) -> list[tuple[int, str, str, datetime]]:
    """Customers the user last worked on (their history, newest first) that the actor sees:
    (id, code, name, when)."""
    rows = session.execute(
        sa.select(AuditLog.root_id, AuditLog.at)
        .where(AuditLog.user_id == user_id, AuditLog.root_entity == "customer")
        .order_by(AuditLog.id.desc())
        .limit(scan)
    ).all()
    latest: dict[int, datetime] = {}
    for root_id, at in rows:
        latest.setdefault(root_id, at)
    if len(latest) < limit:  # little history yet: the user's customers changed last
        for cid, at in session.execute(
            sa.select(Customer.id, Customer.updated_at)
            .where(Customer.archived == sa.false(), Customer.owner_id == user_id)
            .order_by(Customer.updated_at.desc(), Customer.id.desc())
            .limit(limit)
        ).all():
            latest.setdefault(cid, at)
    if not latest:
        return []
    stmt = sa.select(Customer.id, Customer.code, Customer.full_name).where(
        Customer.id.in_(list(latest)), Customer.archived == sa.false(), *_owned(Customer.owner_id, actor, None)
    )
    found = {r[0]: r for r in session.execute(stmt).all()}
    ordered = sorted((i for i in latest if i in found), key=lambda i: latest[i], reverse=True)[:limit]
    return [(i, found[i][1], found[i][2], latest[i]) for i in ordered]

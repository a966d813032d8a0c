"""Running an automation rule over records: which match, what each action changes, and the log.

- The records are a list's selection (ticked rows, or every record its filter matches), kept to
  those the one who runs it may change (the others are counted as skipped), then to those the
  rule's conditions match.
- Each action runs over the matched records in order, through the machinery a user's change
  goes through: bulk actions by ``bulk.run_steps`` (rights per record, set-based writes, history
  rows), a task by the activity service. Every history row written meanwhile carries the rule
  (``audit.acting_rule``), so the History tab names the rule as who made the change.
- The preview is the run itself in a transaction that is rolled back: its counts and first rows
  are what the run would do, by the same code (one database write lock while it lasts on SQLite).
- A run is logged (AutomationRun): who started it, when, selected, matched, changed, skipped,
  failed with reasons, and how many records each action changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session

from crm_app.db import begin_immediate
from crm_app.models import AuditLog, AutomationRule, AutomationRun
from crm_app.models._base import utcnow
from crm_app.services import jobs
from crm_app.services.automation import rules
from crm_app.services.errors import NotAllowed, ServiceError, ValidationFailed
from crm_app.services.lists import bulk, query
from crm_app.services.lists.filters import compile_filter
from crm_app.services.people.permissions import Actor
from crm_app.services.records import audit, history
from crm_app.services.records.fields import entity_def
from crm_app.services.work import activities

TASK_CHUNK = 200
IN_CHUNK = 5_000  # ids bound in one IN (...) when the conditions are tested
PREVIEW_ROWS = 10
MAX_REASONS = 50  # failures kept with their reason in the log (all are counted)


@dataclass
class Report:
    selected: int = 0
    matched: int = 0
    changed: int = 0  # records the rule changed (by any of its actions)
    skipped: int = 0  # records the one who ran it may not change
    failed: int = 0
    reasons: list[list] = field(default_factory=list)  # [record id, message key, params]
    per_action: list[int] = field(default_factory=list)  # records each action changed
    done: int = 0  # progress: actions done on records, of total
    total: int = 0


@dataclass
class Preview:
    report: Report
    kinds: list[str]  # the rule's actions, in order (report.per_action counts each)
    rows: list[dict[str, str]]  # the first changes as the History tab shows them


# --- which records --------------------------------------------------------------------------------


def matched_ids(session: Session, actor: Actor, rule: AutomationRule, selection: bulk.Selection) -> tuple[Report, list]:
    """(a report with selected / matched / skipped, the matched ids in order): the selection kept
    to the records the actor may change (a teammate's record shared read-only is skipped), then
    to those the rule's conditions match."""
    entity = entity_def(session, rule.entity)
    condition = compile_filter(entity, rule.conditions)  # a field removed since: BadSpec naming it
    model = entity.model
    if selection.spec is not None:
        return _matched_in_list(session, actor, model, condition, selection.spec, rule.entity)
    report = Report()
    chosen = sa.select(model.id, model.owner_id).where(model.id.in_({int(i) for i in selection.ids or []}))
    report.selected = len({int(i) for i in selection.ids or []})
    owners = dict(session.execute(chosen).all())
    changeable = sorted(i for i, owner in owners.items() if actor.sees_owner(owner) and actor.edits_owner(owner))
    report.skipped = report.selected - len(changeable)
    ids: list[int] = []
    for start in range(0, len(changeable), IN_CHUNK):  # the conditions, tested a part of the ids at a time
        part = changeable[start : start + IN_CHUNK]
        where = [model.id.in_(part), *([condition] if condition is not None else [])]
        ids += session.execute(sa.select(model.id).where(*where).order_by(model.id)).scalars().all()
    report.matched = len(ids)
    return report, ids


def _matched_in_list(
    session: Session, actor: Actor, model, condition, spec: query.ListSpec, entity: str
) -> tuple[Report, list]:
    """Every record of a list (its filter, as the actor sees it): counted, and the matching ones
    the actor may change read in one query, the rule's conditions and the rights in its WHERE (a
    list of 250,000 records is not brought into Python to be tested a part at a time)."""
    if spec.entity != entity:
        raise rules.RuleError("err.unknown_entity", name=spec.entity)
    shown = query.where_clauses(actor, spec, session)
    editable = [] if actor.editable_owner_ids is None else [model.owner_id.in_(sorted(actor.editable_owner_ids))]
    report = Report()
    report.selected = _count(session, model, shown)  # what the list shows
    report.skipped = report.selected - (_count(session, model, [*shown, *editable]) if editable else report.selected)
    where = [*shown, *editable, *([condition] if condition is not None else [])]
    ids = list(session.execute(sa.select(model.id).where(*where).order_by(model.id)).scalars().all())
    report.matched = len(ids)
    return report, ids


def _count(session: Session, model, where: list) -> int:
    return session.execute(sa.select(sa.func.count()).select_from(model).where(*where)).scalar_one()


# --- running --------------------------------------------------------------------------------------


def run_steps(
    session: Session,
    actor: Actor,
    rule: AutomationRule,
    selection: bulk.Selection,
    job_id: int | None = None,
    after: tuple[int, ...] = (),
) -> Iterator[Report]:
    """Runs the rule's actions over the matched records, yielding the report after each part (first:
    before any change). Every action is checked first, as the actor: a wrong one changes nothing.
    ``after``: the rules whose changes this run acts on (an event's chain)."""
    entity = entity_def(session, rule.entity)
    actions = rules.checked_actions(session, actor, entity, rule.actions)
    marker = session.execute(sa.select(sa.func.max(AuditLog.id))).scalar() or 0
    report, ids = matched_ids(session, actor, rule, selection)
    report.total = len(ids) * len(actions)
    report.per_action = [0] * len(actions)
    yield report
    for index, item in enumerate(actions):
        if item["kind"] == "create_task":
            task = rules.TaskAction(item["subject"], item["due_days"], item["assignee"])
            for start in range(0, len(ids), TASK_CHUNK):
                part = ids[start : start + TASK_CHUNK]
                with audit.acting_rule(rule.id, after):
                    made = _tasks(session, actor, entity.model, task, part, report)
                    jobs.progress_in(session, job_id, report.done + len(part), report.total)
                    session.commit()
                report.per_action[index] += made
                report.done += len(part)
                yield report
            continue
        for part, action in _bulk_parts(session, actor, rule, item, ids):
            steps = bulk.run_steps(session, actor, rule.entity, bulk.Selection(ids=part), action)
            changed_before, done_before = report.per_action[index], report.done
            while True:
                with audit.acting_rule(rule.id, after):
                    step = next(steps, None)
                if step is None:
                    break
                report.per_action[index] = changed_before + step.changed
                report.done = done_before + step.done
                jobs.progress_in(session, job_id, report.done, report.total)
                yield report
    report.changed = _records_changed(session, rule, marker)
    yield report


def _bulk_parts(
    session: Session, actor: Actor, rule: AutomationRule, item: dict, ids: list[int]
) -> list[tuple[list[int], bulk.Action]]:
    """The bulk action over the records; owners in turn: one change of owner per member, each over
    the records whose turn is theirs, starting where the rule's last run stopped."""
    if item["mode"] != rules.ROUND_ROBIN:
        return [(ids, rules.bulk_action(item))]
    members = rules.team_members(session, actor, item["value"])
    start = rule.next_owner
    turns: dict[int, list[int]] = {}
    for i, rid in enumerate(ids):
        turns.setdefault(members[(start + i) % len(members)], []).append(rid)
    # committed with the first part (rolled back with a preview)
    session.execute(
        sa.update(AutomationRule)
        .where(AutomationRule.id == rule.id)
        .values(next_owner=(start + len(ids)) % len(members))
    )
    return [(part, bulk.Action(kind="change_owner", value=member)) for member, part in turns.items()]


def _tasks(session: Session, actor: Actor, model, task: rules.TaskAction, ids: list[int], report: Report) -> int:
    """A task for each record, through the activity service; a record it cannot be made for fails
    with its reason. How many were made."""
    made = 0
    due = utcnow() + timedelta(days=task.due_days)
    for rid in ids:
        record = session.get(model, rid)
        customer_id = rid if model.__name__ == "Customer" else record.customer_id
        assignee = record.owner_id if task.assignee == rules.OWNER else int(task.assignee)
        data = {"type_code": activities.TASK, "subject": task.subject, "due_at": due, "status": "planned"}
        try:
            if customer_id is None:
                raise ServiceError("err.automation_no_customer")
            if assignee is None:
                raise ServiceError("err.automation_no_owner")
            with session.begin_nested():
                activities.create(session, actor, customer_id, {**data, "assignee_id": assignee})
            made += 1
        except (NotAllowed, ValidationFailed, ServiceError) as exc:
            _failed(report, rid, exc)
    return made


def _failed(report: Report, rid: int, exc: ServiceError) -> None:
    report.failed += 1
    if len(report.reasons) < MAX_REASONS:
        if isinstance(exc, ValidationFailed) and exc.errors:
            name, (key, params) = next(iter(exc.errors.items()))
            report.reasons.append([rid, key, {**params, "field": name}])
        else:
            report.reasons.append([rid, exc.key, {k: str(v) for k, v in exc.params.items()}])


def _records_changed(session: Session, rule: AutomationRule, marker: int) -> int:
    """The records whose history the rule wrote to in this run (a task counts for its customer)."""
    return session.execute(
        sa.select(sa.func.count(sa.distinct(AuditLog.root_id))).where(
            AuditLog.id > marker, AuditLog.rule_id == rule.id, AuditLog.root_entity == rule.entity
        )
    ).scalar_one()


def run(session: Session, actor: Actor, rule: AutomationRule, selection: bulk.Selection) -> Report:
    *_, last = run_steps(session, actor, rule, selection)
    return last


# --- preview --------------------------------------------------------------------------------------


def preview(
    engine: sa.Engine, actor: Actor, rule_id: int, entity: str, selection: bulk.Selection, lang: str = "vi"
) -> Preview:
    """What running the rule would do: the run itself on a connection of its own, rolled back."""
    with engine.connect() as conn:
        outer = conn.begin()
        if conn.dialect.name == "sqlite":  # the driver would begin only at the first write
            begin_immediate(conn)
        try:
            with Session(bind=conn, join_transaction_mode="create_savepoint") as session:
                rule = rules.runnable_rule(session, rule_id, entity)
                marker = session.execute(sa.select(sa.func.max(AuditLog.id))).scalar() or 0
                report = run(session, actor, rule, selection)
                written = session.execute(
                    sa.select(AuditLog)
                    .where(AuditLog.id > marker, AuditLog.rule_id == rule.id)
                    .order_by(AuditLog.id)
                    .limit(PREVIEW_ROWS)
                )
                rows = history.describe(session, list(written.scalars().all()), lang)
                kinds = [a.get("kind", "") for a in rule.actions]
        finally:
            outer.rollback()
    return Preview(report=report, kinds=kinds, rows=rows)


# --- the log --------------------------------------------------------------------------------------


def run_logged(
    session: Session,
    actor: Actor,
    rule_id: int,
    entity: str,
    selection: bulk.Selection,
    source: str = "manual",
    job_id: int | None = None,
    after: tuple[int, ...] = (),
) -> Iterator[Report]:
    """``run_steps`` written to the log: a row when it starts (committed), its counts when it ends,
    or "failed" with the reason when it stops."""
    rule = rules.runnable_rule(session, rule_id, entity)
    log = AutomationRun(
        rule_id=rule.id, source=source, started_by_id=actor.id if source == "manual" else None, job_id=job_id
    )
    session.add(log)
    session.commit()
    report = Report()
    try:
        for report in run_steps(session, actor, rule, selection, job_id, after):
            yield report
    except ServiceError as exc:
        session.rollback()
        _failed(report, 0, exc)
        _close(session, log, report, "failed")
        raise
    _close(session, log, report, "done")


def _close(session: Session, log: AutomationRun, report: Report, status: str) -> None:
    for name in ("selected", "matched", "changed", "skipped", "failed"):
        setattr(log, name, getattr(report, name))
    log.reasons, log.actions, log.status, log.finished_at = report.reasons, report.per_action, status, utcnow()
    session.add(log)
    session.commit()


def runs(session: Session, actor: Actor, rule_id: int | None = None, limit: int = 50) -> list[AutomationRun]:
    """The log of the runs of the rules the actor keeps, newest first."""
    kept = {r.id for r in rules.kept(session, actor)} if not actor.is_admin else None
    stmt = sa.select(AutomationRun).order_by(AutomationRun.id.desc()).limit(limit)
    if rule_id is not None:
        stmt = stmt.where(AutomationRun.rule_id == rule_id)
    if kept is not None:
        stmt = stmt.where(AutomationRun.rule_id.in_(sorted(kept)))
    return list(session.execute(stmt).scalars().all())

"""The history of every record: one row per changed field."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime

from sqlmodel import Session, select

from crm_app.models import AuditLog
from crm_app.services.automation import events
from crm_app.services.records import watchers

# The automation rules whose actions are being written, the acting one last (a rule acting on a
# change another rule made follows it): the last one's id goes on every history row written
# meanwhile, so the History tab names it as who made the change (services.automation), and the
# changes they make are queued with the whole chain (automation.events: no rule acts twice).
_RULE_CHAIN: ContextVar[tuple[int, ...]] = ContextVar("rule_chain", default=())


@contextmanager
def acting_rule(rule_id: int, after: tuple[int, ...] = ()) -> Iterator[None]:
    """History written inside is marked as made by the rule (``after``: the rules whose changes
    it acts on). Entered and left in one thread and one step of work (a context variable does
    not follow a generator across threads)."""
    token = _RULE_CHAIN.set((*after, rule_id))
    try:
        yield
    finally:
        _RULE_CHAIN.reset(token)


def rule_chain() -> tuple[int, ...]:
    return _RULE_CHAIN.get()


def _acting_rule() -> int | None:
    chain = _RULE_CHAIN.get()
    return chain[-1] if chain else None


def is_blank(value: object) -> bool:
    """Nothing given: no value, empty text, 0, False or an empty list (a rating 0 is no rating)."""
    return value is None or value == "" or value == 0 or value is False or value == [] or value == ()


def stored_text(value: object) -> str | None:
    """A value as history stores it: codes and ids as written, dates ISO, a moment in UTC to the
    minute (what a form shows and sends: seconds are never a change), booleans 1/0, lists joined."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return moment.replace(second=0, microsecond=0).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, list | tuple | set):
        return ", ".join(str(v) for v in value) or None
    return str(value)


def diff(before: dict, after: dict) -> list[tuple[str, str | None, str | None]]:
    changes = []
    for field in after:
        old, new = stored_text(before.get(field)), stored_text(after.get(field))
        if old != new:
            changes.append((field, old, new))
    return changes


def record(
    session: Session,
    entity: str,
    entity_id: int,
    action: str,
    user_id: int | None,
    before: dict | None = None,
    after: dict | None = None,
    root: tuple[str, int] | None = None,
) -> int:
    """Write the history of one action; returns how many field changes were written.

    ``root`` names the record whose history shows the rows (the customer of a note, a task,
    a file ...); by default the record itself.
    """
    root_entity, root_id = root or (entity, entity_id)
    if action == "create" and after:  # a new record's history names what it was given, not its blanks
        after = {k: v for k, v in after.items() if not is_blank(v)}
    changes = diff(before or {}, after or {}) if after is not None else []
    if action == "update" and not changes:
        return 0
    if not (action == "create" and (root_entity, root_id) == (entity, entity_id)):  # a new record is no change
        watchers.note_change(session, root_entity, root_id, user_id)
    if (root_entity, root_id) == (entity, entity_id) and (changes or action == "create"):
        events.note(session, entity, entity_id, action, {f: new for f, _old, new in changes}, user_id, rule_chain())
    base = {
        "entity": entity,
        "entity_id": entity_id,
        "action": action,
        "user_id": user_id,
        "root_entity": root_entity,
        "root_id": root_id,
        "rule_id": _acting_rule(),
    }
    if not changes:
        session.add(AuditLog(**base))
        return 1
    for field, old, new in changes:
        session.add(AuditLog(**base, field=field, old_value=old, new_value=new))
    return len(changes)


def row(
    entity: str,
    entity_id: int,
    action: str,
    user_id: int | None,
    at: datetime,
    field: str | None = None,
    old: object = None,
    new: object = None,
) -> dict:
    """One history row as a set-based write (a bulk action, an import) inserts it; the record is
    its own root, so the row shows on its History tab like a form's change."""
    return {
        "entity": entity,
        "entity_id": entity_id,
        "root_entity": entity,
        "root_id": entity_id,
        "action": action,
        "field": field,
        "old_value": stored_text(old),
        "new_value": stored_text(new),
        "user_id": user_id,
        "rule_id": _acting_rule(),
        "at": at,
    }


def history(session: Session, entity: str, entity_id: int, limit: int = 200) -> list[AuditLog]:
    stmt = (
        select(AuditLog)
        .where(AuditLog.entity == entity, AuditLog.entity_id == entity_id)
        .order_by(AuditLog.id.desc())
        .limit(limit)
    )
    return list(session.exec(stmt).all())

"""Changes that event rules act on, queued in the change's own transaction.

A save writes one small row here (when an active event rule watches the entity) and nothing
more: the rules run after the change is committed, in the worker (services.automation.worker),
so a save stays as fast as without rules. A change a rule made is queued with the chain of rules
that led to it, so no rule acts on its own changes and a chain stops at ``MAX_CHAIN``.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session

from crm_app.models import AutomationEvent, AutomationRule
from crm_app.models._base import utcnow
from crm_app.services import process_cache

EVENT_TRIGGERS = ("created", "updated", "field_changed", "stage_changed")
ENTITIES = ("customer", "contact", "lead", "opportunity")
MAX_CHAIN = 3  # rules acting on rules' changes: the third in a row is the last


def watched(session: Session, entity: str) -> bool:
    """Whether an active rule acts on changes of the entity: asked on every save, so kept in the
    process a few seconds (services.process_cache; a rule kept or switched forgets it)."""
    return process_cache.cached(session, ("automation_watched", entity), lambda: _watched(session, entity))


def _watched(session: Session, entity: str) -> bool:
    return (
        session.execute(
            sa.select(AutomationRule.id)
            .where(
                AutomationRule.entity == entity,
                AutomationRule.active == sa.true(),
                AutomationRule.deleted == sa.false(),
                AutomationRule.trigger.in_(EVENT_TRIGGERS),
            )
            .limit(1)
        ).first()
        is not None
    )


def note(
    session: Session,
    entity: str,
    record_id: int,
    action: str,
    changes: dict[str, str | None],
    user_id: int | None,
    chain: tuple[int, ...] = (),
) -> None:
    """A record created or changed (``changes``: each changed field's new value as history stores
    it), queued for the event rules of its entity when there are any."""
    if entity not in ENTITIES or action in ("delete", "archive", "restore") or not watched(session, entity):
        return
    kind = "created" if action == "create" else "updated"
    session.add(
        AutomationEvent(
            entity=entity, record_id=record_id, kind=kind, changes=changes, user_id=user_id, chain=list(chain)
        )
    )


def note_rows(session: Session, rows: list[dict], chain: tuple[int, ...] = ()) -> None:
    """The changes of a set-based write (a bulk action, a rule's), from its history rows."""
    changed: dict[tuple[str, int], dict] = {}
    for row in rows:
        if row["action"] == "update" and row["field"]:
            changed.setdefault((row["entity"], row["entity_id"]), {})[row["field"]] = row["new_value"]
    for entity in {e for e, _ in changed}:
        if entity not in ENTITIES or not watched(session, entity):
            continue
        session.execute(
            sa.insert(AutomationEvent),
            [
                {
                    "entity": e,
                    "record_id": rid,
                    "kind": "updated",
                    "changes": fields,
                    "user_id": rows[0]["user_id"],
                    "chain": list(chain),
                    "status": "queued",
                    "created_at": utcnow(),
                }
                for (e, rid), fields in changed.items()
                if e == entity
            ],
        )

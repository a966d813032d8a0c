"""Watchers and notify-on-change: the owner and the watchers of a record hear in the app of every
change to it (or to its children: a customer's activities, notes, files ...).

The audit history sees every write, so ``audit.record`` reports each change here; the
notifications are written when the transaction commits, one per record and person, never to the
person who made the change, nor to one already notified directly in the same transaction (the
assignee of a new task gets that message instead).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, select

from crm_app import routes
from crm_app.i18n import tr
from crm_app.models import Customer, Lead, Opportunity, User, Watcher
from crm_app.services.errors import NotAllowed
from crm_app.services.people.permissions import Actor, ensure_visible
from crm_app.services.work import notifications

PENDING = "pending_change_notes"


@dataclass(frozen=True)
class Watchable:
    model: type
    name_field: str
    url: object  # record id -> link


WATCHABLE = {
    "customer": Watchable(Customer, "full_name", routes.customer_url),
    "opportunity": Watchable(Opportunity, "name", routes.opportunity_url),
    "lead": Watchable(Lead, "full_name", routes.lead_url),
}


def _record(session: Session, actor: Actor, entity: str, record_id: int):
    kind = WATCHABLE.get(entity)
    if kind is None:
        raise NotAllowed()
    row = session.get(kind.model, record_id)
    ensure_visible(actor, row)
    return row


def is_watching(session: Session, actor: Actor, entity: str, record_id: int) -> bool:
    return (
        session.exec(
            select(Watcher.id).where(
                Watcher.entity == entity, Watcher.record_id == record_id, Watcher.user_id == actor.id
            )
        ).first()
        is not None
    )


def set_watching(session: Session, actor: Actor, entity: str, record_id: int, watching: bool) -> bool:
    """Start or stop watching a record the actor sees; returns the new state."""
    _record(session, actor, entity, record_id)
    current = is_watching(session, actor, entity, record_id)
    if watching and not current:
        session.add(Watcher(entity=entity, record_id=record_id, user_id=actor.id))
    elif current and not watching:
        session.exec(
            sa.delete(Watcher).where(
                Watcher.entity == entity, Watcher.record_id == record_id, Watcher.user_id == actor.id
            )
        )
    session.flush()
    return watching


def note_change(session: Session, entity: str, record_id: int | None, user_id: int | None) -> None:
    """Remember that ``user_id`` changed a record; its people hear of it at commit."""
    if entity in WATCHABLE and record_id and user_id:
        session.info.setdefault(PENDING, {})[(entity, record_id)] = user_id


@event.listens_for(OrmSession, "before_commit")
def _notify_pending(session: OrmSession) -> None:
    pending = session.info.pop(PENDING, None)
    if not pending:
        return
    already = notifications.notified_in(session)
    by_entity: dict[str, list[int]] = {}
    for entity, record_id in pending:
        by_entity.setdefault(entity, []).append(record_id)
    messages = []  # (user id, actor id, record name, link): read in bulk, a bulk update may touch many
    for entity, ids in by_entity.items():
        kind = WATCHABLE[entity]
        rows = session.execute(
            sa.select(kind.model.id, kind.model.owner_id, getattr(kind.model, kind.name_field)).where(
                kind.model.id.in_(ids)
            )
        ).all()
        watching: dict[int, set[int]] = {}
        for record_id, user_id in session.execute(
            sa.select(Watcher.record_id, Watcher.user_id).where(Watcher.entity == entity, Watcher.record_id.in_(ids))
        ).all():
            watching.setdefault(record_id, set()).add(user_id)
        for record_id, owner_id, name in rows:
            actor_id = pending[(entity, record_id)]
            for user_id in {owner_id, *watching.get(record_id, ())} - {None, actor_id} - already:
                messages.append((user_id, actor_id, name, kind.url(record_id)))
    if not messages:
        return
    people = {
        u.id: u
        for u in session.execute(
            sa.select(User).where(User.id.in_({m[0] for m in messages} | {m[1] for m in messages}))
        )
        .scalars()
        .all()
    }
    for user_id, actor_id, name, link in messages:
        user, who = people.get(user_id), people.get(actor_id)
        if user is not None and user.active:
            text = tr("notif.changed", user.language, who=who.full_name if who else "", record=name)
            notifications.notify(session, user.id, text, link)


@event.listens_for(OrmSession, "after_commit")
@event.listens_for(OrmSession, "after_rollback")
def _forget(session: OrmSession) -> None:
    """A transaction's notes end with it (a rolled back change notifies no one)."""
    session.info.pop(PENDING, None)
    session.info.pop(notifications.NOTIFIED, None)

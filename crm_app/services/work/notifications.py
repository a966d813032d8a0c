"""In-app notifications: one row per recipient, with a link and a read flag."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from crm_app.models import Notification

NOTIFIED = "notified_users"


def notify(session: Session, user_id: int, text: str, link: str = "") -> Notification:
    note = Notification(user_id=user_id, text=text[:500], link=link[:300])
    session.add(note)
    session.info.setdefault(NOTIFIED, set()).add(user_id)
    return note


def notified_in(session) -> set[int]:
    """Users notified in the session's current transaction."""
    return set(session.info.get(NOTIFIED, ()))


def unread(session: Session, user_id: int, limit: int = 20) -> list[Notification]:
    stmt = (
        select(Notification)
        .where(Notification.user_id == user_id, Notification.read == sa.false())
        .order_by(Notification.id.desc())
        .limit(limit)
    )
    return list(session.exec(stmt).all())


def unread_count(session: Session, user_id: int) -> int:
    stmt = (
        sa.select(sa.func.count())
        .select_from(Notification)
        .where(Notification.user_id == user_id, Notification.read == sa.false())
    )
    return int(session.exec(stmt).scalar_one())


def mark_read(session: Session, user_id: int, notification_id: int | None = None) -> None:
    """Mark one notification (or all of the user's) read; others' notifications are untouched."""
    stmt = sa.update(Notification).where(Notification.user_id == user_id, Notification.read == sa.false())
    if notification_id is not None:
        stmt = stmt.where(Notification.id == notification_id)
    session.exec(stmt.values(read=True))

"""In-app notifications: one row per recipient, with a link and a read flag."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from crm_app import routes
from crm_app.models import Notification

NOTIFIED = "notified_users"


def notify(session: Session, user_id: int, text: str, link: str = "") -> Notification:
    note = Notification(user_id=user_id, text=text[:500], link=link[:300] if routes.in_app(link) else "")
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


def open_one(session: Session, user_id: int, notification_id: int) -> str | None:
    """Mark one of the user's notifications read; the link it leads to when that stays in the app
    (a link is never taken from the browser)."""
    link = session.exec(
        sa.select(Notification.link).where(Notification.id == notification_id, Notification.user_id == user_id)
    ).scalar_one_or_none()
    mark_read(session, user_id, notification_id)
    return link if routes.in_app(link) else None


def mark_read(session: Session, user_id: int, notification_id: int | None = None) -> None:
    """Mark one notification (or all of the user's) read; others' notifications are untouched."""
    stmt = sa.update(Notification).where(Notification.user_id == user_id, Notification.read == sa.false())
    if notification_id is not None:
        stmt = stmt.where(Notification.id == notification_id)
    session.exec(stmt.values(read=True))

"""The outbox: mail waiting to be sent. Other services queue staff mail here (a task's assignee
hears of it) without depending on the e-mail module, which itself logs sent mail as activities."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session

from crm_app.models import EmailMessage


def queue_internal(session: Session, to_addr: str, subject: str, body: str) -> EmailMessage | None:
    """Mail to a staff member (no customer); part of the caller's transaction."""
    if not to_addr:
        return None
    message = EmailMessage(to_addr=to_addr, subject=subject[:300], body=body[:20000])
    session.add(message)
    return message


def outbox_count(session: Session) -> int:
    stmt = sa.select(sa.func.count()).select_from(EmailMessage).where(EmailMessage.status == "outbox")
    return int(session.exec(stmt).scalar_one())

"""The next activity shown on a deal's card: the earliest open (planned or in progress)
activity or task with the deal's customer, by its due time (its time when it has none), e.g.
"☎ 25/11 09:00 Gọi lại"; one already past is marked late. Read for every card being loaded
in one statement, never card by card."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from crm_app.models import Activity, Opportunity
from crm_app.models._base import utcnow
from crm_app.services.formatting import VN_OFFSET
from crm_app.services.pipeline.board import CardNote

OPEN_STATUSES = ("planned", "in_progress")
# Symbols every common font has (emoji show as empty boxes where no emoji font is installed).
TYPE_ICONS = {"call": "☎", "meeting": "⚑", "email": "✉", "task": "✔", "note": "✎"}
OTHER_ICON = "•"
SUBJECT_CHARS = 40


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=utcnow().tzinfo)  # SQLite hands back naive UTC


def note_text(type_code: str, when: datetime, subject: str) -> str:
    words = subject.strip().splitlines()[0] if subject.strip() else ""
    if len(words) > SUBJECT_CHARS:
        words = words[: SUBJECT_CHARS - 1] + "…"
    return (
        f"{TYPE_ICONS.get(type_code, OTHER_ICON)} {(_aware(when) + VN_OFFSET).strftime('%d/%m %H:%M')} {words}".rstrip()
    )


def of_opportunities(session: Session, opp_ids: list[int], now: datetime | None = None) -> dict[int, CardNote]:
    """{opportunity id: its next activity} for the deals that have one: per card one seek of the
    covering index ix_activity_customer_open for the id of its customer's next activity, inside
    one statement that then reads those activities."""
    if not opp_ids:
        return {}
    now = now or utcnow()
    when = sa.func.coalesce(Activity.due_at, Activity.at)
    next_id = (
        sa.select(Activity.id)
        .where(Activity.customer_id == Opportunity.customer_id, Activity.status.in_(OPEN_STATUSES))
        .order_by(when, Activity.id)
        .limit(1)
        .correlate(Opportunity)
        .scalar_subquery()
    )
    cards = (
        sa.select(Opportunity.id.label("opp_id"), next_id.label("activity_id"))
        .where(Opportunity.id.in_(opp_ids))
        .subquery()
    )
    rows = session.execute(
        sa.select(cards.c.opp_id, Activity.type_code, Activity.subject, Activity.content, when.label("due")).join(
            Activity, Activity.id == cards.c.activity_id
        )
    ).all()
    return {
        r.opp_id: CardNote(note_text(r.type_code, r.due, r.subject or r.content), _aware(r.due) < now) for r in rows
    }

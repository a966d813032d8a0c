"""A record's history (audit log) as rows to show: when, who, what changed."""

from __future__ import annotations

from sqlmodel import Session, select

from crm_app.i18n import tr
from crm_app.models import User
from crm_app.services import audit
from crm_app.services.formatting import fmt_datetime


def history_rows(session: Session, entity: str, entity_id: int, lang: str, limit: int = 50) -> list[dict[str, str]]:
    rows = audit.history(session, entity, entity_id, limit)
    ids = {r.user_id for r in rows if r.user_id}
    names = dict(session.exec(select(User.id, User.full_name).where(User.id.in_(ids))).all()) if ids else {}
    return [{"id": str(r.id), "at": fmt_datetime(r.at), "who": names.get(r.user_id, ""),
             "what": tr(f"field.{r.field}", lang) if r.field else tr(f"history.{r.action}", lang),
             "old": r.old_value or "", "new": r.new_value or ""} for r in rows]

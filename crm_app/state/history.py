"""A record's history (audit log) as rows to show: when, who, what changed."""

from __future__ import annotations

from sqlmodel import Session, select

from crm_app.i18n import tr
from crm_app.models import User
from crm_app.services import audit
from crm_app.services.formatting import fmt_datetime

_USER_FIELDS = ("owner_id", "converted_by_id")


def history_rows(session: Session, entity: str, entity_id: int, lang: str, limit: int = 50) -> list[dict[str, str]]:
    rows = audit.history(session, entity, entity_id, limit)
    ids = {r.user_id for r in rows if r.user_id}
    for r in rows:  # owners are shown by name
        if r.field in _USER_FIELDS:
            ids |= {int(v) for v in (r.old_value, r.new_value) if v and v.isdigit()}
    names = dict(session.exec(select(User.id, User.full_name).where(User.id.in_(ids))).all()) if ids else {}

    def shown(field: str | None, value: str | None) -> str:
        if field in _USER_FIELDS and value and value.isdigit():
            return names.get(int(value), value)
        return value or ""

    return [{"id": str(r.id), "at": fmt_datetime(r.at), "who": names.get(r.user_id, ""),
             "what": tr(f"field.{r.field}", lang) if r.field else tr(f"history.{r.action}", lang),
             "old": shown(r.field, r.old_value), "new": shown(r.field, r.new_value)} for r in rows]

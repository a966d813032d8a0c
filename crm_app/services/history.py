"""Reading the audit log: a record's History tab (the record and its children) and the
system-wide history page (admins: everything; managers: what their teams' members did)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, select

from crm_app.models import AuditLog, Customer, CustomField
from crm_app.services import customers
from crm_app.services.errors import NotAllowed
from crm_app.services.fields import CUSTOM_PREFIX
from crm_app.services.formatting import VN_OFFSET
from crm_app.services.permissions import Actor, only_visible

PAGE = 50


def of_customer(session: Session, actor: Actor, customer_id: int, limit: int = 200) -> list[AuditLog]:
    """Every change to the customer and its children, newest first."""
    customers.get(session, actor, customer_id)
    stmt = (
        select(AuditLog)
        .where(AuditLog.root_entity == "customer", AuditLog.root_id == customer_id)
        .order_by(AuditLog.id.desc())
        .limit(limit)
    )
    return list(session.exec(stmt).all())


@dataclass
class HistoryFilter:
    user_id: int | None = None
    entity: str = ""  # the record's kind, e.g. "customer"
    record_id: int | None = None  # with entity: that record and its children
    date_from: date | None = None  # Vietnam calendar days, inclusive
    date_to: date | None = None


def _vn_day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC) - VN_OFFSET


def system(
    session: Session, actor: Actor, flt: HistoryFilter, before_id: int | None = None, limit: int = PAGE
) -> list[AuditLog]:
    """One page of the system history, newest first; the next page starts before the last id."""
    if not actor.is_manager:
        raise NotAllowed("err.manager_only")
    stmt = select(AuditLog)
    stmt = only_visible(stmt, actor, AuditLog.user_id)
    if flt.user_id is not None:
        stmt = stmt.where(AuditLog.user_id == flt.user_id)
    if flt.entity:
        if flt.record_id is not None:
            stmt = stmt.where(AuditLog.root_entity == flt.entity, AuditLog.root_id == flt.record_id)
        else:
            stmt = stmt.where(AuditLog.root_entity == flt.entity)
    if flt.date_from is not None:
        stmt = stmt.where(AuditLog.at >= _vn_day_start(flt.date_from))
    if flt.date_to is not None:
        stmt = stmt.where(AuditLog.at < _vn_day_start(flt.date_to) + timedelta(days=1))
    if before_id is not None:
        stmt = stmt.where(AuditLog.id < before_id)
    return list(session.exec(stmt.order_by(AuditLog.id.desc()).limit(limit)).all())


_USER_FIELDS = ("owner_id", "assignee_id", "created_by_id", "updated_by_id", "converted_by_id")
_CATALOG_FIELDS = ("category_id", "source_id")
_CHOICE_PREFIX = {
    ("customer", "status"): "status.",
    ("customer", "kind"): "kind.",
    ("customer", "gender"): "gender.",
    ("activity", "status"): "act.status.",
    ("email", "status"): "mail.status.",
    ("quote", "status"): "sales.status.",
    ("order", "status"): "sales.status.",
}


def describe(session: Session, rows: list[AuditLog], lang: str) -> list[dict[str, str]]:
    """History rows as the user reads them: names for users and catalog items, labels for choices,
    dates as dd/mm/yyyy."""
    from crm_app.i18n import messages_for
    from crm_app.services import catalogs, users
    from crm_app.services.formatting import fmt_date, fmt_datetime

    messages = messages_for(lang)
    user_ids = {r.user_id for r in rows}
    catalog_ids: set[int] = set()
    for r in rows:
        for value in (r.old_value, r.new_value):
            if value and value.isdigit():
                if r.field in _USER_FIELDS:
                    user_ids.add(int(value))
                elif r.field in _CATALOG_FIELDS:
                    catalog_ids.add(int(value))
    names = users.names_by_id(session, user_ids)
    labels = catalogs.labels_by_id(session, catalog_ids, lang)
    type_labels = (
        {i.code: catalogs.label(i, lang) for i in catalogs.items(session, "activity_type", active_only=False)}
        if any(r.field == "type_code" for r in rows)
        else {}
    )
    customer_ids = sorted({r.root_id for r in rows if r.root_entity == "customer" and r.root_id})
    codes = (
        dict(session.exec(select(Customer.id, Customer.code).where(Customer.id.in_(customer_ids))).all())
        if customer_ids
        else {}
    )
    # custom fields are named by their admin's label (hidden ones too: their history stays)
    custom = (
        {(f.entity, CUSTOM_PREFIX + f.key): f.label for f in session.exec(select(CustomField)).all()}
        if any((r.field or "").startswith(CUSTOM_PREFIX) for r in rows)
        else {}
    )

    def field_label(row: AuditLog) -> str:
        return custom.get((row.entity, row.field)) or messages.get(f"field.{row.field}", row.field)

    def value_text(row: AuditLog, value: str | None) -> str:
        if value is None:
            return ""
        if row.field in _USER_FIELDS and value.isdigit():
            return names.get(int(value), value)
        if row.field in _CATALOG_FIELDS and value.isdigit():
            return labels.get(int(value), value)
        if row.field == "type_code":
            return type_labels.get(value, value)
        prefix = _CHOICE_PREFIX.get((row.entity, row.field))
        if prefix:
            return messages.get(prefix + value, value)
        if row.field in ("email_opt_out", "do_not_call", "notify_on_change", "active") and value in ("0", "1"):
            return messages["common.yes" if value == "1" else "common.no"]
        if len(value) == 10 and value[4:5] == "-" and value[7:8] == "-":
            try:
                return fmt_date(date.fromisoformat(value))
            except ValueError:
                return value
        if len(value) > 18 and value[10:11] == "T":
            try:
                return fmt_datetime(datetime.fromisoformat(value))
            except ValueError:
                return value
        return value

    return [
        {
            "id": str(r.id),
            "at": fmt_datetime(r.at),
            "who": names.get(r.user_id, ""),
            "entity": messages.get(f"entity.{r.entity}", r.entity),
            "entity_code": r.entity,
            "record": codes.get(r.root_id)
            if r.root_entity == "customer" and r.root_id in codes
            else f"{messages.get(f'entity.{r.root_entity}', r.root_entity or '')} #{r.root_id}",
            "root_entity": r.root_entity or "",
            "root_id": str(r.root_id or ""),
            "action": messages.get(f"history.action.{r.action}", r.action),
            "what": field_label(r) if r.field else messages.get(f"history.action.{r.action}", r.action),
            "field": field_label(r) if r.field else "",
            "old": value_text(r, r.old_value),
            "new": value_text(r, r.new_value),
        }
        for r in rows
    ]


def of_record(session: Session, entity: str, entity_id: int, lang: str, limit: int = PAGE) -> list[dict[str, str]]:
    """The newest history of one record (a lead, an opportunity), as ``describe`` shows it.
    The caller has checked that the actor may see the record."""
    from crm_app.services import audit

    return describe(session, audit.history(session, entity, entity_id, limit), lang)

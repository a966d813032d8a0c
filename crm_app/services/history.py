"""Reading the audit log: a record's History tab (the record and its children) and the
system-wide history page (admins: everything; managers: what their teams' members did)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, select

from crm_app.models import AuditLog, User
from crm_app.services import customers
from crm_app.services.errors import NotAllowed
from crm_app.services.formatting import VN_OFFSET
from crm_app.services.permissions import Actor, only_visible

PAGE = 50


def of_customer(session: Session, actor: Actor, customer_id: int, limit: int = 200) -> list[AuditLog]:
    """Every change to the customer and its children, newest first."""
    customers.get(session, actor, customer_id)
    stmt = (select(AuditLog).where(AuditLog.root_entity == "customer", AuditLog.root_id == customer_id)
            .order_by(AuditLog.id.desc()).limit(limit))
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


def system(session: Session, actor: Actor, flt: HistoryFilter, before_id: int | None = None,
           limit: int = PAGE) -> list[AuditLog]:
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


def user_names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = sorted(i for i in ids if i)
    if not wanted:
        return {}
    return dict(session.exec(select(User.id, User.full_name).where(User.id.in_(wanted))).all())

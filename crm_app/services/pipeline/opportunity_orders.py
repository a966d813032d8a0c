"""Where deals meet a customer's sales: the order a won opportunity generates, and the
opportunities a customer's page lists beside its quotes and orders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, select

from crm_app.models import Opportunity, PipelineStage, SalesDocument, User
from crm_app.models._base import utcnow
from crm_app.services.errors import ServiceError
from crm_app.services.formatting import VN_OFFSET
from crm_app.services.people.permissions import Actor, only_visible
from crm_app.services.pipeline import opportunities, sales
from crm_app.services.records import audit, children

CUSTOMER_DEALS_LIMIT = 100


def _today() -> date:
    """Today in Vietnam (an order made at 00:30 in Hà Nội is dated that day)."""
    return (utcnow() + VN_OFFSET).date()


def order_of(session: Session, opp_id: int) -> SalesDocument | None:
    """The order a deal generated (not cancelled), if any; the caller has checked the deal."""
    stmt = (
        select(SalesDocument)
        .where(
            SalesDocument.opportunity_id == opp_id, SalesDocument.kind == "order", SalesDocument.status != "cancelled"
        )
        .order_by(SalesDocument.id.desc())
    )
    return session.exec(stmt).first()


def order_from_opportunity(session: Session, actor: Actor, opp_id: int) -> SalesDocument:
    """A new order of the deal's customer for the deal's value: one line named after the deal
    (opportunities carry no product lines), linked to the deal, in both histories. Only a won,
    not archived deal with a customer and a value, and only once while its order stands."""
    opp = opportunities.get(session, actor, opp_id, change=True)
    if opp.archived:
        raise ServiceError("err.record_archived")
    stage = session.get(PipelineStage, opp.stage_id)
    if stage is None or stage.outcome != "won":
        raise ServiceError("err.order_needs_won")
    if opp.customer_id is None:
        raise ServiceError("err.order_needs_customer")
    if opp.value <= 0:
        raise ServiceError("err.order_needs_value")
    existing = order_of(session, opp.id)
    if existing is not None:
        raise ServiceError("err.order_exists", code=existing.code)
    customer = children.customer_for(session, actor, opp.customer_id)
    line = {
        "product_id": None,
        "description": opp.name,
        "quantity": 1,
        "unit_price": opp.value,
        "amount": opp.value,
        "position": 0,
    }
    doc = sales.store_document(
        session,
        actor,
        customer,
        "order",
        [line],
        status="new",
        doc_date=_today(),
        opportunity_id=opp.id,
        history={"opportunity": opp.name},
    )
    audit.record(session, opportunities.ENTITY, opp.id, "update", actor.id, {}, {"order_code": doc.code})
    session.flush()
    return doc


@dataclass(frozen=True)
class CustomerDeal:
    id: int
    name: str
    stage: str
    outcome: str  # open / won / lost
    value: int
    expected_close: date | None
    owner: str
    order_code: str  # the order it generated, "" if none


def of_customer(
    session: Session, actor: Actor, customer_id: int, limit: int = CUSTOMER_DEALS_LIMIT
) -> list[CustomerDeal]:
    """The customer's opportunities the actor may see (not archived), open ones first, then the
    newest; with stage, owner and generated order in one query."""
    children.customer_for(session, actor, customer_id, change=False)
    order_code = (
        sa.select(sa.func.max(SalesDocument.code))
        .where(
            SalesDocument.opportunity_id == Opportunity.id,
            SalesDocument.kind == "order",
            SalesDocument.status != "cancelled",
        )
        .correlate(Opportunity)
        .scalar_subquery()
    )
    stmt = (
        sa.select(
            Opportunity.id,
            Opportunity.name,
            PipelineStage.name,
            PipelineStage.outcome,
            Opportunity.value,
            Opportunity.expected_close,
            User.full_name,
            order_code,
        )
        .join(PipelineStage, PipelineStage.id == Opportunity.stage_id)
        .outerjoin(User, User.id == Opportunity.owner_id)
        .where(Opportunity.customer_id == customer_id, Opportunity.archived == sa.false())
    )
    stmt = only_visible(stmt, actor, Opportunity.owner_id)
    stmt = stmt.order_by((PipelineStage.outcome != "open"), Opportunity.id.desc()).limit(limit)
    return [
        CustomerDeal(
            id=r[0],
            name=r[1],
            stage=r[2],
            outcome=r[3],
            value=r[4] or 0,
            expected_close=r[5],
            owner=r[6] or "",
            order_code=r[7] or "",
        )
        for r in session.execute(stmt).all()
    ]

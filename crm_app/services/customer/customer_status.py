"""Status steps taken from the customer page: promote a lead to potential (from the follow-ups,
seed 001), and convert a record into an internal customer (seed 001 §2.1)."""

from __future__ import annotations

from sqlmodel import Session

from crm_app.models import Customer
from crm_app.models._base import utcnow
from crm_app.services.customer import customers
from crm_app.services.errors import ServiceError
from crm_app.services.people.permissions import Actor
from crm_app.services.records import audit


def _move(
    session: Session,
    actor: Actor,
    customer_id: int,
    allowed_from: tuple[str, ...],
    to: str,
    action: str,
    error_key: str,
) -> Customer:
    customer = customers.get(session, actor, customer_id, change=True)
    if customer.status not in allowed_from:
        raise ServiceError(error_key)
    old = customer.status
    customer.status = to
    customer.updated_by_id, customer.updated_at = actor.id, utcnow()
    session.add(customer)
    # One history row names the step (who and when: user_id and at of the row) and the field change.
    audit.record(session, customers.ENTITY, customer.id, action, actor.id, {"status": old}, {"status": to})
    session.flush()
    return customer


def promote_lead(session: Session, actor: Actor, customer_id: int) -> Customer:
    return _move(session, actor, customer_id, ("lead",), "potential", "promote", "err.not_a_lead")


def convert_to_customer(session: Session, actor: Actor, customer_id: int) -> Customer:
    return _move(
        session, actor, customer_id, ("lead", "potential", "inactive"), "customer", "convert", "err.already_customer"
    )

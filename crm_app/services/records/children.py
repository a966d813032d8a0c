"""What every child of a customer (activity, note, e-mail, file, quote, order) shares: the
customer it belongs to, checked for the actor, and history written under that customer.

Adding, changing or removing a child changes its customer: by default the actor must be allowed
to change the customer; reading passes ``change=False`` (a teammate's read-only customer)."""

from __future__ import annotations

from sqlmodel import Session

from crm_app.models import Customer
from crm_app.services.errors import NotAllowed
from crm_app.services.people.permissions import Actor, ensure_allowed
from crm_app.services.records import audit


def customer_for(session: Session, actor: Actor, customer_id: int | None, change: bool = True) -> Customer:
    """The customer a child belongs to, if the actor may change it (or see it: ``change=False``);
    raises NotAllowed."""
    customer = session.get(Customer, customer_id) if customer_id else None
    ensure_allowed(actor, customer, change)
    return customer


def child_for(session: Session, actor: Actor, model: type, child_id: int | None, change: bool = True):
    """A child row whose customer the actor may change (or see: ``change=False``); NotAllowed
    otherwise (also when missing)."""
    row = session.get(model, child_id) if child_id else None
    if row is None:
        raise NotAllowed()
    customer_for(session, actor, row.customer_id, change)
    return row


def record(
    session: Session, actor: Actor, entity: str, row, action: str, before: dict | None = None, after: dict | None = None
) -> int:
    if action == "delete" and before:
        after = dict.fromkeys(before)  # every field goes from its value to nothing
    return audit.record(session, entity, row.id, action, actor.id, before, after, root=("customer", row.customer_id))

"""What every child of a customer (activity, note, e-mail, file, quote, order) shares: the
customer it belongs to, checked for the actor, and history written under that customer.

A child added on a contact's page belongs to the contact's company and names the contact
(``contact_id``); the page of a record (``Record``: a customer or a contact) lists its children.
Adding, changing or removing a child changes its customer: by default the actor must be allowed
to change the customer; reading passes ``change=False`` (a teammate's read-only customer)."""

from __future__ import annotations

from sqlmodel import Session, select

from crm_app.models import Contact, Customer
from crm_app.services.errors import NotAllowed
from crm_app.services.people.permissions import Actor, ensure_allowed, ensure_visible, only_visible
from crm_app.services.records import audit

Record = tuple[str, int]  # ("customer", id) or ("contact", id): the page a child is listed on
PARENTS = {"customer": Customer, "contact": Contact}


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


def parent_for(session: Session, actor: Actor, record: Record) -> Customer | Contact:
    """The customer or contact whose page lists children, if the actor may see it (NotAllowed)."""
    entity, record_id = record
    model = PARENTS.get(entity)
    row = session.get(model, record_id) if model is not None and record_id else None
    ensure_visible(actor, row)
    return row


def check_contact(session: Session, customer_id: int, contact_id: int | None) -> None:
    """A child names only a contact of its own customer."""
    if contact_id is not None:
        contact = session.get(Contact, contact_id)
        if contact is None or contact.customer_id != customer_id:
            raise NotAllowed()


def of_record(session: Session, actor: Actor, model: type, record: Record):
    """The query of the children of a record the actor may see (order and limit are the caller's):
    a customer's, or those naming a contact, of the customers the actor sees."""
    parent = parent_for(session, actor, record)
    if isinstance(parent, Customer):
        return select(model).where(model.customer_id == parent.id)
    stmt = select(model).where(model.contact_id == parent.id)
    if actor.visible_owner_ids is None:
        return stmt
    return stmt.where(model.customer_id.in_(only_visible(select(Customer.id), actor, Customer.owner_id)))

"""Free notes on a customer (naming one of its contacts when written on the contact's page),
newest first, with history."""

from __future__ import annotations

from sqlmodel import Session

from crm_app.models import Note
from crm_app.services.people.permissions import Actor
from crm_app.services.records import children, record_service
from crm_app.services.validation import Cleaner

ENTITY = "note"
KIND = record_service.RecordKind(entity=ENTITY, model=Note, fields=("body",), child_of_customer=True)


def _clean(data: dict) -> str:
    c = Cleaner(data)
    body = c.text("body", 10000, required=True, multiline=True)
    c.done()
    return body


def create(session: Session, actor: Actor, customer_id: int, data: dict, contact_id: int | None = None) -> Note:
    customer = children.customer_for(session, actor, customer_id)
    children.check_contact(session, customer.id, contact_id)
    values = {"body": _clean(data)}
    return record_service.create(session, KIND, actor, values, customer_id=customer.id, contact_id=contact_id)


def update(session: Session, actor: Actor, note_id: int, data: dict) -> Note:
    note = children.child_for(session, actor, Note, note_id)
    values = {"body": _clean(data)}
    record_service.update(session, KIND, actor, note, record_service.snapshot(session, KIND, note), values)
    return note


def delete(session: Session, actor: Actor, note_id: int) -> None:
    note = children.child_for(session, actor, Note, note_id)
    record_service.delete(session, KIND, actor, note)


def of_record(session: Session, actor: Actor, record: children.Record, limit: int = 100) -> list[Note]:
    """The notes of a customer, or those naming a contact, newest first."""
    stmt = children.of_record(session, actor, Note, record).order_by(Note.id.desc()).limit(limit)
    return list(session.exec(stmt).all())


def of_customer(session: Session, actor: Actor, customer_id: int, limit: int = 100) -> list[Note]:
    return of_record(session, actor, ("customer", customer_id), limit)

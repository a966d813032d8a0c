"""Free notes on a customer, newest first, with history."""

from __future__ import annotations

from sqlmodel import Session, select

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


def create(session: Session, actor: Actor, customer_id: int, data: dict) -> Note:
    customer = children.customer_for(session, actor, customer_id)
    return record_service.create(session, KIND, actor, {"body": _clean(data)}, customer_id=customer.id)


def update(session: Session, actor: Actor, note_id: int, data: dict) -> Note:
    note = children.child_for(session, actor, Note, note_id)
    values = {"body": _clean(data)}
    record_service.update(session, KIND, actor, note, record_service.snapshot(session, KIND, note), values)
    return note


def delete(session: Session, actor: Actor, note_id: int) -> None:
    note = children.child_for(session, actor, Note, note_id)
    record_service.delete(session, KIND, actor, note)


def of_customer(session: Session, actor: Actor, customer_id: int, limit: int = 100) -> list[Note]:
    children.customer_for(session, actor, customer_id, change=False)
    stmt = select(Note).where(Note.customer_id == customer_id).order_by(Note.id.desc()).limit(limit)
    return list(session.exec(stmt).all())

"""Free notes on a customer, newest first, with history."""

from __future__ import annotations

from sqlmodel import Session, select

from crm_app.models import Note
from crm_app.models._base import utcnow
from crm_app.services.people.permissions import Actor
from crm_app.services.records import children
from crm_app.services.validation import Cleaner

ENTITY = "note"


def _clean(data: dict) -> str:
    c = Cleaner(data)
    body = c.text("body", 10000, required=True, multiline=True)
    c.done()
    return body


def create(session: Session, actor: Actor, customer_id: int, data: dict) -> Note:
    customer = children.customer_for(session, actor, customer_id)
    body = _clean(data)
    note = Note(customer_id=customer.id, body=body, created_by_id=actor.id, updated_by_id=actor.id)
    session.add(note)
    session.flush()
    children.record(session, actor, ENTITY, note, "create", {}, {"body": body})
    session.flush()
    return note


def update(session: Session, actor: Actor, note_id: int, data: dict) -> Note:
    note = children.child_for(session, actor, Note, note_id)
    body = _clean(data)
    before = note.body
    note.body, note.updated_by_id, note.updated_at = body, actor.id, utcnow()
    session.add(note)
    children.record(session, actor, ENTITY, note, "update", {"body": before}, {"body": body})
    session.flush()
    return note


def delete(session: Session, actor: Actor, note_id: int) -> None:
    note = children.child_for(session, actor, Note, note_id)
    children.record(session, actor, ENTITY, note, "delete", {"body": note.body}, {})
    session.delete(note)
    session.flush()


def of_customer(session: Session, actor: Actor, customer_id: int, limit: int = 100) -> list[Note]:
    children.customer_for(session, actor, customer_id)
    stmt = select(Note).where(Note.customer_id == customer_id).order_by(Note.id.desc()).limit(limit)
    return list(session.exec(stmt).all())

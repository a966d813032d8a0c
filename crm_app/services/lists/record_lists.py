"""Static lists (Quản lý danh sách): create, rename, delete; add and remove members.

A list is seen and changed by whoever sees its owner's records (its owner, their
managers, admins); only records the actor sees can be added. As a filter, a list
is the field "lists" (services.filters).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from crm_app.models import RecordList, RecordListMember
from crm_app.services.errors import NotAllowed
from crm_app.services.lists.filters import BadSpec
from crm_app.services.people.permissions import Actor, visibility_clause
from crm_app.services.records import audit
from crm_app.services.records.fields import ENTITIES
from crm_app.services.validation import Cleaner


def _name(data: dict) -> str:
    c = Cleaner(data)
    name = c.text("name", 80, required=True)
    c.done()
    return name


def visible(session: Session, actor: Actor, entity: str) -> list[tuple[RecordList, int]]:
    """The lists the actor sees, each with its number of members."""
    members = (
        sa.select(sa.func.count())
        .where(RecordListMember.list_id == RecordList.id)
        .correlate(RecordList)
        .scalar_subquery()
    )
    stmt = sa.select(RecordList, members).where(RecordList.entity == entity)
    vis = visibility_clause(actor, RecordList.owner_id)
    if vis is not None:
        stmt = stmt.where(vis)
    return [(row[0], int(row[1])) for row in session.execute(stmt.order_by(RecordList.name, RecordList.id)).all()]


def get(session: Session, actor: Actor, list_id: int) -> RecordList:
    found = session.get(RecordList, list_id)
    if found is None or not actor.sees_owner(found.owner_id):
        raise NotAllowed()
    return found


def create(session: Session, actor: Actor, entity: str, data: dict) -> RecordList:
    if entity not in ENTITIES:
        raise BadSpec("err.unknown_entity", name=entity)
    found = RecordList(entity=entity, name=_name(data), owner_id=actor.id)
    session.add(found)
    session.flush()
    audit.record(session, "recordlist", found.id, "create", actor.id, {}, {"name": found.name})
    session.flush()
    return found


def rename(session: Session, actor: Actor, list_id: int, data: dict) -> RecordList:
    found = get(session, actor, list_id)
    name = _name(data)
    audit.record(session, "recordlist", found.id, "update", actor.id, {"name": found.name}, {"name": name})
    found.name = name
    session.add(found)
    session.flush()
    return found


def delete(session: Session, actor: Actor, list_id: int) -> None:
    found = get(session, actor, list_id)
    session.execute(sa.delete(RecordListMember).where(RecordListMember.list_id == found.id))
    audit.record(session, "recordlist", found.id, "delete", actor.id, {}, {"name": found.name})
    session.delete(found)
    session.flush()


def add_members(session: Session, actor: Actor, list_id: int, record_ids: list[int]) -> int:
    """Add the visible ones of these records; returns how many were added (others were there or hidden)."""
    found = get(session, actor, list_id)
    model = ENTITIES[found.entity].model
    stmt = select(model.id).where(model.id.in_(sorted(set(record_ids))))
    vis = visibility_clause(actor, model.owner_id)
    if vis is not None:
        stmt = stmt.where(vis)
    allowed = set(session.exec(stmt).all())
    present = set(
        session.exec(
            select(RecordListMember.record_id).where(
                RecordListMember.list_id == found.id, RecordListMember.record_id.in_(sorted(allowed))
            )
        ).all()
    )
    new = sorted(allowed - present)
    if new:
        session.execute(sa.insert(RecordListMember), [{"list_id": found.id, "record_id": r} for r in new])
    return len(new)


def remove_members(session: Session, actor: Actor, list_id: int, record_ids: list[int]) -> int:
    found = get(session, actor, list_id)
    model = ENTITIES[found.entity].model
    visible_ids = select(model.id).where(model.id.in_(sorted(set(record_ids))))
    vis = visibility_clause(actor, model.owner_id)
    if vis is not None:
        visible_ids = visible_ids.where(vis)
    removed = session.execute(
        sa.delete(RecordListMember).where(
            RecordListMember.list_id == found.id, RecordListMember.record_id.in_(visible_ids)
        )
    ).rowcount
    session.flush()
    return removed

"""Static lists (Quản lý danh sách): create, rename, delete; add and remove members.

A list is personal (its creator's alone, a manager's or an admin's eyes included), or shared
with its owner's team or the company like a view (services.people.sharing: managers and
admins share). Whoever sees a list adds and removes members among
the records they see; only its owner or an admin renames, reshares or deletes it. A name is
given once per owner and kind of record. As a filter, a list is the field "lists"
(services.filters): it may name only lists its user sees (``check_filter``).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from crm_app.models import RecordList, RecordListMember
from crm_app.services.errors import NotAllowed
from crm_app.services.lists.filters import BadSpec, conditions
from crm_app.services.people import sharing
from crm_app.services.people.permissions import Actor, visibility_clause
from crm_app.services.records import audit
from crm_app.services.records.fields import ENTITIES
from crm_app.services.validation import Cleaner


def _name(session: Session, entity: str, owner_id: int, data: dict, self_id: int | None = None) -> str:
    """The list's name, refused when the owner has another list of this kind so named."""
    c = Cleaner(data)
    name = c.text("name", 80, required=True)
    if name:
        taken = select(RecordList.id).where(
            RecordList.entity == entity,
            RecordList.owner_id == owner_id,
            sa.func.lower(RecordList.name) == name.lower(),
            RecordList.id != (self_id or 0),
        )
        if session.exec(taken).first() is not None:
            c.error("name", "err.list_name_taken", name=name)
    c.done()
    return name


def seen_clause(session: Session, actor: Actor) -> sa.ColumnElement[bool]:
    """The lists the actor sees: their own and those shared with them, as saved filters."""
    return sharing.visible_clause(session, actor, RecordList)


def check_filter(session: Session, actor: Actor, entity: str, spec: dict | None) -> None:
    """Refuse a filter naming a list of this kind of record that the actor does not see (another
    user's personal list, a deleted one): it would match none of the actor's records unsaid."""
    named: set[int] = set()
    for item in conditions(spec):
        if item.get("field") == "lists" and isinstance(item.get("value"), list | tuple):
            named |= {int(v) for v in item["value"] if isinstance(v, int | str) and str(v).isdigit()}
    if not named:
        return
    seen = set(
        session.execute(
            sa.select(RecordList.id).where(
                RecordList.id.in_(sorted(named)), RecordList.entity == entity, seen_clause(session, actor)
            )
        ).scalars()
    )
    unseen = sorted(named - seen)
    if unseen:
        raise BadSpec("err.filter_list_unseen", value=unseen[0])


def visible(session: Session, actor: Actor, entity: str) -> list[tuple[RecordList, int]]:
    """The lists the actor sees, each with its number of members."""
    members = (
        sa.select(sa.func.count())
        .where(RecordListMember.list_id == RecordList.id)
        .correlate(RecordList)
        .scalar_subquery()
    )
    stmt = sa.select(RecordList, members).where(RecordList.entity == entity, seen_clause(session, actor))
    return [(row[0], int(row[1])) for row in session.execute(stmt.order_by(RecordList.name, RecordList.id)).all()]


def get(session: Session, actor: Actor, list_id: int) -> RecordList:
    found = session.get(RecordList, list_id)
    if found is None or not sharing.sees(session, actor, found):
        raise NotAllowed()
    return found


def _owned(session: Session, actor: Actor, list_id: int) -> RecordList:
    """A list the actor may rename, reshare or delete: their own, or any for an admin."""
    found = get(session, actor, list_id)
    if not sharing.may_edit(actor, found):
        raise NotAllowed("err.list_owner_only", name=found.name)
    return found


def create(session: Session, actor: Actor, entity: str, data: dict) -> RecordList:
    if entity not in ENTITIES:
        raise BadSpec("err.unknown_entity", name=entity)
    name = _name(session, entity, actor.id, data)
    scope = data.get("scope") or "personal"
    team_id = sharing.scope_team(session, actor, scope)
    found = RecordList(entity=entity, name=name, owner_id=actor.id, scope=scope, team_id=team_id)
    session.add(found)
    session.flush()
    audit.record(session, "recordlist", found.id, "create", actor.id, {}, {"name": found.name, "scope": scope})
    session.flush()
    return found


def set_scope(session: Session, actor: Actor, list_id: int, scope: str) -> bool:
    """Share a list more or less widely (its owner or an admin, as sharing.scope_team allows)."""
    found = _owned(session, actor, list_id)
    team_id = sharing.scope_team(session, actor, scope)
    if (found.scope, found.team_id) == (scope, team_id):
        return False
    audit.record(session, "recordlist", found.id, "update", actor.id, {"scope": found.scope}, {"scope": scope})
    found.scope, found.team_id = scope, team_id
    session.add(found)
    session.flush()
    return True


def rename(session: Session, actor: Actor, list_id: int, data: dict) -> RecordList:
    found = _owned(session, actor, list_id)
    name = _name(session, found.entity, found.owner_id, data, found.id)
    audit.record(session, "recordlist", found.id, "update", actor.id, {"name": found.name}, {"name": name})
    found.name = name
    session.add(found)
    session.flush()
    return found


def delete(session: Session, actor: Actor, list_id: int) -> None:
    found = _owned(session, actor, list_id)
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

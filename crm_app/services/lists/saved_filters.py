"""Saved filters (Bộ lọc): named filter specs, personal or shared like views."""

from __future__ import annotations

from sqlmodel import Session, select

from crm_app.models import SavedFilter
from crm_app.services.errors import NotAllowed
from crm_app.services.lists.filters import BadSpec
from crm_app.services.lists.query import ListSpec
from crm_app.services.people import sharing
from crm_app.services.people.permissions import Actor
from crm_app.services.records import audit
from crm_app.services.records.fields import ENTITIES
from crm_app.services.validation import Cleaner


def clean_filter(session: Session, actor: Actor, entity: str, spec) -> dict:
    """A filter checked against the entity's fields and the lists the actor sees (raises BadSpec)."""
    list_spec = ListSpec(entity=entity, filter=spec)
    list_spec.checked(session, actor)
    return spec


def create(session: Session, actor: Actor, entity: str, data: dict, spec: dict) -> SavedFilter:
    if entity not in ENTITIES:
        raise BadSpec("err.unknown_entity", name=entity)
    c = Cleaner(data)
    name = c.text("name", 80, required=True)
    c.done()
    scope = str(data.get("scope") or "personal")
    team_id = sharing.scope_team(session, actor, scope)
    if not spec or not spec.get("items"):
        raise BadSpec("err.filter_empty")
    saved = SavedFilter(
        entity=entity,
        name=name,
        owner_id=actor.id,
        scope=scope,
        team_id=team_id,
        filter=clean_filter(session, actor, entity, spec),
    )
    session.add(saved)
    session.flush()
    audit.record(session, "savedfilter", saved.id, "create", actor.id, {}, {"name": name, "scope": scope})
    session.flush()
    return saved


def visible(session: Session, actor: Actor, entity: str) -> list[SavedFilter]:
    stmt = select(SavedFilter).where(SavedFilter.entity == entity, sharing.visible_clause(session, actor, SavedFilter))
    return list(session.exec(stmt.order_by(SavedFilter.name, SavedFilter.id)).all())


def get(session: Session, actor: Actor, filter_id: int) -> SavedFilter:
    saved = session.get(SavedFilter, filter_id)
    if saved is None or not sharing.sees(session, actor, saved):
        raise NotAllowed()
    return saved


def delete(session: Session, actor: Actor, filter_id: int) -> None:
    saved = get(session, actor, filter_id)
    if not sharing.may_edit(actor, saved):
        raise NotAllowed()
    audit.record(session, "savedfilter", saved.id, "delete", actor.id)
    session.delete(saved)
    session.flush()

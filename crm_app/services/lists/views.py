"""Saved list views (Giao diện): specs on the server, shared or personal, with personal overrides.

A spec is JSON data::

    {"columns": ["code", "full_name"], "widths": {"full_name": 240}, "sort": "code",
     "descending": true, "filter": {"op": "and", "items": [...]}, "display_type": "table",
     "group_by": "", "page_size": 50}

Its owner (or an admin) changes a view for everyone who sees it; anyone else who
saves a change to a view they see keeps it as their own override, which "reset to
shared" drops. An admin may lock a shared view's columns: overrides then keep the
shared columns and widths.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from crm_app.models import ListView, ListViewDefault, ListViewOverride
from crm_app.models._base import utcnow
from crm_app.models.view import DISPLAY_TYPES
from crm_app.services.errors import NotAllowed, ValidationFailed
from crm_app.services.lists.filters import BadSpec, empty_filter
from crm_app.services.lists.query import ListSpec
from crm_app.services.people import sharing
from crm_app.services.people.permissions import Actor, load_actor, require_admin
from crm_app.services.records import audit
from crm_app.services.records.fields import ENTITIES, entity_def
from crm_app.services.validation import Cleaner

MIN_WIDTH, MAX_WIDTH = 60, 800
GROUP_TYPES = ("choice", "catalog", "user", "stage")  # what a kanban view groups by


def default_spec(entity: str) -> dict:
    e = ENTITIES[entity]
    return {
        "columns": list(e.default_columns),
        "widths": {},
        "sort": e.default_sort[0],
        "descending": e.default_sort[1],
        "filter": empty_filter(),
        "display_type": "table",
        "group_by": "",
        "page_size": 50,
    }


def clean_spec(session: Session, actor: Actor, entity: str, spec: Any) -> dict:
    """The spec checked against the entity's fields (and the lists the actor sees) and
    normalised; raises BadSpec."""
    if not isinstance(spec, dict):
        raise BadSpec("err.filter_shape")
    data = {**default_spec(entity), **spec}
    columns, widths = data["columns"], data["widths"]
    if (
        not isinstance(columns, list)
        or not columns
        or not all(isinstance(c, str) for c in columns)
        or len(set(columns)) != len(columns)
    ):
        raise BadSpec("err.view_columns")
    descending, page_size = data["descending"], data["page_size"]
    if not isinstance(descending, bool) or not isinstance(page_size, int) or not isinstance(data["sort"], str):
        raise BadSpec("err.invalid_choice")
    list_spec = ListSpec(
        entity=entity,
        columns=columns,
        sort=data["sort"],
        descending=descending,
        page_size=page_size,
        filter=data["filter"] or empty_filter(),
    )
    e, _ = list_spec.checked(session, actor)
    if not isinstance(widths, dict) or any(
        c not in columns or not isinstance(w, int) or isinstance(w, bool) or not MIN_WIDTH <= w <= MAX_WIDTH
        for c, w in widths.items()
    ):
        raise BadSpec("err.view_widths", lo=MIN_WIDTH, hi=MAX_WIDTH)
    display, group_by = data["display_type"], data["group_by"] or ""
    if display not in DISPLAY_TYPES:
        raise BadSpec("err.invalid_choice")
    if display == "kanban":
        group = e.field(group_by) if isinstance(group_by, str) else None
        if group is None or group.type not in GROUP_TYPES:
            raise BadSpec("err.view_group_by")
    elif group_by:
        raise BadSpec("err.view_group_by")
    return {
        "columns": list(columns),
        "widths": dict(widths),
        "sort": list_spec.sort,
        "descending": descending,
        "filter": list_spec.filter,
        "display_type": display,
        "group_by": group_by,
        "page_size": page_size,
    }


def _name(data: dict) -> str:
    c = Cleaner(data)
    name = c.text("name", 80, required=True)
    c.done()
    return name


def visible(session: Session, actor: Actor, entity: str) -> list[ListView]:
    stmt = select(ListView).where(ListView.entity == entity, sharing.visible_clause(session, actor, ListView))
    return list(session.exec(stmt.order_by(ListView.scope != "personal", ListView.name, ListView.id)).all())


def get(session: Session, actor: Actor, view_id: int) -> ListView:
    view = session.get(ListView, view_id)
    if view is None or not sharing.sees(session, actor, view):
        raise NotAllowed()
    return view


def override_of(session: Session, actor: Actor, view: ListView) -> ListViewOverride | None:
    if sharing.may_edit(actor, view):
        return None
    return session.get(ListViewOverride, (view.id, actor.id))


def effective(session: Session, actor: Actor, view: ListView) -> dict:
    """The spec this actor sees: the view's, or their override of it (shared columns when locked)."""
    spec = dict(view.spec)
    mine = override_of(session, actor, view)
    if mine is not None:
        spec = dict(mine.spec)
        if view.columns_locked:
            spec["columns"], spec["widths"] = view.spec["columns"], view.spec["widths"]
    # A field removed since (a custom field hidden) must not break the view.
    e = entity_def(session, view.entity)
    spec["columns"] = [c for c in spec["columns"] if e.field(c) is not None] or list(e.default_columns)
    spec["widths"] = {c: w for c, w in spec["widths"].items() if c in spec["columns"]}
    spec["filter"] = _known_fields_only(spec.get("filter") or empty_filter(), e)
    return spec


def _known_fields_only(spec: dict, entity) -> dict:
    items = []
    for item in spec.get("items", []):
        if isinstance(item, dict) and "items" in item:
            items.append(_known_fields_only(item, entity))
        elif isinstance(item, dict) and entity.field(str(item.get("field", ""))) is not None:
            items.append(item)
    return {"op": spec.get("op", "and"), "items": items}


def create(session: Session, actor: Actor, entity: str, data: dict, spec: dict, activate: bool = False) -> ListView:
    if entity not in ENTITIES:
        raise BadSpec("err.unknown_entity", name=entity)
    name = _name(data)
    scope = str(data.get("scope") or "personal")
    team_id = sharing.scope_team(session, actor, scope)
    clean = clean_spec(session, actor, entity, spec)
    view = ListView(entity=entity, name=name, owner_id=actor.id, scope=scope, team_id=team_id, spec=clean)
    session.add(view)
    session.flush()
    audit.record(session, "listview", view.id, "create", actor.id, {}, {"name": name, "scope": scope})
    if activate:
        _set_default(session, actor, entity, view.id)
    session.flush()
    return view


def save(session: Session, actor: Actor, view_id: int, spec: dict, activate: bool = False) -> str:
    """Store a changed spec: on the view itself ("shared") or as the actor's override ("override")."""
    view = get(session, actor, view_id)
    clean = clean_spec(session, actor, view.entity, spec)
    if sharing.may_edit(actor, view):
        audit.record(session, "listview", view.id, "update", actor.id, {"spec": str(view.spec)}, {"spec": str(clean)})
        view.spec, view.updated_at = clean, utcnow()
        session.add(view)
        kind = "shared"
    else:
        if view.columns_locked and (clean["columns"] != view.spec["columns"] or clean["widths"] != view.spec["widths"]):
            raise NotAllowed("err.view_columns_locked")
        mine = session.get(ListViewOverride, (view.id, actor.id)) or ListViewOverride(view_id=view.id, user_id=actor.id)
        mine.spec, mine.updated_at = clean, utcnow()
        session.add(mine)
        audit.record(session, "listview", view.id, "override", actor.id)
        kind = "override"
    if activate:
        _set_default(session, actor, view.entity, view.id)
    session.flush()
    return kind


def reset_to_shared(session: Session, actor: Actor, view_id: int) -> None:
    view = get(session, actor, view_id)
    deleted = session.execute(
        sa.delete(ListViewOverride).where(ListViewOverride.view_id == view.id, ListViewOverride.user_id == actor.id)
    ).rowcount
    if deleted:
        audit.record(session, "listview", view.id, "reset", actor.id)
    session.flush()


def set_columns_locked(session: Session, actor: Actor, view_id: int, locked: bool) -> None:
    require_admin(actor)
    view = get(session, actor, view_id)
    if view.scope == "personal":
        raise ValidationFailed({"scope": ("err.lock_shared_only", {})})
    if view.columns_locked != locked:
        audit.record(
            session,
            "listview",
            view.id,
            "update",
            actor.id,
            {"columns_locked": view.columns_locked},
            {"columns_locked": locked},
        )
        view.columns_locked = locked
        session.add(view)
    session.flush()


def rename(session: Session, actor: Actor, view_id: int, data: dict) -> None:
    view = get(session, actor, view_id)
    if not sharing.may_edit(actor, view):
        raise NotAllowed()
    name = _name(data)
    audit.record(session, "listview", view.id, "update", actor.id, {"name": view.name}, {"name": name})
    view.name = name
    session.add(view)
    session.flush()


def set_scope(session: Session, actor: Actor, view_id: int, scope: str) -> bool:
    """Share a view more or less widely (its owner or an admin; sharing as sharing.scope_team allows);
    those who no longer see it lose it as their default and their own version of it."""
    view = get(session, actor, view_id)
    if not sharing.may_edit(actor, view):
        raise NotAllowed()
    team_id = sharing.scope_team(session, actor, scope)
    if (view.scope, view.team_id) == (scope, team_id):
        return False
    audit.record(session, "listview", view.id, "update", actor.id, {"scope": view.scope}, {"scope": scope})
    view.scope, view.team_id, view.updated_at = scope, team_id, utcnow()
    session.add(view)
    session.flush()
    if scope != "company":
        gone = [
            uid
            for (uid,) in session.execute(
                sa.select(ListViewDefault.user_id).where(ListViewDefault.view_id == view.id)
            ).all()
            + session.execute(sa.select(ListViewOverride.user_id).where(ListViewOverride.view_id == view.id)).all()
            if uid != view.owner_id and not sharing.sees(session, load_actor(session, uid), view)
        ]
        if gone:
            session.execute(
                sa.delete(ListViewDefault).where(ListViewDefault.view_id == view.id, ListViewDefault.user_id.in_(gone))
            )
            session.execute(
                sa.delete(ListViewOverride).where(
                    ListViewOverride.view_id == view.id, ListViewOverride.user_id.in_(gone)
                )
            )
    session.flush()
    return True


def delete(session: Session, actor: Actor, view_id: int) -> None:
    view = get(session, actor, view_id)
    if not sharing.may_edit(actor, view):
        raise NotAllowed()
    session.execute(sa.delete(ListViewDefault).where(ListViewDefault.view_id == view.id))
    session.execute(sa.delete(ListViewOverride).where(ListViewOverride.view_id == view.id))
    audit.record(session, "listview", view.id, "delete", actor.id)
    session.delete(view)
    session.flush()


def _set_default(session: Session, actor: Actor, entity: str, view_id: int) -> None:
    row = session.get(ListViewDefault, (actor.id, entity))
    if row is None:
        row = ListViewDefault(user_id=actor.id, entity=entity, view_id=view_id)
    row.view_id = view_id
    session.add(row)


def set_default(session: Session, actor: Actor, entity: str, view_id: int) -> None:
    view = get(session, actor, view_id)
    if view.entity != entity:
        raise NotAllowed()
    _set_default(session, actor, entity, view.id)
    session.flush()


def default_view(session: Session, actor: Actor, entity: str) -> ListView | None:
    """The actor's default view of a list, when they have one they still see."""
    row = session.get(ListViewDefault, (actor.id, entity))
    if row is None:
        return None
    view = session.get(ListView, row.view_id)
    return view if view is not None and sharing.sees(session, actor, view) else None

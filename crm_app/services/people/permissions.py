"""Who may see and change what. Every service read and write goes through here.

sales: records they own; manager: records owned by members of their teams
(themselves included); admin: everything. When the admin shares records with the team
(services.people.team_sharing), sales also read, or read and change, their teammates' records;
they still give records to no one but themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from crm_app.models import TeamMember, User
from crm_app.models.app_setting import TEAM_SHARING, AppSetting
from crm_app.services import process_cache
from crm_app.services.errors import NotAllowed

# Owner sets: None means every owner.
Owners = frozenset[int] | None
_INHERITED: Any = object()  # an owner set left out: the one before it


@dataclass(frozen=True)
class Actor:
    id: int
    role: str
    full_name: str
    # Owners whose records this actor reads.
    visible_owner_ids: Owners
    # Owners whose records this actor changes (by default, those they read).
    editable_owner_ids: Owners = _INHERITED
    # Owners to whom this actor gives a record (by default, those whose records they change).
    assignable_owner_ids: Owners = _INHERITED

    def __post_init__(self) -> None:
        if self.editable_owner_ids is _INHERITED:
            object.__setattr__(self, "editable_owner_ids", self.visible_owner_ids)
        if self.assignable_owner_ids is _INHERITED:
            object.__setattr__(self, "assignable_owner_ids", self.editable_owner_ids)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def is_manager(self) -> bool:
        return self.role in ("admin", "manager")

    def sees_owner(self, owner_id: int | None) -> bool:
        return self.visible_owner_ids is None or owner_id in self.visible_owner_ids

    def edits_owner(self, owner_id: int | None) -> bool:
        return self.editable_owner_ids is None or owner_id in self.editable_owner_ids

    def assigns_owner(self, owner_id: int | None) -> bool:
        return self.assignable_owner_ids is None or owner_id in self.assignable_owner_ids


def team_sharing_mode(session: Session) -> str:
    """The admin's setting "records shared with the team" as stored: off, read or edit."""
    return session.exec(select(AppSetting.value).where(AppSetting.key == TEAM_SHARING)).first() or "off"


def _sharing(session: Session) -> str:
    """The setting as a user's rights follow it: read on every actor load, so kept in the process a
    few seconds (services.process_cache; the admin's change forgets it)."""
    return process_cache.cached(session, TEAM_SHARING, lambda: team_sharing_mode(session))


def _teammates(session: Session, user_id: int) -> frozenset[int]:
    """The user and the members of the user's teams."""
    teams = select(TeamMember.team_id).where(TeamMember.user_id == user_id)
    return frozenset({user_id, *session.exec(select(TeamMember.user_id).where(TeamMember.team_id.in_(teams))).all()})


def load_actor(session: Session, user_id: int) -> Actor:
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise NotAllowed("err.session_invalid")
    if user.role == "admin":
        return Actor(id=user.id, role=user.role, full_name=user.full_name, visible_owner_ids=None)
    if user.role == "manager":
        team = _teammates(session, user.id)
        return Actor(id=user.id, role=user.role, full_name=user.full_name, visible_owner_ids=team)
    own = frozenset({user.id})
    sharing = _sharing(session)
    team = _teammates(session, user.id) if sharing != "off" else own
    return Actor(
        id=user.id,
        role=user.role,
        full_name=user.full_name,
        visible_owner_ids=team,
        editable_owner_ids=team if sharing == "edit" else own,
        assignable_owner_ids=own,
    )


def _owner_clause(owners: Owners, owner_column) -> sa.ColumnElement[bool] | None:
    if owners is None:
        return None
    if len(owners) == 1:
        return owner_column == next(iter(owners))
    return owner_column.in_(sorted(owners))


def visibility_clause(actor: Actor, owner_column, assignee_column=None) -> sa.ColumnElement[bool] | None:
    """The WHERE clause limiting a query to the records the actor reads (None: no limit); with
    ``assignee_column`` (activities), also those assigned to the actor."""
    clause = _owner_clause(actor.visible_owner_ids, owner_column)
    if clause is None or assignee_column is None:
        return clause
    return sa.or_(clause, assignee_column == actor.id)


def only_visible(stmt, actor: Actor, owner_column):
    """The statement limited to the actor's records."""
    clause = visibility_clause(actor, owner_column)
    return stmt if clause is None else stmt.where(clause)


def ensure_visible(actor: Actor, record) -> None:
    if record is None or not actor.sees_owner(record.owner_id):
        raise NotAllowed()


def ensure_editable(actor: Actor, record) -> None:
    """The record exists and the actor may change it (a teammate's shared read-only record: no)."""
    ensure_visible(actor, record)
    if not actor.edits_owner(record.owner_id):
        raise NotAllowed("err.read_only_record")


def ensure_allowed(actor: Actor, record, change: bool) -> None:
    """``ensure_editable`` to change the record, ``ensure_visible`` to read it."""
    (ensure_editable if change else ensure_visible)(actor, record)


def check_owner_assignment(actor: Actor, owner_id: int | None) -> None:
    """Sales keep records to themselves; managers assign within their teams."""
    if owner_id is None or actor.is_admin:
        return
    if not actor.assigns_owner(owner_id):
        raise NotAllowed("err.owner_not_allowed")


def require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise NotAllowed("err.admin_only")

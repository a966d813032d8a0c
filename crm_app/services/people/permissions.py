"""Who may see and change what. Every service read and write goes through here.

sales: records they own; manager: records owned by members of their teams
(themselves included); admin: everything.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from crm_app.models import TeamMember, User
from crm_app.services.errors import NotAllowed


@dataclass(frozen=True)
class Actor:
    id: int
    role: str
    full_name: str
    # Owners whose records this actor sees; None means every record.
    visible_owner_ids: frozenset[int] | None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def is_manager(self) -> bool:
        return self.role in ("admin", "manager")

    def sees_owner(self, owner_id: int | None) -> bool:
        return self.visible_owner_ids is None or owner_id in self.visible_owner_ids


def load_actor(session: Session, user_id: int) -> Actor:
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise NotAllowed("err.session_invalid")
    if user.role == "admin":
        visible = None
    elif user.role == "manager":
        teams = select(TeamMember.team_id).where(TeamMember.user_id == user.id)
        members = session.exec(select(TeamMember.user_id).where(TeamMember.team_id.in_(teams))).all()
        visible = frozenset({user.id, *members})
    else:
        visible = frozenset({user.id})
    return Actor(id=user.id, role=user.role, full_name=user.full_name, visible_owner_ids=visible)


def visibility_clause(actor: Actor, owner_column) -> sa.ColumnElement[bool] | None:
    """The WHERE clause limiting a query to the actor's records (None: no limit)."""
    if actor.visible_owner_ids is None:
        return None
    if len(actor.visible_owner_ids) == 1:
        return owner_column == next(iter(actor.visible_owner_ids))
    return owner_column.in_(sorted(actor.visible_owner_ids))


def only_visible(stmt, actor: Actor, owner_column):
    """The statement limited to the actor's records."""
    clause = visibility_clause(actor, owner_column)
    return stmt if clause is None else stmt.where(clause)


def ensure_visible(actor: Actor, record) -> None:
    if record is None or not actor.sees_owner(record.owner_id):
        raise NotAllowed()


def check_owner_assignment(actor: Actor, owner_id: int | None) -> None:
    """Sales keep records to themselves; managers assign within their teams."""
    if owner_id is None or actor.is_admin:
        return
    if not actor.sees_owner(owner_id):
        raise NotAllowed("err.owner_not_allowed")


def require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise NotAllowed("err.admin_only")

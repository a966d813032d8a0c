"""Who sees a saved view or filter: personal (its owner), team (the owner's team) or company.

Managers and admins share; sales keep theirs personal.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from crm_app.models import TeamMember
from crm_app.models.view import SCOPES
from crm_app.services.errors import NotAllowed, ValidationFailed
from crm_app.services.people.permissions import Actor


def team_ids(session: Session, user_id: int) -> list[int]:
    return list(
        session.exec(select(TeamMember.team_id).where(TeamMember.user_id == user_id).order_by(TeamMember.team_id)).all()
    )


def scope_team(session: Session, actor: Actor, scope: str) -> int | None:
    """The team of a new shared item (None unless team scope); refuses what the actor may not share."""
    if scope not in SCOPES:
        raise ValidationFailed({"scope": ("err.invalid_choice", {})})
    if scope == "personal":
        return None
    if not actor.is_manager:
        raise NotAllowed("err.share_managers_only")
    if scope == "company":
        return None
    teams = team_ids(session, actor.id)
    if not teams:
        raise ValidationFailed({"scope": ("err.no_team", {})})
    return teams[0]


def visible_clause(session: Session, actor: Actor, model) -> sa.ColumnElement[bool]:
    """Items of ``model`` (with owner_id, scope, team_id) the actor sees (an admin: every shared one)."""
    if actor.is_admin:
        return sa.or_(model.owner_id == actor.id, model.scope != "personal")
    return sa.or_(
        model.owner_id == actor.id,
        model.scope == "company",
        sa.and_(model.scope == "team", model.team_id.in_(team_ids(session, actor.id))),
    )


def sees(session: Session, actor: Actor, item) -> bool:
    if actor.is_admin and item.scope != "personal":
        return True
    return (
        item.owner_id == actor.id
        or item.scope == "company"
        or (item.scope == "team" and item.team_id in team_ids(session, actor.id))
    )


def may_edit(actor: Actor, item) -> bool:
    """Changing a view or filter itself (for everyone who sees it): its owner or an admin."""
    return item.owner_id == actor.id or actor.is_admin

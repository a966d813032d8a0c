"""Whose work a dashboard or calendar shows, and the Vietnam-time days it is cut into.

A scope is the set of users whose records are counted (None: everyone, for admins). Sales see
themselves; managers their teams' members, or one member or one team they pick; admins anyone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from crm_app.models import Team, TeamMember, User
from crm_app.services.errors import NotAllowed
from crm_app.services.formatting import VN_OFFSET
from crm_app.services.people.permissions import Actor

Scope = frozenset[int] | None


def scope_of(session: Session, actor: Actor, user_id: int | None = None, team_id: int | None = None) -> Scope:
    """The users whose work to show: one user, one team's members, or all the actor sees."""
    if user_id:
        user = session.get(User, user_id)
        if user is None or not actor.sees_owner(user_id):
            raise NotAllowed()
        return frozenset({user_id})
    if team_id:
        members = set(session.exec(select(TeamMember.user_id).where(TeamMember.team_id == team_id)).all())
        if not actor.is_admin:
            if team_id not in team_ids_of(session, actor.id):
                raise NotAllowed()
            members &= set(actor.visible_owner_ids or ())
        return frozenset(members)
    return actor.visible_owner_ids


def team_ids_of(session: Session, user_id: int) -> set[int]:
    return set(session.exec(select(TeamMember.team_id).where(TeamMember.user_id == user_id)).all())


def in_scope(column, scope: Scope) -> list[sa.ColumnElement[bool]]:
    """WHERE clauses limiting ``column`` (an owner or a user column) to the scope."""
    if scope is None:
        return []
    if len(scope) == 1:
        return [column == next(iter(scope))]
    return [column.in_(sorted(scope))]


def user_options(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """Users a manager or admin may pick (active ones they see), by name."""
    stmt = select(User.id, User.full_name).where(User.active == sa.true())
    if actor.visible_owner_ids is not None:
        stmt = stmt.where(User.id.in_(sorted(actor.visible_owner_ids)))
    return [tuple(r) for r in session.exec(stmt.order_by(User.full_name)).all()]


def team_options(session: Session, actor: Actor) -> list[tuple[int, str]]:
    stmt = select(Team.id, Team.name).where(Team.active == sa.true())
    if not actor.is_admin:
        stmt = stmt.where(Team.id.in_(sorted(team_ids_of(session, actor.id))))
    return [tuple(r) for r in session.exec(stmt.order_by(Team.name)).all()]


# --- days in Vietnam time ----------------------------------------------------------------------


def local_today(now: datetime | None = None) -> date:
    return ((now or datetime.now(UTC)) + VN_OFFSET).date()


def day_start(day: date) -> datetime:
    """The UTC moment a Vietnam-time day begins."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC) - VN_OFFSET


def local_date(moment: datetime) -> date:
    return ((moment if moment.tzinfo else moment.replace(tzinfo=UTC)) + VN_OFFSET).date()


def month_bounds(day: date) -> tuple[date, date]:
    """The first day of ``day``'s month and the first day of the next."""
    first = day.replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1)


def local_day_sql(session: Session, column) -> sa.ColumnElement:
    """The Vietnam-time date of a stored UTC moment, as 'YYYY-MM-DD' text (SQLite) or a date."""
    if session.get_bind().dialect.name == "sqlite":
        return sa.func.date(column, "+7 hours")
    return sa.cast(sa.func.timezone("Asia/Ho_Chi_Minh", column), sa.Date)

"""Users and teams, managed by the admin."""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlmodel import Session, select

from crm_app.models import Team, TeamMember, User
from crm_app.models.user import ROLES
from crm_app.services.errors import ValidationFailed
from crm_app.services.people import auth
from crm_app.services.people.permissions import Actor, require_admin
from crm_app.services.validation import Cleaner

_USERNAME = re.compile(r"^[a-z0-9._]{3,60}$")


def create_user(session: Session, actor: Actor | None, data: dict) -> User:
    """Create a user; ``actor`` None is the system itself (first start, demo data)."""
    if actor is not None:
        require_admin(actor)
    c = Cleaner(data)
    username = c.text("username", 60, required=True).lower()
    email = c.email("email")
    full_name = c.text("full_name", 120, required=True)
    role = c.choice("role", ROLES, "sales")
    language = c.choice("language", ("vi", "en"), "vi")
    team_id = c.integer("team_id")
    password = str(data.get("password") or "")
    if username and not _USERNAME.match(username):
        c.error("username", "err.invalid_username")
    if not email:
        c.error("email", "err.required")
    problem = auth.check_password_strength(password)
    if problem:
        c.error("password", problem)
    if username and session.exec(select(User.id).where(sa.func.lower(User.username) == username)).first():
        c.error("username", "err.username_taken")
    if email and session.exec(select(User.id).where(sa.func.lower(User.email) == email)).first():
        c.error("email", "err.email_taken")
    if team_id is not None and session.get(Team, team_id) is None:
        c.error("team_id", "err.invalid_choice")
    c.done()
    user = User(
        username=username,
        email=email,
        full_name=full_name,
        role=role,
        language=language,
        password_hash=auth.hash_password(password),
    )
    session.add(user)
    session.flush()
    if team_id is not None:
        session.add(TeamMember(team_id=team_id, user_id=user.id))
    session.flush()
    return user


def set_active(session: Session, actor: Actor, user_id: int, active: bool) -> User:
    require_admin(actor)
    user = session.get(User, user_id)
    if user is None:
        raise ValidationFailed({"user": ("err.invalid_choice", {})})
    if user.id == actor.id and not active:
        raise ValidationFailed({"user": ("err.cannot_deactivate_self", {})})
    user.active = active
    session.add(user)
    if not active:
        auth.end_user_sessions(session, user.id)
    session.flush()
    return user


def set_language(session: Session, user_id: int, language: str) -> None:
    if language not in ("vi", "en"):
        raise ValidationFailed({"language": ("err.invalid_choice", {})})
    user = session.get(User, user_id)
    if user is not None:
        user.language = language
        session.add(user)
        session.flush()


def create_team(session: Session, actor: Actor | None, name: str) -> Team:
    if actor is not None:
        require_admin(actor)
    c = Cleaner({"name": name})
    clean_name = c.text("name", 120, required=True)
    if clean_name and session.exec(select(Team.id).where(sa.func.lower(Team.name) == clean_name.lower())).first():
        c.error("name", "err.team_taken")
    c.done()
    team = Team(name=clean_name)
    session.add(team)
    session.flush()
    return team


def set_team_active(session: Session, actor: Actor, team_id: int, active: bool) -> Team:
    require_admin(actor)
    team = session.get(Team, team_id)
    if team is None:
        raise ValidationFailed({"team": ("err.invalid_choice", {})})
    team.active = active
    session.add(team)
    session.flush()
    return team


def set_membership(session: Session, actor: Actor, user_id: int, team_ids: list[int]) -> None:
    require_admin(actor)
    session.exec(sa.delete(TeamMember).where(TeamMember.user_id == user_id))
    for team_id in sorted(set(team_ids)):
        session.add(TeamMember(team_id=team_id, user_id=user_id))
    session.flush()


def list_users(session: Session) -> list[dict]:
    teams = dict(session.exec(select(Team.id, Team.name)).all())
    member_rows = session.exec(select(TeamMember.user_id, TeamMember.team_id)).all()
    by_user: dict[int, list[str]] = {}
    first_team: dict[int, int] = {}
    for uid, tid in member_rows:
        by_user.setdefault(uid, []).append(teams.get(tid, ""))
        first_team.setdefault(uid, tid)
    users = session.exec(select(User).order_by(User.role, User.full_name)).all()
    return [
        {
            "id": u.id,
            "username": u.username,
            "full_name": u.full_name,
            "email": u.email,
            "role": u.role,
            "active": u.active,
            "teams": ", ".join(sorted(by_user.get(u.id, []))),
            "team_id": first_team.get(u.id, ""),
        }
        for u in users
    ]


def list_teams(session: Session) -> list[dict]:
    counts = dict(session.exec(select(TeamMember.team_id, sa.func.count()).group_by(TeamMember.team_id)).all())
    return [
        {"id": t.id, "name": t.name, "active": t.active, "members": counts.get(t.id, 0)}
        for t in session.exec(select(Team).order_by(Team.name)).all()
    ]


def names_by_id(session: Session, ids) -> dict[int, str]:
    """Full names of the given users (ids may hold None)."""
    wanted = sorted({i for i in ids if i})
    if not wanted:
        return {}
    return dict(session.exec(select(User.id, User.full_name).where(User.id.in_(wanted))).all())

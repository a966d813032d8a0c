"""Users, teams, login sessions and failed-login throttling."""

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from crm_app.models._base import utcnow

ROLES = ("admin", "manager", "sales")


class Team(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=60, unique=True, index=True)
    email: str = Field(max_length=254, unique=True, index=True)
    full_name: str = Field(max_length=120)
    password_hash: str = Field(max_length=255)
    role: str = Field(default="sales", max_length=16)
    language: str = Field(default="vi", max_length=5)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    last_login_at: datetime | None = None


class TeamMember(SQLModel, table=True):
    """Membership of a user in a team; a manager sees the records of every member."""

    team_id: int = Field(foreign_key="team.id", primary_key=True)
    user_id: int = Field(foreign_key="user.id", primary_key=True, index=True)


class AuthSession(SQLModel, table=True):
    """A login. Only the SHA-256 of the token is stored, never the token itself."""

    token_hash: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime


class LoginThrottle(SQLModel, table=True):
    """Failed logins per login name (known or not, so names cannot be probed)."""

    login: str = Field(primary_key=True, max_length=254)
    failures: int = 0
    locked_until: datetime | None = None
    last_failure_at: datetime | None = None


class ExportRight(SQLModel, table=True):
    """What one role may export of one kind of record, as the admin set it (services.people.
    export_rights); with no row the registry's defaults hold."""

    __table_args__ = (UniqueConstraint("role", "entity", name="uq_exportright_role_entity"),)

    id: int | None = Field(default=None, primary_key=True)
    role: str = Field(max_length=16)
    entity: str = Field(max_length=40)
    allowed: bool = True  # may export this kind of record at all
    hidden_fields: str = Field(default="", max_length=4000)  # the fields it may not export, comma-separated
    updated_by_id: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow)

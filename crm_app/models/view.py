"""Saved list views and saved filters, stored as JSON specs.

A view is personal, team-wide or company-wide. A user's change to a shared view
is kept as their own override of the spec; the user's default view per list is
one row of ListViewDefault.
"""

from datetime import datetime

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from crm_app.models._base import utcnow

SCOPES = ("personal", "team", "company")
DISPLAY_TYPES = ("table", "kanban", "cards")


class ListView(SQLModel, table=True):
    __table_args__ = (Index("ix_listview_entity_scope", "entity", "scope", "owner_id"),)

    id: int | None = Field(default=None, primary_key=True)
    entity: str = Field(max_length=32)
    name: str = Field(max_length=80)
    owner_id: int = Field(foreign_key="user.id")
    scope: str = Field(default="personal", max_length=16)
    team_id: int | None = Field(default=None, foreign_key="team.id")
    spec: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    columns_locked: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class ListViewOverride(SQLModel, table=True):
    view_id: int = Field(foreign_key="listview.id", primary_key=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", primary_key=True)
    spec: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow)


class ListViewDefault(SQLModel, table=True):
    user_id: int = Field(foreign_key="user.id", primary_key=True)
    entity: str = Field(max_length=32, primary_key=True)
    view_id: int = Field(foreign_key="listview.id", ondelete="CASCADE")


class SavedFilter(SQLModel, table=True):
    __table_args__ = (Index("ix_savedfilter_entity_scope", "entity", "scope", "owner_id"),)

    id: int | None = Field(default=None, primary_key=True)
    entity: str = Field(max_length=32)
    name: str = Field(max_length=80)
    owner_id: int = Field(foreign_key="user.id")
    scope: str = Field(default="personal", max_length=16)
    team_id: int | None = Field(default=None, foreign_key="team.id")
    filter: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)

"""Static lists (Quản lý danh sách): named sets of records, usable as a filter."""

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from crm_app.models._base import utcnow


class RecordList(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    entity: str = Field(default="customer", max_length=32, index=True)
    name: str = Field(max_length=80)
    owner_id: int = Field(foreign_key="user.id")
    # shared like a view (models.view.SCOPES): personal, the owner's team, or the company
    scope: str = Field(default="personal", max_length=16)
    team_id: int | None = Field(default=None, foreign_key="team.id")
    created_at: datetime = Field(default_factory=utcnow)


class RecordListMember(SQLModel, table=True):
    __table_args__ = (Index("ix_recordlistmember_record", "record_id", "list_id"),)

    list_id: int = Field(foreign_key="recordlist.id", primary_key=True, ondelete="CASCADE")
    record_id: int = Field(primary_key=True)

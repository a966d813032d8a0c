"""Field-level history of every record: who, when, which field, old -> new."""

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from crm_app.models._base import utcnow


class AuditLog(SQLModel, table=True):
    __table_args__ = (
        Index("ix_auditlog_entity", "entity", "entity_id", "id"),
        Index("ix_auditlog_root", "root_entity", "root_id", "id"),
        Index("ix_auditlog_user_id", "user_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    entity: str = Field(max_length=32)
    entity_id: int
    action: str = Field(max_length=16)  # create / update / archive / restore / delete
    field: str | None = Field(default=None, max_length=64)
    old_value: str | None = None
    new_value: str | None = None
    # The record whose history shows this row: the record itself, or the customer of a child
    # (a note, a task, a file, an order ...).
    root_entity: str | None = Field(default=None, max_length=32)
    root_id: int | None = None
    user_id: int | None = Field(default=None, foreign_key="user.id")
    # the automation rule that made the change (its History row names the rule), on behalf of user_id
    rule_id: int | None = None
    at: datetime = Field(default_factory=utcnow, index=True)

"""Import runs (what each import did, for its summary and its undo) and saved column mappings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from crm_app.models._base import utcnow

# writing: its parts are being committed; undoing: its undo is; a crash in either is completed
# by importer.recover (a run is then "failed", an undo "undone")
RUN_STATUSES = ("writing", "done", "failed", "undoing", "undone")


class ImportRun(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    entity: str = Field(max_length=32)
    user_id: int = Field(foreign_key="user.id", index=True)
    file_name: str = Field(max_length=255)
    status: str = Field(default="writing", max_length=16)
    job_id: int | None = None  # the durable job writing or undoing it (services.jobs)
    total_rows: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    errors: int = 0
    options: str = Field(default="{}", max_length=4000)  # JSON: mode, keys, tags
    message: str = Field(default="", max_length=500)
    started_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None
    undone_at: datetime | None = None
    undone_by_id: int | None = Field(default=None, foreign_key="user.id")


class ImportRunItem(SQLModel, table=True):
    """One record a run created or updated; ``previous`` (JSON) holds the values an update replaced."""

    __table_args__ = (Index("ix_importrunitem_run", "run_id", "entity_id"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="importrun.id", ondelete="CASCADE")
    entity_id: int
    action: str = Field(max_length=8)  # create / update
    previous: str | None = None


class SavedMapping(SQLModel, table=True):
    """A column mapping a user saved: normalised header -> field (JSON)."""

    id: int | None = Field(default=None, primary_key=True)
    entity: str = Field(max_length=32)
    user_id: int = Field(foreign_key="user.id", index=True)
    name: str = Field(max_length=120)
    mapping: str = Field(max_length=8000)
    created_at: datetime = Field(default_factory=utcnow)

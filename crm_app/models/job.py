"""Long work a user started (an import, its undo, an export) as a durable record: what it is,
whose, how far it got and how it ended, kept across restarts (services.jobs)."""

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from crm_app.models._base import utcnow

JOB_KINDS = ("import", "import_undo", "export", "bulk")
# running: a process works on it; done / failed: it ended; interrupted: its process died first
JOB_STATUSES = ("running", "done", "failed", "interrupted")


class Job(SQLModel, table=True):
    __table_args__ = (
        Index("ix_job_user", "user_id", "id"),
        Index("ix_job_status", "status", "host"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    user_id: int = Field(foreign_key="user.id")
    title: str = Field(default="", max_length=255)  # what the user knows it by (a file's name)
    status: str = Field(default="running", max_length=16)
    done: int = 0
    total: int = 0
    message: str = Field(default="", max_length=1000)  # how it ended, in the user's language
    params: str = Field(default="{}", max_length=8000)  # JSON: what a retry needs
    result: str = Field(default="{}", max_length=8000)  # JSON: what it made (a run id, a link)
    host: str = Field(default="", max_length=255)  # the machine and process working on it
    pid: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None

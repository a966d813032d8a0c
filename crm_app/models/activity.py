"""Work around a customer: activities (calls, meetings, emails, tasks, notes as follow-ups),
free notes, and in-app notifications.

An activity relates to a customer and optionally one of its contacts; a task is an activity of
type "task" with an assignee, a due time and a status. Other modules (leads, opportunities,
calendar, dashboard) reuse this table: it has room for more nullable links later.
"""

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from crm_app.models._base import utcnow

ACTIVITY_STATUSES = ("planned", "in_progress", "done", "cancelled")


class Activity(SQLModel, table=True):
    __table_args__ = (
        Index("ix_activity_customer_at", "customer_id", "at", "id"),
        Index("ix_activity_assignee_status_due", "assignee_id", "status", "due_at"),
        # a customer's open activities by due time, covering: the next activity on deal cards
        Index("ix_activity_customer_open", "customer_id", "status", "due_at", "at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id")
    contact_id: int | None = Field(default=None, foreign_key="contact.id")
    type_code: str = Field(max_length=40)  # a code of the "activity_type" catalog
    subject: str = Field(default="", max_length=200)
    content: str = Field(default="", max_length=5000)
    at: datetime = Field(default_factory=utcnow)  # when it happened or is planned
    due_at: datetime | None = None
    status: str = Field(default="done", max_length=16)
    assignee_id: int | None = Field(default=None, foreign_key="user.id")
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_by_id: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow)


class Note(SQLModel, table=True):
    __table_args__ = (Index("ix_note_customer_id", "customer_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id")
    body: str = Field(max_length=10000)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_by_id: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow)


class Notification(SQLModel, table=True):
    __table_args__ = (Index("ix_notification_user_read", "user_id", "read", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id")
    text: str = Field(max_length=500)
    link: str = Field(default="", max_length=300)
    read: bool = False
    created_at: datetime = Field(default_factory=utcnow)

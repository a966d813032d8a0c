"""E-mail: templates the admin edits, and every message written to a customer (outbox and sent)."""

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from crm_app.models._base import utcnow

MAIL_STATUSES = ("outbox", "sending", "sent", "failed")


class EmailTemplate(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)
    subject: str = Field(max_length=300)
    body: str = Field(max_length=20000)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class EmailMessage(SQLModel, table=True):
    __table_args__ = (
        Index("ix_emailmessage_customer_id", "customer_id", "id"),
        Index("ix_emailmessage_status_id", "status", "id"),
        Index("ix_emailmessage_contact_id", "contact_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int | None = Field(default=None, foreign_key="customer.id")
    contact_id: int | None = Field(default=None, foreign_key="contact.id")  # written to a contact, from its page
    to_addr: str = Field(max_length=254)
    subject: str = Field(max_length=300)
    body: str = Field(max_length=20000)
    template_id: int | None = Field(default=None, foreign_key="emailtemplate.id")
    status: str = Field(default="outbox", max_length=16)
    error: str = Field(default="", max_length=500)
    attempts: int = 0
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    # a campaign member's signed unsubscribe link, also in the List-Unsubscribe header ("" none)
    unsubscribe_url: str = Field(default="", max_length=500)
    claimed_at: datetime | None = None  # when a delivery took it ("sending")
    sent_at: datetime | None = None

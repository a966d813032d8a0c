"""Files attached to a customer (and to one of its contacts when dropped on the contact's page). The bytes live under settings.files_dir (never a served folder)."""

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from crm_app.models._base import utcnow


class StoredFile(SQLModel, table=True):
    __table_args__ = (
        Index("ix_storedfile_customer_id", "customer_id", "id"),
        Index("ix_storedfile_contact_id", "contact_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id")
    contact_id: int | None = Field(default=None, foreign_key="contact.id")  # dropped on the contact's page
    name: str = Field(max_length=200)  # sanitised original name, shown and used on download
    storage_key: str = Field(max_length=64, unique=True)  # random file name on disk
    size: int = 0
    content_type: str = Field(default="application/octet-stream", max_length=120)
    uploaded_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)

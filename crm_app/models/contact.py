"""Contacts (Người liên hệ): people at a customer, seed 003."""

from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from crm_app.models._base import utcnow


class Contact(SQLModel, table=True):
    __table_args__ = (
        Index("ix_contact_arch_id", "archived", "id"),
        Index("ix_contact_arch_name", "archived", "name_norm", "id"),
        Index("ix_contact_owner_arch_id", "owner_id", "archived", "id"),
        Index("ix_contact_owner_arch_name", "owner_id", "archived", "name_norm", "id"),
        Index("ix_contact_arch_given", "archived", "given_norm", "id"),
        Index("ix_contact_owner_arch_given", "owner_id", "archived", "given_norm", "id"),
        Index("ix_contact_email_norm", "email_norm"),
        Index("ix_contact_phone_norm", "phone_norm"),
        Index("ix_contact_mobile_norm", "mobile_norm"),
        Index("ix_contact_phone_rev", "phone_rev"),
        Index("ix_contact_mobile_rev", "mobile_rev"),
        # a customer's contacts, by name (the Overview tab): a range of one index, no sort
        Index("ix_contact_customer_name", "customer_id", "archived", "name_norm"),
    )

    id: int | None = Field(default=None, primary_key=True)
    full_name: str = Field(max_length=200)
    name_norm: str = Field(default="", max_length=200)
    # a list sorted by given name (services.normalize.given_name_columns): shown, and its sort key
    given_name: str = Field(default="", max_length=200)
    given_norm: str = Field(default="", max_length=200)
    customer_id: int | None = Field(default=None, foreign_key="customer.id")
    title: str = Field(default="", max_length=120)
    email: str = Field(default="", max_length=254)
    email_norm: str = Field(default="", max_length=254)
    phone: str = Field(default="", max_length=40)
    phone_norm: str = Field(default="", max_length=20)
    mobile: str = Field(default="", max_length=40)
    mobile_norm: str = Field(default="", max_length=20)
    # the normalised numbers backwards: found by their last digits (normalize.suffix_key)
    phone_rev: str = Field(default="", max_length=20)
    mobile_rev: str = Field(default="", max_length=20)
    # a province and ward code of the 2025 catalog (services.places)
    province: str = Field(default="", max_length=80)
    ward: str = Field(default="", max_length=10)
    email_opt_out: bool = False
    do_not_call: bool = False
    reference_only: bool = False
    notify_on_change: bool = False
    rating: int = 0
    reports_to_id: int | None = Field(default=None, foreign_key="contact.id")
    owner_id: int | None = Field(default=None, foreign_key="user.id")
    portal_access: bool = False
    support_start: date | None = None
    support_end: date | None = None
    description: str = Field(default="", max_length=5000)
    archived: bool = False
    archived_at: datetime | None = None
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_by_id: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow)

"""Leads (Tiềm năng / Đầu mối): a person or a company not yet a customer.

A converted lead is kept, with links to the customer, contact and opportunity it became.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from crm_app.models._base import utcnow

LEAD_KINDS = ("person", "company")
LEAD_STATUSES = ("new", "contacted", "qualified", "unqualified", "converted")


class Lead(SQLModel, table=True):
    __table_args__ = (
        Index("ix_lead_board", "archived", "status", "value", "owner_id"),
        Index("ix_lead_column", "status", "archived", "rank", "id"),
        Index("ix_lead_owner_column", "owner_id", "status", "archived", "rank", "id"),
        Index("ix_lead_arch_id", "archived", "id", "owner_id"),
        Index("ix_lead_arch_name", "archived", "name_norm", "id", "owner_id"),
        Index("ix_lead_arch_given", "archived", "given_norm", "id", "owner_id"),
        Index("ix_lead_arch_created", "archived", "created_at", "id", "owner_id"),
        Index("ix_lead_owner_arch_id", "owner_id", "archived", "id"),
        Index("ix_lead_owner_created", "owner_id", "created_at", "source_id", "archived"),  # the dashboard
        Index("ix_lead_phone_norm", "phone_norm"),
        Index("ix_lead_mobile_norm", "mobile_norm"),
        Index("ix_lead_phone_rev", "phone_rev"),
        Index("ix_lead_mobile_rev", "mobile_rev"),
        Index("ix_lead_email_norm", "email_norm"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(default="person", max_length=8)
    full_name: str = Field(max_length=200)  # the person
    name_norm: str = Field(default="", max_length=200)
    # a list sorted by given name (services.normalize.given_name_columns): shown, and its sort key
    given_name: str = Field(default="", max_length=200)
    given_norm: str = Field(default="", max_length=200)
    company: str = Field(default="", max_length=200)
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
    # a province typed before the 2025 catalog that no current one matched: to be fixed by a user
    old_province: str = Field(default="", max_length=80)
    source_id: int | None = Field(default=None, foreign_key="catalogitem.id")
    owner_id: int | None = Field(default=None, foreign_key="user.id")
    status: str = Field(default="new", max_length=16)
    rating: int = 0
    value: int = Field(default=0, sa_type=sa.BigInteger)  # expected deal size, VND
    rank: int = Field(default=0, sa_type=sa.BigInteger)
    stage_entered_at: datetime = Field(default_factory=utcnow)
    description: str = Field(default="", max_length=5000)
    converted_at: datetime | None = None
    converted_by_id: int | None = Field(default=None, foreign_key="user.id")
    converted_customer_id: int | None = Field(default=None, foreign_key="customer.id")
    converted_contact_id: int | None = Field(default=None, foreign_key="contact.id")
    converted_opportunity_id: int | None = None  # the opportunity refers back through lead_id
    archived: bool = False
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_by_id: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow)

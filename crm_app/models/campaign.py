"""Campaigns (Chiến dịch, seed 002 §4.3) and their members.

A member is a customer or a contact (one of the two), added from a list's selection, a static
list or an automation rule; its status follows the campaign's mail (sent, or failed for good, set
by the delivery, which may come later when the message waited in the outbox), the answer
(responded, converted) and its unsubscribe link. ``message_id`` is the campaign's last message
to it, whose status (sent, failed) the campaign's figures count.
"""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from crm_app.models._base import utcnow

CAMPAIGN_KINDS = ("email", "event", "webinar", "advertising", "telesales", "other")
CAMPAIGN_STATUSES = ("planned", "active", "completed", "cancelled")
MEMBER_STATUSES = ("planned", "sent", "failed", "responded", "converted", "unsubscribed")


class Campaign(SQLModel, table=True):
    __table_args__ = (
        # the list: what an owner sees, or everyone, newest change first or by name
        Index("ix_campaign_owner", "owner_id", "archived", "updated_at", "id"),
        Index("ix_campaign_arch", "archived", "updated_at", "id"),
        Index("ix_campaign_name", "archived", "name_norm", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    name_norm: str = Field(default="", max_length=200)
    kind: str = Field(default="email", max_length=16)
    status: str = Field(default="planned", max_length=16)
    start_date: date | None = None
    end_date: date | None = None
    budget: int | None = Field(default=None, sa_type=sa.BigInteger)
    owner_id: int | None = Field(default=None, foreign_key="user.id")
    description: str = Field(default="", max_length=2000)
    member_count: int = 0  # kept by the campaign service as members come and go
    archived: bool = False
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    updated_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class CampaignMember(SQLModel, table=True):
    __tablename__ = "campaign_member"
    __table_args__ = (
        UniqueConstraint("campaign_id", "customer_id", name="uq_campaign_member_customer"),
        UniqueConstraint("campaign_id", "contact_id", name="uq_campaign_member_contact"),
        Index("ix_campaign_member_customer", "customer_id", "campaign_id"),
        Index("ix_campaign_member_contact", "contact_id", "campaign_id"),
        Index("ix_campaign_member_campaign", "campaign_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", ondelete="CASCADE")
    customer_id: int | None = Field(default=None, foreign_key="customer.id", ondelete="CASCADE")
    contact_id: int | None = Field(default=None, foreign_key="contact.id", ondelete="CASCADE")
    status: str = Field(default="planned", max_length=16)
    message_id: int | None = Field(default=None, foreign_key="emailmessage.id", ondelete="SET NULL")
    added_by_id: int | None = Field(default=None, foreign_key="user.id")
    added_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

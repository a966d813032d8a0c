"""Products, and quotes and orders with product lines. Money is whole VND (integers)."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from crm_app.models._base import utcnow

DOCUMENT_KINDS = ("quote", "order")
DOCUMENT_STATUSES = {
    "quote": ("draft", "sent", "accepted", "rejected"),
    "order": ("new", "confirmed", "delivered", "cancelled"),
}


class Product(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True)
    name: str = Field(max_length=200)
    unit: str = Field(default="", max_length=40)
    unit_price: int = 0
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)


class SalesDocument(SQLModel, table=True):
    """A quote (Báo giá, BG000001) or an order (Đơn hàng, DH000001) of a customer."""

    __table_args__ = (Index("ix_salesdocument_customer_kind", "customer_id", "kind", "doc_date"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=8)
    code: str = Field(default="", max_length=20, index=True)
    customer_id: int = Field(foreign_key="customer.id")
    status: str = Field(max_length=16)
    doc_date: date
    total: int = Field(default=0, sa_type=sa.BigInteger)  # an order from a big deal passes 2^31 VND
    note: str = Field(default="", max_length=2000)
    source_id: int | None = Field(default=None, foreign_key="salesdocument.id")  # the quote an order came from
    opportunity_id: int | None = Field(default=None, foreign_key="opportunity.id", index=True)  # the won deal
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class SalesLine(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="salesdocument.id", index=True, ondelete="CASCADE")
    product_id: int | None = Field(default=None, foreign_key="product.id")
    description: str = Field(max_length=200)
    quantity: int = 1
    unit_price: int = Field(default=0, sa_type=sa.BigInteger)
    amount: int = Field(default=0, sa_type=sa.BigInteger)
    position: int = 0

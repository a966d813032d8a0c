"""What a customer has bought or uses (Sản phẩm khách hàng, seed 004 §3).

Two kinds of rows, one table, so one list pages over both:

- ``order``: one row per customer and product, derived from the lines of the customer's orders
  that count as a purchase (not cancelled): quantity, first and last purchase, total. Written
  only by services.customer.customer_products.derive, on every change of an order.
- ``service``: a service entered by hand (a visa file, a yearly contract): start and end date,
  status, note; written through the record service with history under the customer.
"""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from crm_app.models._base import utcnow

CUSTOMER_PRODUCT_SOURCES = ("order", "service")
SERVICE_STATUSES = ("active", "paused", "ended")


class CustomerProduct(SQLModel, table=True):
    __tablename__ = "customer_product"
    __table_args__ = (
        # a customer's rows (its tab, the derivation) and "has bought X" of the customer filter
        Index("ix_customer_product_customer", "customer_id", "source", "product_id", "last_purchase"),
        # the list: what an owner sees, or everyone, newest change first or by product name, and
        # the rows of one product; the owner copy at the end tests a team's rows from the index
        Index("ix_customer_product_owner", "owner_id", "archived", "updated_at", "id"),
        Index("ix_customer_product_arch", "archived", "updated_at", "id", "owner_id"),
        Index("ix_customer_product_name", "archived", "name_norm", "id", "owner_id"),
        Index("ix_customer_product_product", "product_id", "archived", "updated_at", "id", "owner_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", ondelete="CASCADE")
    product_id: int = Field(foreign_key="product.id")
    source: str = Field(max_length=8)  # order | service
    # an order row's figures (none for a service: nothing was counted)
    quantity: int | None = None
    total: int | None = Field(default=None, sa_type=sa.BigInteger)
    first_purchase: date | None = None
    last_purchase: date | None = None
    # a service's own values
    start_date: date | None = None
    end_date: date | None = None
    status: str = Field(default="", max_length=16)
    note: str = Field(default="", max_length=1000)
    # copies of the customer's owner and archive flag, kept by triggers (as an activity's): the
    # list filters what a user sees from this table's own indexes
    owner_id: int | None = None
    archived: bool = False
    name_norm: str = Field(default="", max_length=200)  # the product's name without diacritics, for search
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    updated_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

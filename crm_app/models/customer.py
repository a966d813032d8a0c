"""Customers (Khách hàng), their phones and tags.

Sortable text columns are NOT NULL with '' for "empty" so that keyset paging
compares plain values. The *_norm columns are shadows written by the customer
service (no diacritics, digits-only phones, lower-case email) and indexed for
search and the duplicate rule.
"""

from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from crm_app.models._base import utcnow

KINDS = ("individual", "business", "public")
STATUSES = ("lead", "potential", "customer", "inactive")
GENDERS = ("", "male", "female", "other")


DEFAULT_COUNTRY = "Việt Nam"  # a new customer's country unless one is given (a form, an import, a lead)


class Customer(SQLModel, table=True):
    __table_args__ = (
        # The sort indexes end with owner_id: a manager's or salesperson's list walks them and
        # tests the owner from the index, reading only the rows they see.
        Index("ix_customer_arch_id", "archived", "id", "owner_id"),
        Index("ix_customer_arch_name", "archived", "name_norm", "id", "owner_id"),
        Index("ix_customer_arch_updated", "archived", "updated_at", "id", "owner_id"),
        Index("ix_customer_arch_province", "archived", "province", "id", "owner_id"),
        Index("ix_customer_arch_status", "archived", "status", "id", "owner_id"),
        Index("ix_customer_owner_arch_id", "owner_id", "archived", "id"),
        Index("ix_customer_owner_arch_name", "owner_id", "archived", "name_norm", "id"),
        Index("ix_customer_arch_given", "archived", "given_norm", "id", "owner_id"),
        Index("ix_customer_owner_arch_given", "owner_id", "archived", "given_norm", "id"),
        # a salesperson's kanban view by status: the column counts and cards of one owner
        Index("ix_customer_owner_arch_status", "owner_id", "archived", "status", "id"),
        Index("ix_customer_email_norm", "email_norm"),
        Index("ix_customer_owner_created", "owner_id", "created_at", "archived"),  # the dashboard's new customers
        Index("ix_customer_created", "created_at", "owner_id", "archived"),
        Index("ix_customer_tax_code", "tax_code"),
        # the organisation's members, by name (the Overview tab): a range of one index, no sort
        Index("ix_customer_assigned_name", "assigned_to_id", "archived", "name_norm"),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(default="", max_length=20, index=True)
    full_name: str = Field(max_length=200)
    name_norm: str = Field(default="", max_length=200)
    # a list sorted by given name (services.normalize.given_name_columns): shown, and its sort key
    given_name: str = Field(default="", max_length=200)
    given_norm: str = Field(default="", max_length=200)
    kind: str = Field(default="individual", max_length=16)
    status: str = Field(default="lead", max_length=16)
    email: str = Field(default="", max_length=254)
    email_norm: str = Field(default="", max_length=254)
    phone: str = Field(default="", max_length=40)  # the first of the phones, for display
    phone_norm: str = Field(default="", max_length=20)
    country: str = Field(default=DEFAULT_COUNTRY, max_length=80)
    # a province and ward code of the 2025 catalog (services.places)
    province: str = Field(default="", max_length=80)
    ward: str = Field(default="", max_length=10)
    # a province typed before the 2025 catalog that no current one matched: to be fixed by a user
    old_province: str = Field(default="", max_length=80)
    address: str = Field(default="", max_length=300)
    tax_code: str = Field(default="", max_length=20)
    website: str = Field(default="", max_length=200)
    birthday: date | None = None
    gender: str = Field(default="", max_length=8)
    category_id: int | None = Field(default=None, foreign_key="catalogitem.id")
    source_id: int | None = Field(default=None, foreign_key="catalogitem.id")
    owner_id: int | None = Field(default=None, foreign_key="user.id")
    assigned_to_id: int | None = Field(default=None, foreign_key="customer.id")
    rating: int = 0
    email_opt_out: bool = False
    do_not_call: bool = False
    notify_on_change: bool = False
    description: str = Field(default="", max_length=5000)
    last_purchase_at: date | None = None
    archived: bool = False
    archived_at: datetime | None = None
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_by_id: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow)


class CustomerPhone(SQLModel, table=True):
    """Every phone of a customer; number_norm serves phone search and duplicates.

    owner_id and archived are copies of the customer's, written by database triggers
    (models.search_keys), so that a phone search keeps to the phones an actor sees.
    """

    __table_args__ = (
        # number_norm first: phone search and the duplicate rule; the other columns make both
        # indexes cover a search (no row read to learn the customer, owner or archive flag)
        Index("ix_customerphone_number", "number_norm", "archived", "owner_id", "customer_id"),
        Index("ix_customerphone_owner_number", "owner_id", "archived", "number_norm", "customer_id"),
        # the same for the number's last digits (a search by "5678" or "345 678")
        Index("ix_customerphone_suffix", "number_rev", "archived", "owner_id", "customer_id"),
        Index("ix_customerphone_owner_suffix", "owner_id", "archived", "number_rev", "customer_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True, ondelete="CASCADE")
    number: str = Field(max_length=40)
    number_norm: str = Field(max_length=20)
    number_rev: str = Field(default="", max_length=20)  # number_norm backwards (normalize.suffix_key)
    position: int = 0
    owner_id: int | None = None
    archived: bool = False


class CustomerTag(SQLModel, table=True):
    customer_id: int = Field(foreign_key="customer.id", primary_key=True, ondelete="CASCADE")
    tag_id: int = Field(foreign_key="tag.id", primary_key=True, index=True)

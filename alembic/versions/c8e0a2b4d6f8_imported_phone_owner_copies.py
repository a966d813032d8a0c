"""imported customers' phones get their owner and archive copies

An import set aside the triggers that copy a customer's owner and archive flag onto its phones,
so a salesperson's search by phone missed the customers she had imported. The copies are now
written with the phones; here the missing ones are filled in.

Revision ID: c8e0a2b4d6f8
Revises: b6d8f0a2c4e6
Create Date: 2026-12-05 02:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "c8e0a2b4d6f8"
down_revision: str | None = "b6d8f0a2c4e6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "UPDATE customerphone SET "
        "owner_id = (SELECT customer.owner_id FROM customer WHERE customer.id = customerphone.customer_id), "
        "archived = (SELECT customer.archived FROM customer WHERE customer.id = customerphone.customer_id) "
        "WHERE owner_id IS NULL"
    )


def downgrade() -> None:
    """The copies stay: they are what the triggers write."""

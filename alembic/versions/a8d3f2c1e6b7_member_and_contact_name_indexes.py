"""an organisation's members and a customer's contacts, by name

The Overview tab lists the customers assigned to an organisation and a customer's contacts,
ordered by name. With only single-column indexes on the reference, SQLite walked the whole
name index for the ORDER BY (about 60 ms at 1,000,000 customers); (reference, archived,
name_norm) reads the rows in order from one range.

Revision ID: a8d3f2c1e6b7
Revises: f4b8e1c7d2a3
Create Date: 2026-12-04 15:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "a8d3f2c1e6b7"
down_revision: str | None = "f4b8e1c7d2a3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_customer_assigned_name", "customer", ["assigned_to_id", "archived", "name_norm"])
    op.drop_index("ix_customer_assigned_to_id", table_name="customer")
    op.create_index("ix_contact_customer_name", "contact", ["customer_id", "archived", "name_norm"])
    op.drop_index("ix_contact_customer_id", table_name="contact")


def downgrade() -> None:
    op.create_index("ix_contact_customer_id", "contact", ["customer_id"])
    op.drop_index("ix_contact_customer_name", table_name="contact")
    op.create_index("ix_customer_assigned_to_id", "customer", ["assigned_to_id"])
    op.drop_index("ix_customer_assigned_name", table_name="customer")

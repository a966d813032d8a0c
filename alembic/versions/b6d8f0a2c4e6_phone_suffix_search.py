"""a customer's phones found by their last digits

Each phone keeps its normalised number backwards (number_rev, services.normalize.suffix_key),
indexed like the number with the owner and archive copies, so that a search by "5678" or
"345 678" reads a range of an index as a search by the first digits does.

Revision ID: b6d8f0a2c4e6
Revises: a4c6e8f0b2d4
Create Date: 2026-12-05 01:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b6d8f0a2c4e6"
down_revision: str | None = "a4c6e8f0b2d4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table("customerphone") as batch:
        batch.add_column(sa.Column("number_rev", sa.String(length=20), nullable=False, server_default=""))
    if bind.dialect.name == "sqlite":  # SQLite has no reverse(): one of Python's for this statement
        bind.connection.driver_connection.create_function("reverse", 1, lambda s: s[::-1] if s else s)
    op.execute("UPDATE customerphone SET number_rev = reverse(number_norm)")
    op.create_index("ix_customerphone_suffix", "customerphone", ["number_rev", "archived", "owner_id", "customer_id"])
    op.create_index(
        "ix_customerphone_owner_suffix", "customerphone", ["owner_id", "archived", "number_rev", "customer_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_customerphone_owner_suffix", table_name="customerphone")
    op.drop_index("ix_customerphone_suffix", table_name="customerphone")
    with op.batch_alter_table("customerphone") as batch:
        batch.drop_column("number_rev")

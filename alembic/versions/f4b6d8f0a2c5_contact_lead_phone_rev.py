"""contacts' and leads' numbers backwards, to find them by their last digits

A customer's phones are found by their last digits through ``customerphone.number_rev``; contacts
and leads keep their desk and mobile numbers on their own row, so each gains the two numbers
backwards (``phone_rev``, ``mobile_rev``, services.normalize.suffix_key), indexed.

Revision ID: f4b6d8f0a2c5
Revises: e2a4c6e8f0b3
Create Date: 2026-12-05 04:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f4b6d8f0a2c5"
down_revision: str | None = "e2a4c6e8f0b3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000


def upgrade() -> None:
    bind = op.get_bind()
    for table in ("contact", "lead"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("phone_rev", sa.String(20), nullable=False, server_default=""))
            batch.add_column(sa.Column("mobile_rev", sa.String(20), nullable=False, server_default=""))
        rows = bind.execute(
            sa.text(f"SELECT id, phone_norm, mobile_norm FROM {table} WHERE phone_norm <> '' OR mobile_norm <> ''")
        ).all()
        changes = [{"id": rid, "phone": (p or "")[::-1], "mobile": (m or "")[::-1]} for rid, p, m in rows]
        for i in range(0, len(changes), BATCH):
            bind.execute(
                sa.text(f"UPDATE {table} SET phone_rev = :phone, mobile_rev = :mobile WHERE id = :id"),
                changes[i : i + BATCH],
            )
        op.create_index(f"ix_{table}_phone_rev", table, ["phone_rev"])
        op.create_index(f"ix_{table}_mobile_rev", table, ["mobile_rev"])


def downgrade() -> None:
    for table in ("contact", "lead"):
        op.drop_index(f"ix_{table}_mobile_rev", table_name=table)
        op.drop_index(f"ix_{table}_phone_rev", table_name=table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column("mobile_rev")
            batch.drop_column("phone_rev")

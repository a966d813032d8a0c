"""PostgreSQL: the name search keys of every owner as index ranges holding the record's id, and
a full-text index of the names' words

Revision ID: c3e5a7b9d1f2
Revises: a7c9e1b3d5f7
Create Date: 2026-12-05 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c3e5a7b9d1f2"
down_revision: str | None = "a7c9e1b3d5f7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEYS = (("customer", "customer_name_key", "customer_id"), ("contact", "contact_name_key", "contact_id"))


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":  # SQLite reads both from its search keys
        return
    for table, keys, record_id in KEYS:
        op.create_index(
            f"ix_{keys}_arch", keys, ["archived", "is_first", "term"], postgresql_include=[record_id, "owner_id"]
        )
        op.create_index(
            f"ix_{table}_name_words",
            table,
            [sa.text("to_tsvector('simple'::regconfig, name_norm)")],
            postgresql_using="gin",
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, keys, _record_id in KEYS:
        op.drop_index(f"ix_{table}_name_words", table_name=table)
        op.drop_index(f"ix_{keys}_arch", table_name=keys)

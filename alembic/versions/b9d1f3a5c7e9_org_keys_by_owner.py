"""Search keys: the organisations' keys by owner, for a salesperson's or a team's "assigned to"
picker (their owner index visited every key of a name's range to test the org flag).

Revision ID: b9d1f3a5c7e9
Revises: a7c9e1f3b5d7
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b9d1f3a5c7e9"
down_revision: str | None = "a7c9e1f3b5d7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_customer_name_key_org_owner",
        "customer_name_key",
        ["owner_id", "archived", "term"],
        sqlite_where=sa.text("org = 1"),
        postgresql_where=sa.text("org"),
        postgresql_include=["is_first", "customer_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_customer_name_key_org_owner", table_name="customer_name_key")

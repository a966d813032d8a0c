"""next activity index

A covering index of a customer's activities by status and due time: the next open
activity of every card on a deal board is one index seek per card.

Revision ID: 5d2b7c9e4f18
Revises: 3c8e2f1a6b47
Create Date: 2026-11-23 11:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "5d2b7c9e4f18"
down_revision: str | None = "3c8e2f1a6b47"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.create_index(
            "ix_activity_customer_open", ["customer_id", "status", "due_at", "at", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_index("ix_activity_customer_open")

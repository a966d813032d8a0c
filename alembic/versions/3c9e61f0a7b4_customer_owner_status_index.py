"""customer index by owner and status, for kanban views

A salesperson's board of customers grouped by status counts and pages one owner's
customers per status: (owner_id, archived, status, id) makes both an index range.

Revision ID: 3c9e61f0a7b4
Revises: 7a1e5c3b9d20
Create Date: 2026-11-23 11:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "3c9e61f0a7b4"
down_revision: str | None = "7a1e5c3b9d20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_customer_owner_arch_status", "customer", ["owner_id", "archived", "status", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_customer_owner_arch_status", table_name="customer")

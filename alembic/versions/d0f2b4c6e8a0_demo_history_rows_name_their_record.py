"""the demo data's history rows name their record

The demo data written on first start (after b3e9a7c5d1f2 had run) gave its "created" history
rows no record (root_entity / root_id empty): they showed on no History tab and as "#None" in
the system history. They now name the record itself, as b3e9a7c5d1f2 did for older rows.

Revision ID: d0f2b4c6e8a0
Revises: c8e0a2b4d6f8
Create Date: 2026-12-05 02:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "d0f2b4c6e8a0"
down_revision: str | None = "c8e0a2b4d6f8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "UPDATE auditlog SET root_entity = entity, root_id = entity_id "
        "WHERE root_entity IS NULL AND entity IN ('customer', 'contact', 'lead', 'opportunity')"
    )


def downgrade() -> None:
    """Nothing to undo: the rows only gained the record they always belonged to."""

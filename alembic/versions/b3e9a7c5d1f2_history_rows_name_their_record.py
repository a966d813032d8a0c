"""history rows name their record

Bulk updates and merges wrote history rows without the record whose History tab shows them
(root_entity / root_id empty), so they never appeared there nor in the system history filtered
to that record. Those rows of customers, contacts, leads and opportunities now name the record
itself, as every other change of the record does.

Revision ID: b3e9a7c5d1f2
Revises: a8d3f2c1e6b7
Create Date: 2026-12-04 18:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "b3e9a7c5d1f2"
down_revision: str | None = "a8d3f2c1e6b7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "UPDATE auditlog SET root_entity = entity, root_id = entity_id "
        "WHERE root_entity IS NULL AND entity IN ('customer', 'contact', 'lead', 'opportunity')"
    )


def downgrade() -> None:
    """Nothing to undo: the rows only gained the record they always belonged to."""

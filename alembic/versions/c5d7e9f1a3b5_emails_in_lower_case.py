"""e-mails in lower case

The forms and the import store an e-mail in lower case (validation.Cleaner.email); records
written otherwise (the demo data wrote some with capitals) changed on their next save and every
re-import of an export "updated" them. Stored e-mails are brought to the form's rule.

Revision ID: c5d7e9f1a3b5
Revises: b3e9a7c5d1f2
Create Date: 2026-12-04 19:35:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "c5d7e9f1a3b5"
down_revision: str | None = "b3e9a7c5d1f2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ("customer", "contact", "lead"):
        op.execute(f"UPDATE {table} SET email = lower(email) WHERE email <> lower(email)")


def downgrade() -> None:
    """Nothing to undo: the case of an e-mail carries no meaning."""

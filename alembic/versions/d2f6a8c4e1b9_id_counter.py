"""ids never given twice

SQLite gives a new row the highest id plus one, so a record created after an import was undone
took a removed record's id, code and history. The highest id each kind of record has had is kept
in id_counter from now on (services.records.record_service.new_ids).

Revision ID: d2f6a8c4e1b9
Revises: c5d7e9f1a3b5
Create Date: 2026-12-04 22:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d2f6a8c4e1b9"
down_revision: str | None = "c5d7e9f1a3b5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNTED = ("customer", "contact", "lead", "opportunity")


def upgrade() -> None:
    op.create_table(
        "id_counter",
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("last_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("entity"),
    )
    for table in COUNTED:
        op.execute(f"INSERT INTO id_counter (entity, last_id) SELECT '{table}', COALESCE(MAX(id), 0) FROM {table}")


def downgrade() -> None:
    op.drop_table("id_counter")

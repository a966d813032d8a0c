"""import runs written part by part: the durable job a run or its undo belongs to

Revision ID: b7d9f1a3c5e7
Revises: a5c7e9b1d3f6
Create Date: 2026-12-05 06:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b7d9f1a3c5e7"
down_revision: str | None = "a5c7e9b1d3f6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("importrun", sa.Column("job_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("importrun") as batch:
        batch.drop_column("job_id")

"""automation events: when a worker claimed one, and how many times (a dead worker's claim is
taken back)

Revision ID: c3e5a7b9d1f2
Revises: a7c9e1b3d5f7
Create Date: 2026-12-05 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "c3e5a7b9d1f2"
down_revision: str | None = "a7c9e1b3d5f7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("automationevent") as batch:
        batch.add_column(sa.Column("claimed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("automationevent") as batch:
        batch.drop_column("attempts")
        batch.drop_column("claimed_at")

"""app settings (records shared with the team); static lists shared like views

Revision ID: a7c3e5f9b1d4
Revises: e5a7c9b1d3f4
Create Date: 2026-12-05 10:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "a7c3e5f9b1d4"
down_revision: str | None = "e5a7c9b1d3f4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "app_setting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("value", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["updated_by_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("recordlist", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("scope", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False, server_default="personal")
        )
        batch_op.add_column(sa.Column("team_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_recordlist_team_id", "team", ["team_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("recordlist", schema=None) as batch_op:
        batch_op.drop_constraint("fk_recordlist_team_id", type_="foreignkey")
        batch_op.drop_column("team_id")
        batch_op.drop_column("scope")
    op.drop_table("app_setting")

"""A campaign's message keeps its member's signed unsubscribe link, sent in its List-Unsubscribe
header (RFC 2369, one-click per RFC 8058)

Revision ID: e7a9c1b3d5f6
Revises: d5f7b9c1e3a4
Create Date: 2026-12-05 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "e7a9c1b3d5f6"
down_revision: str | None = "d5f7b9c1e3a4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("emailmessage", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "unsubscribe_url", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False, server_default=""
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("emailmessage", schema=None) as batch_op:
        batch_op.drop_column("unsubscribe_url")

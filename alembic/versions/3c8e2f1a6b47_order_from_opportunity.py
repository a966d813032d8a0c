"""order from opportunity

An order (or quote) remembers the won opportunity it was made from; money of
documents and lines is BIGINT (a deal's value passes 2^31 VND; SQLite integers
are 64-bit already).

Revision ID: 3c8e2f1a6b47
Revises: 3c9e61f0a7b4
Create Date: 2026-11-23 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3c8e2f1a6b47"
down_revision: str | None = "3c9e61f0a7b4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("salesdocument", schema=None) as batch_op:
        batch_op.add_column(sa.Column("opportunity_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_salesdocument_opportunity_id"), ["opportunity_id"], unique=False)
        batch_op.create_foreign_key("fk_salesdocument_opportunity_id", "opportunity", ["opportunity_id"], ["id"])
        batch_op.alter_column("total", existing_type=sa.Integer(), type_=sa.BigInteger(), existing_nullable=False)
    with op.batch_alter_table("salesline", schema=None) as batch_op:
        for column in ("unit_price", "amount"):
            batch_op.alter_column(column, existing_type=sa.Integer(), type_=sa.BigInteger(), existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("salesline", schema=None) as batch_op:
        for column in ("unit_price", "amount"):
            batch_op.alter_column(column, existing_type=sa.BigInteger(), type_=sa.Integer(), existing_nullable=False)
    with op.batch_alter_table("salesdocument", schema=None) as batch_op:
        batch_op.drop_constraint("fk_salesdocument_opportunity_id", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_salesdocument_opportunity_id"))
        batch_op.drop_column("opportunity_id")
        batch_op.alter_column("total", existing_type=sa.BigInteger(), type_=sa.Integer(), existing_nullable=False)

"""activity day counts

activity_day: how many activities fall on each Vietnam-time day per owner, archive flag, person and
type, kept by triggers; the dashboard reads its busy days and activities per user from it.

Revision ID: f4b8e1c7d2a3
Revises: e7c1d2a9b4f0
Create Date: 2026-11-23 11:30:00.000000
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

from crm_app.models.activity import activity_day_backfill, activity_day_ddl, drop_activity_day_ddl

revision: str = 'f4b8e1c7d2a3'
down_revision: Union[str, None] = 'e7c1d2a9b4f0'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('activity_day',
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('type_code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('owner_id', 'archived', 'day', 'person_id', 'type_code')
    )
    op.create_index('ix_activity_day_day', 'activity_day', ['archived', 'day', 'owner_id', 'person_id', 'n'],
                    unique=False)
    dialect = op.get_bind().dialect.name
    op.execute(activity_day_backfill(dialect))
    for stmt in activity_day_ddl(dialect):
        op.execute(stmt)


def downgrade() -> None:
    for stmt in drop_activity_day_ddl(op.get_bind().dialect.name):
        op.execute(stmt)
    op.drop_index('ix_activity_day_day', table_name='activity_day')
    op.drop_table('activity_day')

"""dashboard, calendar and watchers

Activities get copies of their customer's owner and archive flag (kept by triggers) and a
normalised subject, with the indexes the activity list, the calendar and the dashboard read;
watchers of records; indexes for the dashboard's figures over leads, deals and customers.

Revision ID: e7c1d2a9b4f0
Revises: 5d2b7c9e4f18
Create Date: 2026-11-23 11:00:00.000000
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

from crm_app.models.activity import activity_trigger_ddl, drop_activity_trigger_ddl

revision: str = 'e7c1d2a9b4f0'
down_revision: Union[str, None] = '5d2b7c9e4f18'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

ACTIVITY_INDEXES = {
    "ix_activity_owner_at": ["owner_id", "archived", "at", "id", "type_code", "assignee_id", "created_by_id"],
    "ix_activity_arch_at": ["archived", "at", "id", "owner_id", "type_code", "assignee_id", "created_by_id"],
    "ix_activity_owner_due": ["owner_id", "due_at"],
}
OTHER_INDEXES = {
    "lead": {"ix_lead_owner_created": ["owner_id", "created_at", "source_id", "archived"]},
    "opportunity": {"ix_opportunity_owner_closed": ["owner_id", "closed_at", "stage_id", "value", "archived"],
                    "ix_opportunity_closed": ["closed_at", "stage_id", "value", "owner_id", "archived"]},
    "customer": {"ix_customer_owner_created": ["owner_id", "created_at", "archived"],
                 "ix_customer_created": ["created_at", "owner_id", "archived"]},
}


def upgrade() -> None:
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('archived', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('name_norm', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False,
                                      server_default=''))
    op.execute("UPDATE activity SET "
               "owner_id = (SELECT owner_id FROM customer WHERE customer.id = activity.customer_id), "
               "archived = (SELECT archived FROM customer WHERE customer.id = activity.customer_id)")
    # the subject's normalised form needs Python (diacritics): existing rows are few (pre-release data)
    from crm_app.services.normalize import normalize_name

    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, subject FROM activity WHERE subject <> ''")).all()
    for row_id, subject in rows:
        bind.execute(sa.text("UPDATE activity SET name_norm = :n WHERE id = :i"),
                     {"n": normalize_name(subject), "i": row_id})
    for name, columns in ACTIVITY_INDEXES.items():
        op.create_index(name, 'activity', columns, unique=False)
    for table, indexes in OTHER_INDEXES.items():
        for name, columns in indexes.items():
            op.create_index(name, table, columns, unique=False)
    for stmt in activity_trigger_ddl(bind.dialect.name):
        op.execute(stmt)

    op.create_table('watcher',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entity', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_watcher_record', 'watcher', ['entity', 'record_id', 'user_id'], unique=True)


def downgrade() -> None:
    op.drop_index('ix_watcher_record', table_name='watcher')
    op.drop_table('watcher')
    for stmt in drop_activity_trigger_ddl(op.get_bind().dialect.name):
        op.execute(stmt)
    for table, indexes in OTHER_INDEXES.items():
        for name in indexes:
            op.drop_index(name, table_name=table)
    for name in ACTIVITY_INDEXES:
        op.drop_index(name, table_name='activity')
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.drop_column('name_norm')
        batch_op.drop_column('archived')
        batch_op.drop_column('owner_id')

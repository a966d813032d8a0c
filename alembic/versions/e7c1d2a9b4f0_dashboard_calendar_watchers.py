"""dashboard, calendar and watchers

Activities get copies of their customer's owner and archive flag (kept by triggers) and a
normalised subject, with the indexes the activity list, the calendar and the dashboard read;
watchers of records; indexes for the dashboard's figures over leads, deals and customers.

Revision ID: e7c1d2a9b4f0
Revises: 5d2b7c9e4f18
Create Date: 2026-11-23 11:00:00.000000
"""

import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "e7c1d2a9b4f0"
down_revision: str | None = "5d2b7c9e4f18"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The SQL as it stood when this revision was written, frozen here so that the migration never
# changes with the live model code.
TRIGGERS = {
    "sqlite": [
        "CREATE TRIGGER activity_vis_ins AFTER INSERT ON activity WHEN NEW.owner_id IS NOT (SELECT owner_id FROM customer WHERE id = NEW.customer_id) OR NEW.archived IS NOT (SELECT archived FROM customer WHERE id = NEW.customer_id) BEGIN UPDATE activity SET owner_id = (SELECT owner_id FROM customer WHERE id = NEW.customer_id), archived = (SELECT archived FROM customer WHERE id = NEW.customer_id) WHERE id = NEW.id; END",
        "CREATE TRIGGER activity_vis_move AFTER UPDATE OF customer_id ON activity WHEN NEW.owner_id IS NOT (SELECT owner_id FROM customer WHERE id = NEW.customer_id) OR NEW.archived IS NOT (SELECT archived FROM customer WHERE id = NEW.customer_id) BEGIN UPDATE activity SET owner_id = (SELECT owner_id FROM customer WHERE id = NEW.customer_id), archived = (SELECT archived FROM customer WHERE id = NEW.customer_id) WHERE id = NEW.id; END",
        "CREATE TRIGGER activity_vis_customer AFTER UPDATE OF owner_id, archived ON customer WHEN NEW.owner_id IS NOT OLD.owner_id OR NEW.archived IS NOT OLD.archived BEGIN UPDATE activity SET owner_id = NEW.owner_id, archived = NEW.archived WHERE customer_id = NEW.id; END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION activity_vis_row() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n    SELECT c.owner_id, c.archived INTO NEW.owner_id, NEW.archived FROM customer c WHERE c.id = NEW.customer_id;\n    RETURN NEW;\nEND $$",
        "CREATE TRIGGER activity_vis_row BEFORE INSERT OR UPDATE OF customer_id ON activity FOR EACH ROW EXECUTE FUNCTION activity_vis_row()",
        "CREATE OR REPLACE FUNCTION activity_vis_customer() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n    IF NEW.owner_id IS DISTINCT FROM OLD.owner_id OR NEW.archived IS DISTINCT FROM OLD.archived THEN\n        UPDATE activity SET owner_id = NEW.owner_id, archived = NEW.archived WHERE customer_id = NEW.id;\n    END IF;\n    RETURN NEW;\nEND $$",
        "CREATE TRIGGER activity_vis_customer AFTER UPDATE OF owner_id, archived ON customer FOR EACH ROW EXECUTE FUNCTION activity_vis_customer()",
    ],
}
DROP_TRIGGERS = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS activity_vis_ins",
        "DROP TRIGGER IF EXISTS activity_vis_move",
        "DROP TRIGGER IF EXISTS activity_vis_customer",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS activity_vis_row ON activity",
        "DROP TRIGGER IF EXISTS activity_vis_customer ON customer",
        "DROP FUNCTION IF EXISTS activity_vis_row()",
        "DROP FUNCTION IF EXISTS activity_vis_customer()",
    ],
}

ACTIVITY_INDEXES = {
    "ix_activity_owner_at": ["owner_id", "archived", "at", "id", "type_code", "assignee_id", "created_by_id"],
    "ix_activity_arch_at": ["archived", "at", "id", "owner_id", "type_code", "assignee_id", "created_by_id"],
    "ix_activity_owner_due": ["owner_id", "due_at"],
}
OTHER_INDEXES = {
    "lead": {"ix_lead_owner_created": ["owner_id", "created_at", "source_id", "archived"]},
    "opportunity": {
        "ix_opportunity_owner_closed": ["owner_id", "closed_at", "stage_id", "value", "archived"],
        "ix_opportunity_closed": ["closed_at", "stage_id", "value", "owner_id", "archived"],
    },
    "customer": {
        "ix_customer_owner_created": ["owner_id", "created_at", "archived"],
        "ix_customer_created": ["created_at", "owner_id", "archived"],
    },
}


def normalize_name(value: str) -> str:
    """The search form of a name as of this revision: no diacritics (đ -> d), lower case, spaces folded."""
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "d"))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split()).lower()


def upgrade() -> None:
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("archived", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(
            sa.Column("name_norm", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False, server_default="")
        )
    op.execute(
        "UPDATE activity SET "
        "owner_id = (SELECT owner_id FROM customer WHERE customer.id = activity.customer_id), "
        "archived = (SELECT archived FROM customer WHERE customer.id = activity.customer_id)"
    )
    # the subject's normalised form needs Python (diacritics): existing rows are few (pre-release data)
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, subject FROM activity WHERE subject <> ''")).all()
    for row_id, subject in rows:
        bind.execute(
            sa.text("UPDATE activity SET name_norm = :n WHERE id = :i"), {"n": normalize_name(subject), "i": row_id}
        )
    for name, columns in ACTIVITY_INDEXES.items():
        op.create_index(name, "activity", columns, unique=False)
    for table, indexes in OTHER_INDEXES.items():
        for name, columns in indexes.items():
            op.create_index(name, table, columns, unique=False)
    for stmt in TRIGGERS.get(bind.dialect.name, []):
        op.execute(stmt)

    op.create_table(
        "watcher",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_watcher_record", "watcher", ["entity", "record_id", "user_id"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_watcher_record", table_name="watcher")
    op.drop_table("watcher")
    for stmt in DROP_TRIGGERS.get(op.get_bind().dialect.name, []):
        op.execute(stmt)
    for table, indexes in OTHER_INDEXES.items():
        for name in indexes:
            op.drop_index(name, table_name=table)
    for name in ACTIVITY_INDEXES:
        op.drop_index(name, table_name="activity")
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_column("name_norm")
        batch_op.drop_column("archived")
        batch_op.drop_column("owner_id")

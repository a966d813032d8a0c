"""import runs, saved mappings, tax code index

Import runs with the records each created or updated (for undo), saved column
mappings, an index on customer.tax_code for duplicate matching by tax code, and
indexes of the name keys by record (a removed record's keys are found by id).

Revision ID: 7a1e5c3b9d20
Revises: b0804b3dd285
Create Date: 2026-11-23 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "7a1e5c3b9d20"
down_revision: str | None = "b0804b3dd285"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "importrun",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("total_rows", sa.Integer(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("options", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("message", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("started_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("finished_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("undone_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("undone_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["undone_by_id"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_importrun_user_id", "importrun", ["user_id"], unique=False)
    op.create_table(
        "importrunitem",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("previous", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(["run_id"], ["importrun.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_importrunitem_run", "importrunitem", ["run_id", "entity_id"], unique=False)
    op.create_table(
        "savedmapping",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("mapping", sqlmodel.sql.sqltypes.AutoString(length=8000), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_savedmapping_user_id", "savedmapping", ["user_id"], unique=False)
    op.create_index("ix_customer_tax_code", "customer", ["tax_code"], unique=False)
    # deleting a customer or contact (undo of an import, merge) deletes its keys by record id
    op.create_index("ix_customer_name_key_customer", "customer_name_key", ["customer_id"], unique=False)
    op.create_index("ix_contact_name_key_contact", "contact_name_key", ["contact_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_contact_name_key_contact", table_name="contact_name_key")
    op.drop_index("ix_customer_name_key_customer", table_name="customer_name_key")
    op.drop_index("ix_customer_tax_code", table_name="customer")
    op.drop_index("ix_savedmapping_user_id", table_name="savedmapping")
    op.drop_table("savedmapping")
    op.drop_index("ix_importrunitem_run", table_name="importrunitem")
    op.drop_table("importrunitem")
    op.drop_index("ix_importrun_user_id", table_name="importrun")
    op.drop_table("importrun")

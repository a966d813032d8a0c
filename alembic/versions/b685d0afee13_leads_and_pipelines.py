"""leads and pipelines

Leads, pipelines with ordered stages, opportunities; the indexes serve the kanban board
(column totals from one covering range, each column's cards in rank order).

Revision ID: b685d0afee13
Revises: a2d9d2381501
Create Date: 2026-11-23 09:38:53.700543
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "b685d0afee13"
down_revision: str | None = "a2d9d2381501"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pipeline",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "pipeline_stage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pipeline_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("color", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("probability", sa.Integer(), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("warn_days", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pipeline_id"],
            ["pipeline.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("pipeline_stage", schema=None) as batch_op:
        batch_op.create_index("ix_pipeline_stage_pos", ["pipeline_id", "position"], unique=False)

    op.create_table(
        "lead",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("full_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("name_norm", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("company", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column("email_norm", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("phone_norm", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("mobile", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("mobile_norm", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("province", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.Column("rank", sa.BigInteger(), nullable=False),
        sa.Column("stage_entered_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=5000), nullable=False),
        sa.Column("converted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("converted_by_id", sa.Integer(), nullable=True),
        sa.Column("converted_customer_id", sa.Integer(), nullable=True),
        sa.Column("converted_contact_id", sa.Integer(), nullable=True),
        sa.Column("converted_opportunity_id", sa.Integer(), nullable=True),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["converted_by_id"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["converted_contact_id"],
            ["contact.id"],
        ),
        sa.ForeignKeyConstraint(
            ["converted_customer_id"],
            ["customer.id"],
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["catalogitem.id"],
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("lead", schema=None) as batch_op:
        batch_op.create_index("ix_lead_arch_id", ["archived", "id", "owner_id"], unique=False)
        batch_op.create_index("ix_lead_arch_name", ["archived", "name_norm", "id", "owner_id"], unique=False)
        batch_op.create_index("ix_lead_arch_created", ["archived", "created_at", "id", "owner_id"], unique=False)
        batch_op.create_index("ix_lead_board", ["archived", "status", "value", "owner_id"], unique=False)
        batch_op.create_index("ix_lead_column", ["status", "archived", "rank", "id"], unique=False)
        batch_op.create_index("ix_lead_email_norm", ["email_norm"], unique=False)
        batch_op.create_index("ix_lead_mobile_norm", ["mobile_norm"], unique=False)
        batch_op.create_index("ix_lead_owner_arch_id", ["owner_id", "archived", "id"], unique=False)
        batch_op.create_index("ix_lead_owner_column", ["owner_id", "status", "archived", "rank", "id"], unique=False)
        batch_op.create_index("ix_lead_phone_norm", ["phone_norm"], unique=False)

    op.create_table(
        "opportunity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("name_norm", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.Column("expected_close", sa.Date(), nullable=True),
        sa.Column("probability", sa.Integer(), nullable=False),
        sa.Column("pipeline_id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("rank", sa.BigInteger(), nullable=False),
        sa.Column("stage_entered_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("lost_reason_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("lead_id", sa.Integer(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=5000), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customer.id"],
        ),
        sa.ForeignKeyConstraint(
            ["lead_id"],
            ["lead.id"],
        ),
        sa.ForeignKeyConstraint(
            ["lost_reason_id"],
            ["catalogitem.id"],
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["pipeline_id"],
            ["pipeline.id"],
        ),
        sa.ForeignKeyConstraint(
            ["stage_id"],
            ["pipeline_stage.id"],
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("opportunity", schema=None) as batch_op:
        batch_op.create_index("ix_opportunity_arch_id", ["archived", "id", "owner_id"], unique=False)
        batch_op.create_index("ix_opportunity_arch_name", ["archived", "name_norm", "id", "owner_id"], unique=False)
        batch_op.create_index("ix_opportunity_arch_updated", ["archived", "updated_at", "id", "owner_id"], unique=False)
        batch_op.create_index(
            "ix_opportunity_board",
            ["pipeline_id", "archived", "stage_id", "value", "probability", "owner_id", "name_norm"],
            unique=False,
        )
        batch_op.create_index("ix_opportunity_column", ["stage_id", "archived", "rank", "id"], unique=False)
        batch_op.create_index(
            "ix_opportunity_owner_board",
            ["owner_id", "pipeline_id", "archived", "stage_id", "value", "probability", "name_norm"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_opportunity_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index("ix_opportunity_owner_arch_id", ["owner_id", "archived", "id"], unique=False)
        batch_op.create_index(
            "ix_opportunity_owner_column", ["owner_id", "stage_id", "archived", "rank", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("opportunity", schema=None) as batch_op:
        batch_op.drop_index("ix_opportunity_owner_column")
        batch_op.drop_index("ix_opportunity_owner_arch_id")
        batch_op.drop_index(batch_op.f("ix_opportunity_customer_id"))
        batch_op.drop_index("ix_opportunity_owner_board")
        batch_op.drop_index("ix_opportunity_column")
        batch_op.drop_index("ix_opportunity_board")
        batch_op.drop_index("ix_opportunity_arch_updated")
        batch_op.drop_index("ix_opportunity_arch_name")
        batch_op.drop_index("ix_opportunity_arch_id")

    op.drop_table("opportunity")
    with op.batch_alter_table("lead", schema=None) as batch_op:
        batch_op.drop_index("ix_lead_phone_norm")
        batch_op.drop_index("ix_lead_owner_column")
        batch_op.drop_index("ix_lead_owner_arch_id")
        batch_op.drop_index("ix_lead_mobile_norm")
        batch_op.drop_index("ix_lead_email_norm")
        batch_op.drop_index("ix_lead_column")
        batch_op.drop_index("ix_lead_board")
        batch_op.drop_index("ix_lead_arch_created")
        batch_op.drop_index("ix_lead_arch_name")
        batch_op.drop_index("ix_lead_arch_id")

    op.drop_table("lead")
    with op.batch_alter_table("pipeline_stage", schema=None) as batch_op:
        batch_op.drop_index("ix_pipeline_stage_pos")

    op.drop_table("pipeline_stage")
    op.drop_table("pipeline")

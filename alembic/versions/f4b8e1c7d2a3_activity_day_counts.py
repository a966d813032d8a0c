"""activity day counts

activity_day: how many activities fall on each Vietnam-time day per owner, archive flag, person and
type, kept by triggers; the dashboard reads its busy days and activities per user from it.

Revision ID: f4b8e1c7d2a3
Revises: e7c1d2a9b4f0
Create Date: 2026-11-23 11:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "f4b8e1c7d2a3"
down_revision: str | None = "e7c1d2a9b4f0"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The SQL as it stood when this revision was written, frozen here so that the migration never
# changes with the live model code.
BACKFILL = {
    "sqlite": "INSERT INTO activity_day (owner_id, archived, day, person_id, type_code, n) SELECT coalesce(activity.owner_id, 0), activity.archived, date(CASE WHEN activity.type_code = 'task' AND activity.due_at IS NOT NULL THEN activity.due_at ELSE activity.at END, '+7 hours'), coalesce(activity.assignee_id, activity.created_by_id, 0), activity.type_code, count(*) FROM activity GROUP BY 1, 2, 3, 4, 5",
    "postgresql": "INSERT INTO activity_day (owner_id, archived, day, person_id, type_code, n) SELECT coalesce(activity.owner_id, 0), activity.archived, ((CASE WHEN activity.type_code = 'task' AND activity.due_at IS NOT NULL THEN activity.due_at ELSE activity.at END) AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, coalesce(activity.assignee_id, activity.created_by_id, 0), activity.type_code, count(*) FROM activity GROUP BY 1, 2, 3, 4, 5",
}
TRIGGERS = {
    "sqlite": [
        "CREATE TRIGGER activity_day_ins AFTER INSERT ON activity BEGIN INSERT INTO activity_day (owner_id, archived, day, person_id, type_code, n) VALUES (coalesce(NEW.owner_id, 0), NEW.archived, date(CASE WHEN NEW.type_code = 'task' AND NEW.due_at IS NOT NULL THEN NEW.due_at ELSE NEW.at END, '+7 hours'), coalesce(NEW.assignee_id, NEW.created_by_id, 0), NEW.type_code, 1) ON CONFLICT (owner_id, archived, day, person_id, type_code) DO UPDATE SET n = activity_day.n + 1; END",
        "CREATE TRIGGER activity_day_del AFTER DELETE ON activity BEGIN UPDATE activity_day SET n = n - 1 WHERE (owner_id, archived, day, person_id, type_code) = (coalesce(OLD.owner_id, 0), OLD.archived, date(CASE WHEN OLD.type_code = 'task' AND OLD.due_at IS NOT NULL THEN OLD.due_at ELSE OLD.at END, '+7 hours'), coalesce(OLD.assignee_id, OLD.created_by_id, 0), OLD.type_code); END",
        "CREATE TRIGGER activity_day_upd AFTER UPDATE OF owner_id, archived, at, due_at, type_code, assignee_id, created_by_id ON activity BEGIN UPDATE activity_day SET n = n - 1 WHERE (owner_id, archived, day, person_id, type_code) = (coalesce(OLD.owner_id, 0), OLD.archived, date(CASE WHEN OLD.type_code = 'task' AND OLD.due_at IS NOT NULL THEN OLD.due_at ELSE OLD.at END, '+7 hours'), coalesce(OLD.assignee_id, OLD.created_by_id, 0), OLD.type_code); INSERT INTO activity_day (owner_id, archived, day, person_id, type_code, n) VALUES (coalesce(NEW.owner_id, 0), NEW.archived, date(CASE WHEN NEW.type_code = 'task' AND NEW.due_at IS NOT NULL THEN NEW.due_at ELSE NEW.at END, '+7 hours'), coalesce(NEW.assignee_id, NEW.created_by_id, 0), NEW.type_code, 1) ON CONFLICT (owner_id, archived, day, person_id, type_code) DO UPDATE SET n = activity_day.n + 1; END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION activity_day_sync() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n    IF TG_OP IN ('UPDATE', 'DELETE') THEN UPDATE activity_day SET n = n - 1 WHERE (owner_id, archived, day, person_id, type_code) = (coalesce(OLD.owner_id, 0), OLD.archived, ((CASE WHEN OLD.type_code = 'task' AND OLD.due_at IS NOT NULL THEN OLD.due_at ELSE OLD.at END) AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, coalesce(OLD.assignee_id, OLD.created_by_id, 0), OLD.type_code); END IF;\n    IF TG_OP IN ('INSERT', 'UPDATE') THEN INSERT INTO activity_day (owner_id, archived, day, person_id, type_code, n) VALUES (coalesce(NEW.owner_id, 0), NEW.archived, ((CASE WHEN NEW.type_code = 'task' AND NEW.due_at IS NOT NULL THEN NEW.due_at ELSE NEW.at END) AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, coalesce(NEW.assignee_id, NEW.created_by_id, 0), NEW.type_code, 1) ON CONFLICT (owner_id, archived, day, person_id, type_code) DO UPDATE SET n = activity_day.n + 1; END IF;\n    RETURN NULL;\nEND $$",
        "CREATE TRIGGER activity_day_sync AFTER INSERT OR DELETE OR UPDATE OF owner_id, archived, at, due_at, type_code, assignee_id, created_by_id ON activity FOR EACH ROW EXECUTE FUNCTION activity_day_sync()",
    ],
}
DROP_TRIGGERS = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS activity_day_ins",
        "DROP TRIGGER IF EXISTS activity_day_del",
        "DROP TRIGGER IF EXISTS activity_day_upd",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS activity_day_sync ON activity",
        "DROP FUNCTION IF EXISTS activity_day_sync()",
    ],
}


def upgrade() -> None:
    op.create_table(
        "activity_day",
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("type_code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("owner_id", "archived", "day", "person_id", "type_code"),
    )
    op.create_index(
        "ix_activity_day_day", "activity_day", ["archived", "day", "owner_id", "person_id", "n"], unique=False
    )
    dialect = op.get_bind().dialect.name
    op.execute(BACKFILL[dialect])
    for stmt in TRIGGERS.get(dialect, []):
        op.execute(stmt)


def downgrade() -> None:
    for stmt in DROP_TRIGGERS.get(op.get_bind().dialect.name, []):
        op.execute(stmt)
    op.drop_index("ix_activity_day_day", table_name="activity_day")
    op.drop_table("activity_day")

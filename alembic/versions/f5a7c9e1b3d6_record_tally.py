"""Records tallied by owner and archive flag: PostgreSQL's count of a whole list reads them

Revision ID: f5a7c9e1b3d6
Revises: e4f6a8b0c2d4
Create Date: 2026-12-06 03:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f5a7c9e1b3d6"
down_revision: str | None = "e4f6a8b0c2d4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TALLIED = ("customer", "contact", "lead")
# as models.record_tally writes them
TRIGGERS = [
    "CREATE OR REPLACE FUNCTION record_tally_added() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO record_tally (table_name, owner_id, archived, n) SELECT TG_TABLE_NAME, owner_id, archived, sum(d) FROM (SELECT coalesce(owner_id, 0) AS owner_id, archived, 1 AS d FROM new_rows) changes GROUP BY 2, 3 HAVING sum(d) <> 0 ORDER BY 2, 3 ON CONFLICT (table_name, owner_id, archived) DO UPDATE SET n = record_tally.n + excluded.n; RETURN NULL; END $$",
    "CREATE OR REPLACE FUNCTION record_tally_removed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO record_tally (table_name, owner_id, archived, n) SELECT TG_TABLE_NAME, owner_id, archived, sum(d) FROM (SELECT coalesce(owner_id, 0) AS owner_id, archived, -1 AS d FROM old_rows) changes GROUP BY 2, 3 HAVING sum(d) <> 0 ORDER BY 2, 3 ON CONFLICT (table_name, owner_id, archived) DO UPDATE SET n = record_tally.n + excluded.n; RETURN NULL; END $$",
    "CREATE OR REPLACE FUNCTION record_tally_moved() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO record_tally (table_name, owner_id, archived, n) SELECT TG_TABLE_NAME, owner_id, archived, sum(d) FROM (SELECT c.owner_id, c.archived, c.d FROM old_rows o JOIN new_rows w ON w.id = o.id CROSS JOIN LATERAL (VALUES (coalesce(o.owner_id, 0), o.archived, -1), (coalesce(w.owner_id, 0), w.archived, 1)) AS c(owner_id, archived, d) WHERE o.owner_id IS DISTINCT FROM w.owner_id OR o.archived IS DISTINCT FROM w.archived) changes GROUP BY 2, 3 HAVING sum(d) <> 0 ORDER BY 2, 3 ON CONFLICT (table_name, owner_id, archived) DO UPDATE SET n = record_tally.n + excluded.n; RETURN NULL; END $$",
    "CREATE TRIGGER customer_tally_ins AFTER INSERT ON customer REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION record_tally_added()",
    "CREATE TRIGGER customer_tally_del AFTER DELETE ON customer REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION record_tally_removed()",
    "CREATE TRIGGER customer_tally_upd AFTER UPDATE ON customer REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION record_tally_moved()",
    "CREATE TRIGGER contact_tally_ins AFTER INSERT ON contact REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION record_tally_added()",
    "CREATE TRIGGER contact_tally_del AFTER DELETE ON contact REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION record_tally_removed()",
    "CREATE TRIGGER contact_tally_upd AFTER UPDATE ON contact REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION record_tally_moved()",
    "CREATE TRIGGER lead_tally_ins AFTER INSERT ON lead REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION record_tally_added()",
    "CREATE TRIGGER lead_tally_del AFTER DELETE ON lead REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION record_tally_removed()",
    "CREATE TRIGGER lead_tally_upd AFTER UPDATE ON lead REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION record_tally_moved()",
]
BACKFILL = [
    "DELETE FROM record_tally",
    "INSERT INTO record_tally (table_name, owner_id, archived, n) SELECT 'customer', coalesce(owner_id, 0), archived, count(*) FROM customer GROUP BY 2, 3",
    "INSERT INTO record_tally (table_name, owner_id, archived, n) SELECT 'contact', coalesce(owner_id, 0), archived, count(*) FROM contact GROUP BY 2, 3",
    "INSERT INTO record_tally (table_name, owner_id, archived, n) SELECT 'lead', coalesce(owner_id, 0), archived, count(*) FROM lead GROUP BY 2, 3",
]


def upgrade() -> None:
    op.create_table(
        "record_tally",
        sa.Column("table_name", sa.String(40), primary_key=True),
        sa.Column("owner_id", sa.Integer(), primary_key=True),
        sa.Column("archived", sa.Boolean(), primary_key=True),
        sa.Column("n", sa.BigInteger(), nullable=False),
    )
    if op.get_bind().dialect.name != "postgresql":  # SQLite counts its tables' pages
        return
    for stmt in BACKFILL + TRIGGERS:
        op.execute(stmt)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TALLIED:
            for event in ("ins", "del", "upd"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_tally_{event} ON {table}")
        for name in ("added", "removed", "moved"):
            op.execute(f"DROP FUNCTION IF EXISTS record_tally_{name}()")
    op.drop_table("record_tally")

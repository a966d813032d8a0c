"""Name search: a customer's keys copy whether it is an organisation (a small key range for the
"assigned to" picker); PostgreSQL: the keys of every owner, and of one owner, as index ranges
holding the record's id, and a full-text index of the names' words

Revision ID: d5f7b9c1e3a4
Revises: c3a5e7f9b1d2
Create Date: 2026-12-05 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d5f7b9c1e3a4"
down_revision: str | None = "c3a5e7f9b1d2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEYS = (("customer", "customer_name_key", "customer_id"), ("contact", "contact_name_key", "contact_id"))

# The customer key triggers, as models.search_keys writes them with the org copy (NEW_) and before.
NEW_SQLITE = [
    "CREATE TRIGGER customer_name_key_ins AFTER INSERT ON customer BEGIN INSERT INTO customer_name_key (term, customer_id, owner_id, archived, is_first, org) SELECT substr(NEW.name_norm, coalesce((SELECT sum(length(q.value) + 1) FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') q WHERE q.key < p.key), 0) + 1), NEW.id, NEW.owner_id, NEW.archived, p.key = 0, NEW.kind <> 'individual' FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') p WHERE NEW.name_norm <> ''; INSERT OR IGNORE INTO name_word (word) SELECT DISTINCT p.value FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') p WHERE p.value <> ''; END",
    "CREATE TRIGGER customer_name_key_name AFTER UPDATE OF name_norm ON customer WHEN NEW.name_norm IS NOT OLD.name_norm BEGIN DELETE FROM customer_name_key WHERE customer_id = OLD.id; INSERT INTO customer_name_key (term, customer_id, owner_id, archived, is_first, org) SELECT substr(NEW.name_norm, coalesce((SELECT sum(length(q.value) + 1) FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') q WHERE q.key < p.key), 0) + 1), NEW.id, NEW.owner_id, NEW.archived, p.key = 0, NEW.kind <> 'individual' FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') p WHERE NEW.name_norm <> ''; INSERT OR IGNORE INTO name_word (word) SELECT DISTINCT p.value FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') p WHERE p.value <> ''; END",
    "CREATE TRIGGER customer_name_key_vis AFTER UPDATE OF owner_id, archived, kind ON customer WHEN NEW.owner_id IS NOT OLD.owner_id OR NEW.archived IS NOT OLD.archived OR NEW.kind IS NOT OLD.kind BEGIN UPDATE customer_name_key SET owner_id = NEW.owner_id, archived = NEW.archived, org = NEW.kind <> 'individual' WHERE customer_id = NEW.id; UPDATE customerphone SET owner_id = NEW.owner_id, archived = NEW.archived WHERE customer_id = NEW.id; END",
]
OLD_SQLITE = [
    "CREATE TRIGGER customer_name_key_ins AFTER INSERT ON customer BEGIN INSERT INTO customer_name_key (term, customer_id, owner_id, archived, is_first) SELECT substr(NEW.name_norm, coalesce((SELECT sum(length(q.value) + 1) FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') q WHERE q.key < p.key), 0) + 1), NEW.id, NEW.owner_id, NEW.archived, p.key = 0 FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') p WHERE NEW.name_norm <> ''; INSERT OR IGNORE INTO name_word (word) SELECT DISTINCT p.value FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') p WHERE p.value <> ''; END",
    "CREATE TRIGGER customer_name_key_name AFTER UPDATE OF name_norm ON customer WHEN NEW.name_norm IS NOT OLD.name_norm BEGIN DELETE FROM customer_name_key WHERE customer_id = OLD.id; INSERT INTO customer_name_key (term, customer_id, owner_id, archived, is_first) SELECT substr(NEW.name_norm, coalesce((SELECT sum(length(q.value) + 1) FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') q WHERE q.key < p.key), 0) + 1), NEW.id, NEW.owner_id, NEW.archived, p.key = 0 FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') p WHERE NEW.name_norm <> ''; INSERT OR IGNORE INTO name_word (word) SELECT DISTINCT p.value FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') p WHERE p.value <> ''; END",
    "CREATE TRIGGER customer_name_key_vis AFTER UPDATE OF owner_id, archived ON customer WHEN NEW.owner_id IS NOT OLD.owner_id OR NEW.archived IS NOT OLD.archived BEGIN UPDATE customer_name_key SET owner_id = NEW.owner_id, archived = NEW.archived WHERE customer_id = NEW.id; UPDATE customerphone SET owner_id = NEW.owner_id, archived = NEW.archived WHERE customer_id = NEW.id; END",
]
NEW_POSTGRESQL = [
    "CREATE OR REPLACE FUNCTION customer_name_key_sync() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n    IF TG_OP = 'UPDATE' THEN\n        IF NEW.owner_id IS DISTINCT FROM OLD.owner_id OR NEW.archived IS DISTINCT FROM OLD.archived OR (NEW.kind <> 'individual') IS DISTINCT FROM (OLD.kind <> 'individual') THEN\n            UPDATE customer_name_key SET owner_id = NEW.owner_id, archived = NEW.archived, org = NEW.kind <> 'individual' WHERE customer_id = NEW.id;\n            UPDATE customerphone SET owner_id = NEW.owner_id, archived = NEW.archived WHERE customer_id = NEW.id;\n        END IF;\n        IF NEW.name_norm IS NOT DISTINCT FROM OLD.name_norm THEN\n            RETURN NULL;\n        END IF;\n        DELETE FROM customer_name_key WHERE customer_id = OLD.id;\n    END IF;\n    INSERT INTO customer_name_key (term, customer_id, owner_id, archived, is_first, org)\n    SELECT substr(NEW.name_norm, p), NEW.id, NEW.owner_id, NEW.archived, p = 1, NEW.kind <> 'individual'\n    FROM generate_series(1, length(NEW.name_norm)) AS p\n    WHERE p = 1 OR substr(NEW.name_norm, p - 1, 1) = ' ';\n    INSERT INTO name_word (word) SELECT DISTINCT w FROM regexp_split_to_table(NEW.name_norm, ' ') AS w WHERE w <> '' ON CONFLICT DO NOTHING;\n    RETURN NULL;\nEND $$",
    "CREATE TRIGGER customer_name_key_sync AFTER INSERT OR UPDATE OF name_norm, owner_id, archived, kind ON customer FOR EACH ROW EXECUTE FUNCTION customer_name_key_sync()",
]
OLD_POSTGRESQL = [
    "CREATE OR REPLACE FUNCTION customer_name_key_sync() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n    IF TG_OP = 'UPDATE' THEN\n        IF NEW.owner_id IS DISTINCT FROM OLD.owner_id OR NEW.archived IS DISTINCT FROM OLD.archived THEN\n            UPDATE customer_name_key SET owner_id = NEW.owner_id, archived = NEW.archived WHERE customer_id = NEW.id;\n            UPDATE customerphone SET owner_id = NEW.owner_id, archived = NEW.archived WHERE customer_id = NEW.id;\n        END IF;\n        IF NEW.name_norm IS NOT DISTINCT FROM OLD.name_norm THEN\n            RETURN NULL;\n        END IF;\n        DELETE FROM customer_name_key WHERE customer_id = OLD.id;\n    END IF;\n    INSERT INTO customer_name_key (term, customer_id, owner_id, archived, is_first)\n    SELECT substr(NEW.name_norm, p), NEW.id, NEW.owner_id, NEW.archived, p = 1\n    FROM generate_series(1, length(NEW.name_norm)) AS p\n    WHERE p = 1 OR substr(NEW.name_norm, p - 1, 1) = ' ';\n    INSERT INTO name_word (word) SELECT DISTINCT w FROM regexp_split_to_table(NEW.name_norm, ' ') AS w WHERE w <> '' ON CONFLICT DO NOTHING;\n    RETURN NULL;\nEND $$",
    "CREATE TRIGGER customer_name_key_sync AFTER INSERT OR UPDATE OF name_norm, owner_id, archived ON customer FOR EACH ROW EXECUTE FUNCTION customer_name_key_sync()",
]

DROP = {
    "sqlite": [f"DROP TRIGGER IF EXISTS customer_name_key_{s}" for s in ("ins", "name", "vis")],
    "postgresql": ["DROP TRIGGER IF EXISTS customer_name_key_sync ON customer"],
}
TRIGGERS = {"sqlite": (NEW_SQLITE, OLD_SQLITE), "postgresql": (NEW_POSTGRESQL, OLD_POSTGRESQL)}


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for stmt in DROP.get(dialect, []):
        op.execute(stmt)
    op.add_column("customer_name_key", sa.Column("org", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute(
        "UPDATE customer_name_key SET org = true "
        "WHERE customer_id IN (SELECT id FROM customer WHERE kind <> 'individual')"
    )
    op.create_index(
        "ix_customer_name_key_org",
        "customer_name_key",
        ["archived", "term"],
        sqlite_where=sa.text("org = 1"),
        postgresql_where=sa.text("org"),
        postgresql_include=["is_first", "customer_id", "owner_id"],
    )
    for stmt in TRIGGERS.get(dialect, ([], []))[0]:
        op.execute(stmt)
    if dialect != "postgresql":  # SQLite reads the rest from its search keys
        return
    for table, keys, record_id in KEYS:
        op.create_index(
            f"ix_{keys}_arch", keys, ["archived", "is_first", "term"], postgresql_include=[record_id, "owner_id"]
        )
        op.drop_index(f"ix_{keys}_owner", table_name=keys)
        op.create_index(
            f"ix_{keys}_owner", keys, ["owner_id", "archived", "is_first", "term"], postgresql_include=[record_id]
        )
        op.create_index(
            f"ix_{table}_name_words",
            table,
            [sa.text("to_tsvector('simple'::regconfig, name_norm)")],
            postgresql_using="gin",
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for table, keys, _record_id in KEYS:
            op.drop_index(f"ix_{table}_name_words", table_name=table)
            op.drop_index(f"ix_{keys}_arch", table_name=keys)
            op.drop_index(f"ix_{keys}_owner", table_name=keys)
            op.create_index(f"ix_{keys}_owner", keys, ["owner_id", "archived", "is_first", "term"])
    for stmt in DROP.get(dialect, []):
        op.execute(stmt)
    op.drop_index("ix_customer_name_key_org", table_name="customer_name_key")
    op.drop_column("customer_name_key", "org")
    for stmt in TRIGGERS.get(dialect, ([], []))[1]:
        op.execute(stmt)

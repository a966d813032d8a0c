"""Search keys carry their name's word mask (a bit per word start): the keys of one typed word
are tested for the other typed words by an integer AND before their text is searched

Revision ID: a6c8e0b2d4f8
Revises: f5a7c9e1b3d6
Create Date: 2026-12-06 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a6c8e0b2d4f8"
down_revision: str | None = "f5a7c9e1b3d6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEYS = (("customer", "customer_name_key", "customer_id"), ("contact", "contact_name_key", "contact_id"))

# A name's mask (models.search_keys.word_mask, frozen here), of a record aliased r
MASK = {
    "sqlite": "(SELECT coalesce(sum(DISTINCT (1 << ((unicode(substr(m.value, 1, 1)) * 38 + unicode(substr(m.value, 2, 1)) * 35 + unicode(substr(m.value, 3, 1)) * 1) % 63))), 0) FROM json_each('[' || replace(json_quote(r.name_norm), ' ', '\",\"') || ']') m WHERE length(m.value) >= 3)",
    "postgresql": "(SELECT coalesce(bit_or((1::bigint << ((ascii(substr(m, 1, 1)) * 38 + ascii(substr(m, 2, 1)) * 35 + ascii(substr(m, 3, 1)) * 1) % 63))), 0) FROM regexp_split_to_table(r.name_norm, ' ') AS m WHERE length(m) >= 3)",
}

# The key triggers as models.search_keys writes them with the mask (NEW_) and before (OLD_):
# SQLite's insert and rename triggers, PostgreSQL's trigger functions (their triggers stay).
NEW_SQLITE = [
    "CREATE TRIGGER customer_name_key_ins AFTER INSERT ON customer BEGIN INSERT INTO customer_name_key (term, customer_id, owner_id, archived, is_first, head, word_mask, org) SELECT substr(NEW.name_norm, coalesce((SELECT sum(length(q.value) + 1) FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') q WHERE q.key < p.key), 0) + 1), NEW.id, NEW.owner_id, NEW.archived, p.key = 0, CASE WHEN p.key = 0 THEN '' ELSE ' ' || substr(NEW.name_norm, 1, coalesce((SELECT sum(length(q.value) + 1) FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') q WHERE q.key < p.key), 0) - 1) END, (SELECT coalesce(sum(DISTINCT (1 << ((unicode(substr(m.value, 1, 1)) * 38 + unicode(substr(m.value, 2, 1)) * 35 + unicode(substr(m.value, 3, 1)) * 1) % 63))), 0) FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') m WHERE length(m.value) >= 3), NEW.kind <> 'individual' FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') p WHERE NEW.name_norm <> ''; INSERT OR IGNORE INTO name_word (word) SELECT DISTINCT p.value FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') p WHERE p.value <> ''; END",
    "CREATE TRIGGER customer_name_key_name AFTER UPDATE OF name_norm ON customer WHEN NEW.name_norm IS NOT OLD.name_norm BEGIN DELETE FROM customer_name_key WHERE customer_id = OLD.id; INSERT INTO customer_name_key (term, customer_id, owner_id, archived, is_first, head, word_mask, org) SELECT substr(NEW.name_norm, coalesce((SELECT sum(length(q.value) + 1) FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') q WHERE q.key < p.key), 0) + 1), NEW.id, NEW.owner_id, NEW.archived, p.key = 0, CASE WHEN p.key = 0 THEN '' ELSE ' ' || substr(NEW.name_norm, 1, coalesce((SELECT sum(length(q.value) + 1) FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') q WHERE q.key < p.key), 0) - 1) END, (SELECT coalesce(sum(DISTINCT (1 << ((unicode(substr(m.value, 1, 1)) * 38 + unicode(substr(m.value, 2, 1)) * 35 + unicode(substr(m.value, 3, 1)) * 1) % 63))), 0) FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') m WHERE length(m.value) >= 3), NEW.kind <> 'individual' FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') p WHERE NEW.name_norm <> ''; INSERT OR IGNORE INTO name_word (word) SELECT DISTINCT p.value FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') p WHERE p.value <> ''; END",
    "CREATE TRIGGER contact_name_key_ins AFTER INSERT ON contact BEGIN INSERT INTO contact_name_key (term, contact_id, owner_id, archived, is_first, head, word_mask) SELECT substr(NEW.name_norm, coalesce((SELECT sum(length(q.value) + 1) FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') q WHERE q.key < p.key), 0) + 1), NEW.id, NEW.owner_id, NEW.archived, p.key = 0, CASE WHEN p.key = 0 THEN '' ELSE ' ' || substr(NEW.name_norm, 1, coalesce((SELECT sum(length(q.value) + 1) FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') q WHERE q.key < p.key), 0) - 1) END, (SELECT coalesce(sum(DISTINCT (1 << ((unicode(substr(m.value, 1, 1)) * 38 + unicode(substr(m.value, 2, 1)) * 35 + unicode(substr(m.value, 3, 1)) * 1) % 63))), 0) FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') m WHERE length(m.value) >= 3) FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') p WHERE NEW.name_norm <> ''; INSERT OR IGNORE INTO name_word (word) SELECT DISTINCT p.value FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') p WHERE p.value <> ''; END",
    "CREATE TRIGGER contact_name_key_name AFTER UPDATE OF name_norm ON contact WHEN NEW.name_norm IS NOT OLD.name_norm BEGIN DELETE FROM contact_name_key WHERE contact_id = OLD.id; INSERT INTO contact_name_key (term, contact_id, owner_id, archived, is_first, head, word_mask) SELECT substr(NEW.name_norm, coalesce((SELECT sum(length(q.value) + 1) FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') q WHERE q.key < p.key), 0) + 1), NEW.id, NEW.owner_id, NEW.archived, p.key = 0, CASE WHEN p.key = 0 THEN '' ELSE ' ' || substr(NEW.name_norm, 1, coalesce((SELECT sum(length(q.value) + 1) FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') q WHERE q.key < p.key), 0) - 1) END, (SELECT coalesce(sum(DISTINCT (1 << ((unicode(substr(m.value, 1, 1)) * 38 + unicode(substr(m.value, 2, 1)) * 35 + unicode(substr(m.value, 3, 1)) * 1) % 63))), 0) FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') m WHERE length(m.value) >= 3) FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') p WHERE NEW.name_norm <> ''; INSERT OR IGNORE INTO name_word (word) SELECT DISTINCT p.value FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') p WHERE p.value <> ''; END",
]
OLD_SQLITE = [
    "CREATE TRIGGER customer_name_key_ins AFTER INSERT ON customer BEGIN INSERT INTO customer_name_key (term, customer_id, owner_id, archived, is_first, head, org) SELECT substr(NEW.name_norm, coalesce((SELECT sum(length(q.value) + 1) FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') q WHERE q.key < p.key), 0) + 1), NEW.id, NEW.owner_id, NEW.archived, p.key = 0, CASE WHEN p.key = 0 THEN '' ELSE ' ' || substr(NEW.name_norm, 1, coalesce((SELECT sum(length(q.value) + 1) FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') q WHERE q.key < p.key), 0) - 1) END, NEW.kind <> 'individual' FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') p WHERE NEW.name_norm <> ''; INSERT OR IGNORE INTO name_word (word) SELECT DISTINCT p.value FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') p WHERE p.value <> ''; END",
    "CREATE TRIGGER customer_name_key_name AFTER UPDATE OF name_norm ON customer WHEN NEW.name_norm IS NOT OLD.name_norm BEGIN DELETE FROM customer_name_key WHERE customer_id = OLD.id; INSERT INTO customer_name_key (term, customer_id, owner_id, archived, is_first, head, org) SELECT substr(NEW.name_norm, coalesce((SELECT sum(length(q.value) + 1) FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') q WHERE q.key < p.key), 0) + 1), NEW.id, NEW.owner_id, NEW.archived, p.key = 0, CASE WHEN p.key = 0 THEN '' ELSE ' ' || substr(NEW.name_norm, 1, coalesce((SELECT sum(length(q.value) + 1) FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') q WHERE q.key < p.key), 0) - 1) END, NEW.kind <> 'individual' FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') p WHERE NEW.name_norm <> ''; INSERT OR IGNORE INTO name_word (word) SELECT DISTINCT p.value FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') p WHERE p.value <> ''; END",
    "CREATE TRIGGER contact_name_key_ins AFTER INSERT ON contact BEGIN INSERT INTO contact_name_key (term, contact_id, owner_id, archived, is_first, head) SELECT substr(NEW.name_norm, coalesce((SELECT sum(length(q.value) + 1) FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') q WHERE q.key < p.key), 0) + 1), NEW.id, NEW.owner_id, NEW.archived, p.key = 0, CASE WHEN p.key = 0 THEN '' ELSE ' ' || substr(NEW.name_norm, 1, coalesce((SELECT sum(length(q.value) + 1) FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') q WHERE q.key < p.key), 0) - 1) END FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') p WHERE NEW.name_norm <> ''; INSERT OR IGNORE INTO name_word (word) SELECT DISTINCT p.value FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') p WHERE p.value <> ''; END",
    "CREATE TRIGGER contact_name_key_name AFTER UPDATE OF name_norm ON contact WHEN NEW.name_norm IS NOT OLD.name_norm BEGIN DELETE FROM contact_name_key WHERE contact_id = OLD.id; INSERT INTO contact_name_key (term, contact_id, owner_id, archived, is_first, head) SELECT substr(NEW.name_norm, coalesce((SELECT sum(length(q.value) + 1) FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') q WHERE q.key < p.key), 0) + 1), NEW.id, NEW.owner_id, NEW.archived, p.key = 0, CASE WHEN p.key = 0 THEN '' ELSE ' ' || substr(NEW.name_norm, 1, coalesce((SELECT sum(length(q.value) + 1) FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') q WHERE q.key < p.key), 0) - 1) END FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') p WHERE NEW.name_norm <> ''; INSERT OR IGNORE INTO name_word (word) SELECT DISTINCT p.value FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') p WHERE p.value <> ''; END",
]
NEW_POSTGRESQL = [
    "CREATE OR REPLACE FUNCTION customer_name_key_sync() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n    IF TG_OP = 'UPDATE' THEN\n        IF NEW.owner_id IS DISTINCT FROM OLD.owner_id OR NEW.archived IS DISTINCT FROM OLD.archived OR (NEW.kind <> 'individual') IS DISTINCT FROM (OLD.kind <> 'individual') THEN\n            UPDATE customer_name_key SET owner_id = NEW.owner_id, archived = NEW.archived, org = NEW.kind <> 'individual' WHERE customer_id = NEW.id;\n            UPDATE customerphone SET owner_id = NEW.owner_id, archived = NEW.archived WHERE customer_id = NEW.id;\n        END IF;\n        IF NEW.name_norm IS NOT DISTINCT FROM OLD.name_norm THEN\n            RETURN NULL;\n        END IF;\n        DELETE FROM customer_name_key WHERE customer_id = OLD.id;\n    END IF;\n    INSERT INTO customer_name_key (term, customer_id, owner_id, archived, is_first, head, word_mask, org)\n    SELECT substr(NEW.name_norm, p), NEW.id, NEW.owner_id, NEW.archived, p = 1, CASE WHEN p = 1 THEN '' ELSE ' ' || substr(NEW.name_norm, 1, p - 2) END,\n        (SELECT coalesce(bit_or((1::bigint << ((ascii(substr(m, 1, 1)) * 38 + ascii(substr(m, 2, 1)) * 35 + ascii(substr(m, 3, 1)) * 1) % 63))), 0) FROM regexp_split_to_table(NEW.name_norm, ' ') AS m WHERE length(m) >= 3), NEW.kind <> 'individual'\n    FROM generate_series(1, length(NEW.name_norm)) AS p\n    WHERE p = 1 OR substr(NEW.name_norm, p - 1, 1) = ' ';\n    INSERT INTO name_word (word) SELECT DISTINCT w FROM regexp_split_to_table(NEW.name_norm, ' ') AS w WHERE w <> '' ON CONFLICT DO NOTHING;\n    RETURN NULL;\nEND $$",
    "CREATE OR REPLACE FUNCTION contact_name_key_sync() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n    IF TG_OP = 'UPDATE' THEN\n        IF NEW.owner_id IS DISTINCT FROM OLD.owner_id OR NEW.archived IS DISTINCT FROM OLD.archived THEN\n            UPDATE contact_name_key SET owner_id = NEW.owner_id, archived = NEW.archived WHERE contact_id = NEW.id;\n            \n        END IF;\n        IF NEW.name_norm IS NOT DISTINCT FROM OLD.name_norm THEN\n            RETURN NULL;\n        END IF;\n        DELETE FROM contact_name_key WHERE contact_id = OLD.id;\n    END IF;\n    INSERT INTO contact_name_key (term, contact_id, owner_id, archived, is_first, head, word_mask)\n    SELECT substr(NEW.name_norm, p), NEW.id, NEW.owner_id, NEW.archived, p = 1, CASE WHEN p = 1 THEN '' ELSE ' ' || substr(NEW.name_norm, 1, p - 2) END,\n        (SELECT coalesce(bit_or((1::bigint << ((ascii(substr(m, 1, 1)) * 38 + ascii(substr(m, 2, 1)) * 35 + ascii(substr(m, 3, 1)) * 1) % 63))), 0) FROM regexp_split_to_table(NEW.name_norm, ' ') AS m WHERE length(m) >= 3)\n    FROM generate_series(1, length(NEW.name_norm)) AS p\n    WHERE p = 1 OR substr(NEW.name_norm, p - 1, 1) = ' ';\n    INSERT INTO name_word (word) SELECT DISTINCT w FROM regexp_split_to_table(NEW.name_norm, ' ') AS w WHERE w <> '' ON CONFLICT DO NOTHING;\n    RETURN NULL;\nEND $$",
]
OLD_POSTGRESQL = [
    "CREATE OR REPLACE FUNCTION customer_name_key_sync() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n    IF TG_OP = 'UPDATE' THEN\n        IF NEW.owner_id IS DISTINCT FROM OLD.owner_id OR NEW.archived IS DISTINCT FROM OLD.archived OR (NEW.kind <> 'individual') IS DISTINCT FROM (OLD.kind <> 'individual') THEN\n            UPDATE customer_name_key SET owner_id = NEW.owner_id, archived = NEW.archived, org = NEW.kind <> 'individual' WHERE customer_id = NEW.id;\n            UPDATE customerphone SET owner_id = NEW.owner_id, archived = NEW.archived WHERE customer_id = NEW.id;\n        END IF;\n        IF NEW.name_norm IS NOT DISTINCT FROM OLD.name_norm THEN\n            RETURN NULL;\n        END IF;\n        DELETE FROM customer_name_key WHERE customer_id = OLD.id;\n    END IF;\n    INSERT INTO customer_name_key (term, customer_id, owner_id, archived, is_first, head, org)\n    SELECT substr(NEW.name_norm, p), NEW.id, NEW.owner_id, NEW.archived, p = 1, CASE WHEN p = 1 THEN '' ELSE ' ' || substr(NEW.name_norm, 1, p - 2) END, NEW.kind <> 'individual'\n    FROM generate_series(1, length(NEW.name_norm)) AS p\n    WHERE p = 1 OR substr(NEW.name_norm, p - 1, 1) = ' ';\n    INSERT INTO name_word (word) SELECT DISTINCT w FROM regexp_split_to_table(NEW.name_norm, ' ') AS w WHERE w <> '' ON CONFLICT DO NOTHING;\n    RETURN NULL;\nEND $$",
    "CREATE OR REPLACE FUNCTION contact_name_key_sync() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n    IF TG_OP = 'UPDATE' THEN\n        IF NEW.owner_id IS DISTINCT FROM OLD.owner_id OR NEW.archived IS DISTINCT FROM OLD.archived THEN\n            UPDATE contact_name_key SET owner_id = NEW.owner_id, archived = NEW.archived WHERE contact_id = NEW.id;\n            \n        END IF;\n        IF NEW.name_norm IS NOT DISTINCT FROM OLD.name_norm THEN\n            RETURN NULL;\n        END IF;\n        DELETE FROM contact_name_key WHERE contact_id = OLD.id;\n    END IF;\n    INSERT INTO contact_name_key (term, contact_id, owner_id, archived, is_first, head)\n    SELECT substr(NEW.name_norm, p), NEW.id, NEW.owner_id, NEW.archived, p = 1, CASE WHEN p = 1 THEN '' ELSE ' ' || substr(NEW.name_norm, 1, p - 2) END\n    FROM generate_series(1, length(NEW.name_norm)) AS p\n    WHERE p = 1 OR substr(NEW.name_norm, p - 1, 1) = ' ';\n    INSERT INTO name_word (word) SELECT DISTINCT w FROM regexp_split_to_table(NEW.name_norm, ' ') AS w WHERE w <> '' ON CONFLICT DO NOTHING;\n    RETURN NULL;\nEND $$",
]

TRIGGERS = {"sqlite": (NEW_SQLITE, OLD_SQLITE), "postgresql": (NEW_POSTGRESQL, OLD_POSTGRESQL)}
DROP_SQLITE = [f"DROP TRIGGER IF EXISTS {keys}_{s}" for _t, keys, _f in KEYS for s in ("ins", "name")]
ORG_INDEXES = (
    ("ix_customer_name_key_org", ["archived", "term", "head"], ["is_first", "customer_id", "owner_id"]),
    ("ix_customer_name_key_org_owner", ["owner_id", "archived", "term", "head"], ["is_first", "customer_id"]),
)


def _indexes(mask: list[str]) -> None:
    """The indexes a search reads its keys from, with the mask (``mask=["word_mask"]``) or without."""
    postgresql = op.get_bind().dialect.name == "postgresql"
    for _table, keys, record_id in KEYS:
        op.drop_index(f"ix_{keys}_owner", table_name=keys)
        op.create_index(
            f"ix_{keys}_owner",
            keys,
            ["owner_id", "archived", "is_first", "term", "head", *mask],
            postgresql_include=[record_id],
        )
        if postgresql:
            op.drop_index(f"ix_{keys}_arch", table_name=keys)
            op.create_index(
                f"ix_{keys}_arch",
                keys,
                ["archived", "is_first", "term"],
                postgresql_include=[record_id, "owner_id", "head", *mask],
            )
    for name, columns, include in ORG_INDEXES:
        op.drop_index(name, table_name="customer_name_key")
        op.create_index(
            name,
            "customer_name_key",
            [*columns, *mask],
            sqlite_where=sa.text("org = 1"),
            postgresql_where=sa.text("org"),
            postgresql_include=include,
        )


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for stmt in DROP_SQLITE:
            op.execute(stmt)
    for table, keys, record_id in KEYS:
        op.add_column(keys, sa.Column("word_mask", sa.BigInteger(), nullable=False, server_default="0"))
        # each record's mask once, then its keys'
        op.execute("CREATE TEMPORARY TABLE name_mask (id INTEGER PRIMARY KEY, mask BIGINT NOT NULL)")
        op.execute(f"INSERT INTO name_mask (id, mask) SELECT r.id, {MASK[dialect]} FROM {table} r")
        op.execute(f"UPDATE {keys} SET word_mask = (SELECT m.mask FROM name_mask m WHERE m.id = {keys}.{record_id})")
        op.execute("DROP TABLE name_mask")
    _indexes(["word_mask"])
    for stmt in TRIGGERS.get(dialect, ([], []))[0]:
        op.execute(stmt)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for stmt in DROP_SQLITE:
            op.execute(stmt)
    _indexes([])
    for _table, keys, _record_id in KEYS:
        op.drop_column(keys, "word_mask")
    for stmt in TRIGGERS.get(dialect, ([], []))[1]:  # (PostgreSQL: its functions, replaced)
        op.execute(stmt)

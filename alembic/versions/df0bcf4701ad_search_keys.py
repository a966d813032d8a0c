"""search keys

Search keys of customer and contact names, the word list, owner / archive copies
on customer phones (crm_app.models.search_keys), the triggers that keep them
(SQLite and PostgreSQL), the keys of the rows already stored, and owner_id at
the end of the customer sort indexes (about 50 s per million customers on SQLite). Started from autogenerate; reordered so that the
indexes are built after the keys are written.

Revision ID: df0bcf4701ad
Revises: c04b7ed24024
Create Date: 2026-11-23 06:08:51.241954
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "df0bcf4701ad"
down_revision: str | None = "c04b7ed24024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The SQL as it stood when this revision was written, frozen here so that the migration never
# changes with the live model code.
BACKFILL = {
    "sqlite": [
        "DELETE FROM customer_name_key",
        "INSERT INTO customer_name_key (term, customer_id, owner_id, archived, is_first) SELECT substr(r.name_norm, coalesce((SELECT sum(length(q.value) + 1) FROM json_each('[' || replace(json_quote(r.name_norm), ' ', '\",\"') || ']') q WHERE q.key < p.key), 0) + 1), r.id, r.owner_id, r.archived, p.key = 0 FROM customer r, json_each('[' || replace(json_quote(r.name_norm), ' ', '\",\"') || ']') p WHERE r.name_norm <> ''",
        "INSERT OR IGNORE INTO name_word (word) SELECT DISTINCT p.value FROM customer r, json_each('[' || replace(json_quote(r.name_norm), ' ', '\",\"') || ']') p WHERE p.value <> ''",
        "DELETE FROM contact_name_key",
        "INSERT INTO contact_name_key (term, contact_id, owner_id, archived, is_first) SELECT substr(r.name_norm, coalesce((SELECT sum(length(q.value) + 1) FROM json_each('[' || replace(json_quote(r.name_norm), ' ', '\",\"') || ']') q WHERE q.key < p.key), 0) + 1), r.id, r.owner_id, r.archived, p.key = 0 FROM contact r, json_each('[' || replace(json_quote(r.name_norm), ' ', '\",\"') || ']') p WHERE r.name_norm <> ''",
        "INSERT OR IGNORE INTO name_word (word) SELECT DISTINCT p.value FROM contact r, json_each('[' || replace(json_quote(r.name_norm), ' ', '\",\"') || ']') p WHERE p.value <> ''",
        "UPDATE customerphone SET owner_id = c.owner_id, archived = c.archived FROM customer c WHERE c.id = customerphone.customer_id",
    ],
    "postgresql": [
        "DELETE FROM customer_name_key",
        "INSERT INTO customer_name_key (term, customer_id, owner_id, archived, is_first) SELECT substr(r.name_norm, p), r.id, r.owner_id, r.archived, p = 1 FROM customer r CROSS JOIN LATERAL generate_series(1, length(r.name_norm)) AS p WHERE p = 1 OR substr(r.name_norm, p - 1, 1) = ' '",
        "INSERT INTO name_word (word) SELECT DISTINCT w FROM customer r CROSS JOIN LATERAL regexp_split_to_table(r.name_norm, ' ') AS w WHERE w <> '' ON CONFLICT DO NOTHING",
        "DELETE FROM contact_name_key",
        "INSERT INTO contact_name_key (term, contact_id, owner_id, archived, is_first) SELECT substr(r.name_norm, p), r.id, r.owner_id, r.archived, p = 1 FROM contact r CROSS JOIN LATERAL generate_series(1, length(r.name_norm)) AS p WHERE p = 1 OR substr(r.name_norm, p - 1, 1) = ' '",
        "INSERT INTO name_word (word) SELECT DISTINCT w FROM contact r CROSS JOIN LATERAL regexp_split_to_table(r.name_norm, ' ') AS w WHERE w <> '' ON CONFLICT DO NOTHING",
        "UPDATE customerphone p SET owner_id = c.owner_id, archived = c.archived FROM customer c WHERE c.id = p.customer_id",
    ],
}
TRIGGERS = {
    "sqlite": [
        "CREATE TRIGGER customer_name_key_ins AFTER INSERT ON customer BEGIN INSERT INTO customer_name_key (term, customer_id, owner_id, archived, is_first) SELECT substr(NEW.name_norm, coalesce((SELECT sum(length(q.value) + 1) FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') q WHERE q.key < p.key), 0) + 1), NEW.id, NEW.owner_id, NEW.archived, p.key = 0 FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') p WHERE NEW.name_norm <> ''; INSERT OR IGNORE INTO name_word (word) SELECT DISTINCT p.value FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') p WHERE p.value <> ''; END",
        "CREATE TRIGGER customer_name_key_name AFTER UPDATE OF name_norm ON customer WHEN NEW.name_norm IS NOT OLD.name_norm BEGIN DELETE FROM customer_name_key WHERE customer_id = OLD.id; INSERT INTO customer_name_key (term, customer_id, owner_id, archived, is_first) SELECT substr(NEW.name_norm, coalesce((SELECT sum(length(q.value) + 1) FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') q WHERE q.key < p.key), 0) + 1), NEW.id, NEW.owner_id, NEW.archived, p.key = 0 FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') p WHERE NEW.name_norm <> ''; INSERT OR IGNORE INTO name_word (word) SELECT DISTINCT p.value FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') p WHERE p.value <> ''; END",
        "CREATE TRIGGER customer_name_key_vis AFTER UPDATE OF owner_id, archived ON customer WHEN NEW.owner_id IS NOT OLD.owner_id OR NEW.archived IS NOT OLD.archived BEGIN UPDATE customer_name_key SET owner_id = NEW.owner_id, archived = NEW.archived WHERE customer_id = NEW.id; UPDATE customerphone SET owner_id = NEW.owner_id, archived = NEW.archived WHERE customer_id = NEW.id; END",
        "CREATE TRIGGER customer_name_key_del AFTER DELETE ON customer BEGIN DELETE FROM customer_name_key WHERE customer_id = OLD.id; END",
        "CREATE TRIGGER contact_name_key_ins AFTER INSERT ON contact BEGIN INSERT INTO contact_name_key (term, contact_id, owner_id, archived, is_first) SELECT substr(NEW.name_norm, coalesce((SELECT sum(length(q.value) + 1) FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') q WHERE q.key < p.key), 0) + 1), NEW.id, NEW.owner_id, NEW.archived, p.key = 0 FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') p WHERE NEW.name_norm <> ''; INSERT OR IGNORE INTO name_word (word) SELECT DISTINCT p.value FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') p WHERE p.value <> ''; END",
        "CREATE TRIGGER contact_name_key_name AFTER UPDATE OF name_norm ON contact WHEN NEW.name_norm IS NOT OLD.name_norm BEGIN DELETE FROM contact_name_key WHERE contact_id = OLD.id; INSERT INTO contact_name_key (term, contact_id, owner_id, archived, is_first) SELECT substr(NEW.name_norm, coalesce((SELECT sum(length(q.value) + 1) FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') q WHERE q.key < p.key), 0) + 1), NEW.id, NEW.owner_id, NEW.archived, p.key = 0 FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') p WHERE NEW.name_norm <> ''; INSERT OR IGNORE INTO name_word (word) SELECT DISTINCT p.value FROM json_each('[' || replace(json_quote(NEW.name_norm), ' ', '\",\"') || ']') p WHERE p.value <> ''; END",
        "CREATE TRIGGER contact_name_key_vis AFTER UPDATE OF owner_id, archived ON contact WHEN NEW.owner_id IS NOT OLD.owner_id OR NEW.archived IS NOT OLD.archived BEGIN UPDATE contact_name_key SET owner_id = NEW.owner_id, archived = NEW.archived WHERE contact_id = NEW.id; END",
        "CREATE TRIGGER contact_name_key_del AFTER DELETE ON contact BEGIN DELETE FROM contact_name_key WHERE contact_id = OLD.id; END",
        "CREATE TRIGGER customerphone_vis_ins AFTER INSERT ON customerphone WHEN NEW.owner_id IS NOT (SELECT owner_id FROM customer WHERE id = NEW.customer_id) OR NEW.archived IS NOT (SELECT archived FROM customer WHERE id = NEW.customer_id) BEGIN UPDATE customerphone SET owner_id = (SELECT owner_id FROM customer WHERE id = NEW.customer_id), archived = (SELECT archived FROM customer WHERE id = NEW.customer_id) WHERE id = NEW.id; END",
        "CREATE TRIGGER customerphone_vis_move AFTER UPDATE OF customer_id ON customerphone WHEN NEW.owner_id IS NOT (SELECT owner_id FROM customer WHERE id = NEW.customer_id) OR NEW.archived IS NOT (SELECT archived FROM customer WHERE id = NEW.customer_id) BEGIN UPDATE customerphone SET owner_id = (SELECT owner_id FROM customer WHERE id = NEW.customer_id), archived = (SELECT archived FROM customer WHERE id = NEW.customer_id) WHERE id = NEW.id; END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION customer_name_key_sync() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n    IF TG_OP = 'UPDATE' THEN\n        IF NEW.owner_id IS DISTINCT FROM OLD.owner_id OR NEW.archived IS DISTINCT FROM OLD.archived THEN\n            UPDATE customer_name_key SET owner_id = NEW.owner_id, archived = NEW.archived WHERE customer_id = NEW.id;\n            UPDATE customerphone SET owner_id = NEW.owner_id, archived = NEW.archived WHERE customer_id = NEW.id;\n        END IF;\n        IF NEW.name_norm IS NOT DISTINCT FROM OLD.name_norm THEN\n            RETURN NULL;\n        END IF;\n        DELETE FROM customer_name_key WHERE customer_id = OLD.id;\n    END IF;\n    INSERT INTO customer_name_key (term, customer_id, owner_id, archived, is_first)\n    SELECT substr(NEW.name_norm, p), NEW.id, NEW.owner_id, NEW.archived, p = 1\n    FROM generate_series(1, length(NEW.name_norm)) AS p\n    WHERE p = 1 OR substr(NEW.name_norm, p - 1, 1) = ' ';\n    INSERT INTO name_word (word) SELECT DISTINCT w FROM regexp_split_to_table(NEW.name_norm, ' ') AS w WHERE w <> '' ON CONFLICT DO NOTHING;\n    RETURN NULL;\nEND $$",
        "CREATE TRIGGER customer_name_key_sync AFTER INSERT OR UPDATE OF name_norm, owner_id, archived ON customer FOR EACH ROW EXECUTE FUNCTION customer_name_key_sync()",
        "CREATE OR REPLACE FUNCTION contact_name_key_sync() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n    IF TG_OP = 'UPDATE' THEN\n        IF NEW.owner_id IS DISTINCT FROM OLD.owner_id OR NEW.archived IS DISTINCT FROM OLD.archived THEN\n            UPDATE contact_name_key SET owner_id = NEW.owner_id, archived = NEW.archived WHERE contact_id = NEW.id;\n            \n        END IF;\n        IF NEW.name_norm IS NOT DISTINCT FROM OLD.name_norm THEN\n            RETURN NULL;\n        END IF;\n        DELETE FROM contact_name_key WHERE contact_id = OLD.id;\n    END IF;\n    INSERT INTO contact_name_key (term, contact_id, owner_id, archived, is_first)\n    SELECT substr(NEW.name_norm, p), NEW.id, NEW.owner_id, NEW.archived, p = 1\n    FROM generate_series(1, length(NEW.name_norm)) AS p\n    WHERE p = 1 OR substr(NEW.name_norm, p - 1, 1) = ' ';\n    INSERT INTO name_word (word) SELECT DISTINCT w FROM regexp_split_to_table(NEW.name_norm, ' ') AS w WHERE w <> '' ON CONFLICT DO NOTHING;\n    RETURN NULL;\nEND $$",
        "CREATE TRIGGER contact_name_key_sync AFTER INSERT OR UPDATE OF name_norm, owner_id, archived ON contact FOR EACH ROW EXECUTE FUNCTION contact_name_key_sync()",
        "CREATE OR REPLACE FUNCTION customerphone_vis_sync() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n    SELECT owner_id, archived INTO NEW.owner_id, NEW.archived FROM customer WHERE id = NEW.customer_id;\n    RETURN NEW;\nEND $$",
        "CREATE TRIGGER customerphone_vis_sync BEFORE INSERT OR UPDATE OF customer_id ON customerphone FOR EACH ROW EXECUTE FUNCTION customerphone_vis_sync()",
    ],
}
DROP_TRIGGERS = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS customer_name_key_ins",
        "DROP TRIGGER IF EXISTS customer_name_key_name",
        "DROP TRIGGER IF EXISTS customer_name_key_vis",
        "DROP TRIGGER IF EXISTS customer_name_key_del",
        "DROP TRIGGER IF EXISTS contact_name_key_ins",
        "DROP TRIGGER IF EXISTS contact_name_key_name",
        "DROP TRIGGER IF EXISTS contact_name_key_vis",
        "DROP TRIGGER IF EXISTS contact_name_key_del",
        "DROP TRIGGER IF EXISTS customerphone_vis_ins",
        "DROP TRIGGER IF EXISTS customerphone_vis_move",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS customer_name_key_sync ON customer",
        "DROP FUNCTION IF EXISTS customer_name_key_sync()",
        "DROP TRIGGER IF EXISTS contact_name_key_sync ON contact",
        "DROP FUNCTION IF EXISTS contact_name_key_sync()",
        "DROP TRIGGER IF EXISTS customerphone_vis_sync ON customerphone",
        "DROP FUNCTION IF EXISTS customerphone_vis_sync()",
    ],
}


def upgrade() -> None:
    op.create_table(
        "name_word",
        sa.Column(
            "word",
            sa.String(length=200).with_variant(sa.String(length=200, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("word"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "customer_name_key",
        sa.Column("is_first", sa.Boolean(), nullable=False),
        sa.Column(
            "term",
            sa.String(length=200).with_variant(sa.String(length=200, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("is_first", "term", "customer_id"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "contact_name_key",
        sa.Column("is_first", sa.Boolean(), nullable=False),
        sa.Column(
            "term",
            sa.String(length=200).with_variant(sa.String(length=200, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("is_first", "term", "contact_id"),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("customerphone", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("archived", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.drop_index(batch_op.f("ix_customerphone_number_norm"))

    dialect = op.get_bind().dialect.name
    for stmt in BACKFILL[dialect]:
        op.execute(stmt)

    with op.batch_alter_table("customer_name_key", schema=None) as batch_op:
        batch_op.create_index("ix_customer_name_key_owner", ["owner_id", "archived", "is_first", "term"], unique=False)
    with op.batch_alter_table("contact_name_key", schema=None) as batch_op:
        batch_op.create_index("ix_contact_name_key_owner", ["owner_id", "archived", "is_first", "term"], unique=False)
    with op.batch_alter_table("customerphone", schema=None) as batch_op:
        batch_op.create_index(
            "ix_customerphone_number", ["number_norm", "archived", "owner_id", "customer_id"], unique=False
        )
        batch_op.create_index(
            "ix_customerphone_owner_number", ["owner_id", "archived", "number_norm", "customer_id"], unique=False
        )

    # the sort indexes end with owner_id (tested from the index by restricted lists)
    with op.batch_alter_table("customer", schema=None) as batch_op:
        for name, column in (
            ("ix_customer_arch_id", None),
            ("ix_customer_arch_name", "name_norm"),
            ("ix_customer_arch_province", "province"),
            ("ix_customer_arch_status", "status"),
            ("ix_customer_arch_updated", "updated_at"),
        ):
            batch_op.drop_index(name)
            batch_op.create_index(name, ["archived", *([column] if column else []), "id", "owner_id"], unique=False)

    for stmt in TRIGGERS.get(dialect, []):
        op.execute(stmt)


def downgrade() -> None:
    for stmt in DROP_TRIGGERS.get(op.get_bind().dialect.name, []):
        op.execute(stmt)
    with op.batch_alter_table("customer", schema=None) as batch_op:
        for name, column in (
            ("ix_customer_arch_id", None),
            ("ix_customer_arch_name", "name_norm"),
            ("ix_customer_arch_province", "province"),
            ("ix_customer_arch_status", "status"),
            ("ix_customer_arch_updated", "updated_at"),
        ):
            batch_op.drop_index(name)
            batch_op.create_index(name, ["archived", *([column] if column else []), "id"], unique=False)
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table("customerphone", schema=None) as batch_op:
        batch_op.drop_index("ix_customerphone_owner_number")
        batch_op.drop_index("ix_customerphone_number")
        batch_op.create_index(batch_op.f("ix_customerphone_number_norm"), ["number_norm"], unique=False)
        batch_op.drop_column("archived")
        batch_op.drop_column("owner_id")

    with op.batch_alter_table("contact_name_key", schema=None) as batch_op:
        batch_op.drop_index("ix_contact_name_key_owner")

    op.drop_table("contact_name_key")
    with op.batch_alter_table("customer_name_key", schema=None) as batch_op:
        batch_op.drop_index("ix_customer_name_key_owner")

    op.drop_table("customer_name_key")
    op.drop_table("name_word")
    # ### end Alembic commands ###

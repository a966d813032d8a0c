"""customer products: what each customer has bought (derived from its orders) or uses (services
entered by hand), with copies of the customer's owner and archive flag kept by triggers; the rows
of existing orders filled in

Revision ID: e5a7c9b1d3f4
Revises: d1f3a5c7e9b2
Create Date: 2026-12-05 10:30:00
"""

import unicodedata
from collections.abc import Sequence
from datetime import UTC, date, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "e5a7c9b1d3f4"
down_revision: str | None = "d1f3a5c7e9b2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5_000
_OWNER = "(SELECT owner_id FROM customer WHERE id = NEW.customer_id)"
_ARCHIVED = "(SELECT archived FROM customer WHERE id = NEW.customer_id)"
# The SQL as it stands at this revision (the activity's copies, for this table).
TRIGGERS = {
    "sqlite": [
        *(
            f"CREATE TRIGGER customer_product_vis_{name} AFTER {event} ON customer_product "
            f"WHEN NEW.owner_id IS NOT {_OWNER} OR NEW.archived IS NOT {_ARCHIVED} BEGIN "
            f"UPDATE customer_product SET owner_id = {_OWNER}, archived = {_ARCHIVED} WHERE id = NEW.id; END"
            for name, event in (("ins", "INSERT"), ("move", "UPDATE OF customer_id"))
        ),
        (
            "CREATE TRIGGER customer_product_vis_customer AFTER UPDATE OF owner_id, archived ON customer "
            "WHEN NEW.owner_id IS NOT OLD.owner_id OR NEW.archived IS NOT OLD.archived BEGIN "
            "UPDATE customer_product SET owner_id = NEW.owner_id, archived = NEW.archived "
            "WHERE customer_id = NEW.id; END"
        ),
    ],
    "postgresql": [
        (
            "CREATE OR REPLACE FUNCTION customer_product_vis_row() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            "BEGIN\n    SELECT c.owner_id, c.archived INTO NEW.owner_id, NEW.archived FROM customer c "
            "WHERE c.id = NEW.customer_id;\n    RETURN NEW;\nEND $$"
        ),
        (
            "CREATE TRIGGER customer_product_vis_row BEFORE INSERT OR UPDATE OF customer_id ON customer_product "
            "FOR EACH ROW EXECUTE FUNCTION customer_product_vis_row()"
        ),
        (
            "CREATE OR REPLACE FUNCTION customer_product_vis_customer() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            "BEGIN\n    IF NEW.owner_id IS DISTINCT FROM OLD.owner_id OR NEW.archived IS DISTINCT FROM OLD.archived THEN\n"
            "        UPDATE customer_product SET owner_id = NEW.owner_id, archived = NEW.archived "
            "WHERE customer_id = NEW.id;\n    END IF;\n    RETURN NEW;\nEND $$"
        ),
        (
            "CREATE TRIGGER customer_product_vis_customer AFTER UPDATE OF owner_id, archived ON customer "
            "FOR EACH ROW EXECUTE FUNCTION customer_product_vis_customer()"
        ),
    ],
}
DROP_TRIGGERS = {
    "sqlite": [f"DROP TRIGGER IF EXISTS customer_product_vis_{n}" for n in ("ins", "move", "customer")],
    "postgresql": [
        "DROP TRIGGER IF EXISTS customer_product_vis_row ON customer_product",
        "DROP TRIGGER IF EXISTS customer_product_vis_customer ON customer",
        "DROP FUNCTION IF EXISTS customer_product_vis_row()",
        "DROP FUNCTION IF EXISTS customer_product_vis_customer()",
    ],
}
INDEXES = {
    "ix_customer_product_customer": ["customer_id", "source", "product_id", "last_purchase"],
    "ix_customer_product_owner": ["owner_id", "archived", "updated_at", "id"],
    "ix_customer_product_arch": ["archived", "updated_at", "id", "owner_id"],
    "ix_customer_product_name": ["archived", "name_norm", "id", "owner_id"],
    "ix_customer_product_product": ["product_id", "archived", "updated_at", "id", "owner_id"],
}
# Orders that count as a purchase (not cancelled), per customer and product.
BOUGHT = sa.text(
    "SELECT d.customer_id, l.product_id, SUM(l.quantity), MIN(d.doc_date), MAX(d.doc_date), SUM(l.amount), "
    "c.owner_id, c.archived FROM salesline l JOIN salesdocument d ON d.id = l.document_id "
    "JOIN customer c ON c.id = d.customer_id "
    "WHERE d.kind = 'order' AND d.status <> 'cancelled' AND l.product_id IS NOT NULL "
    "GROUP BY d.customer_id, l.product_id, c.owner_id, c.archived ORDER BY d.customer_id, l.product_id"
)


def normalize_name(value: str) -> str:
    """The search form of a name as of this revision: no diacritics (đ -> d), lower case, spaces folded."""
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "d"))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split()).lower()


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def upgrade() -> None:
    table = op.create_table(
        "customer_product",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=True),
        sa.Column("total", sa.BigInteger(), nullable=True),
        sa.Column("first_purchase", sa.Date(), nullable=True),
        sa.Column("last_purchase", sa.Date(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("name_norm", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["product_id"], ["product.id"]),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["updated_by_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    bind = op.get_bind()
    names = {pid: normalize_name(name) for pid, name in bind.execute(sa.text("SELECT id, name FROM product"))}
    now = datetime.now(UTC)
    rows = [
        {
            "customer_id": customer_id,
            "product_id": product_id,
            "source": "order",
            "quantity": int(quantity or 0),
            "total": int(total or 0),
            "first_purchase": _day(first),
            "last_purchase": _day(last),
            "start_date": None,
            "end_date": None,
            "status": "",
            "note": "",
            "owner_id": owner_id,
            "archived": bool(archived),
            "name_norm": names.get(product_id, "")[:200],
            "created_by_id": None,
            "updated_by_id": None,
            "created_at": now,
            "updated_at": now,
        }
        for customer_id, product_id, quantity, first, last, total, owner_id, archived in bind.execute(BOUGHT)
    ]
    for start in range(0, len(rows), BATCH):
        op.bulk_insert(table, rows[start : start + BATCH])
    for name, columns in INDEXES.items():
        op.create_index(name, "customer_product", columns, unique=False)
    for stmt in TRIGGERS.get(bind.dialect.name, []):
        op.execute(stmt)


def downgrade() -> None:
    for stmt in DROP_TRIGGERS.get(op.get_bind().dialect.name, []):
        op.execute(stmt)
    for name in INDEXES:
        op.drop_index(name, table_name="customer_product")
    op.drop_table("customer_product")

"""given name: a list column and sort (Vietnamese lists are read by given name)

Customers, contacts and leads get the given name shown ("An" of "Nguyễn Văn An") and its sort key
(the given name, then the family and middle names: "an nguyen van"), computed from the stored
name; an organisation (a customer of another kind than individual) keeps its whole name. Indexed
like the name, so a list sorted by given name pages the same way.

Revision ID: f3b5d7e9a1c2
Revises: e8a1c3f5b7d9
Create Date: 2026-12-05 01:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f3b5d7e9a1c2"
down_revision: str | None = "e8a1c3f5b7d9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, indexes as (name, columns))
TABLES = (
    (
        "customer",
        (
            ("ix_customer_arch_given", ["archived", "given_norm", "id", "owner_id"]),
            ("ix_customer_owner_arch_given", ["owner_id", "archived", "given_norm", "id"]),
        ),
    ),
    (
        "contact",
        (
            ("ix_contact_arch_given", ["archived", "given_norm", "id"]),
            ("ix_contact_owner_arch_given", ["owner_id", "archived", "given_norm", "id"]),
        ),
    ),
    ("lead", (("ix_lead_arch_given", ["archived", "given_norm", "id", "owner_id"]),)),
)
BATCH = 20_000


def _given(full_name: str, name_norm: str, person: bool) -> tuple[str, str]:
    """Frozen copy of services.normalize.given_name_columns, from the stored normalised name."""
    shown = " ".join((full_name or "").split())
    if not person:
        return shown[:200], (name_norm or "")[:200]
    words = (name_norm or "").split(" ")
    return shown.split(" ")[-1][:200], " ".join(words[-1:] + words[:-1])[:200]


def upgrade() -> None:
    bind = op.get_bind()
    for table, indexes in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("given_name", sa.String(length=200), nullable=False, server_default=""))
            batch.add_column(sa.Column("given_norm", sa.String(length=200), nullable=False, server_default=""))
        kind = "kind" if table == "customer" else "'individual'"
        update = sa.text(f"UPDATE {table} SET given_name = :shown, given_norm = :key WHERE id = :id")
        last = 0
        while True:
            rows = bind.execute(
                sa.text(
                    f"SELECT id, full_name, name_norm, {kind} FROM {table} WHERE id > :last ORDER BY id LIMIT {BATCH}"
                ),
                {"last": last},
            ).all()
            if not rows:
                break
            params = []
            for rid, full_name, name_norm, k in rows:
                shown, key = _given(full_name, name_norm, k == "individual")
                params.append({"id": rid, "shown": shown, "key": key})
            bind.execute(update, params)
            last = rows[-1][0]
        for name, columns in indexes:
            op.create_index(name, table, columns)


def downgrade() -> None:
    for table, indexes in TABLES:
        for name, _columns in indexes:
            op.drop_index(name, table_name=table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column("given_norm")
            batch.drop_column("given_name")

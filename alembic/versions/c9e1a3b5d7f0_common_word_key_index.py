"""PostgreSQL: the name keys by their word, then by the commonest word starts their name holds

Revision ID: c9e1a3b5d7f0
Revises: b7d9f1a3c5e8
Create Date: 2026-12-06 09:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "c9e1a3b5d7f0"
down_revision: str | None = "b7d9f1a3c5e8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# the bits of models.search_keys.COMMON_WORDS, as its word_bit gives them
COMMON_MASK = 51791670794256384
KEYS = (("customer_name_key", "customer_id"), ("contact_name_key", "contact_id"))


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":  # SQLite tests each key (models.search_keys)
        return
    for table, record_id in KEYS:
        op.execute(
            f"CREATE INDEX ix_{table}_common ON {table} (archived, split_part(term, ' ', 1), "
            f"(word_mask & {COMMON_MASK})) INCLUDE ({record_id}, owner_id, is_first, term, head, word_mask)"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, _record_id in KEYS:
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_common")

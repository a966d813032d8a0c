"""Names holding Ð (U+00D0, put for Đ by older fonts, keyboards and converted files) fold it to d,
as Đ: the stored folded columns are written again (a name's search keys follow by their triggers)

Revision ID: b7d9f1a3c5e8
Revises: a6c8e0b2d4f8
Create Date: 2026-12-06 07:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "b7d9f1a3c5e8"
down_revision: str | None = "a6c8e0b2d4f8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, folded column): every column written by services.normalize's folding of a name
FOLDED = (
    ("customer", "name_norm"),
    ("customer", "given_norm"),
    ("contact", "name_norm"),
    ("contact", "given_norm"),
    ("lead", "name_norm"),
    ("lead", "given_norm"),
    ("opportunity", "name_norm"),
    ("activity", "name_norm"),
    ("campaign", "name_norm"),
    ("customer_product", "name_norm"),
)


def upgrade() -> None:
    # the old folding lower-cased Ð to ð and kept it
    for table, column in FOLDED:
        op.execute(f"UPDATE {table} SET {column} = replace({column}, 'ð', 'd') WHERE {column} LIKE '%ð%'")
    # tag names are unique once folded: a tag whose new form another tag already has stays apart
    op.execute(
        "UPDATE tag SET name_norm = replace(name_norm, 'ð', 'd') WHERE name_norm LIKE '%ð%' "
        "AND NOT EXISTS (SELECT 1 FROM tag other WHERE other.name_norm = replace(tag.name_norm, 'ð', 'd'))"
    )


def downgrade() -> None:
    """Nothing to undo: the old folding never met a d it had made from ð, and searches for d."""

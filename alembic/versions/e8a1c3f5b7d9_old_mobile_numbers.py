"""old 11-digit mobile numbers in their 10-digit form

Normalisation now reads an 11-digit mobile number of before 2018 as its current 10-digit form
(services.normalize.OLD_MOBILE_PREFIXES); stored numbers are brought to it so that the duplicate
rule, search and import meet one form: the number as shown becomes "038 123 4567", its
normalised copy "0381234567".

Revision ID: e8a1c3f5b7d9
Revises: d2f6a8c4e1b9
Create Date: 2026-12-04 22:15:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "e8a1c3f5b7d9"
down_revision: str | None = "d2f6a8c4e1b9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# frozen copy of services.normalize.OLD_MOBILE_PREFIXES as of this migration
OLD_TO_NEW = {
    **{f"016{d}": f"03{d}" for d in "23456789"},
    "0120": "070", "0121": "079", "0122": "077", "0126": "076", "0128": "078",
    "0123": "083", "0124": "084", "0125": "085", "0127": "081", "0129": "082",
    "0186": "056", "0188": "058", "0199": "059",
}  # fmt: skip
# (table, shown number column, normalised column)
COLUMNS = (
    ("customerphone", "number", "number_norm"),
    ("customer", "phone", "phone_norm"),
    ("contact", "phone", "phone_norm"),
    ("contact", "mobile", "mobile_norm"),
    ("lead", "phone", "phone_norm"),
    ("lead", "mobile", "mobile_norm"),
)


def upgrade() -> None:
    for table, shown, norm in COLUMNS:
        for old, new in OLD_TO_NEW.items():
            # a range on the normalised column (indexed), then the length of an old number
            op.execute(
                f"UPDATE {table} SET "
                f"{shown} = '{new} ' || substr({norm}, 5, 3) || ' ' || substr({norm}, 8, 4), "
                f"{norm} = '{new}' || substr({norm}, 5) "
                f"WHERE {norm} >= '{old}' AND {norm} < '{old}a' AND length({norm}) = 11"
            )


def downgrade() -> None:
    """The old forms are not restored: both read as the same number."""

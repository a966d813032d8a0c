"""landlines of before 2017 with their new area code

Normalisation now reads a landline written with its area code of before 2017 (Hà Nội 04, Đà
Nẵng 0511 …; services.normalize.OLD_AREA_CODES) as today's number when its digits are no number
in service today; stored numbers are brought to that form, so that the duplicate rule, search and
import meet one form: shown "024 3825 1234" / "0236 3822 123", normalised "02438251234".

Revision ID: a4c6e8f0b2d4
Revises: f3b5d7e9a1c2
Create Date: 2026-12-05 01:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a4c6e8f0b2d4"
down_revision: str | None = "f3b5d7e9a1c2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# frozen copy, as of this migration, of the old codes whose numbers are no number in service today
# (the others, such as 038 or 08, read as today's mobile numbers and are left alone)
OLD_TO_NEW = {
    "20": "214", "22": "212", "230": "215", "231": "213", "240": "204", "241": "222", "25": "205",
    "26": "206", "27": "207", "280": "208", "281": "209", "29": "216", "320": "220", "321": "221",
    "350": "228", "351": "226", "4": "24", "500": "262", "501": "261", "510": "235", "511": "236",
    "53": "233", "54": "234", "55": "255", "57": "257", "60": "260", "61": "251", "62": "252",
    "63": "263", "64": "254", "650": "274", "651": "271", "66": "276", "67": "277", "68": "259",
    "710": "292", "711": "293", "72": "272", "73": "273", "74": "294", "75": "275", "780": "290",
    "781": "291",
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


def _new(norm: str) -> str | None:
    for size in (3, 2, 1):  # the longest old code first: 0511 before 05 …
        code, subscriber = norm[1 : 1 + size], norm[1 + size :]
        if code in OLD_TO_NEW and len(subscriber) == (8 if size == 1 else 7) and subscriber[0] in "2345678":
            return f"0{OLD_TO_NEW[code]}{subscriber}"
    return None


def _shown(new: str) -> str:
    return f"{new[:3]} {new[3:7]} {new[7:]}" if new[:3] in ("024", "028") else f"{new[:4]} {new[4:8]} {new[8:]}"


def upgrade() -> None:
    bind = op.get_bind()
    for table, shown, norm in COLUMNS:
        for old in OLD_TO_NEW:
            length = 1 + len(old) + (8 if len(old) == 1 else 7)
            rows = bind.execute(
                sa.text(
                    f"SELECT id, {norm} FROM {table} WHERE {norm} >= :lo AND {norm} < :hi AND length({norm}) = :length"
                ),
                {"lo": f"0{old}", "hi": f"0{old}a", "length": length},
            ).all()
            changes = [{"id": rid, "norm": new, "shown": _shown(new)} for rid, value in rows if (new := _new(value))]
            if changes:
                bind.execute(sa.text(f"UPDATE {table} SET {norm} = :norm, {shown} = :shown WHERE id = :id"), changes)


def downgrade() -> None:
    """The old forms are not restored: both read as the same number."""

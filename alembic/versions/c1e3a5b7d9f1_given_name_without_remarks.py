"""given names without remarks or punctuation

A person's given name was the last piece of the name as typed, so "Nguyễn Thị Thu Hà (chị Hà)"
was shown and sorted as "Hà)". A remark in brackets and the punctuation around a word are now no
part of it ("Hà", sorted "ha nguyen thi thu"); the stored people whose names hold either are
computed again.

Revision ID: c1e3a5b7d9f1
Revises: b9d1f3a5c7e9
Create Date: 2026-12-06 00:45:00
"""

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c1e3a5b7d9f1"
down_revision: str | None = "b9d1f3a5c7e9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 20_000
_REMARK = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_NOT_NAME = ".,;:!?()[]\"'\u201c\u201d-–—/*"


def _words(text: str) -> list[str]:
    words = [w.strip(_NOT_NAME) for w in _REMARK.sub(" ", text).split()]
    return [w for w in words if w] if any(any(c.isalpha() for c in w) for w in words) else text.split()


def _given(full_name: str, name_norm: str) -> tuple[str, str]:
    """Frozen copy of services.normalize.given_name_columns for a person, the key read from the
    stored normalised name (the same words, without diacritics)."""
    shown = _words(" ".join((full_name or "").split()))
    norm = _words(name_norm or "")
    key = " ".join(norm[-1:] + norm[:-1])
    return (shown[-1] if shown else "")[:200], key[:200]


def upgrade() -> None:
    bind = op.get_bind()
    for table in ("customer", "contact", "lead"):
        person = "kind = 'individual'" if table == "customer" else "1 = 1"
        update = sa.text(f"UPDATE {table} SET given_name = :shown, given_norm = :key WHERE id = :id")
        last = 0
        while True:
            rows = bind.execute(
                sa.text(
                    f"SELECT id, full_name, name_norm, given_name, given_norm FROM {table} "
                    f"WHERE id > :last AND {person} ORDER BY id LIMIT {BATCH}"
                ),
                {"last": last},
            ).all()
            if not rows:
                break
            changed = []
            for rid, full_name, name_norm, given_name, given_norm in rows:
                shown, key = _given(full_name, name_norm)
                if (shown, key) != (given_name, given_norm):
                    changed.append({"id": rid, "shown": shown, "key": key})
            if changed:
                bind.execute(update, changed)
            last = rows[-1][0]


def downgrade() -> None:
    """The given names stay as computed (the old ones were wrong)."""

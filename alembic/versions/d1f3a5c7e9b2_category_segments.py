"""customer categories named apart from the statuses of the same words (Đầu mối → Tệp đầu mối)

Revision ID: d1f3a5c7e9b2
Revises: c9e1f3a5b7d0
Create Date: 2026-12-05 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d1f3a5c7e9b2"
down_revision: str | None = "c9e1f3a5b7d0"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (code, old vi, old en, new vi, new en): only items still named as shipped are renamed
RENAMES = (
    ("lead", "Đầu mối", "Lead", "Tệp đầu mối", "Lead segment"),
    ("potential", "Tiềm năng", "Prospect", "Tệp tiềm năng", "Prospect segment"),
)
_UPDATE = sa.text(
    "UPDATE catalogitem SET label_vi = :to_vi, label_en = :to_en "
    "WHERE kind = 'category' AND code = :code AND label_vi = :from_vi AND label_en = :from_en"
)


def upgrade() -> None:
    for code, vi, en, new_vi, new_en in RENAMES:
        op.execute(_UPDATE.bindparams(code=code, from_vi=vi, from_en=en, to_vi=new_vi, to_en=new_en))


def downgrade() -> None:
    for code, vi, en, new_vi, new_en in RENAMES:
        op.execute(_UPDATE.bindparams(code=code, from_vi=new_vi, from_en=new_en, to_vi=vi, to_en=en))

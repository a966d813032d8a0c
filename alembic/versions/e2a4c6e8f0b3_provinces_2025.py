"""provinces and wards of the 1 July 2025 reform

Customers and leads kept their province as typed text; contacts had none. Records now store a
province's code of the 2025 catalog (services.places) and a ward's code; contacts gain both.
Each stored text is read as the app reads a typed one (a current or pre-2025 name, "Tỉnh"/"TP."
or not, with or without diacritics): "Bình Dương" becomes TP. Hồ Chí Minh's "79". A text no
province matches is moved to ``old_province`` (a list filter finds them, to be fixed by hand).
Each change of what a user reads ("Bình Dương" now reads "TP. Hồ Chí Minh", "ha noi" reads "Hà
Nội") leaves a history row with the text as it was; a name stored as the catalog names it does not.

Revision ID: e2a4c6e8f0b3
Revises: d0f2b4c6e8a0
Create Date: 2026-12-05 04:00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from crm_app.services.places import province_code, province_label

revision: str = "e2a4c6e8f0b3"
down_revision: str | None = "d0f2b4c6e8a0"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = {
    "customer": ("ward", "old_province"),
    "lead": ("ward", "old_province"),
    "contact": ("province", "ward"),
}
LENGTHS = {"province": 80, "ward": 10, "old_province": 80}


def upgrade() -> None:
    for table, names in COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for name in names:
                batch.add_column(sa.Column(name, sa.String(LENGTHS[name]), nullable=False, server_default=""))
    bind = op.get_bind()
    now = datetime.now(UTC).replace(tzinfo=None)
    for table in ("customer", "lead"):
        typed = [v for (v,) in bind.execute(sa.text(f"SELECT DISTINCT province FROM {table} WHERE province <> ''"))]
        mapping = [{"old": v, "new": province_code(v) or ""} for v in typed]
        for m in mapping:
            m["noted"] = province_label(m["new"]) != m["old"]
        mapping = [m for m in mapping if m["new"] != m["old"]]
        if not mapping:
            continue
        bind.execute(
            sa.text("CREATE TEMPORARY TABLE province_map (old VARCHAR(80) PRIMARY KEY, new VARCHAR(2), noted BOOLEAN)")
        )
        bind.execute(sa.text("INSERT INTO province_map (old, new, noted) VALUES (:old, :new, :noted)"), mapping)
        bind.execute(
            sa.text(
                "INSERT INTO auditlog (entity, entity_id, root_entity, root_id, action, field, old_value, "
                f"new_value, user_id, at) SELECT '{table}', t.id, '{table}', t.id, 'update', 'province', "
                f"m.old, NULLIF(m.new, ''), NULL, :now FROM {table} t JOIN province_map m ON m.old = t.province WHERE m.noted"
            ),
            {"now": now},
        )
        bind.execute(
            sa.text(
                f"UPDATE {table} SET old_province = CASE WHEN (SELECT new FROM province_map m WHERE m.old = "
                f"{table}.province) = '' THEN province ELSE '' END, province = (SELECT new FROM province_map m "
                f"WHERE m.old = {table}.province) WHERE province IN (SELECT old FROM province_map)"
            )
        )
        bind.execute(sa.text("DROP TABLE province_map"))


def downgrade() -> None:
    """Codes are named back by the app; only the new columns go."""
    for table, names in COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for name in reversed(names):
                batch.drop_column(name)

"""notes, files and e-mails linked to a contact (the contact page's tabs)

A note, a file or an e-mail added on a contact's page belongs to the contact's company and
names the contact (activities already could); a contact's follow-ups are read by their contact.

Revision ID: b7e2c4a6d8f1
Revises: a7c3e5f9b1d4
Create Date: 2026-12-05 10:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b7e2c4a6d8f1"
down_revision: str | None = "a7c3e5f9b1d4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LINKED = ("note", "storedfile", "emailmessage")


def upgrade() -> None:
    for table in LINKED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("contact_id", sa.Integer(), nullable=True))
            batch_op.create_index(f"ix_{table}_contact_id", ["contact_id", "id"], unique=False)
            batch_op.create_foreign_key(f"fk_{table}_contact_id", "contact", ["contact_id"], ["id"])
    op.create_index("ix_activity_contact_at", "activity", ["contact_id", "at", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_activity_contact_at", table_name="activity")
    for table in LINKED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f"fk_{table}_contact_id", type_="foreignkey")
            batch_op.drop_index(f"ix_{table}_contact_id")
            batch_op.drop_column("contact_id")

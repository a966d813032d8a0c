"""Helpers shared by the table modules."""

from datetime import UTC, datetime

import sqlalchemy as sa
import sqlalchemy.dialects.postgresql  # to_tsvector below compiles on PostgreSQL only once it is loaded


def utcnow() -> datetime:
    # Aware UTC everywhere (SQLModel's datetime columns require it); the UI shows Vietnam time.
    return datetime.now(UTC)


def name_words_index(table: str):
    """PostgreSQL only: a full-text (GIN) index of the words of ``name_norm``, which finds the
    names holding every one of several words in any order (services.lists.query). SQLite reads
    its name search keys instead; models.dialect_indexes compares this index on PostgreSQL only."""
    return sa.Index(
        f"ix_{table}_name_words",
        sa.func.to_tsvector(sa.literal_column("'simple'::regconfig"), sa.literal_column("name_norm")),
        postgresql_using="gin",
    ).ddl_if(dialect="postgresql")

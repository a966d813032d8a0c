"""Helpers shared by the table modules."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    # Naive UTC everywhere: SQLite has no time zones and PostgreSQL columns are
    # "timestamp without time zone"; the UI converts to Vietnam time on display.
    return datetime.now(UTC).replace(tzinfo=None)

"""Helpers shared by the table modules."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    # Aware UTC everywhere (SQLModel's datetime columns require it); the UI shows Vietnam time.
    return datetime.now(UTC)

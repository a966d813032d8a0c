"""Small helpers for what handlers return."""

from __future__ import annotations


def non_empty(*events) -> list:
    """The events to return, without the Nones of steps that had nothing to send."""
    return [e for e in events if e is not None]

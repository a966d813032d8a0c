"""Stored values to the strings a form edits."""

from __future__ import annotations

from datetime import date


def as_form_values(data: dict) -> dict[str, str]:
    return {key: _as_text(value) for key, value in data.items()}


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(value)
    return str(value)

"""Cells a spreadsheet would run as a formula, made inert on the way out and restored on the way in.

A value such as ``=HYPERLINK("http://…"&A2,"…")`` or ``+cmd|' /C calc'!A0`` typed into a record
would be a live formula in the .csv (and, opened by some programs, the .xlsx) a colleague opens.
OWASP's rule (CSV injection): a text cell starting with = + - @ a tab or a carriage return gets a
leading apostrophe. An import reads that apostrophe away again, so an export taken back through
the import is the same data ("+84 912 345 678" stays a phone).
"""

from __future__ import annotations

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def inert(value: object) -> object:
    """A text cell that would start a formula, with an apostrophe before it; anything else as is."""
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value


def restored(value: object) -> object:
    """A cell ``inert`` wrote, as it was typed."""
    if isinstance(value, str) and value.startswith("'") and value[1:2] and value[1:].startswith(TRIGGERS):
        return value[1:]
    return value

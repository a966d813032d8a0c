"""Display formats: dates as dd/mm/yyyy, times in Vietnam time, money in VND."""

from __future__ import annotations

from datetime import date, datetime, timedelta

VN_OFFSET = timedelta(hours=7)


def fmt_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def fmt_datetime(value: datetime | None) -> str:
    return (value + VN_OFFSET).strftime("%d/%m/%Y %H:%M") if value else ""


def fmt_number(value: int | float | None) -> str:
    """Vietnamese thousands separator: 1.234.567"""
    if value is None:
        return ""
    return f"{value:,.0f}".replace(",", ".")


def fmt_vnd(value: int | float | None) -> str:
    return f"{fmt_number(value)} ₫" if value is not None else ""


# Large amounts as Vietnamese people say them, for a figure with little room (a dashboard card).
_SCALES = ((1_000_000_000, {"vi": "tỷ", "en": "bn"}), (1_000_000, {"vi": "triệu", "en": "m"}))


def fmt_vnd_short(value: int | float | None, lang: str = "vi") -> str:
    """164.778.000.000 → "164,8 tỷ ₫" ("164.8 bn ₫"); below a million as ``fmt_vnd``."""
    if value is None:
        return ""
    for size, words in _SCALES:
        if abs(value) >= size:
            amount = f"{value / size:,.1f}".rstrip("0").rstrip(".")
            if lang != "en":
                amount = amount.replace(",", " ").replace(".", ",").replace(" ", ".")
            return f"{amount} {words.get(lang, words['vi'])} ₫"
    return fmt_vnd(value)


def fmt_size(size: int) -> str:
    """A file's size as people read it: "820 B", "12 KB", "3,4 MB"."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{fmt_number(round(size / 1024))} KB"
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")

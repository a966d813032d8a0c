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

"""Turning raw form or file values into clean ones, collecting every error per field."""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import UTC, date, datetime

from crm_app.services import places
from crm_app.services.errors import ValidationFailed
from crm_app.services.formatting import VN_OFFSET, fmt_number
from crm_app.services.normalize import (
    PHONE_SEPARATORS,
    TAG_MAX,
    current_form,
    fold_spaces,
    has_visible_letter,
    is_valid_email,
    is_valid_phone,
    normalize_email,
    normalize_phone,
    strip_invisible,
    tag_names,
    tag_parts,
)
from crm_app.services.numbers import read_money

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_URL = re.compile(r"^(https?://)?[\w\-]+(\.[\w\-]+)+(/\S*)?$", re.IGNORECASE)


MEMO_LIMIT = 50_000  # distinct (field, value) pairs remembered


_FRACTION = re.compile(r"^-?\d+[.,]\d+$")


def _memoized(method):
    """With a memo, a field's clean value (and error) is worked out once per distinct raw value:
    an import cleans 100,000 rows whose columns mostly repeat a few values. Each field is cleaned
    by one rule of its entity's cleaner, so the field and its raw value decide the result."""
    name = method.__name__

    @functools.wraps(method)
    def clean(self: Cleaner, field: str, *args, **kwargs):
        memo = self.memo
        if memo is None:
            return method(self, field, *args, **kwargs)
        key = (name, field, self.data.get(field))
        try:
            hit = memo.get(key)
        except TypeError:  # a list (several values): not memoized
            return method(self, field, *args, **kwargs)
        if hit is None:
            had_error = field in self.errors
            value = method(self, field, *args, **kwargs)
            if not had_error and len(memo) < MEMO_LIMIT:
                memo[key] = (value, self.errors.get(field))
            return value
        if hit[1] is not None:
            self.errors.setdefault(field, hit[1])
        return hit[0]

    return clean


class Cleaner:
    """Collects clean values and field errors; ``done()`` raises if any error was seen.
    ``memo``: a dict kept across the rows of one import (see _memoized)."""

    def __init__(self, data: dict, memo: dict | None = None, stored: dict | None = None) -> None:
        self.data = data
        self.errors: dict[str, tuple[str, dict]] = {}
        self.memo = memo
        # the record's values as stored: a phone kept as it was is not refused by a rule made since
        self.stored = stored or {}

    def error(self, field: str, key: str, **params: object) -> None:
        self.errors.setdefault(field, (key, params))

    def raw(self, field: str) -> str:
        value = self.data.get(field)
        return "" if value is None else str(value)

    @_memoized
    def text(self, field: str, max_len: int, required: bool = False, multiline: bool = False) -> str:
        """Trimmed text without invisible characters, its letters composed (NFC: "Ánh" pasted as A
        and a combining accent is stored as one letter); a required one-line text (a name, a
        label) must show a letter or a digit."""
        raw = unicodedata.normalize("NFC", strip_invisible(self.raw(field)))
        value = raw.strip() if multiline else fold_spaces(raw)
        if _CONTROL.search(value):
            self.error(field, "err.invalid_chars")
        if required and not value:
            self.error(field, "err.required")
        elif required and not multiline and not has_visible_letter(value):
            self.error(field, "err.needs_letter", value=value[:40])
        if len(value) > max_len:
            self.error(field, "err.too_long", max=max_len)
        return value

    def tags(self, field: str) -> list[str]:
        """Tags as a record keeps them (normalize.tag_names); one longer than TAG_MAX is refused,
        named, rather than cut."""
        value = self.data.get(field)
        too_long = next((p for p in tag_parts(value) if len(p) > TAG_MAX), None)
        if too_long is not None:
            self.error(field, "err.tag_too_long", value=f"{too_long[:40]}…", max=TAG_MAX)
        return tag_names(value)

    @_memoized
    def choice(self, field: str, allowed: tuple[str, ...] | list[str], default: str = "") -> str:
        value = self.raw(field).strip() or default
        if value not in allowed:
            self.error(field, "err.invalid_choice")
        return value

    @_memoized
    def province(self, field: str) -> str:
        """A province's code from its code or any name people give it, pre-2025 ones included."""
        typed = fold_spaces(self.raw(field))
        code = places.province_code(typed)
        if code is None:
            self.error(field, "err.unknown_province", value=typed[:60])
            return ""
        return code

    def ward(self, field: str, province: str) -> str:
        """A ward of ``province`` from its code or name. A stored ward left as it was when the
        province changed (a bulk update, a card moved) goes with the old province."""
        typed = fold_spaces(self.raw(field))
        code = places.ward_code(province, typed)
        if code is not None:
            return code
        if typed == self.stored.get(field):
            return ""
        if not province:
            self.error(field, "err.ward_without_province", value=typed[:60])
        elif merged := places.merged_in(self.raw("province")):  # an old province's ward, as the file had it
            self.error(field, "err.unknown_ward_merged", value=typed[:60], merged=merged)
        else:
            self.error(field, "err.unknown_ward", value=typed[:60], province=places.province_label(province))
        return ""

    @_memoized
    def email(self, field: str) -> str:
        value = normalize_email(self.raw(field))
        if value and not is_valid_email(value):
            self.error(field, "err.invalid_email")
        return value

    def phones(self, field: str, max_count: int = 5) -> list[str]:
        value = self.data.get(field)
        items = value if isinstance(value, list | tuple) else PHONE_SEPARATORS.split(str(value or ""))
        phones = [fold_spaces(str(p)) for p in items if str(p).strip()]
        kept_as_stored = self.stored.get(field) or []
        kept_as_stored = {
            normalize_phone(p) for p in ([kept_as_stored] if isinstance(kept_as_stored, str) else kept_as_stored)
        }
        for p in phones:
            if not is_valid_phone(p) and normalize_phone(p) not in kept_as_stored:
                self.error(field, "err.invalid_phone", value=p[:40])
        # an old 11-digit mobile number is kept as it is dialled today (found by the old one too);
        # a number given twice (in two forms, or in two columns of a file) is kept once
        kept: dict[str, str] = {}
        for p in phones:
            kept.setdefault(normalize_phone(p) or p, current_form(p) or p)
        phones = list(kept.values())
        if len(phones) > max_count:
            self.error(field, "err.too_many_phones", max=max_count)
        return phones

    @_memoized
    def integer(self, field: str, lo: int | None = None, hi: int | None = None) -> int | None:
        value = self.raw(field).strip()
        if not value:
            return None
        try:
            number = int(value)
        except ValueError:
            if not _FRACTION.match(value):
                self.error(field, "err.invalid_number")
            elif lo is not None and hi is not None:  # "1,5" for a rating: a number, not a whole one
                self.error(field, "err.whole_between", lo=lo, hi=hi)
            else:
                self.error(field, "err.not_whole")
            return None
        if (lo is not None and number < lo) or (hi is not None and number > hi):
            self.error(field, "err.out_of_range", lo=lo, hi=hi)
        return number

    @_memoized
    def money(self, field: str, hi: int) -> int | None:
        """An amount of VND as typed ("1.500.000", "1,500,000 đ"), 0 to ``hi``; None when empty.
        Text, a fraction of a đồng and a negative amount are refused, naming the value."""
        typed = fold_spaces(self.raw(field))
        if not typed:
            return None
        try:
            text = read_money(typed)
        except ValueError as exc:
            self.error(field, exc.args[0], value=typed[:40])
            return None
        value = int(text)
        if value < 0:
            self.error(field, "err.money_negative", value=typed[:40])
        elif value > hi:
            self.error(field, "err.money_too_big", value=typed[:40], hi=fmt_number(hi))
        return value

    @_memoized
    def past_day(self, field: str) -> date | None:
        """A day that has come (a birthday): not after today in Vietnam."""
        value = self.day(field)
        if value is not None and value > (datetime.now(UTC) + VN_OFFSET).date():
            self.error(field, "err.future_date")
            return None
        return value

    def day(self, field: str) -> date | None:
        value = self.data.get(field)
        if isinstance(value, date):
            return value
        value = self.raw(field).strip()
        if not value:
            return None
        try:
            parsed = date.fromisoformat(value) if len(value) == 10 else None
        except ValueError:
            parsed = None
        if parsed is not None:
            if 1900 <= parsed.year <= 2100:
                return parsed
            self.error(field, "err.invalid_date")
            return None
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                parsed = datetime.strptime(value, fmt).date()
            except ValueError:
                continue
            if not 1900 <= parsed.year <= 2100:
                break
            return parsed
        self.error(field, "err.invalid_date")
        return None

    def moment(self, field: str, required: bool = False) -> datetime | None:
        """A date and time typed in Vietnam time ("2026-11-23T14:30" or "23/11/2026 14:30"), as UTC."""
        value = self.data.get(field)
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=UTC)
        value = self.raw(field).strip()
        if not value:
            if required:
                self.error(field, "err.required")
            return None
        for fmt in ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M"):
            try:
                parsed = datetime.strptime(value, fmt)
            except ValueError:
                continue
            if not 1900 <= parsed.year <= 2100:
                break
            return (parsed - VN_OFFSET).replace(tzinfo=UTC)
        self.error(field, "err.invalid_datetime")
        return None

    @_memoized
    def flag(self, field: str) -> bool:
        value = self.data.get(field)
        if isinstance(value, bool):
            return value
        return str(value or "").strip().lower() in ("1", "true", "on", "yes", "có", "x")

    @_memoized
    def url(self, field: str, max_len: int = 200) -> str:
        value = self.text(field, max_len)
        if value and not _URL.match(value):
            self.error(field, "err.invalid_url")
        return value

    def done(self) -> None:
        if self.errors:
            raise ValidationFailed(self.errors)

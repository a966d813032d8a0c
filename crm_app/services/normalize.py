"""Normalisation of Vietnamese names, phones and emails for search and duplicates.

- names: no diacritics (đ/Đ -> d, vowels with one or two marks -> plain), lower case,
  surrounding and repeated spaces folded;
- phones: digits only, +84 / 84 / 0084 / 0 prefixes unified to the national 0 form;
- emails: trimmed, lower case.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_PHONE_ALLOWED = re.compile(r"^\+?[\d\s().\-/]+$")
_EMAIL = re.compile(
    r"^[^@\s<>()\[\],;:\"]+@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)+$"
)
_D_MAP = str.maketrans({"đ": "d", "Đ": "d"})


def fold_spaces(value: str | None) -> str:
    # str.split() splits on exactly the characters \s matches (str.isspace), and is faster
    return " ".join((value or "").split())


def _fold_char(ch: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))


# Precomposed Latin letters (Vietnamese ones included) to their plain letters: one translate()
# call folds the usual text; anything else still goes through NFD.
_FOLD = {cp: _fold_char(chr(cp)) for cp in range(0xC0, 0x1F00) if _fold_char(chr(cp)) != chr(cp)}
_FOLD.update({ord("đ"): "d", ord("Đ"): "d"})


def strip_diacritics(value: str) -> str:
    # NFD splits "ễ" into e + circumflex + tilde; dropping every combining mark
    # handles the Vietnamese vowels that carry two marks. đ has no decomposition.
    folded = value.translate(_FOLD)
    if folded.isascii():
        return folded
    decomposed = unicodedata.normalize("NFD", folded.translate(_D_MAP))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# An import normalises each name and phone several times (cleaning, duplicate keys, shadow
# columns, search keys): the last ones are remembered.
@functools.lru_cache(maxsize=1 << 16)
def normalize_name(value: str | None) -> str:
    return fold_spaces(strip_diacritics(value or "")).lower()


def normalize_email(value: str | None) -> str:
    return (value or "").strip().lower()


def is_valid_email(value: str) -> bool:
    return len(value) <= 254 and bool(_EMAIL.match(value))


def looks_like_phone(value: str | None) -> bool:
    return bool(value) and bool(_PHONE_ALLOWED.match(value.strip())) and any(c.isdigit() for c in value)


@functools.lru_cache(maxsize=1 << 16)
def normalize_phone(value: str | None) -> str:
    """Digits only, Vietnamese numbers in the national form (0xxxxxxxxx).

    Returns '' when the value holds no digits. Foreign numbers keep their
    country code behind '00' so that they never collide with national ones.
    """
    raw = (value or "").strip()
    digits = re.sub(r"\D", "", raw)
    if not digits:
        return ""
    international = raw.startswith("+") or digits.startswith("00")
    if digits.startswith("00"):
        digits = digits[2:]
    if international:
        if digits.startswith("84"):
            return "0" + digits[2:].lstrip("0")
        return "00" + digits
    if digits.startswith("84") and len(digits) in (11, 12):
        return "0" + digits[2:]
    if not digits.startswith("0") and len(digits) in (9, 10):
        return "0" + digits
    return digits


def is_valid_phone(value: str) -> bool:
    """A phone a person could dial: allowed characters and 9-15 digits once normalised."""
    if not looks_like_phone(value):
        return False
    norm = normalize_phone(value)
    return 9 <= len(norm.lstrip("0")) + 1 <= 15


def search_terms(query: str | None) -> dict[str, str]:
    """What a search box value can mean: a name, a phone prefix, an email, a code."""
    q = fold_spaces(query)
    terms = {"name": normalize_name(q)} if q else {}
    digits = re.sub(r"\D", "", q)
    if looks_like_phone(q) and len(digits) >= 3:
        # a partial number keeps its digits, unless its +84 / 0084 prefix says how to read it
        international = q.startswith("+") or digits.startswith("00")
        terms["phone"] = normalize_phone(q) if len(digits) >= 9 or international else digits
    if "@" in q:
        terms["email"] = normalize_email(q)
    if re.fullmatch(r"(?i)kh\d+", q):
        terms["code"] = q.upper()
    return terms

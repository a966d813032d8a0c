"""Numbers and amounts of money as people type them, in a form or a file.

Written the Vietnamese way first: "1.500" is one thousand five hundred, "1.500,5" is 1500.5 and
"1,5" is 1.5; English grouping ("1,234,567.5", "1.5") is read too. "1,500" could be either (1.5
or 1500): refused as ambiguous. A currency sign (₫, đ, VND, đồng) and spaces are dropped. Money
is whole đồng. Each refusal is a ValueError whose argument is the message key.
"""

from __future__ import annotations

import re

# Vietnamese: "." groups thousands, "," marks the decimals ("1.500", "1.234.567,5", "1,5").
_VN_NUMBER = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$|^-?\d+,\d+$|^-?\d+$")
# English: "," groups thousands, "." marks the decimals ("1,234,567.5", "1.5").
_EN_NUMBER = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$|^-?\d+\.\d+$")
# One "," before exactly three digits: 1.5 written the Vietnamese way, or 1500 the English way.
_AMBIGUOUS_NUMBER = re.compile(r"^-?\d{1,3},\d{3}$")
_CURRENCY = re.compile(r"(₫|vnđ|vnd|đồng|đ)$", re.IGNORECASE)


def read_number(value: object) -> str:
    """A number as plain text ("1234567.5", "-3"); "" when empty."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        raise ValueError("err.import_invalid_number")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    text = _CURRENCY.sub("", str(value).replace("\u00a0", "").replace(" ", "").strip())
    if not text:
        return ""
    if _AMBIGUOUS_NUMBER.match(text):
        raise ValueError("err.import_ambiguous_number")
    if _VN_NUMBER.match(text):
        text = text.replace(".", "").replace(",", ".")
    elif _EN_NUMBER.match(text):
        text = text.replace(",", "")
    else:
        raise ValueError("err.import_invalid_number")
    number = float(text)
    return str(int(number)) if number.is_integer() else str(number)


def read_money(value: object) -> str:
    """An amount of VND as whole đồng ("15.000.000 đ", "15,000,000", 15000000.0); "" when empty;
    a fraction of a đồng is refused."""
    text = read_number(value)
    if text and not float(text).is_integer():
        raise ValueError("err.import_invalid_money")
    return text

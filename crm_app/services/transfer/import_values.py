"""File cell values read as people type them, into the text the form cleaners take.

- dates: dd/mm/yyyy (also d-m-yy, d.m.yyyy), yyyy-mm-dd, Excel serial numbers, real dates;
- numbers: Vietnamese separators (1.234.567,5) and English ones (1,234,567.5);
- phones: a number cell (912345678.0) becomes text and regains its lost leading zero;
- yes/no: "Có/Không", "x", "Yes/No", "1/0"; gender: "Nam/Nữ/Khác", "Male/Female".

Every parser returns a string the Cleaner of the entity understands (dates as ISO) or
raises ValueError with a catalog key, so a file row goes through the same rules as a form.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from crm_app.services.normalize import fold_spaces, normalize_name
from crm_app.services.numbers import read_money, read_number

_EXCEL_EPOCH = date(1899, 12, 30)
_DATE_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_DATE_YMD = re.compile(r"^(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?.*)?$")

_YES = frozenset({"co", "x", "yes", "y", "true", "1", "dung", "on"})
_NO = frozenset({"khong", "no", "n", "false", "0", "sai", "off", ""})
_GENDERS = {
    "nam": "male",
    "male": "male",
    "m": "male",
    "trai": "male",
    "nu": "female",
    "female": "female",
    "f": "female",
    "gai": "female",
    "khac": "other",
    "other": "other",
}


def as_text(value: object) -> str:
    """Any cell as trimmed text; whole floats lose their ".0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return fold_spaces(str(value))


def parse_date(value: object) -> str:
    """ISO date text ('' when empty)."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_serial(float(value))
    text = as_text(value)
    if not text:
        return ""
    if re.fullmatch(r"\d{4,5}(\.\d+)?", text):
        return _from_serial(float(text))
    m = _DATE_DMY.match(text)
    if m:
        day, month, year = int(m[1]), int(m[2]), int(m[3])
        if year < 100:
            year += 2000 if year < 50 else 1900
        return _checked(year, month, day)
    m = _DATE_YMD.match(text)
    if m:
        return _checked(int(m[1]), int(m[2]), int(m[3]))
    raise ValueError("err.invalid_date")


def _from_serial(serial: float) -> str:
    if not 1 <= serial < 80_000:  # 1900-01-01 .. 2119
        raise ValueError("err.invalid_date")
    return (_EXCEL_EPOCH + timedelta(days=int(serial))).isoformat()


def _checked(year: int, month: int, day: int) -> str:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        raise ValueError("err.invalid_date") from None


# A number or an amount of money of a file, read as a form reads it (services.numbers).
parse_number = read_number
parse_money = read_money


def parse_phones(value: object) -> str:
    """Phones as typed, several separated by , ; / or new lines; a number cell regains its 0."""
    if value is None or value == "":
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        digits = as_text(value)
        return "0" + digits if len(digits) in (9, 10) and not digits.startswith(("0", "84")) else digits
    text = str(value).strip()
    parts = [p.strip() for p in re.split(r"[,;\n/]|\s{2,}", text) if p.strip()]
    fixed = []
    for p in parts:
        digits = re.sub(r"\D", "", p)
        # "912 345 678" typed without its leading zero (Excel ate it): 9 digits, a mobile prefix
        if p == digits and len(digits) == 9 and digits[0] in "35789":
            p = "0" + p
        fixed.append(p)
    return ", ".join(fixed)


def parse_bool(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else ""
    word = normalize_name(as_text(value))
    if word in _YES:
        return "1"
    if word in _NO:
        return ""
    raise ValueError("err.invalid_yes_no")


def parse_gender(value: object) -> str:
    word = normalize_name(as_text(value))
    if not word:
        return ""
    if word in _GENDERS:
        return _GENDERS[word]
    raise ValueError("err.invalid_choice")

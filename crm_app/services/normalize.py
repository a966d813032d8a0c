"""Normalisation of Vietnamese names, phones and emails for search and duplicates.

- names: no diacritics (đ/Đ -> d, vowels with one or two marks -> plain), lower case,
  surrounding and repeated spaces folded;
- phones: digits only, +84 / 84 / 0084 / 0 prefixes unified to the national 0 form, and an
  11-digit mobile number of before 2018 in its 10-digit form (0168 123 4567 is 038 123 4567);
- emails: trimmed, lower case.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import phonenumbers

_PHONE_ALLOWED = re.compile(r"^\(?\+?[\d\s().\-/]+$")  # "(+84) 24 3825 9999" as printed too
_EMAIL = re.compile(
    r"^[^@\s<>()\[\],;:\"]+@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)+$"
)
# Đ, and Ð (U+00D0, the Icelandic eth), which older Vietnamese fonts, keyboards and converted files
# put for it ("Ðà Nẵng"): both fold to d, lower and upper case.
_D_LETTERS = {"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"}
_D_MAP = str.maketrans(_D_LETTERS)


# Characters that show nothing but can hide or reorder text: bidi controls ("zs\u202etxt.exe"
# shows as "zsexe.txt"), zero-width marks, the byte-order mark, the soft hyphen.
_INVISIBLE = re.compile("[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
# Letters that draw as blank space (Hangul fillers).
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")


def strip_invisible(value: str) -> str:
    return _INVISIBLE.sub("", value)


def has_visible_letter(value: str) -> bool:
    """Whether a text shows at least one letter or digit (a name must)."""
    return any(unicodedata.category(ch)[0] in "LN" and ch not in _BLANK_LETTERS for ch in value)


def fold_spaces(value: str | None) -> str:
    # str.split() splits on exactly the characters \s matches (str.isspace), and is faster
    return " ".join((value or "").split())


def _fold_char(ch: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))


# Precomposed Latin letters (Vietnamese ones included) to their plain letters: one translate()
# call folds the usual text; anything else still goes through NFD.
_FOLD = {cp: _fold_char(chr(cp)) for cp in range(0xC0, 0x1F00) if _fold_char(chr(cp)) != chr(cp)}
_FOLD.update({ord(ch): d for ch, d in _D_LETTERS.items()})


def strip_diacritics(value: str) -> str:
    # NFD splits "ễ" into e + circumflex + tilde; dropping every combining mark
    # handles the Vietnamese vowels that carry two marks. đ and ð have no decomposition.
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


def given_name_columns(full_name: str | None, person: bool = True) -> dict[str, str]:
    """A name as a list sorted by given name reads it: the given name shown ("Nguyễn Văn An" →
    "An") and its sort key, the given name then the family and middle names ("an nguyen van").
    An organisation's name is shown and sorted as written."""
    shown = fold_spaces(full_name or "")
    norm = normalize_name(shown)
    if not person:
        return {"given_name": shown[:200], "given_norm": norm[:200]}
    # a remark in brackets ("Nguyễn Thị Hà (chị Hà)") and the punctuation around a word are no part
    # of a name's words
    words = [w.strip(_NOT_NAME) for w in _REMARK.sub(" ", shown).split()]
    words = [w for w in words if w] if any(any(c.isalpha() for c in w) for w in words) else shown.split(" ")
    given = words[-1] if words else ""
    rest = normalize_name(" ".join(words[:-1]))
    return {"given_name": given[:200], "given_norm": f"{normalize_name(given)} {rest}".strip()[:200]}


_REMARK = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_NOT_NAME = ".,;:!?()[]\"'\u201c\u201d-–—/*"


TAG_MAX = 60  # characters of a tag's name


def tag_parts(items: object) -> list[str]:
    """The tags given, each trimmed: a list, or text joined by commas."""
    parts = items if isinstance(items, list | tuple) else str(items or "").split(",")
    return [fold_spaces(str(part)) for part in parts]


def tag_names(items: object) -> list[str]:
    """Tags as a record keeps them: a list or text joined by commas, one per name once normalised
    ("đại lý VIP" and "Đại Lý vip" are one tag, written as first given), in name order."""
    first: dict[str, str] = {}
    for part in tag_parts(items):
        name = part[:TAG_MAX]
        if normalize_name(name):
            first.setdefault(normalize_name(name), name)
    return [first[key] for key in sorted(first)]


def normalize_email(value: str | None) -> str:
    return (value or "").strip().lower()


def is_valid_email(value: str) -> bool:
    return len(value) <= 254 and bool(_EMAIL.match(value))


def has_plus(typed: str) -> bool:
    """A number written with its country code after a plus: "+84 …", "(+84) …"."""
    return typed.lstrip("( ").startswith("+")


def looks_like_phone(value: str | None) -> bool:
    return bool(value) and bool(_PHONE_ALLOWED.match(value.strip())) and any(c.isdigit() for c in value)


# The mobile prefixes the Ministry of Information and Communications moved from 11 to 10 digits
# (15 September 2018 to early 2019): the old 4-digit prefix (with its 0) -> the new 3-digit one.
OLD_MOBILE_PREFIXES = {
    **{f"016{d}": f"03{d}" for d in "23456789"},  # Viettel
    "0120": "070", "0121": "079", "0122": "077", "0126": "076", "0128": "078",  # MobiFone
    "0123": "083", "0124": "084", "0125": "085", "0127": "081", "0129": "082",  # VinaPhone
    "0186": "056", "0188": "058",  # Vietnamobile
    "0199": "059",  # Gmobile
}  # fmt: skip


# The landline area codes changed in 2017 (Quyết định 2036/QĐ-BTTTT of the Ministry of Information
# and Communications, 2015; in three phases from 11 February, 15 April and 17 June 2017): the old
# code -> the new one. The subscriber's digits stayed; Vĩnh Phúc 211, Phú Thọ 210, Hòa Bình 218
# and Hà Giang 219 kept theirs.
OLD_AREA_CODES = {
    # phase 1
    "22": "212", "231": "213", "20": "214", "230": "215", "29": "216", "52": "232", "53": "233",
    "54": "234", "510": "235", "511": "236", "37": "237", "38": "238", "39": "239",
    # phase 2
    "33": "203", "240": "204", "25": "205", "26": "206", "27": "207", "280": "208", "281": "209",
    "320": "220", "321": "221", "241": "222", "31": "225", "351": "226", "36": "227", "350": "228",
    "30": "229", "780": "290", "781": "291", "710": "292", "711": "293", "74": "294", "76": "296",
    "77": "297", "79": "299",
    # phase 3
    "4": "24", "8": "28", "61": "251", "62": "252", "64": "254", "55": "255", "56": "256",
    "57": "257", "58": "258", "68": "259", "60": "260", "501": "261", "500": "262", "63": "263",
    "59": "269", "70": "270", "651": "271", "72": "272", "73": "273", "650": "274", "75": "275",
    "66": "276", "67": "277",
}  # fmt: skip


# A subscriber's number on a landline started with one of these (a 9 or a 1 is more likely a typo
# in a mobile number than an old landline).
_LANDLINE_FIRST_DIGITS = "2345678"


def renumbered(national: str) -> str:
    """An old number (national digits) in its current form; any other as given: an 11-digit
    mobile number of before 2018 in its 10-digit form, a landline of before 2017 with its new
    area code — only when the digits are no number in service today (a 10-digit "038 …" is a
    mobile now, not Nghệ An's old code 38: such numbers stay as they are)."""
    if len(national) == 11 and national[:4] in OLD_MOBILE_PREFIXES:
        return OLD_MOBILE_PREFIXES[national[:4]] + national[4:]
    for size in (1, 2, 3):  # an old code and its subscriber: 8 digits in Hà Nội and TP.HCM, else 7
        code, subscriber = national[1 : 1 + size], national[1 + size :]
        if (
            code in OLD_AREA_CODES
            and len(subscriber) == (8 if size == 1 else 7)
            and subscriber[0] in _LANDLINE_FIRST_DIGITS
            and not _VN_NUMBER.fullmatch(national[1:])
        ):
            new = f"0{OLD_AREA_CODES[code]}{subscriber}"
            return new if _VN_NUMBER.fullmatch(new[1:]) else national
    return national


@functools.lru_cache(maxsize=1 << 16)  # an import asks it of every phone cell, a form of every number
def current_form(value: str) -> str | None:
    """The number as it is dialled today when ``value`` is an old one (see ``renumbered``),
    written in groups ("038 123 4567", "024 3825 1234", "0236 3822 123"); None for any other."""
    national = _national_digits(value)
    new = normalize_phone(value)
    if new == national:
        return None
    if new[:3] in ("024", "028"):
        return f"{new[:3]} {new[3:7]} {new[7:]}"
    if new.startswith("02"):
        return f"{new[:4]} {new[4:8]} {new[8:]}"
    return f"{new[:3]} {new[3:6]} {new[6:]}"


# What separates several phone numbers typed in one field or cell.
PHONE_SEPARATORS = re.compile(r"[,;\n]")
_NOT_DIGIT = re.compile(r"\D")


def renumbered_in(typed: str | None) -> str:
    """The old numbers among typed ones (split at , ; or a new line) and their forms of today,
    as a form or an import review says them ("0168 123 4567 → 038 123 4567"); "" for none."""
    if not typed:
        return ""
    numbers = (p.strip() for p in PHONE_SEPARATORS.split(typed))
    return ", ".join(f"{p} → {new}" for p in numbers if p and (new := current_form(p)))


def _national_digits(value: str | None) -> str:
    """The national form of a number before renumbering (see ``normalize_phone``)."""
    raw = (value or "").strip()
    digits = _NOT_DIGIT.sub("", raw)
    if not digits:
        return ""
    international = has_plus(raw) or digits.startswith("00")
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


@functools.lru_cache(maxsize=1 << 16)
def normalize_phone(value: str | None) -> str:
    """Digits only, Vietnamese numbers in the national form (0xxxxxxxxx), an old 11-digit mobile
    number in its current form.

    Returns '' when the value holds no digits. Foreign numbers keep their
    country code behind '00' so that they never collide with national ones.
    """
    national = _national_digits(value)
    return national if national.startswith("00") else renumbered(national)


def suffix_key(digits: str) -> str:
    """Digits backwards: a number's last digits become a prefix an index can range over."""
    return digits[::-1]


_VN = phonenumbers.PhoneMetadata.metadata_for_region("VN")
# Vietnamese numbers that are in service, from the numbering plan in the phonenumbers package
# (Google's metadata): checking the national number against its patterns takes a microsecond,
# where parsing takes twenty (an import checks a hundred thousand numbers).
_VN_NUMBER = re.compile(
    "|".join(
        f"(?:{d.national_number_pattern})"
        for d in (_VN.fixed_line, _VN.mobile, _VN.toll_free, _VN.premium_rate, _VN.uan, _VN.voip)
        if d is not None and d.national_number_pattern
    )
)


def is_valid_phone(value: str) -> bool:
    """A number that can be dialled: allowed characters, and a Vietnamese number of the current
    numbering plan (an old 11-digit mobile counts as its new form) or a foreign number valid in
    its own country (written with + or 00)."""
    if not looks_like_phone(value):
        return False
    norm = normalize_phone(value)
    if norm.startswith("00"):
        try:
            return phonenumbers.is_valid_number(phonenumbers.parse("+" + norm[2:], None))
        except phonenumbers.NumberParseException:
            return False
    national = norm[1:] if norm.startswith("0") else norm  # a hotline (1900 …) has no 0
    return bool(national) and _VN_NUMBER.fullmatch(national) is not None


def search_terms(query: str | None) -> dict[str, str]:
    """What a search box value can mean: a name, a phone prefix, an email, a code."""
    q = fold_spaces(query)
    terms = {"name": normalize_name(q)} if q else {}
    digits = re.sub(r"\D", "", q)
    if looks_like_phone(q) and len(digits) >= 3:
        # a partial number keeps its digits, unless its +84 / 0084 prefix says how to read it
        international = has_plus(q) or digits.startswith("00")
        terms["phone"] = normalize_phone(q) if len(digits) >= 9 or international else digits
        # the start of an old 11-digit mobile number ("0168 123") is searched as dialled today
        new_start = OLD_MOBILE_PREFIXES.get(terms["phone"][:4]) if len(terms["phone"]) < 11 else None
        if new_start:
            terms["phone"] = new_start + terms["phone"][4:]
    if "@" in q:
        terms["email"] = normalize_email(q)
    if re.fullmatch(r"(?i)kh\d+", q):
        terms["code"] = q.upper()
    return terms

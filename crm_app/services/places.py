"""Vietnam's provinces and wards since the 1 July 2025 reform: 34 provinces and centrally-run
cities, each made of wards, communes and special zones (two levels, no district).

The catalog is the ``vietnam-provinces`` package's (the General Statistics Office's codes after
the rearrangement). Records store a province's two-digit code ("79") and a ward's five-digit code
("26734"); ``province_label`` and ``ward_label`` name them. ``province_code`` reads what people
type or old files hold, the 63 provinces before the reform included: Nghị quyết 202/2025/QH15
(12 June 2025) merged them into the 34 (``MERGED_INTO``).
"""

from __future__ import annotations

import functools
import re

from vietnam_provinces import Province, Ward

from crm_app.services.normalize import fold_spaces, normalize_name

# The provinces merged into another by Nghị quyết 202/2025/QH15 (the 11 kept as they were and the
# 23 that took others in keep their names): old name -> the code of the province it is part of.
MERGED_INTO: dict[str, str] = {
    "Hà Giang": "08",  # Tuyên Quang
    "Yên Bái": "15",  # Lào Cai
    "Bắc Kạn": "19",  # Thái Nguyên
    "Vĩnh Phúc": "25",  # Phú Thọ
    "Hòa Bình": "25",
    "Bắc Giang": "24",  # Bắc Ninh
    "Thái Bình": "33",  # Hưng Yên
    "Hải Dương": "31",  # Hải Phòng
    "Hà Nam": "37",  # Ninh Bình
    "Nam Định": "37",
    "Quảng Bình": "44",  # Quảng Trị
    "Thừa Thiên Huế": "46",  # Huế
    "Quảng Nam": "48",  # Đà Nẵng
    "Kon Tum": "51",  # Quảng Ngãi
    "Bình Định": "52",  # Gia Lai
    "Ninh Thuận": "56",  # Khánh Hòa
    "Phú Yên": "66",  # Đắk Lắk
    "Đắk Nông": "68",  # Lâm Đồng
    "Bình Thuận": "68",
    "Bình Phước": "75",  # Đồng Nai
    "Bình Dương": "79",  # Hồ Chí Minh
    "Bà Rịa - Vũng Tàu": "79",
    "Long An": "80",  # Tây Ninh
    "Tiền Giang": "82",  # Đồng Tháp
    "Bến Tre": "86",  # Vĩnh Long
    "Trà Vinh": "86",
    "Kiên Giang": "91",  # An Giang
    "Sóc Trăng": "92",  # Cần Thơ
    "Hậu Giang": "92",
    "Bạc Liêu": "96",  # Cà Mau
}
# Other ways people write a province (abbreviations, English, old city names).
ALIASES: dict[str, str] = {
    "HN": "01",
    "Hanoi": "01",
    "HCM": "79",
    "HCMC": "79",
    "Hồ Chí Minh City": "79",
    "Sài Gòn": "79",
    "Hà Tây": "01",  # merged into Hà Nội in 2008 (Nghị quyết 15/2008/QH12); old addresses still say it
    "Saigon": "79",
    "BRVT": "79",
    "Vũng Tàu": "79",
    "Danang": "48",
    "Haiphong": "31",
    "TT Huế": "46",
    "TT-Huế": "46",
    "Daklak": "66",
    "Đắc Lắc": "66",
    "Đắc Nông": "68",
}
# Words before or after a name that only say what kind of unit it is.
_PROVINCE_WORDS = ("thanh pho", "tinh", "tp", "t p", "city", "province")
_WARD_WORDS = ("phuong", "xa", "dac khu", "thi tran", "p", "x", "tt", "ward", "commune")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def _key(text: str | None, unit_words: tuple[str, ...]) -> str:
    """A name as compared: no diacritics, case, punctuation or unit word ("TP. Hồ Chí Minh" and
    "ho chi minh city" alike), its words run together ("Hà Nội" = "Hanoi")."""
    words = " " + _NOT_WORD.sub(" ", normalize_name(text)).strip() + " "
    for unit in unit_words:
        if words.startswith(f" {unit} ") and len(words) > len(unit) + 3:
            words = words[len(unit) + 1 :]
        if words.endswith(f" {unit} ") and len(words) > len(unit) + 3:
            words = words[: -len(unit) - 1]
    return words.replace(" ", "")


def _short(name: str) -> str:
    """A province as lists show it: without "Thành phố" ("Hà Nội"), but "TP. Hồ Chí Minh" (the
    city, not the man)."""
    return "TP. Hồ Chí Minh" if name == "Thành phố Hồ Chí Minh" else name.removeprefix("Thành phố ")


# By the name a list shows, "Thành phố"/"TP." aside: Hà Nội under H, TP. Hồ Chí Minh under H too.
PROVINCES: tuple[tuple[str, str], ...] = tuple(
    sorted(
        ((f"{p.code.value:02d}", _short(p.name)) for p in Province.iter_all()),
        key=lambda pair: normalize_name(pair[1].removeprefix("TP. ")),
    )
)
PROVINCE_CODES: tuple[str, ...] = tuple(code for code, _ in PROVINCES)
_PROVINCE_NAMES = dict(PROVINCES)


def _province_table() -> dict[str, str]:
    table = {_key(name, _PROVINCE_WORDS): code for code, name in PROVINCES}
    for old, code in (*MERGED_INTO.items(), *ALIASES.items()):
        table.setdefault(_key(old, _PROVINCE_WORDS), code)
    return table


_BY_PROVINCE_KEY = _province_table()


def province_label(code: str | None) -> str:
    """A province's name; a value that is no code (text typed before the catalog) as it is."""
    return _PROVINCE_NAMES.get(code or "", code or "")


def province_code(text: str | None) -> str | None:
    """The code of the province a text names (a code, a current or pre-2025 name, with or without
    diacritics and "Tỉnh"/"TP."), None when none; "" for no text."""
    text = fold_spaces(text)
    if not text:
        return ""
    if text in _PROVINCE_NAMES:
        return text
    if text.isdigit() and f"{int(text):02d}" in _PROVINCE_NAMES:
        return f"{int(text):02d}"
    return _BY_PROVINCE_KEY.get(_key(text, _PROVINCE_WORDS))


_MERGED_KEYS = {_key(old, _PROVINCE_WORDS): code for old, code in MERGED_INTO.items()}


@functools.lru_cache(maxsize=4096)  # an import asks it of every row; a province column repeats a few texts
def merged_in(text: str | None) -> str:
    """What a text naming a province merged into another became ("Bình Dương → TP. Hồ Chí Minh"),
    "" for any other text: a review says so."""
    code = _MERGED_KEYS.get(_key(text, _PROVINCE_WORDS))
    return f"{fold_spaces(text)} → {province_label(code)}" if code else ""


@functools.cache
def _wards() -> dict[str, tuple[str, str]]:
    """ward code -> (name, province code), read on first use (3,321 wards)."""
    return {
        f"{w.code.value:05d}": (fold_spaces(w.name), f"{w.province_code.value:02d}")
        for w in Ward.iter_all()  # type: ignore[attr-defined]
    }


@functools.cache
def _province_wards(province: str) -> tuple[tuple[str, str], ...]:
    wards = [(code, name) for code, (name, p) in _wards().items() if p == province]
    return tuple(sorted(wards, key=lambda w: normalize_name(w[1])))


def wards_of(province: str | None) -> tuple[tuple[str, str], ...]:
    """(code, name) of a province's wards, communes and special zones, by name."""
    return _province_wards(province) if province in _PROVINCE_NAMES else ()


def ward_label(code: str | None) -> str:
    found = _wards().get(code or "")
    return found[0] if found else code or ""


def ward_province(code: str | None) -> str | None:
    found = _wards().get(code or "")
    return found[1] if found else None


@functools.cache
def _ward_table(province: str) -> dict[str, str | None]:
    """A province's ward keys, with and without "Phường"/"Xã" -> code (None: two wards share it)."""
    table: dict[str, str | None] = {}
    for code, name in wards_of(province):
        table[_key(name, ())] = code
        short = _key(name, _WARD_WORDS)
        table[short] = None if short in table and table[short] != code else code
    return table


def ward_code(province: str | None, text: str | None) -> str | None:
    """The code of the ward of ``province`` a text names (its code, or its name with or without
    "Phường"/"Xã" and diacritics); None when it names none or two; "" for no text."""
    text = fold_spaces(text)
    if not text:
        return ""
    if ward_province(text) == province and province:
        return text
    if not province:
        return None
    table = _ward_table(province)
    full = table.get(_key(text, ()))
    return full if full is not None else table.get(_key(text, _WARD_WORDS))

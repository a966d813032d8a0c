"""Vietnamese text files of before Unicode: TCVN3 (the ABC fonts, TCVN 5712:1993) and VNI
(VNI-Windows), beside Windows-1258 and Windows-1252. Old accounting and CRM software still
exports them; read as any other encoding they become mojibake ("NguyÔn V¨n", "Nguyeãn Vaên").

Each candidate decoding is read and the one whose words are most often Vietnamese syllables
(their vowels form a Vietnamese vowel group) wins; the review names the encoding it read.
"""

from __future__ import annotations

import re
import unicodedata

# TCVN 5712:1993 bytes 0x80-0xFF, as the GNU C library's TCVN5712-1 converter decodes them one
# by one (0xB0-0xB4 are combining tone marks; a text is composed afterwards).
_TCVN3_HIGH = (
    "\u00c0\u1ea2\u00c3\u00c1\u1ea0\u1eb6\u1eac\u00c8\u1eba\u1ebc\u00c9\u1eb8\u1ec6\u00cc\u1ec8\u0128"
    "\u00cd\u1eca\u00d2\u1ece\u00d5\u00d3\u1ecc\u1ed8\u1edc\u1ede\u1ee0\u1eda\u1ee2\u00d9\u1ee6\u0168"
    "\u00a0\u0102\u00c2\u00ca\u00d4\u01a0\u01af\u0110\u0103\u00e2\u00ea\u00f4\u01a1\u01b0\u0111\u1eb0"
    "\u0300\u0309\u0303\u0301\u0323\u00e0\u1ea3\u00e3\u00e1\u1ea1\u1eb2\u1eb1\u1eb3\u1eb5\u1eaf\u1eb4"
    "\u1eae\u1ea6\u1ea8\u1eaa\u1ea4\u1ec0\u1eb7\u1ea7\u1ea9\u1eab\u1ea5\u1ead\u00e8\u1ec2\u1ebb\u1ebd"
    "\u00e9\u1eb9\u1ec1\u1ec3\u1ec5\u1ebf\u1ec7\u00ec\u1ec9\u1ec4\u1ebe\u1ed2\u0129\u00ed\u1ecb\u00f2"
    "\u1ed4\u1ecf\u00f5\u00f3\u1ecd\u1ed3\u1ed5\u1ed7\u1ed1\u1ed9\u1edd\u1edf\u1ee1\u1edb\u1ee3\u00f9"
    "\u1ed6\u1ee7\u0169\u00fa\u1ee5\u1eeb\u1eed\u1eef\u1ee9\u1ef1\u1ef3\u1ef7\u1ef9\u00fd\u1ef5\u1ed0"
)
_TCVN3 = {0x80 + i: ch for i, ch in enumerate(_TCVN3_HIGH)}

# VNI-Windows writes a letter and the marks after it as Windows-1252 characters. The marks
# (lower and upper case alike), as combining characters:
_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT = "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"
_CIRCUMFLEX, _BREVE = "\u0302", "\u0306"
_VNI_MARKS = {
    "ø": _GRAVE, "ù": _ACUTE, "û": _HOOK, "õ": _TILDE, "ï": _DOT,
    "â": _CIRCUMFLEX, "à": _CIRCUMFLEX + _GRAVE, "á": _CIRCUMFLEX + _ACUTE, "å": _CIRCUMFLEX + _HOOK,
    "ã": _CIRCUMFLEX + _TILDE, "ä": _CIRCUMFLEX + _DOT,
    "ê": _BREVE, "è": _BREVE + _GRAVE, "é": _BREVE + _ACUTE, "ú": _BREVE + _HOOK,
    "ü": _BREVE + _TILDE, "ë": _BREVE + _DOT,
}  # fmt: skip
# ... and its letters of one byte
_VNI_LETTERS = {"ñ": "đ", "ô": "ơ", "ö": "ư", "ó": "ĩ", "æ": "ỉ", "ò": "ị", "î": "ỵ"}
_VNI = {
    **{ord(k): v for k, v in _VNI_MARKS.items()},
    **{ord(k.upper()): v for k, v in _VNI_MARKS.items()},
    **{ord(k): v for k, v in _VNI_LETTERS.items()},
    **{ord(k.upper()): v.upper() for k, v in _VNI_LETTERS.items()},
}

# The vowel groups of Vietnamese syllables (tone marks aside): a word of another reading has
# vowels no syllable has ("uyÔ", "eă").
_NUCLEI = frozenset(
    [
        "a",
        "ă",
        "â",
        "e",
        "ê",
        "i",
        "y",
        "o",
        "ô",
        "ơ",
        "u",
        "ư",
        "ai",
        "ao",
        "au",
        "ay",
        "âu",
        "ây",
        "eo",
        "êu",
        "ia",
        "iê",
        "iu",
        "oa",
        "oă",
        "oe",
        "oi",
        "ôi",
        "ơi",
        "oo",
        "ua",
        "uâ",
        "uê",
        "ui",
        "uô",
        "uơ",
        "uy",
        "ưa",
        "ưi",
        "ưu",
        "ươ",
        "ya",
        "yê",
        "iêu",
        "oai",
        "oay",
        "oeo",
        "uây",
        "uôi",
        "ươi",
        "ươu",
        "uya",
        "uyê",
        "uyu",
        "yêu",
        "uôu",
    ]
)
_VOWELS = "aăâeêioôơuưy"
_WORD = re.compile(r"[^\W\d_]+")
_MARKED = re.compile(r"[^\x00-\x7f]")


def decode_tcvn3(data: bytes) -> str:
    return unicodedata.normalize("NFC", "".join(_TCVN3.get(b) or chr(b) for b in data))


def decode_vni(data: bytes) -> str:
    return unicodedata.normalize("NFC", data.decode("cp1252", errors="replace").translate(_VNI))


def _vowel_group(word: str) -> str:
    """The word's vowels without tones, lower case ("Nguyễn" → "uyê")."""
    bare = "".join(
        ch for ch in unicodedata.normalize("NFD", word.lower()) if ch not in (_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT)
    )
    bare = unicodedata.normalize("NFC", bare)
    start = next((i for i, ch in enumerate(bare) if ch in _VOWELS), None)
    if start is None:
        return ""
    if bare[start] in "iu" and start > 0 and bare[start - 1] in "gq":  # "gi", "qu": the i, u are the onset's
        start += 1 if start + 1 < len(bare) and bare[start + 1] in _VOWELS else 0
    end = start
    while end < len(bare) and bare[end] in _VOWELS:
        end += 1
    return bare[start:end] + ("?" if any(ch in _VOWELS for ch in bare[end:]) else "")


def vietnamese_score(text: str) -> int:
    """Words with a Vietnamese letter whose vowels form a syllable's, less those whose vowels do not."""
    score = 0
    for word in _WORD.findall(text):
        if _MARKED.search(word):
            score += 1 if _vowel_group(word) in _NUCLEI else -1
    return score


DECODERS = {
    "windows-1258": lambda data: unicodedata.normalize("NFC", data.decode("cp1258", errors="replace")),
    "tcvn3": decode_tcvn3,
    "vni": decode_vni,
    "windows-1252": lambda data: data.decode("cp1252", errors="replace"),
}


def best_reading(data: bytes) -> tuple[str, str]:
    """(text, encoding) of bytes that are not UTF-8: the reading most like Vietnamese; Windows-1252
    when none has a Vietnamese word (a file without Vietnamese letters reads the same in all)."""
    sample = data[:20000]
    scores = {name: vietnamese_score(decode(sample)) for name, decode in DECODERS.items()}
    name = max(scores, key=lambda n: scores[n])
    if scores[name] <= 0:
        name = "windows-1252"
    return DECODERS[name](data), name

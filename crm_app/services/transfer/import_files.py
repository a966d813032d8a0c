"""Reading an uploaded file into one table: headers and rows of cell values.

Spreadsheets (.xlsx, .xls, .ods) are read by python-calamine, which returns dates,
numbers and text as such. CSV text is decoded by trying encodings in order with
strict decoding: a BOM (UTF-8, UTF-16), UTF-16 without BOM (NUL bytes), UTF-8, then
Windows-1258, TCVN3, VNI or Windows-1252, the reading most like Vietnamese (legacy_text). vCards
(2.1, 3.0, 4.0, many per file) become one row per card.

Messy sheets: title rows above the header (one merged cell) are skipped, an empty
header cell under a merged header takes the merged name, blank rows are dropped
(row numbers stay those of the file), text is trimmed.
"""

from __future__ import annotations

import csv
import io
import quopri
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from python_calamine import CalamineWorkbook

from crm_app.services.errors import ServiceError
from crm_app.services.gc_pause import paused_gc
from crm_app.services.transfer.formula_guard import restored
from crm_app.services.transfer.legacy_text import best_reading

FORMATS = (".xlsx", ".xls", ".ods", ".csv", ".vcf")
MAX_BYTES = 50 * 1024 * 1024
_HEADER_SCAN = 10


class FileUnreadable(ServiceError):
    pass


@dataclass
class Table:
    headers: list[str]
    rows: list[list[object]]
    # the spreadsheet row number (1-based) of each row, for messages and the error report
    row_numbers: list[int] = field(default_factory=list)
    encoding: str = ""  # how a text file's bytes were read ("" for a spreadsheet)


def read_table(data: bytes, filename: str) -> Table:
    with paused_gc():
        return _read_table(data, filename)


def _read_table(data: bytes, filename: str) -> Table:
    suffix = Path(filename).suffix.lower()
    if suffix not in FORMATS:
        raise FileUnreadable("err.import_format", formats=", ".join(FORMATS))
    if not data:
        raise FileUnreadable("err.import_empty")
    if len(data) > MAX_BYTES:
        raise FileUnreadable("err.import_too_big", mb=MAX_BYTES // (1024 * 1024))
    if suffix == ".csv" and data.startswith(_SHEET_STARTS):
        table = _renamed_sheet(data, filename)  # a spreadsheet saved or renamed as .csv
    elif suffix in (".vcf", ".csv"):
        text, encoding = decode_text(data)
        if data.startswith(_BINARY_STARTS) or _binary(text[:4000]):
            raise FileUnreadable("err.import_not_text", name=Path(filename).name[:80])
        table = read_vcards(text) if suffix == ".vcf" else _from_grid(read_csv_grid(text), [])
        table.encoding = encoding
    else:
        table = _read_workbook(data, suffix)
    if not table.headers or not table.rows:
        raise FileUnreadable("err.import_empty")
    return table


# --- spreadsheets ------------------------------------------------------------------------------


def _read_workbook(data: bytes, suffix: str) -> Table:
    try:
        # calamine tells the format by the file name: read from a private temporary copy
        with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
            tmp.write(data)
            tmp.flush()
            book = CalamineWorkbook.from_path(tmp.name)
            sheet = book.get_sheet_by_index(0)
            grid = sheet.to_python(skip_empty_area=False)
            merged = sheet.merged_cell_ranges or []
    except Exception as exc:
        raise FileUnreadable("err.import_unreadable") from exc
    return _from_grid(grid, merged)


_SHEET_STARTS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # a zip (.xlsx, .ods) or an old Office file (.xls)


def _renamed_sheet(data: bytes, filename: str) -> Table:
    """A file named .csv that is a spreadsheet, read as the spreadsheet it is."""
    for suffix in (".xlsx", ".ods") if data.startswith(b"PK") else (".xls",):
        try:
            return _read_workbook(data, suffix)
        except FileUnreadable:
            continue
    raise FileUnreadable("err.import_not_text", name=Path(filename).name[:80])


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _header_index(grid: list[list[object]]) -> int:
    """The first row with at least half as many filled cells as the fullest of the first rows:
    a title row (one merged cell) above the header is skipped."""
    scan = [(i, sum(not _blank(v) for v in row)) for i, row in enumerate(grid[:50]) if any(not _blank(v) for v in row)]
    scan = scan[:_HEADER_SCAN]
    if not scan:
        return 0
    widest = max(n for _, n in scan)
    return next(i for i, n in scan if n >= max(1, widest // 2))


def _from_grid(grid: list[list[object]], merged: list) -> Table:
    if not grid:
        return Table([], [])
    top = _header_index(grid)
    width = max(len(r) for r in grid)
    raw = [grid[top][i] if i < len(grid[top]) else None for i in range(width)]
    headers = [re.sub(r"\s+", " ", str(h)).strip().rstrip("*").strip() if not _blank(h) else "" for h in raw]
    for (r0, c0), (r1, c1) in merged:  # a header merged over several columns names each of them
        if r0 <= top <= r1:
            for c in range(c0 + 1, min(c1, width - 1) + 1):
                headers[c] = headers[c] or headers[c0]
    rows, numbers = [], []
    for index in range(top + 1, len(grid)):
        row = grid[index]
        if all(_blank(v) for v in row):
            continue
        cells = [restored(v.strip()) if isinstance(v, str) else v for v in row] + [None] * (width - len(row))
        rows.append(cells[:width])
        numbers.append(index + 1)
    # drop trailing columns that have neither a header nor any value
    while headers and not headers[-1] and all(_blank(r[len(headers) - 1]) for r in rows):
        headers.pop()
        for r in rows:
            r.pop()
    return Table(headers, rows, numbers)


# --- text files --------------------------------------------------------------------------------

# The first bytes of files that are no text (a PDF, pictures, archives, Office documents): said
# so, not read as CSV or vCards.
_BINARY_STARTS = (*_SHEET_STARTS, b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"Rar!")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffd]")  # (a vertical tab is a line break in some exports)


def _binary(head: str) -> bool:
    """Control characters (or bytes no encoding could read) in a text's head: a text file holds
    none, a binary file read as text many."""
    return len(_CONTROL.findall(head)) > max(2, len(head) // 100)


def decode_text(data: bytes) -> tuple[str, str]:
    """The text of a CSV or vCard file and the encoding it was read in: a BOM, UTF-16 without
    one, UTF-8 by strict decoding, else the legacy reading most like Vietnamese (legacy_text)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    head = data[:4000]
    if head.count(b"\x00") > len(head) // 4:  # UTF-16 without BOM: every other byte is NUL
        even_nuls = head[0::2].count(b"\x00")
        return data.decode("utf-16-be" if even_nuls > len(head) // 4 else "utf-16-le", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return best_reading(data)


def read_csv_grid(text: str) -> list[list[object]]:
    """The rows of a CSV text. Lines may end in LF, CRLF or a lone CR (Excel for Mac); in a file
    of LF or CRLF lines, a lone CR inside a line is a space. A quote left open runs to the end of
    the file, which would make one cell of every row after it: refused, naming its line."""
    text = text.replace("\r", "\n") if "\n" not in text else _LONE_CR.sub(" ", text)
    sample = text[:8192]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows: list[list[object]] = []
    start = 1  # the line the row being read starts on
    try:
        for row in reader:
            rows.append(list(row))
            start, last_start = reader.line_num + 1, start
    except csv.Error as exc:
        raise FileUnreadable("err.import_csv_line", line=start) from exc
    if rows and any("\n" in cell for cell in rows[-1]) and _open_quote(text, last_start, delimiter):
        raise FileUnreadable("err.import_csv_quote", line=last_start)
    return rows


_LONE_CR = re.compile(r"\r(?!\n)")


def _open_quote(text: str, line: int, delimiter: str) -> bool:
    """Whether the rows from ``line`` on end inside a quoted cell (a quote never closed)."""
    tail = "\n".join(text.split("\n")[line - 1 :])
    try:
        for _row in csv.reader(io.StringIO(tail), delimiter=delimiter, strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


# --- vCards ------------------------------------------------------------------------------------

# In Vietnamese, the language of the product, so that the mapping step shows them as such and a
# value kept in a note ("Email khác: …") reads as the rest of it. A customer takes its phones in
# column order, so the first column lists every phone, the preferred first (PREF, else the first
# mobile); a contact or a lead takes the mobile and the desk phone, the rest going to its note.
VCARD_HEADERS = [
    "Họ và tên",
    "Tất cả số điện thoại",
    "Di động",
    "Điện thoại",
    "Điện thoại khác",
    "Email",
    "Email khác",
    "Công ty",
    "Chức vụ",
    "Địa chỉ",
    "Tỉnh/Thành phố",
    "Quốc gia",
    "Ngày sinh",
    "Giới tính",
    "Website",
    "Ghi chú",
]


def _unfold(text: str) -> list[str]:
    """Logical lines: folded lines (leading space or tab) joined, and vCard 2.1
    quoted-printable soft line breaks (a line ending in '=') too."""
    lines: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if lines and line[:1] in (" ", "\t"):
            lines[-1] += line[1:]
        elif lines and lines[-1].endswith("=") and "QUOTED-PRINTABLE" in lines[-1].split(":", 1)[0].upper():
            lines[-1] = lines[-1][:-1] + line
        else:
            lines.append(line)
    return [line for line in lines if line.strip()]


def _unescape(value: str) -> str:
    return re.sub(r"\\([\\,;nN])", lambda m: "\n" if m[1] in "nN" else m[1], value)


def _split(value: str, sep: str = ";") -> list[str]:
    return [_unescape(p).strip() for p in re.split(rf"(?<!\\){sep}", value)]


def _property(line: str) -> tuple[str, dict[str, str], str] | None:
    if ":" not in line:
        return None
    head, value = line.split(":", 1)
    name, *params = head.split(";")
    name = name.split(".")[-1].upper()  # "item1.TEL" -> TEL
    options: dict[str, str] = {}
    for p in params:
        key, _, val = p.partition("=")
        if not val:  # vCard 2.1: TEL;CELL;VOICE, or a bare QUOTED-PRINTABLE
            key, val = ("ENCODING", key) if key.upper() in ("QUOTED-PRINTABLE", "BASE64") else ("TYPE", key)
        key = key.upper()
        val = val.strip('"')
        options[key] = f"{options[key]},{val}" if key == "TYPE" and key in options else val
    if options.get("ENCODING", "").upper() == "QUOTED-PRINTABLE":
        raw = quopri.decodestring(value.encode("latin-1", errors="replace"))
        value = raw.decode(options.get("CHARSET", "utf-8"), errors="replace")
    return name, options, value


def read_vcards(text: str) -> Table:
    rows, numbers = [], []
    card: dict[str, list[tuple[dict[str, str], str]]] | None = None
    for line in _unfold(text):
        prop = _property(line)
        if prop is None:
            continue
        name, options, value = prop
        if name == "BEGIN" and value.strip().upper() == "VCARD":
            card = {}
        elif name == "END" and card is not None:
            rows.append(_card_row(card))
            numbers.append(len(rows))  # a card is named by its place among the cards, not by a line
            card = None
        elif card is not None and options.get("ENCODING", "").upper() not in ("BASE64", "B"):
            card.setdefault(name, []).append((options, value))
    return Table(list(VCARD_HEADERS), rows, numbers)


def _preferred_first(card: dict, name: str) -> list[tuple[str, bool, bool]]:
    """The values of a property, the preferred first (vCard 4.0 PREF=1 before PREF=2 …, TYPE=pref,
    vCard 2.1 PREF), each with whether it is a mobile (TYPE=CELL) and whether it was marked
    preferred."""
    found = []
    for options, value in card.get(name, []):
        text = _unescape(value).strip().removeprefix("tel:").removeprefix("mailto:")  # vCard 4.0 URIs
        types = options.get("TYPE", "").upper().split(",")
        pref = options.get("PREF", "").strip()
        rank = int(pref) if pref.isdigit() and pref != "0" else (1 if "PREF" in types else _NOT_PREFERRED)
        if text:
            found.append((rank, (text, "CELL" in types, rank < _NOT_PREFERRED)))
    return [value for _rank, value in sorted(found, key=lambda v: v[0])]


_NOT_PREFERRED = 101  # vCard 4.0 ranks a preference from 1 (most) to 100


def _card_row(card: dict[str, list[tuple[dict[str, str], str]]]) -> list[object]:
    def first(name: str) -> str:
        return _unescape(card[name][0][1]).strip() if name in card else ""

    full_name = first("FN")
    if not full_name and "N" in card:  # family; given; middle: Vietnamese order is family middle given
        family, given, middle = ([*_split(card["N"][0][1]), "", "", ""])[:3]
        full_name = " ".join(p for p in (family, middle, given) if p)
    adr = (_split(card["ADR"][0][1]) + [""] * 7)[:7] if "ADR" in card else [""] * 7
    gender = first("GENDER").split(";")[0].upper()
    # Mobile: the preferred mobile, else the first; Phone: the same of the other phones; the rest
    # go to "Điện thoại khác". E-mails likewise: nothing of a card is dropped.
    phones = _preferred_first(card, "TEL")
    lead = next((p for p in phones if p[2]), None) or next((p for p in phones if p[1]), None)
    in_order = ([lead] if lead else []) + [p for p in phones if p is not lead]
    mobile = next((text for text, cell, _pref in phones if cell), "")
    desk = next((text for text, cell, _pref in phones if not cell), "")
    emails = [text for text, _cell, _pref in _preferred_first(card, "EMAIL")]
    # ADR: post box; extended; street; locality; region; postal code; country
    street, locality, region = ", ".join(p for p in (adr[2], adr[1]) if p), adr[3], adr[4]
    return [
        full_name,
        ", ".join(text for text, _cell, _pref in in_order),
        mobile,
        desk,
        ", ".join(text for text, _cell, _pref in phones if text not in (mobile, desk)),
        emails[0] if emails else "",
        ", ".join(emails[1:]),
        _split(card["ORG"][0][1])[0] if "ORG" in card else "",
        first("TITLE"),
        ", ".join(p for p in (street, locality if region else "") if p),
        region or locality,
        adr[6],
        _vcard_date(first("BDAY")),
        {"M": "Nam", "F": "Nữ", "O": "Khác"}.get(gender, ""),
        first("URL"),
        first("NOTE"),
    ]


def _vcard_date(value: str) -> str:
    digits = value.replace("-", "")[:8]
    if len(digits) == 8 and digits.isdigit():
        return f"{digits[:4]}-{digits[4:6]}-{digits[6:8]}"
    return value

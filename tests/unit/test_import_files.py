"""Reading import files: every format, encodings, messy sheets; values as people type them; mapping."""

from __future__ import annotations

import io
import unicodedata
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from crm_app.services.transfer import import_values as iv
from crm_app.services.transfer.import_files import FileUnreadable, decode_text, read_table
from crm_app.services.transfer.import_mapping import auto_map
from crm_app.services.transfer.import_targets import TARGETS
from crm_app.services.transfer.xlsx_writer import XlsxWriter


def xlsx_bytes(rows: list[list], merges: tuple[str, ...] = ()) -> bytes:
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    for m in merges:
        ws.merge_cells(m)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_messy_sheet():
    data = xlsx_bytes(
        [
            ["DANH SÁCH KHÁCH HÀNG THÁNG 11"],
            ["Họ và tên ", "Điện thoại", None, "Email", "Ngày sinh"],
            ["  Nguyễn Văn An  ", 912345678, "0987 654 321", "an@congty.vn ", "12/03/1990"],
            [None, None, None, None, None],
            ["Trần Thị Bình", "0901234567", None, "binh@congty.vn", datetime(1985, 7, 1)],
            ["Trần Thị Bình", "0901234567", None, "binh@congty.vn", datetime(1985, 7, 1)],
            ["Lê Văn C", "0911111111", None, "c@congty.vn", "31/02/1990"],
        ],
        merges=("A1:E1", "B2:C2"),
    )
    table = read_table(data, "khach.xlsx")
    assert table.headers == ["Họ và tên", "Điện thoại", "Điện thoại", "Email", "Ngày sinh"]
    assert table.row_numbers == [3, 5, 6, 7]  # the blank row is dropped, numbers stay the file's
    assert table.rows[0][0] == "Nguyễn Văn An" and table.rows[0][3] == "an@congty.vn"
    assert iv.parse_phones(table.rows[0][1]) == "0912345678"  # the lost leading zero
    assert iv.parse_date(table.rows[1][4]) == "1985-07-01"
    with pytest.raises(ValueError):
        iv.parse_date(table.rows[3][4])  # 31 February


def cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows software writes it: base letters (â, ơ, ư...) precomposed,
    tone marks as combining characters."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        letter, *marks = unicodedata.normalize("NFD", ch)
        shape = "".join(m for m in marks if m in "\u0302\u0306\u031b")  # â ă ơ ư are single bytes
        tones = "".join(m for m in marks if m not in shape)
        out += unicodedata.normalize("NFC", letter + shape).encode("cp1258") + tones.encode("cp1258")
    return out


def test_csv_encodings_and_delimiters():
    text = "Họ và tên;SĐT;Email\nNguyễn Văn Đức;0912 345 678;duc@x.vn\n"
    for encoded in (
        text.encode("utf-8"),
        b"\xef\xbb\xbf" + text.encode("utf-8"),
        text.encode("utf-16"),
        text.encode("utf-16-le"),
        cp1258(text),
    ):
        table = read_table(encoded, "a.csv")
        assert table.headers == ["Họ và tên", "SĐT", "Email"], encoded[:8]
        assert table.rows[0][0] == "Nguyễn Văn Đức"
    western = "Name,Phone,City\nJosé Müller,0912345678,Zürich\n"
    table = read_table(western.encode("cp1252"), "b.csv")
    assert table.rows[0] == ["José Müller", "0912345678", "Zürich"]
    tabbed = read_table(b"Name\tPhone\nAn\t0912345678\n", "c.csv")
    assert tabbed.headers == ["Name", "Phone"]


def test_csv_line_ends_of_every_kind():
    mac = read_table("Họ và tên,SĐT\rMac Một,0917000001\rMac Hai,0917000002\r".encode(), "mac.csv")
    assert mac.rows == [["Mac Một", "0917000001"], ["Mac Hai", "0917000002"]]
    assert mac.row_numbers == [2, 3]
    # a lone CR inside a line of a CRLF file is a space, not a new row
    mixed = read_table("Họ và tên,Ghi chú\r\nAn,dòng a\rdòng b\r\nBình,x\r\n".encode(), "mixed.csv")
    assert mixed.rows == [["An", "dòng a dòng b"], ["Bình", "x"]]
    # a quoted cell of several lines stays one cell, last row included; a lone quote mid-cell is text
    lines = read_table('Họ và tên,Ghi chú\nAn,"hai\ndòng"\nBình,màn 5" lớn\nChi,"ba\nhai\nmột"\n'.encode(), "m.csv")
    assert lines.rows == [["An", "hai\ndòng"], ["Bình", 'màn 5" lớn'], ["Chi", "ba\nhai\nmột"]]
    assert lines.row_numbers == [2, 3, 4]


def test_a_quote_never_closed_is_refused_by_its_line():
    text = 'Họ và tên;SĐT;Email\nAn;0917000020;a@x.vn\n"Quote Một;0917000021;q1@x.vn\nQuote Hai;0917000022;q2@x.vn\n'
    with pytest.raises(FileUnreadable) as refused:
        read_table(text.encode(), "q.csv")
    assert refused.value.key == "err.import_csv_quote" and refused.value.params == {"line": 3}


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 5 >>\nstream\nabc\nendstream",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
        b"PK\x03\x04\x14\x00\x00\x00broken zip",
        bytes(range(256)) * 20,
    ],
    ids=["pdf", "png", "zip", "bytes"],
)
def test_a_binary_file_named_csv_or_vcf_is_refused_by_name(data):
    for name in ("khach hang.csv", "danh ba.vcf"):
        with pytest.raises(FileUnreadable) as refused:
            read_table(data, name)
        assert refused.value.key == "err.import_not_text" and refused.value.params == {"name": name}


def test_a_spreadsheet_saved_as_csv_is_read_as_the_spreadsheet_it_is():
    table = read_table(xlsx_bytes([["Họ và tên", "SĐT"], ["An", "0912345678"]]), "xuat-tu-excel.csv")
    assert table.headers == ["Họ và tên", "SĐT"] and table.rows == [["An", "0912345678"]]


def test_cp1258_is_told_from_cp1252():
    text = "Trần Thị Hương, Hà Nội, Đà Nẵng, Nguyễn Thị Thủy"
    assert decode_text(cp1258(text)) == (text, "windows-1258")


# The same file as old Vietnamese software wrote it: in TCVN3 (ABC fonts) and in VNI-Windows.
LEGACY_TEXT = (
    "Họ và tên,Điện thoại,Địa chỉ\nNguyễn Văn Đức,0912345678,Quảng Ngãi\nTrần Thị Ngọc Yến,0987654321,Thừa Thiên Huế\n"
)
LEGACY_FILES = {
    "tcvn3": (
        "Hä vµ tªn,§iÖn tho¹i,§Þa chØ\nNguyÔn V¨n §øc,0912345678,Qu¶ng Ng·i\n"
        "TrÇn ThÞ Ngäc YÕn,0987654321,Thõa Thiªn HuÕ\n"
    ).encode("latin-1"),
    "vni": (
        "Hoï vaø teân,Ñieän thoaïi,Ñòa chæ\nNguyeãn Vaên Ñöùc,0912345678,Quaûng Ngaõi\n"
        "Traàn Thò Ngoïc Yeán,0987654321,Thöøa Thieân Hueá\n"
    ).encode("cp1252"),
}


@pytest.mark.parametrize("encoding", LEGACY_FILES)
def test_files_of_legacy_vietnamese_encodings_are_read_as_unicode(encoding):
    assert decode_text(LEGACY_FILES[encoding]) == (LEGACY_TEXT, encoding)
    table = read_table(LEGACY_FILES[encoding], "cu.csv")
    assert table.encoding == encoding
    assert table.headers == ["Họ và tên", "Điện thoại", "Địa chỉ"]
    assert table.rows[1] == ["Trần Thị Ngọc Yến", "0987654321", "Thừa Thiên Huế"]


def test_ods_and_xls_read_through_calamine(tmp_path):
    # an .ods written by hand (a zip with content.xml) and an .xls would need other writers;
    # calamine reads the xlsx bytes under any of its names only when the content matches, so
    # a wrong file is refused with a clear error
    with pytest.raises(FileUnreadable):
        read_table(b"not a spreadsheet", "a.xls")
    with pytest.raises(FileUnreadable) as exc:
        read_table(b"x", "a.pdf")
    assert exc.value.key == "err.import_format"


def test_ods_file(tmp_path):
    import zipfile

    content = """<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 office:version="1.2"><office:body><office:spreadsheet><table:table table:name="S1"><table:table-row><table:table-cell office:value-type="string"><text:p>Họ tên</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Số điện thoại</text:p></table:table-cell></table:table-row><table:table-row><table:table-cell office:value-type="string"><text:p>Phạm Minh</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="912000111"><text:p>912000111</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
        z.writestr(
            "META-INF/manifest.xml",
            """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>""",
        )
    table = read_table(buf.getvalue(), "a.ods")
    assert table.headers == ["Họ tên", "Số điện thoại"]
    assert table.rows[0][0] == "Phạm Minh" and iv.parse_phones(table.rows[0][1]) == "0912000111"


VCF = (
    "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Nguy=E1=BB=85n;An;V=C4=83n\r\n"
    "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Nguy=E1=BB=85n V=C4=83n An, C=C3=B4ng ty =\r\n"
    "ABC\r\nTEL;CELL;VOICE:0912345678\r\nTEL;WORK:+84 24 3826 1234\r\nEMAIL;INTERNET:an@abc.vn\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Trần Thị Bình\r\nN:Trần;Bình;Thị;;\r\nORG:Công ty TNHH Bình Minh;Kinh doanh\r\n"
    "TEL;TYPE=CELL:0987 654 321\r\nEMAIL;TYPE=INTERNET:binh@bm.vn\r\nADR;TYPE=WORK:;;12 Lê Lợi;Huế;;;Việt Nam\r\n"
    "NOTE:Gặp ở hội chợ\\, tháng 5\r\nBDAY:1990-05-17\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:4.0\r\nN:Lê;Cường;Văn;;\r\nTEL;VALUE=uri;TYPE=cell:tel:+84-90-111-2222\r\n"
    "TEL;VALUE=uri;TYPE=cell;PREF=1:tel:+84-90-333-4444\r\nTEL;TYPE=home:0236 3888 999\r\n"
    "TEL;TYPE=work:0236 3777 111\r\nEMAIL:cuong@le.vn\r\nEMAIL;TYPE=work;PREF=1:cuong@congty.vn\r\n"
    "EMAIL:cuong.le@gmail.com\r\nORG:Công ty Sao Khuê\r\nTITLE:Trưởng phòng\r\nGENDER:M\r\nBDAY:19880203\r\n"
    "END:VCARD\r\n"
)


def test_vcards_21_30_40():
    table = read_table(VCF.encode("utf-8"), "danh-ba.vcf")
    assert len(table.rows) == 3 and table.row_numbers == [1, 2, 3]  # cards, not lines
    first, second, third = (dict(zip(table.headers, r, strict=True)) for r in table.rows)
    assert first["Họ và tên"] == "Nguyễn Văn An, Công ty ABC"  # quoted-printable with a soft line break
    assert first["Di động"] == "0912345678" and first["Điện thoại"] == "+84 24 3826 1234"
    assert first["Tất cả số điện thoại"] == "0912345678, +84 24 3826 1234"  # no preferred: the mobile first
    assert second["Công ty"] == "Công ty TNHH Bình Minh" and second["Tỉnh/Thành phố"] == "Huế"
    assert second["Địa chỉ"] == "12 Lê Lợi"
    assert second["Ghi chú"] == "Gặp ở hội chợ, tháng 5" and second["Ngày sinh"] == "1990-05-17"
    assert third["Họ và tên"] == "Lê Văn Cường" and third["Giới tính"] == "Nam" and third["Ngày sinh"] == "1988-02-03"
    # every phone and e-mail of a card is kept, the preferred first
    assert (third["Di động"], third["Điện thoại"]) == ("+84-90-333-4444", "0236 3888 999")
    assert third["Điện thoại khác"] == "+84-90-111-2222, 0236 3777 111"
    assert third["Tất cả số điện thoại"].startswith("+84-90-333-4444, ")
    assert (third["Email"], third["Email khác"]) == ("cuong@congty.vn", "cuong@le.vn, cuong.le@gmail.com")
    assert (third["Công ty"], third["Chức vụ"]) == ("Công ty Sao Khuê", "Trưởng phòng")


def test_vcard_40_ranks_preferences_one_first():
    card = (
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Tạ Ba\r\nEMAIL;PREF=2:b@x.vn\r\nEMAIL:c@x.vn\r\nEMAIL;PREF=1:a@x.vn\r\n"
        "TEL;TYPE=cell;PREF=3:0903000003\r\nTEL;TYPE=work;PREF=1:0283000001\r\nEND:VCARD\r\n"
    )
    row = dict(zip(*(lambda t: (t.headers, t.rows[0]))(read_table(card.encode(), "c.vcf")), strict=True))
    assert (row["Email"], row["Email khác"]) == ("a@x.vn", "b@x.vn, c@x.vn")
    assert row["Tất cả số điện thoại"] == "0283000001, 0903000003"


def test_a_vcard_address_keeps_its_district_and_city():
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bà Tư\r\nADR:;;12 Lê Lợi;Quận 1;TP.HCM;;Việt Nam\r\nEND:VCARD\r\n"
    row = dict(zip(*(lambda t: (t.headers, t.rows[0]))(read_table(card.encode(), "a.vcf")), strict=True))
    assert (row["Địa chỉ"], row["Tỉnh/Thành phố"], row["Quốc gia"]) == ("12 Lê Lợi, Quận 1", "TP.HCM", "Việt Nam")


def test_a_preferred_desk_phone_leads_a_customers_phones():
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ông Năm\r\nTEL;TYPE=CELL:0903 222 001\r\n"
        "TEL;TYPE=WORK,pref:028 3822 2002\r\nEND:VCARD\r\n"
    )
    table = read_table(card.encode(), "b.vcf")
    assert dict(zip(table.headers, table.rows[0], strict=True))["Tất cả số điện thoại"] == (
        "028 3822 2002, 0903 222 001"
    )


def test_values_as_typed():
    assert iv.parse_date("05/11/2024") == "2024-11-05"
    assert iv.parse_date("5-11-24") == "2024-11-05"
    assert iv.parse_date(45000) == "2023-03-15"  # an Excel serial
    assert iv.parse_date("2024-11-05") == "2024-11-05"
    assert iv.parse_date(date(2020, 1, 2)) == "2020-01-02"
    with pytest.raises(ValueError):
        iv.parse_date("hôm qua")
    assert iv.parse_number("1.234.567,5") == "1234567.5"
    assert iv.parse_number("1,234,567.5") == "1234567.5"
    assert iv.parse_number("4") == "4" and iv.parse_number(3.0) == "3"
    with pytest.raises(ValueError):
        iv.parse_number("bốn")

    assert iv.parse_phones(912345678.0) == "0912345678"
    assert iv.parse_phones("912345678") == "0912345678"
    assert iv.parse_phones("0912.345.678; +84 987 654 321") == "0912.345.678, +84 987 654 321"
    assert iv.parse_bool("Có") == "1" and iv.parse_bool("Không") == "" and iv.parse_bool("x") == "1"
    with pytest.raises(ValueError):
        iv.parse_bool("có lẽ")
    assert iv.parse_gender("Nữ") == "female" and iv.parse_gender("nam") == "male" and iv.parse_gender("") == ""


def test_auto_map_vietnamese_and_english_headers():
    target = TARGETS["customer"]
    headers = [
        "Họ và tên",
        "SĐT",
        "Điện thoại di động",
        "E-mail",
        "Ngay sinh",
        "Gioi tinh",
        "Mã số thuế",
        "Tỉnh/Thành phố",
        "Nguồn gốc",
        "Cột lạ",
    ]
    mapping = auto_map(headers, target)
    assert mapping == {
        0: "full_name",
        1: "phones",
        2: "phones",
        3: "email",
        4: "birthday",
        5: "gender",
        6: "tax_code",
        7: "province",
        8: "source_id",
    }
    english = auto_map(["Full name", "Phone", "Email", "Ho va ten"], target)
    assert english[0] == "full_name" and english[1] == "phones" and 3 not in english


def test_xlsx_writer_is_read_back(tmp_path):
    path = tmp_path / "x.xlsx"
    with XlsxWriter(str(path)) as book:
        book.sheet("Dữ liệu", ["Tên", "Số"], [["A & <B>", 12], ["Đ\x01", None]])
        book.sheet("Hai", ["x"], [])
    wb = load_workbook(path)
    assert wb.sheetnames == ["Dữ liệu", "Hai"]
    assert [list(r) for r in wb["Dữ liệu"].iter_rows(values_only=True)] == [["Tên", "Số"], ["A & <B>", 12], ["Đ", None]]


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("1.500", "1500"),  # a Vietnamese thousands dot
        ("1.500,5", "1500.5"),
        ("1,5", "1.5"),  # a Vietnamese decimal comma
        ("0,25", "0.25"),
        ("1.234.567", "1234567"),
        ("1,234,567", "1234567"),  # English grouping is read too
        ("1,234,567.5", "1234567.5"),
        ("1.5", "1.5"),
        ("-1.500", "-1500"),
        ("15.000.000 đ", "15000000"),
        ("12.900.000 ₫", "12900000"),
        ("2.500.000 VND", "2500000"),
        ("1 500 000", "1500000"),
    ],
)
def test_numbers_as_vietnamese_people_type_them(typed, read):
    assert iv.parse_number(typed) == read


@pytest.mark.parametrize(
    ("typed", "key"), [("1,500", "err.import_ambiguous_number"), ("12a", "err.import_invalid_number")]
)
def test_an_ambiguous_or_unreadable_number_is_refused_by_name(typed, key):
    with pytest.raises(ValueError) as exc:
        iv.parse_number(typed)
    assert exc.value.args[0] == key


def test_money_is_whole_dong():
    assert iv.parse_money("15.000.000 đ") == "15000000" and iv.parse_money(2500000.0) == "2500000"
    with pytest.raises(ValueError) as exc:
        iv.parse_money("1.500,5")
    assert exc.value.args[0] == "err.import_invalid_money"

"""Normalisation of Vietnamese names, phones and emails (search and the duplicate rule rely on it)."""

import unicodedata

import pytest

from crm_app.services.normalize import (
    is_valid_email,
    is_valid_phone,
    normalize_email,
    normalize_name,
    normalize_phone,
    search_terms,
)

# --- names -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Nguyễn Văn An", "nguyen van an"),
        ("Đặng Thị Đào", "dang thi dao"),
        ("đĐ", "dd"),
        ("ĐỖ ĐỨC ĐẠT", "do duc dat"),
        ("Ðà Nẵng", "da nang"),  # Ð (U+00D0), put for Đ by older fonts and converted files
        ("ðặng ÐỨC", "dang duc"),
        ("Trần Thị Bình", "tran thi binh"),
        ("Phạm Ngọc Hưởng", "pham ngoc huong"),
        ("Công ty TNHH Thương mại Sài Gòn", "cong ty tnhh thuong mai sai gon"),
        ("nguyen van an", "nguyen van an"),
        ("NGUYEN VAN AN", "nguyen van an"),
    ],
)
def test_name_drops_diacritics_and_case(raw, expected):
    assert normalize_name(raw) == expected


def test_name_vowels_with_two_marks():
    # circumflex/breve/horn plus a tone mark
    assert normalize_name("ễ ộ ữ ậ ẫ ờ ặ ẳ ử ự ỡ ế") == "e o u a a o a a u u o e"
    assert normalize_name("Ễ Ộ Ữ Ậ Ẫ Ờ Ặ Ẳ Ử Ự Ỡ Ế") == "e o u a a o a a u u o e"
    assert normalize_name("Nguyễn Thị Ngọc Bích Phượng") == "nguyen thi ngoc bich phuong"
    assert normalize_name("Lữ Thị Hậu") == "lu thi hau"


def test_name_composed_and_decomposed_input_agree():
    composed = "Nguyễn Hữu Lộc"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    assert normalize_name(composed) == normalize_name(decomposed) == "nguyen huu loc"


@pytest.mark.parametrize(
    "raw",
    [
        "  Nguyễn Văn An  ",
        "Nguyễn    Văn An",
        "Nguyễn\tVăn\t\tAn",
        "\n Nguyễn \t Văn \n An \r\n",
        "NGUYỄN văn AN",
    ],
)
def test_name_spaces_and_tabs_fold(raw):
    assert normalize_name(raw) == "nguyen van an"


@pytest.mark.parametrize("raw", ["", "   ", "\t\n", None])
def test_name_empty(raw):
    assert normalize_name(raw) == ""


def test_name_keeps_other_characters():
    assert normalize_name("Công ty A&B (Việt Nam) - 2024") == "cong ty a&b (viet nam) - 2024"


# --- phones ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "0912345678",
        "+84912345678",
        "+84 912 345 678",
        "84912345678",
        "0084912345678",
        "00 84 912 345 678",
        "0912.345.678",
        "0912-345-678",
        "0912 345 678",
        "(0912) 345-678",
        "+84 (0) 912 345 678",
        "912345678",
        "  0912345678  ",
    ],
)
def test_mobile_numbers_written_differently_are_equal(raw):
    assert normalize_phone(raw) == "0912345678"


@pytest.mark.parametrize(
    "raw",
    [
        "(028) 3822 1234",
        "028 3822 1234",
        "028.3822.1234",
        "+84 28 3822 1234",
        "+84-28-3822-1234",
        "0084 28 3822 1234",
        "842838221234",
    ],
)
def test_landline(raw):
    assert normalize_phone(raw) == "02838221234"


def test_foreign_numbers_keep_their_country_code():
    assert normalize_phone("+1 (415) 555-0100") == "0014155550100"
    assert normalize_phone("0033 1 23 45 67 89") == "0033123456789"
    assert normalize_phone("+33 1 23 45 67 89") == "0033123456789"
    # never the same as a national number with the same digits
    assert normalize_phone("+1 912 345 678") != normalize_phone("0912345678")


@pytest.mark.parametrize("raw", ["", "   ", None, "không có", "---"])
def test_phone_without_digits_is_empty(raw):
    assert normalize_phone(raw) == ""


@pytest.mark.parametrize(
    ("raw", "ok"),
    [
        ("0912345678", True),
        ("+84 912 345 678", True),
        ("(028) 3822 1234", True),
        ("+1 (415) 555-0100", True),
        ("(+84) 24 3825 9999", True),  # as printed on cards and letterheads
        ("(+84) 864 112 585", True),
        ("0912abc678", False),
        ("12345", False),
        ("091234", False),
        ("0912345678901234567", False),
        ("", False),
        ("số 0912345678", False),
    ],
)
def test_phone_validity(raw, ok):
    assert is_valid_phone(raw) is ok


# --- emails ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("An.Nguyen@Example.COM", "an.nguyen@example.com"),
        ("  an@congty.vn  ", "an@congty.vn"),
        ("\tBINH@CONGTY.COM.VN\n", "binh@congty.com.vn"),
        ("", ""),
        (None, ""),
    ],
)
def test_email_lower_case_and_trimmed(raw, expected):
    assert normalize_email(raw) == expected


@pytest.mark.parametrize(
    ("raw", "ok"),
    [
        ("an@congty.vn", True),
        ("an.nguyen+crm@mail.congty.com.vn", True),
        ("ancongty.vn", False),
        ("an@@congty.vn", False),
        ("an@cong@ty.vn", False),
        ("an nguyen@congty.vn", False),
        ("an@congty", False),
        ("an@.vn", False),
        ("@congty.vn", False),
        ("an@congty.", False),
    ],
)
def test_email_validity(raw, ok):
    assert is_valid_email(raw) is ok


# --- search terms ------------------------------------------------------------------------------------


def test_search_terms_for_a_name():
    assert search_terms("  Nguyễn   Văn ") == {"name": "nguyen van"}


def test_search_terms_for_a_full_phone():
    for typed in ("0912 345 678", "+84 912 345 678", "0912.345.678", "84912345678", "(+84) 912 345 678"):
        terms = search_terms(typed)
        assert terms["phone"] == "0912345678", typed
        assert "email" not in terms and "code" not in terms


def test_search_terms_for_a_partial_phone():
    assert search_terms("0912 34")["phone"] == "091234"
    assert search_terms("912 345")["phone"] == "912345"
    # a country code is read even before the number is complete
    assert search_terms("+84 912 345")["phone"] == "0912345"
    assert search_terms("0084 91")["phone"] == "091"
    assert search_terms("+1 415 55")["phone"] == "00141555"
    assert search_terms("(+1) 415 55")["phone"] == "00141555"
    assert search_terms("(+84) 24 38")["phone"] == "02438"
    assert "phone" not in search_terms("09")  # too short to mean a phone
    # the start of an old 11-digit mobile number, as stored today (0168 -> 038)
    assert search_terms("0168 123")["phone"] == "038123"
    assert search_terms("+84 168 12")["phone"] == "03812"
    assert search_terms("0168")["phone"] == "038"
    assert search_terms("0168 123 4567")["phone"] == "0381234567"


def test_search_terms_for_an_email():
    terms = search_terms(" An.Nguyen@Congty.VN ")
    assert terms["email"] == "an.nguyen@congty.vn"
    assert "phone" not in terms
    assert search_terms("an.nguyen@")["email"] == "an.nguyen@"


def test_search_terms_for_a_code():
    terms = search_terms("kh000123")
    assert terms["code"] == "KH000123"
    assert terms["name"] == "kh000123"
    assert search_terms("KH42")["code"] == "KH42"
    assert "code" not in search_terms("khach")


def test_search_terms_empty():
    assert search_terms("") == {}
    assert search_terms("   ") == {}
    assert search_terms(None) == {}

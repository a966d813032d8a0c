"""The provinces and wards of 1 July 2025: every old province read as the one it is part of,
wards of the province only, forms, bulk updates and imports storing codes, stored text migrated."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command

from crm_app.db import alembic_config, make_engine
from crm_app.models import AuditLog, Customer
from crm_app.services import places
from crm_app.services.customer import contacts, customers
from crm_app.services.errors import ValidationFailed
from crm_app.services.lists import bulk
from crm_app.services.lists.bulk import Action, Selection
from crm_app.services.transfer import import_targets, importer
from crm_app.services.transfer.import_files import Table
from crm_app.services.transfer.import_mapping import auto_map
from crm_app.services.transfer.importer import ImportOptions
from tests.unit.factories import make_customer, reloaded

# The 63 provinces before the reform (their usual spellings) and the code of the one each is in.
OLD_63 = {
    "Hà Nội": "01", "Hà Giang": "08", "Cao Bằng": "04", "Bắc Kạn": "19", "Tuyên Quang": "08", "Lào Cai": "15",
    "Điện Biên": "11", "Lai Châu": "12", "Sơn La": "14", "Yên Bái": "15", "Hòa Bình": "25", "Thái Nguyên": "19",
    "Lạng Sơn": "20", "Quảng Ninh": "22", "Bắc Giang": "24", "Phú Thọ": "25", "Vĩnh Phúc": "25", "Bắc Ninh": "24",
    "Hải Dương": "31", "Hải Phòng": "31", "Hưng Yên": "33", "Thái Bình": "33", "Hà Nam": "37", "Nam Định": "37",
    "Ninh Bình": "37", "Thanh Hóa": "38", "Nghệ An": "40", "Hà Tĩnh": "42", "Quảng Bình": "44", "Quảng Trị": "44",
    "Thừa Thiên Huế": "46", "Đà Nẵng": "48", "Quảng Nam": "48", "Quảng Ngãi": "51", "Bình Định": "52",
    "Phú Yên": "66", "Khánh Hòa": "56", "Ninh Thuận": "56", "Bình Thuận": "68", "Kon Tum": "51", "Gia Lai": "52",
    "Đắk Lắk": "66", "Đắk Nông": "68", "Lâm Đồng": "68", "Bình Phước": "75", "Tây Ninh": "80", "Bình Dương": "79",
    "Đồng Nai": "75", "Bà Rịa - Vũng Tàu": "79", "TP. Hồ Chí Minh": "79", "Long An": "80", "Tiền Giang": "82",
    "Bến Tre": "86", "Trà Vinh": "86", "Vĩnh Long": "86", "Đồng Tháp": "82", "An Giang": "91", "Kiên Giang": "91",
    "Cần Thơ": "92", "Hậu Giang": "92", "Sóc Trăng": "92", "Bạc Liêu": "96", "Cà Mau": "96",
}  # fmt: skip


def test_the_catalog_has_the_34_units_of_2025():
    assert len(places.PROVINCES) == 34 and len(set(places.PROVINCE_CODES)) == 34
    assert places.province_label("79") == "TP. Hồ Chí Minh" and places.province_label("01") == "Hà Nội"
    assert sum(len(places.wards_of(code)) for code in places.PROVINCE_CODES) == 3321
    names = [name for _, name in places.PROVINCES]  # by the name a user looks for
    assert names.index("Hà Nội") < names.index("Hải Phòng") < names.index("TP. Hồ Chí Minh") < names.index("Huế")


@pytest.mark.parametrize(("old", "code"), sorted(OLD_63.items()))
def test_each_of_the_63_old_provinces_reads_as_the_one_it_is_part_of(old, code):
    assert len(OLD_63) == 63
    assert places.province_code(old) == code
    assert places.province_code(f"Tỉnh {old}") == code
    assert places.province_code(places.normalize_name(old)) == code  # without diacritics


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("TP.HCM", "79"),
        ("Thành phố Hồ Chí Minh", "79"),
        ("ho chi minh city", "79"),
        ("Sài Gòn", "79"),
        ("Hà Tây", "01"),
        ("tinh ha tay", "01"),
        ("Bà Rịa – Vũng Tàu", "79"),
        ("Hanoi", "01"),
        ("TP Hà Nội", "01"),
        ("Thanh Hoá", "38"),  # the accent on the other letter
        ("Dak Lak", "66"),
        ("79", "79"),
        ("1", "01"),
        ("", ""),
        ("Quận 1", None),
        ("Paris", None),
    ],
)
def test_what_people_type_for_a_province(typed, code):
    assert places.province_code(typed) == code


def test_a_ward_is_read_within_its_province():
    ben_thanh = places.ward_code("79", "Phường Bến Thành")
    assert ben_thanh and places.ward_label(ben_thanh) == "Phường Bến Thành"
    assert places.ward_province(ben_thanh) == "79"
    for typed in ("ben thanh", "P. Bến Thành", "Bến Thành", ben_thanh):
        assert places.ward_code("79", typed) == ben_thanh
    assert places.ward_code("01", "Phường Bến Thành") is None  # a ward of another province
    assert places.ward_code("01", ben_thanh) is None
    assert places.ward_code("", "Bến Thành") is None and places.ward_code("79", "") == ""
    # two wards of Tây Ninh are "Tân Thạnh": without "Phường"/"Xã" it names neither
    tan_thanh = [name for _, name in places.wards_of("80") if places.normalize_name(name).endswith("tan thanh")]
    assert len(tan_thanh) == 2
    assert places.ward_code("80", "Tân Thạnh") is None
    assert all(places.ward_code("80", name) for name in tan_thanh)


def test_a_form_stores_codes_and_refuses_what_it_cannot_read_naming_it(session, org):
    made = customers.create(
        session, org.sales_a, {"full_name": "Bà Năm", "province": "Bình Dương", "ward": "Phường Thủ Dầu Một"}
    ).customer
    assert (made.province, places.ward_label(made.ward)) == ("79", "Phường Thủ Dầu Một")
    for data, field, key, value in (
        ({"province": "Quận Ba Đình"}, "province", "err.unknown_province", "Quận Ba Đình"),
        ({"province": "Hà Nội", "ward": "Phường Bến Thành"}, "ward", "err.unknown_ward", "Phường Bến Thành"),
        ({"ward": "Phường Bến Thành"}, "ward", "err.ward_without_province", "Phường Bến Thành"),
        # an old province's old ward: the message says the province was merged, and into which
        (
            {"province": "Bình Dương", "ward": "Phường Hiệp Thành"},
            "ward",
            "err.unknown_ward_merged",
            "Phường Hiệp Thành",
        ),
    ):
        with pytest.raises(ValidationFailed) as exc:
            customers.create(session, org.sales_a, {"full_name": "Ông Sáu", **data})
        assert exc.value.errors[field][0] == key and exc.value.errors[field][1]["value"] == value
    assert exc.value.errors["ward"][1]["merged"] == "Bình Dương → TP. Hồ Chí Minh"
    with pytest.raises(ValidationFailed):
        contacts.create(session, org.sales_a, {"full_name": "Chị Tư", "province": "Atlantis"})
    person = contacts.create(session, org.sales_a, {"full_name": "Chị Tư", "province": "Huế"})
    assert person.province == "46"


def test_a_ward_kept_as_it_was_goes_when_the_province_changes(session, org):
    customer = make_customer(session, org.sales_a, "Bà Năm", province="79", ward="Bến Thành")
    customers.update(session, org.sales_a, customer.id, {"province": "01"})  # a card moved, say
    session.commit()
    stored = reloaded(session, Customer, customer.id)
    assert (stored.province, stored.ward) == ("01", "")
    with pytest.raises(ValidationFailed) as exc:  # a ward given with it must be one of the province
        customers.update(session, org.sales_a, customer.id, {"province": "79", "ward": "Phường Hoàn Kiếm"})
    assert exc.value.errors["ward"][0] == "err.unknown_ward"


def test_a_bulk_province_change_takes_the_ward_and_the_old_text_with_it(session, org):
    a = make_customer(session, org.sales_a, "Khách A", province="79", ward="Bến Thành")
    b = make_customer(session, org.sales_a, "Khách B")
    session.execute(sa.update(Customer).where(Customer.id == b.id).values(old_province="Sài Gòn cũ"))
    session.commit()
    ward = a.ward
    result = bulk.run(
        session,
        org.manager,
        "customer",
        Selection(ids=[a.id, b.id]),
        Action(kind="update_field", field="province", value="Đà Nẵng"),
    )
    assert result.changed == 2
    rows = {c.id: (c.province, c.ward, c.old_province) for c in (reloaded(session, Customer, i) for i in (a.id, b.id))}
    assert rows == {a.id: ("48", "", ""), b.id: ("48", "", "")}
    ward_rows = session.exec(
        sa.select(AuditLog.old_value, AuditLog.new_value).where(
            AuditLog.entity_id == a.id, AuditLog.field == "ward", AuditLog.action == "update"
        )
    ).all()
    assert [tuple(r) for r in ward_rows] == [(ward, None)]


def test_stored_provinces_are_migrated_to_codes_and_the_unreadable_kept_to_fix(blank_db_url):
    cfg = alembic_config(blank_db_url)
    command.upgrade(cfg, "d0f2b4c6e8a0")
    engine = make_engine(blank_db_url)
    columns = (
        "code, full_name, name_norm, kind, status, email, email_norm, phone, phone_norm, country, province,"
        " address, tax_code, website, gender, rating, email_opt_out, do_not_call, description, archived,"
        " created_at, updated_at, notify_on_change, given_name, given_norm"
    )
    with engine.begin() as conn:
        for i, province in enumerate(("Bình Dương", "tinh ha giang", "Q. Tân Bình", "", "Hà Nội"), start=1):
            conn.execute(
                sa.text(
                    f"INSERT INTO customer (id, {columns}) VALUES (:id, :code, 'K', 'k', 'individual', 'lead',"
                    " '', '', '', '', 'Việt Nam', :province, '', '', '', '', 0, false, false, '', false,"
                    " '2026-01-01', '2026-01-01', false, 'K', 'k')"
                ),
                {"id": i, "code": f"KH{i:06d}", "province": province},
            )
    command.upgrade(cfg, "heads")
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT id, province, ward, old_province FROM customer ORDER BY id")).all()
        history = conn.execute(
            sa.text("SELECT entity_id, old_value, new_value FROM auditlog WHERE field = 'province' ORDER BY entity_id")
        ).all()
        contact_columns = {c["name"] for c in sa.inspect(conn).get_columns("contact")}
    assert [tuple(r) for r in rows] == [
        (1, "79", "", ""),
        (2, "08", "", ""),
        (3, "", "", "Q. Tân Bình"),
        (4, "", "", ""),
        (5, "01", "", ""),
    ]
    # the text as it was typed stays in the record's history
    assert [tuple(r) for r in history] == [
        (1, "Bình Dương", "79"),
        (2, "tinh ha giang", "08"),
        (3, "Q. Tân Bình", None),
    ]  # "Hà Nội" reads as it did: no history row
    assert {"province", "ward"} <= contact_columns


def test_an_import_reads_old_provinces_says_so_and_names_what_it_cannot_read(session, org):
    t = Table(
        ["Họ và tên", "Tỉnh/Thành phố", "Phường/Xã"],
        [
            ["Khách Bình Dương", "Tỉnh Bình Dương", "Thủ Dầu Một"],
            ["Khách Sài Gòn", "TP.HCM", "P. Bến Thành"],
            ["Khách Không Rõ", "Quận Tân Bình", ""],
            ["Khách Sai Phường", "Hà Nội", "Bến Thành"],
        ],
        [2, 3, 4, 5],
    )
    m = auto_map(t.headers, import_targets.TARGETS["customer"])
    assert sorted(m.values()) == ["full_name", "province", "ward"]
    analysis = importer.analyse(session, org.sales_a, "customer", t, m, ImportOptions())
    assert [v.verdict for v in analysis.verdicts] == ["new", "new", "error", "error"]
    assert analysis.verdicts[0].message("vi") == (
        "Tỉnh đã sáp nhập: Tỉnh Bình Dương → TP. Hồ Chí Minh (Nghị quyết 202/2025/QH15)"
    )
    assert "“Quận Tân Bình”" in analysis.verdicts[2].message("vi")
    assert analysis.verdicts[3].message("vi") == "Phường/Xã: “Bến Thành” không phải phường/xã nào của Hà Nội"
    run = importer.run(session, org.sales_a, "customer", t, m, ImportOptions(), "khach.csv")
    assert (run.created, run.errors) == (2, 2)
    stored = session.exec(sa.select(Customer.province, Customer.ward).order_by(Customer.id)).all()
    assert [(p, places.ward_label(w)) for p, w in stored] == [
        ("79", "Phường Thủ Dầu Một"),
        ("79", "Phường Bến Thành"),
    ]

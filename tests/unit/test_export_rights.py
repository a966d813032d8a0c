"""What each role may export, as the admin sets it: the export follows it, bad input changes nothing."""

from __future__ import annotations

import io

import pytest
from sqlmodel import select

from crm_app.models import ExportRight
from crm_app.services.errors import NotAllowed, ValidationFailed
from crm_app.services.lists import query
from crm_app.services.people import export_rights
from crm_app.services.records import history
from crm_app.services.transfer import exporter
from tests.unit.factories import changes, make_customer, make_org


@pytest.fixture
def org(session):
    return make_org(session)


def _exportable(session, actor, entity: str) -> set[str]:
    return {f.name for f in exporter.exportable(session, actor, entity)}


def test_until_the_admin_sets_them_the_registry_defaults_hold(session, org):
    sales = export_rights.of_role(session, "sales", "customer")
    assert sales.allowed and {"phones", "email"} <= sales.hidden
    assert export_rights.of_role(session, "manager", "customer").hidden == frozenset()
    assert "phones" in _exportable(session, org.admin, "customer")


def test_the_admin_lets_sales_export_phones_and_keeps_the_tax_code_from_them(session, org):
    hidden = sorted(export_rights.of_role(session, "sales", "customer").hidden - {"phones"} | {"tax_code"})
    assert export_rights.save(session, org.admin, "sales", "customer", True, hidden, "vi")
    session.commit()
    shown = _exportable(session, org.sales_a, "customer")
    assert "phones" in shown and "tax_code" not in shown
    assert "tax_code" in _exportable(session, org.manager, "customer")  # another role: unchanged
    make_customer(session, org.sales_a, full_name="Trần Văn Xuất", phones="0912 345 678")
    out = io.BytesIO()
    assert exporter.export(session, org.sales_a, query.ListSpec(entity="customer"), ["full_name", "phones"], "csv", out)
    assert "0912 345 678" in out.getvalue().decode("utf-8-sig")
    with pytest.raises(ValidationFailed) as exc:
        exporter.export(session, org.sales_a, query.ListSpec(entity="customer"), ["tax_code"], "csv", io.BytesIO())
    assert exc.value.errors["fields"][0] == "err.export_field_not_allowed"


def test_a_role_not_allowed_to_export_gets_nothing_and_is_refused(session, org):
    export_rights.save(session, org.admin, "manager", "lead", False, [], "vi")
    session.commit()
    assert _exportable(session, org.manager, "lead") == set()
    with pytest.raises(NotAllowed) as exc:
        exporter.export(session, org.manager, query.ListSpec(entity="lead"), ["full_name"], "xlsx", io.BytesIO())
    assert exc.value.key == "err.export_not_allowed"
    assert "full_name" in _exportable(session, org.manager, "customer")


def test_a_change_is_in_the_system_history_named_by_labels(session, org):
    export_rights.save(session, org.admin, "sales", "contact", False, ["email"], "vi")
    session.commit()
    row = session.exec(select(ExportRight).where(ExportRight.role == "sales")).one()
    changed = changes(session, "export_right", row.id, "update")
    assert changed["export_allowed"] == ("1", "0")
    assert changed["export_hidden"][1] == "Email"
    shown = history.of_record(session, "export_right", row.id, "vi")
    assert {r["field"] for r in shown} == {"Được xuất dữ liệu", "Trường không được xuất"}
    assert not export_rights.save(session, org.admin, "sales", "contact", False, ["email"], "vi")  # the same again


@pytest.mark.parametrize(
    ("role", "entity", "hidden", "key", "value"),
    [
        ("admin", "customer", [], "err.export_role_unknown", "admin"),  # admins always export everything
        ("boss", "customer", [], "err.export_role_unknown", "boss"),
        ("sales", "activity", [], "err.export_entity_unknown", "activity"),
        ("sales", "customer", ["password"], "err.export_field_unknown", "password"),
    ],
)
def test_bad_input_is_named_and_changes_nothing(session, org, role, entity, hidden, key, value):
    with pytest.raises(ValidationFailed) as exc:
        export_rights.save(session, org.admin, role, entity, True, hidden, "vi")
    assert next(iter(exc.value.errors.values())) == (key, {"value": value})
    assert session.exec(select(ExportRight)).all() == []


def test_only_the_admin_sets_export_rights(session, org):
    for actor in (org.manager, org.sales_a):
        with pytest.raises(NotAllowed):
            export_rights.save(session, actor, "sales", "customer", True, [], "vi")
    assert session.exec(select(ExportRight)).all() == []


def test_may_export_with_no_field_is_refused(session, org):
    every = [name for name, _label in export_rights.exportable_fields(session, "contact", "vi")]
    with pytest.raises(ValidationFailed) as exc:
        export_rights.save(session, org.admin, "sales", "contact", True, every, "vi")
    assert exc.value.errors["hidden"] == ("err.export_no_field", {})
    assert export_rights.save(session, org.admin, "sales", "contact", False, every, "vi")  # "may not" says it

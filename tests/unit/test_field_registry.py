"""Conformance of the field registry: every field of every entity, custom fields included, goes
through each surface it says it belongs to — list column, sort, filter, bulk update, export,
import mapping and history — with labels in both languages."""

from __future__ import annotations

import io

import pytest

from crm_app.i18n import messages_for, tr
from crm_app.services.lists import bulk, query, record_lists
from crm_app.services.lists.bulk import Action
from crm_app.services.lists.filters import VALUELESS
from crm_app.services.normalize import normalize_name
from crm_app.services.records import catalogs, custom_fields, history
from crm_app.services.records.fields import ENTITIES, OPERATORS, entity_def
from crm_app.services.transfer import exporter
from crm_app.services.transfer.import_custom import with_custom
from crm_app.services.transfer.import_mapping import auto_map
from crm_app.services.transfer.import_targets import TARGETS, Lookups
from tests.unit.factories import default_catalogs, make_customer

LANGS = ("vi", "en")


@pytest.fixture
def every_entity(session, org):
    """One record of each list entity and a custom field of each type on customers."""
    for label, kind, options in (
        ("Hạng", "choice", ["Vàng", "Bạc"]),
        ("Kênh", "multichoice", ["Zalo", "Email"]),
        ("Chi tiêu", "number", []),
        ("Ngày ký", "date", []),
        ("Ghi chú riêng", "text", []),
        ("Khách VIP", "bool", []),
    ):
        custom_fields.create(session, org.admin, "customer", {"label": label, "type": kind, "options": options})
    make_customer(session, org.admin, "Khách Mẫu", phones=["0912345678"], tags=["VIP"])
    return {name: entity_def(session, name) for name in ENTITIES}


def _fields(every_entity):
    return [(name, f) for name, entity in every_entity.items() for f in entity.fields]


def test_every_field_has_a_label_and_known_type_in_both_languages(every_entity):
    for lang in LANGS:
        messages = messages_for(lang)
        for name, f in _fields(every_entity):
            assert f.type in OPERATORS, (name, f.name, f.type)
            assert f.custom_id is not None or f"field.{f.name}" in messages, (name, f.name, lang)
            assert f.label_in(lang), (name, f.name)


def test_every_column_shows_sorts_and_filters(session, org, every_entity):
    for name, entity in every_entity.items():
        columns = [f.name for f in entity.fields if f.column]
        page = query.fetch_page(session, org.admin, query.ListSpec(entity=name, columns=columns))
        for row in page.rows:
            assert set(columns) <= set(row), name
        for f in entity.fields:
            if f.sortable:
                query.fetch_page(session, org.admin, query.ListSpec(entity=name, columns=columns[:1], sort=f.name))
            if not f.filter:
                continue
            for op in f.operators:
                value = None if op in VALUELESS else _sample_value(f, op)
                if f.type == "list":  # a list the admin sees (one of nobody's is refused)
                    value = [record_lists.create(session, org.admin, name, {"name": f"DS {name} {op}"}).id]
                spec = {"op": "and", "items": [{"field": f.name, "operator": op, "value": value}]}
                query.fetch_page(session, org.admin, query.ListSpec(entity=name, columns=columns[:1], filter=spec))


def _sample_value(f, op: str):
    if op == "between":
        return ["2020-01-01", "2030-01-01"] if f.type in ("date", "datetime") else [0, 10]
    if op in ("last_days", "next_days"):
        return 7
    if f.type in ("date", "datetime"):
        return "2026-01-01"
    if f.type in ("number", "money"):
        return 1
    if op in ("any_of", "none_of"):
        if f.type in ("tags", "activity_type"):
            return {"tags": ["VIP"], "activity_type": ["call"]}[f.type]
        return [f.values[0]] if f.values else [1]
    if op in ("bought", "not_bought"):
        return [1]
    if op == "not_bought_since":
        return {"products": [1], "since": "2026-01-01"}
    return "a"


def test_every_bulk_field_is_accepted_by_the_bulk_update(session, org, every_entity):
    for name, entity in every_entity.items():
        for f in entity.fields:
            if f.bulk and f.custom_id is None and f.name in ("kind", "status"):  # never emptied
                bulk.plan(session, org.admin, name, Action("update_field", f.name, value=f.values[0]))
            elif f.bulk:
                bulk.plan(session, org.admin, name, Action("update_field", f.name, mode="clear"))


def test_every_exportable_field_exports_and_its_header_maps_back_to_the_import(session, org, every_entity):
    for name in ENTITIES:
        fields = exporter.exportable(session, org.admin, name)
        buf = io.BytesIO()
        exporter.export(session, org.admin, query.ListSpec(entity=name), [f.name for f in fields], "xlsx", buf)
        if name not in TARGETS:
            continue
        target = with_custom(session, TARGETS[name])
        imported = {f.name for f in target.fields}
        for f in fields:
            import_name = "phones" if f.type == "phones" else f.name
            if import_name in imported:
                for lang in LANGS:
                    assert auto_map([f.label_in(lang)], target).get(0) == import_name, (name, f.name, lang)


def test_every_import_field_is_a_registry_field(session, every_entity):
    for name, target in TARGETS.items():
        if name not in every_entity:
            continue
        registry = {f.name for f in every_entity[name].fields}
        for f in with_custom(session, target).fields:
            assert f.name in registry or f.match_only, (name, f.name)


def test_every_field_reads_in_history(session, org, every_entity):
    from crm_app.models import AuditLog

    rows = [
        AuditLog(id=i + 1, entity=name, entity_id=1, action="update", field=f.name, old_value=None, new_value="1")
        for i, (name, f) in enumerate(_fields(every_entity))
    ]
    expected = {str(i + 1): f for i, (_name, f) in enumerate(_fields(every_entity))}
    for lang in LANGS:
        shown = history.describe(session, rows, lang)  # rows whose "1" names nothing read as no change
        assert len(shown) > len(rows) // 2
        for row in shown:
            assert row["field"] == expected[row["id"]].label_in(lang)


def test_a_customer_segment_is_named_apart_from_the_status_of_the_same_words(session):
    ids = default_catalogs(session)["category"]
    shown = {i.code: i.label_vi for i in catalogs.items(session, "category")}
    assert shown["lead"] != tr("status.lead", "vi") and shown["potential"] != tr("status.potential", "vi")
    table = Lookups(session).catalog["category"]
    for typed in ("Đầu mối", "Tệp đầu mối", "lead"):  # an older file's name of it too
        assert table[normalize_name(typed)] == ids["lead"], typed
    assert table[normalize_name("Tiềm năng")] == ids["potential"]

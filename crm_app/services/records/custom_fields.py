"""Custom fields (admin): definitions, and the values of a record as form values.

A record's custom values travel in its form data under their field names
(``cf_<key>``): ``clean_into`` validates them beside the built-in fields, ``snapshot``
reads them for the form and the history, ``store`` writes them.
"""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, select

from crm_app.models import CustomField, CustomFieldValue
from crm_app.models.custom_field import CUSTOM_FIELD_ENTITIES, CUSTOM_FIELD_TYPES
from crm_app.services.bulk_insert import insert_many
from crm_app.services.errors import ValidationFailed
from crm_app.services.normalize import fold_spaces, normalize_name, strip_diacritics
from crm_app.services.people.permissions import Actor, require_admin
from crm_app.services.records import audit
from crm_app.services.records.fields import CUSTOM_PREFIX, ENTITIES, FieldDef, custom_field_def
from crm_app.services.validation import Cleaner

MAX_FIELDS = 50
MAX_OPTIONS = 50
TEXT_MAX = 500
_CACHE = "custom_field_defs"  # session.info key of defs_of's copy
_BATCH = 5_000  # ids per query of the bulk reads and writes


def fields_of(session: Session, entity: str, active_only: bool = True) -> list[CustomField]:
    stmt = select(CustomField).where(CustomField.entity == entity)
    if active_only:
        stmt = stmt.where(CustomField.active)
    return list(session.exec(stmt.order_by(CustomField.position, CustomField.id)).all())


def defs_of(session: Session, entity: str) -> tuple[FieldDef, ...]:
    """The active fields as FieldDefs, read once per session: an import cleans 100,000 rows in
    one session. create and set_active drop the copy."""
    cache = session.info.setdefault(_CACHE, {})
    if entity not in cache:
        cache[entity] = tuple(custom_field_def(f) for f in fields_of(session, entity))
    return cache[entity]


def form_defs(session: Session, entity: str) -> list[list[str]]:
    """What a form needs of each active field: [name, label, type, options joined by "|"]."""
    return [[f"{CUSTOM_PREFIX}{f.key}", f.label, f.type, "|".join(f.options)] for f in fields_of(session, entity)]


def _key_of(label: str) -> str:
    key = re.sub(r"[^a-z0-9]+", "_", strip_diacritics(label).lower()).strip("_")
    return key[:30] or "field"


def create(session: Session, actor: Actor, entity: str, data: dict) -> CustomField:
    require_admin(actor)
    c = Cleaner(data)
    label = c.text("label", 80, required=True)
    kind = c.choice("type", CUSTOM_FIELD_TYPES)
    if entity not in CUSTOM_FIELD_ENTITIES:
        c.error("entity", "err.invalid_choice")
    raw = data.get("options") or []
    items = raw if isinstance(raw, list) else str(raw).split(",")
    options = list(dict.fromkeys(fold_spaces(str(o))[:80] for o in items if fold_spaces(str(o))))
    if kind in ("choice", "multichoice") and not options:
        c.error("options", "err.options_required")
    if len(options) > MAX_OPTIONS:
        c.error("options", "err.too_many_options", max=MAX_OPTIONS)
    existing = fields_of(session, entity, active_only=False)
    if len(existing) >= MAX_FIELDS:
        c.error("label", "err.too_many_fields", max=MAX_FIELDS)
    # one label, one field: columns, filters, exports and the import's mapping name fields by it
    taken_labels = {normalize_name(f.label) for f in existing} | {
        normalize_name(f.label_in(lang)) for f in ENTITIES[entity].fields for lang in ("vi", "en")
    }
    if label and normalize_name(label) in taken_labels:
        c.error("label", "err.field_label_taken", label=label)
    c.done()
    key, taken = _key_of(label), {f.key for f in existing}
    base, n = key, 2
    while key in taken or ENTITIES[entity].field(CUSTOM_PREFIX + key) is not None:
        key, n = f"{base}_{n}", n + 1
    field = CustomField(
        entity=entity,
        key=key,
        label=label,
        type=kind,
        options=options if kind in ("choice", "multichoice") else [],
        position=len(existing),
    )
    session.add(field)
    session.info.pop(_CACHE, None)
    session.flush()
    audit.record(
        session,
        "customfield",
        field.id,
        "create",
        actor.id,
        {},
        {"label": label, "type": kind, "options": field.options},
    )
    session.flush()
    return field


def set_active(session: Session, actor: Actor, field_id: int, active: bool) -> CustomField:
    """Hide (or show again) a field; its values stay."""
    require_admin(actor)
    field = session.get(CustomField, field_id)
    if field is None:
        raise ValidationFailed({"field": ("err.invalid_choice", {})})
    if field.active != active:
        field.active = active
        session.add(field)
        session.info.pop(_CACHE, None)
        audit.record(session, "customfield", field.id, "update", actor.id, {"active": not active}, {"active": active})
        session.flush()
    return field


# --- values of one record --------------------------------------------------------------------------


def clean_value(c: Cleaner, f: FieldDef):
    """The clean value of one custom field from ``c.data`` (None or [] when empty)."""
    name = f.name
    if f.type == "text":
        return c.text(name, TEXT_MAX) or None
    if f.type == "number":
        raw = c.raw(name).strip().replace(",", ".")
        if not raw:
            return None
        try:
            number = float(raw)
        except ValueError:
            c.error(name, "err.invalid_number")
            return None
        if abs(number) >= 1e15:
            c.error(name, "err.invalid_number")
        return number
    if f.type == "date":
        return c.day(name)
    if f.type == "bool":
        return c.flag(name)
    if f.type == "choice":
        value = c.raw(name).strip()
        if value and value not in f.values:
            c.error(name, "err.invalid_choice")
        return value or None
    raw = c.data.get(name) or []
    items = raw if isinstance(raw, list | tuple) else list(str(raw).split(","))
    chosen = [str(v).strip() for v in items if str(v).strip()]
    if any(v not in f.values for v in chosen):
        c.error(name, "err.invalid_choice")
    return sorted(set(chosen), key=f.values.index) if not c.errors.get(name) else []


def clean_into(session: Session, entity: str, c: Cleaner, values: dict) -> None:
    for d in defs_of(session, entity):
        values[d.name] = clean_value(c, d)


def snapshot(session: Session, entity: str, record_id: int) -> dict:
    """{cf_<key>: value} of a record: what its form shows and its history compares."""
    found: dict[int, dict] = {record_id: {}}
    add_to_snapshots(session, entity, found)
    return found[record_id]


def add_to_snapshots(session: Session, entity: str, snapshots: dict[int, dict]) -> None:
    """The custom values of many records (one query per 5,000 ids), added to their snapshots."""
    defs = defs_of(session, entity)
    if not defs or not snapshots:
        return
    v = CustomFieldValue
    ids = sorted(snapshots)
    for start in range(0, len(ids), _BATCH):
        chunk = ids[start : start + _BATCH]
        by_record: dict[int, dict[int, list]] = {}
        for rid, fid, text, number, day in session.execute(
            sa.select(v.record_id, v.field_id, v.text_value, v.number_value, v.date_value)
            .where(v.field_id.in_([d.custom_id for d in defs]), v.record_id.in_(chunk))
            .order_by(v.id)
        ):
            by_record.setdefault(rid, {}).setdefault(fid, []).append(_stored(text, number, day))
        for rid in chunk:
            snapshots[rid].update(_form_values(defs, by_record.get(rid, {})))


def _stored(text, number, day):
    return next((x for x in (text, number, day) if x is not None), None)


def _form_values(defs: tuple[FieldDef, ...], by_field: dict[int, list]) -> dict:
    data = {}
    for d in defs:
        found = by_field.get(d.custom_id, [])
        if d.type == "multichoice":
            data[d.name] = found
        elif d.type == "bool":
            data[d.name] = bool(found and found[0])
        else:
            data[d.name] = found[0] if found else None
    return data


def value_rows(f: FieldDef, record_id: int, value) -> list[dict]:
    """The value-table rows of one value (none when empty)."""
    if value is None or value == [] or value == "" or (f.type == "bool" and not value):
        return []
    if f.type == "multichoice":
        return [{"field_id": f.custom_id, "record_id": record_id, "text_value": v} for v in value]
    if f.type in ("number", "bool"):
        return [{"field_id": f.custom_id, "record_id": record_id, "number_value": float(value)}]
    if f.type == "date":
        return [
            {
                "field_id": f.custom_id,
                "record_id": record_id,
                "date_value": value if isinstance(value, date) else date.fromisoformat(str(value)),
            }
        ]
    return [{"field_id": f.custom_id, "record_id": record_id, "text_value": str(value)}]


def store(session: Session, entity: str, record_id: int, values: dict) -> None:
    """Write the custom values found in ``values`` (clean ones) for one record."""
    for f in fields_of(session, entity):
        d = custom_field_def(f)
        if d.name not in values:
            continue
        session.execute(
            sa.delete(CustomFieldValue).where(
                CustomFieldValue.field_id == f.id, CustomFieldValue.record_id == record_id
            )
        )
        insert_rows(session, value_rows(d, record_id, values[d.name]))


def write_changes(session: Session, entity: str, changes: list[tuple[int, dict, dict]]) -> None:
    """Bulk form of ``store`` for many records: ``changes`` are (id, before, after) snapshots;
    only the fields whose value changed are rewritten (a delete and an executemany insert per field)."""
    defs = defs_of(session, entity)
    for d in defs:
        changed = [
            (rid, after[d.name])
            for rid, before, after in changes
            if d.name in after and audit.stored_text(before.get(d.name)) != audit.stored_text(after[d.name])
        ]
        for start in range(0, len(changed), _BATCH):
            chunk = changed[start : start + _BATCH]
            session.execute(
                sa.delete(CustomFieldValue).where(
                    CustomFieldValue.field_id == d.custom_id, CustomFieldValue.record_id.in_([r for r, _ in chunk])
                )
            )
            insert_rows(session, [row for rid, value in chunk for row in value_rows(d, rid, value)])


def insert_rows(session: Session, rows: list[dict]) -> None:
    """Value rows (``value_rows``) in one executemany insert per batch (of one shape: every column given)."""
    empty = {"text_value": None, "number_value": None, "date_value": None}
    for start in range(0, len(rows), _BATCH):
        insert_many(session, CustomFieldValue.__table__, [{**empty, **r} for r in rows[start : start + _BATCH]])


def delete_values(session: Session, entity: str, record_ids: list[int]) -> None:
    """Every custom value of these records (hidden fields' too): they are being removed."""
    if entity in CUSTOM_FIELD_ENTITIES and record_ids:
        fields = sa.select(CustomField.id).where(CustomField.entity == entity)
        session.execute(
            sa.delete(CustomFieldValue).where(
                CustomFieldValue.record_id.in_(record_ids), CustomFieldValue.field_id.in_(fields)
            )
        )

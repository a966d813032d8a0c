"""Custom fields in an import: a file column may fill one of the entity's active custom fields.

``with_custom`` gives a target whose fields also hold one ImportField per active custom field
(named ``cf_<key>``, matched by its label), so mapping, options and cleaning treat them like the
built-in fields. A cell is read as people type it (``read_cell``); created records get their
values in one executemany insert per batch (``insert_values``). Updated records need nothing
here: the target's snapshots carry the custom values, so the change list, the history, the
writes (custom_fields.write_changes) and the undo all come from the usual before/after.
With no custom field (or none mapped) nothing here costs a query. An admin may also turn a
column that matches nothing into a new custom field (``add_field``).
"""

from __future__ import annotations

import copy
import re

from sqlmodel import Session

from crm_app.models.custom_field import CUSTOM_FIELD_ENTITIES
from crm_app.services.normalize import normalize_name
from crm_app.services.people.permissions import Actor
from crm_app.services.records import custom_fields
from crm_app.services.records.fields import CUSTOM_PREFIX, FieldDef
from crm_app.services.transfer import import_values
from crm_app.services.transfer.import_targets import ImportField, ImportTarget

# custom field type -> ImportField kind; "option(s)": one (several) of the field's own options
KIND_OF = {
    "text": "text",
    "number": "number",
    "date": "date",
    "bool": "bool",
    "choice": "option",
    "multichoice": "options",
}
_SPLIT = re.compile(r"[,;]")
_READERS = {"number": import_values.parse_number, "date": import_values.parse_date, "bool": import_values.parse_bool}


def import_field(d: FieldDef) -> ImportField:
    return ImportField(
        d.name, KIND_OF[d.type], (d.label,), custom_id=d.custom_id, label=d.label, options=tuple(d.values)
    )


def with_custom(session: Session, target: ImportTarget) -> ImportTarget:
    """The target with the entity's active custom fields after its own (the target itself when none):
    after, so that a header matching a built-in field as well as a custom label keeps the built-in."""
    if target.entity not in CUSTOM_FIELD_ENTITIES:
        return target
    defs = custom_fields.defs_of(session, target.entity)
    if not defs:
        return target
    extended = copy.copy(target)
    extended.fields = target.fields + tuple(import_field(d) for d in defs)
    return extended


def add_field(session: Session, actor: Actor, entity: str, data: dict) -> str:
    """A new custom field made from a column no field matches (admins only: custom_fields.create
    checks it and the values); its name, for the mapping."""
    return CUSTOM_PREFIX + custom_fields.create(session, actor, entity, data).key


def read_cell(f: ImportField, value: object) -> object:
    """A cell of a custom column as custom_fields.clean_value takes it; ValueError(message key)."""
    if f.kind == "option":
        text = import_values.as_text(value)
        return _option(f, text) if text else ""
    if f.kind == "options":
        return [_option(f, part) for part in _SPLIT.split(import_values.as_text(value)) if part.strip()]
    reader = _READERS.get(f.kind)
    return reader(value) if reader else import_values.as_text(value)


def _option(f: ImportField, text: str) -> str:
    """The field's own spelling of the option a cell names, whatever its case or diacritics."""
    wanted = normalize_name(text)
    found = next((o for o in f.options if normalize_name(o) == wanted), None)
    if found is None:
        raise ValueError("err.import_option_not_allowed")
    return found


def mapped_defs(session: Session, target: ImportTarget, mapping: dict[int, str]) -> list[FieldDef]:
    """The custom fields a mapping fills."""
    names = {name for name in mapping.values() if name and name.startswith(CUSTOM_PREFIX)}
    if not names or target.entity not in CUSTOM_FIELD_ENTITIES:
        return []
    return [d for d in custom_fields.defs_of(session, target.entity) if d.name in names]


def insert_values(session: Session, defs: list[FieldDef], rows: list[dict], first_id: int) -> None:
    """The custom values of newly inserted records (ids from ``first_id``, in ``rows`` order)."""
    if defs:
        custom_fields.insert_rows(
            session,
            [
                r
                for k, values in enumerate(rows)
                for d in defs
                for r in custom_fields.value_rows(d, first_id + k, values.get(d.name))
            ],
        )


def label_verdicts(target: ImportTarget, verdicts: list) -> None:
    """Give the verdicts that name a custom field (an error at it, a change of it) its label,
    which the catalog does not hold: RowVerdict.field_label reads it back."""
    labels = {f.name: f.label for f in target.fields if f.custom_id}
    if not labels:
        return
    for v in verdicts:
        if not (v.field or v.changes):
            continue
        named = {n: labels[n] for n in (v.field, *v.changes) if n in labels}
        if named:
            v.params = {**v.params, "labels": named}

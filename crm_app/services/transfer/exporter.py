"""Export a list (every matching record, or a selection) to .xlsx or .csv, streamed.

The rows are those the list shows for the same ListSpec (visibility, archive, search,
the list view's filter), or the selected ones among them, read with a server-side cursor
in chunks and written as they come, so no more than one chunk is in memory.
Every field of the entity's registry can be exported (custom fields, every phone, lists,
description), except those the role may not (services.people.export_rights). Cells are typed: numbers
and money as numbers, dates as dates; the rest is the text the import reads back, so an
export imported again in "update matches" mode changes nothing.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from datetime import date, datetime
from typing import IO

import sqlalchemy as sa
from sqlmodel import Session

from crm_app.i18n import tr
from crm_app.services.errors import NotAllowed, ValidationFailed
from crm_app.services.formatting import fmt_date
from crm_app.services.gc_pause import paused_gc
from crm_app.services.lists import query
from crm_app.services.normalize import strip_diacritics
from crm_app.services.people import export_rights
from crm_app.services.people.permissions import Actor
from crm_app.services.records import field_values
from crm_app.services.records.fields import EntityDef, FieldDef, entity_def
from crm_app.services.transfer.formula_guard import inert
from crm_app.services.transfer.xlsx_writer import DATE, DATETIME, MONEY, PLAIN, XlsxWriter

FORMATS = ("xlsx", "csv")
CHUNK = 5_000
MAX_SELECTED = 10_000  # a bigger selection is exported as "every matching record"
_CELL_STYLES = {"money": MONEY, "date": DATE, "datetime": DATETIME}


def exportable(session: Session, actor: Actor, entity: str) -> list[FieldDef]:
    """The fields the actor's role may export (export_rights), in the registry's order (custom
    fields last); none when the role may not export the entity."""
    found = entity_def(session, entity)
    if found is None:
        return []
    rights = export_rights.of_role(session, actor.role, entity, found)
    return [f for f in found.fields if rights.may_export(f.name) and f.exported_as is None and not f.virtual]


def file_name(entity: str, fmt: str, lang: str) -> str:
    """The file's name in the user's language: khach-hang.xlsx, nguoi-lien-he.csv."""
    words = re.sub(r"[^a-z0-9]+", "-", strip_diacritics(tr(f"import.entity.{entity}", lang)).lower()).strip("-")
    return f"{words or entity}.{fmt}"


def export_name(entity: EntityDef, name: str) -> str:
    """The field that exports a list column (a customer's phone column: every phone)."""
    f = entity.field(name)
    return f.exported_as if f is not None and f.exported_as else name


def export(
    session: Session,
    actor: Actor,
    spec: query.ListSpec,
    fields: list[str],
    fmt: str,
    out: str | IO[bytes],
    lang: str = "vi",
    ids: list[int] | None = None,
) -> int:
    """Write the list to ``out``; returns the number of records written."""
    if fmt not in FORMATS:
        raise ValidationFailed({"format": ("err.invalid_choice", {})})
    if not fields:
        raise ValidationFailed({"fields": ("export.none_chosen", {})})
    allowed = {f.name: f for f in exportable(session, actor, spec.entity)}
    if not allowed:
        raise NotAllowed("err.export_not_allowed")
    entity = entity_def(session, spec.entity)
    if entity is not None:
        fields = list(dict.fromkeys(export_name(entity, name) for name in fields))
    refused = [name for name in fields if name not in allowed]
    if refused:
        f = entity.field(refused[0]) if entity is not None else None
        label = f.label_in(lang) if f is not None else refused[0]
        raise ValidationFailed({"fields": ("err.export_field_not_allowed", {"field": label})})
    chosen = [allowed[name] for name in fields]
    spec = dataclasses.replace(spec, columns=[])  # the list's rows; the export's own fields below
    entity, sort_field = spec.checked(session)
    model = entity.model
    stmt = sa.select(*model.__table__.c).where(*query.where_clauses(actor, spec, session))
    if ids is not None:
        if len(set(ids)) > MAX_SELECTED:
            raise ValidationFailed({"ids": ("export.too_many_selected", {"n": MAX_SELECTED})})
        stmt = stmt.where(model.id.in_(sorted(set(ids))))
    sort_col = getattr(model, sort_field.sort_column)
    order = (sort_col.desc(), model.id.desc()) if spec.descending else (sort_col.asc(), model.id.asc())
    header = [f.label_in(lang) for f in chosen]

    def rows():
        result = session.execute(stmt.order_by(*order).execution_options(yield_per=CHUNK))
        for chunk in result.partitions():
            values, names = field_values.load_named(session, entity, chunk, chosen, lang, actor)
            for record_values in values:
                yield [inert(field_values.cell(f, record_values[f.name], lang, names)) for f in chosen]

    with paused_gc():
        if fmt == "xlsx":
            with XlsxWriter(out) as book:
                styles = [_CELL_STYLES.get(f.type, PLAIN) for f in chosen]
                return book.sheet(tr(f"import.entity.{spec.entity}", lang), header, rows(), column_styles=styles)
        return _write_csv(out, header, (_csv_row(row) for row in rows()))


def _csv_row(row: list) -> list:
    """Dates as dd/mm/yyyy (and hh:mm), as people type them and the import reads them."""
    return [
        value.strftime("%d/%m/%Y %H:%M")
        if isinstance(value, datetime)
        else fmt_date(value)
        if isinstance(value, date)
        else value
        for value in row
    ]


def _write_csv(out: str | IO[bytes], header: list[str], rows) -> int:
    stream = open(out, "wb") if isinstance(out, str) else out  # noqa: SIM115 - closed below when opened here
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        writer = csv.writer(text)
        writer.writerow(header)
        n = 0
        for row in rows:
            writer.writerow(row)
            n += 1
        text.flush()
        return n
    finally:
        text.detach()
        if isinstance(out, str):
            stream.close()

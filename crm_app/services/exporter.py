"""Export a list (every matching record, or a selection) to .xlsx or .csv, streamed.

The rows are those the list shows for the same ListSpec (visibility, archive, search,
the list view's filter), or the selected ones among them, read with a server-side cursor
in chunks and written as they come, so no more than one chunk is in memory.
Which fields a role may export is written out in EXPORT_DENIED.
"""

from __future__ import annotations

import csv
import io
from typing import IO

import sqlalchemy as sa
from sqlmodel import Session

from crm_app.i18n import tr
from crm_app.services import query
from crm_app.services.errors import ValidationFailed
from crm_app.services.fields import ENTITIES
from crm_app.services.gc_pause import paused_gc
from crm_app.services.permissions import Actor
from crm_app.services.xlsx_writer import XlsxWriter

FORMATS = ("xlsx", "csv")
CHUNK = 5_000
MAX_SELECTED = 10_000  # a bigger selection is exported as "every matching record"

# Fields a role may not export. Sales see only their own records anyway; they may export
# those but not, in bulk, the contact details (phones, emails) and tax codes: a list of
# phones and emails is what walks out of a company with a leaving salesperson.
EXPORT_DENIED: dict[str, dict[str, frozenset[str]]] = {
    "sales": {
        "customer": frozenset({"phone", "email", "tax_code"}),
        "contact": frozenset({"phone", "mobile", "email"}),
        "lead": frozenset({"phone", "mobile", "email"}),
    },
}


def exportable_fields(actor: Actor, entity: str) -> list[str]:
    denied = EXPORT_DENIED.get(actor.role, {}).get(entity, frozenset())
    return [f.name for f in ENTITIES[entity].fields if f.name not in denied]


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
    allowed = set(exportable_fields(actor, spec.entity))
    if not fields:
        raise ValidationFailed({"fields": ("export.none_chosen", {})})
    refused = [f for f in fields if f not in allowed]
    if refused:
        raise ValidationFailed({"fields": ("err.export_field_not_allowed", {"field": tr(f"field.{refused[0]}", lang)})})
    spec = query.ListSpec(
        entity=spec.entity,
        columns=list(fields),
        sort=spec.sort,
        descending=spec.descending,
        search=spec.search,
        archived=spec.archived,
        page_size=spec.page_size,
        filter=spec.filter,
        today=spec.today,
    )
    entity, sort_field = spec.checked(session)
    model = entity.model
    stmt = sa.select(*model.__table__.c).where(*query.where_clauses(actor, spec, session))
    if ids is not None:
        if len(set(ids)) > MAX_SELECTED:
            raise ValidationFailed({"ids": ("export.too_many_selected", {"n": MAX_SELECTED})})
        stmt = stmt.where(model.id.in_(sorted(set(ids))))
    sort_col = getattr(model, sort_field.sort_column)
    order = (sort_col.desc(), model.id.desc()) if spec.descending else (sort_col.asc(), model.id.asc())
    header = [tr(f"field.{f}", lang) for f in fields]

    def rows():
        result = session.execute(stmt.order_by(*order).execution_options(yield_per=CHUNK))
        for chunk in result.partitions():
            for row in query.display_rows(session, entity, chunk, fields, lang):
                yield [row[f] for f in fields]

    with paused_gc():
        if fmt == "xlsx":
            with XlsxWriter(out) as book:
                return book.sheet(tr(f"import.entity.{spec.entity}", lang), header, rows())
        return _write_csv(out, header, rows())


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

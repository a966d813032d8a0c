"""A field's values as surfaces need them, from the field's type in the registry (services.fields).

Values are stored as codes and ids (a status code, an owner's id, a stage's id). ``load`` reads
the values of some fields of many records, the ones kept beside the record (phones, tags, lists,
custom fields) included; ``Names`` resolves the ids among them with one query per kind; then
``text`` shows a value as a list cell or a history row does, in the reader's language, and
``cell`` gives a file's typed cell (numbers, money and dates as such; the rest as the text the
import reads back).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from crm_app.i18n import tr
from crm_app.models import (
    Contact,
    Customer,
    CustomerPhone,
    CustomFieldValue,
    Opportunity,
    Pipeline,
    PipelineStage,
    Product,
    RecordList,
    RecordListMember,
    User,
)
from crm_app.services.formatting import VN_OFFSET, fmt_date, fmt_datetime, fmt_number, fmt_vnd
from crm_app.services.lists import record_lists
from crm_app.services.people.permissions import Actor
from crm_app.services.records import catalogs
from crm_app.services.records.fields import EntityDef, FieldDef

# Field types naming another record, with the column that names it on screen.
REFERENCES = {
    "customer": Customer.full_name,
    "contact": Contact.full_name,
    "opportunity": Opportunity.name,
    "stage": PipelineStage.name,
    "pipeline": Pipeline.name,
    "product": Product.name,
}
# Field types whose value is an id to be named (activity types are named by their code).
ID_TYPES = ("user", "catalog", *REFERENCES)
# Field types whose values are named through Names (activity types by their code).
NAMED_TYPES = (*ID_TYPES, "activity_type")
# Field types whose stored history text is read back as another type (parse_stored).
PARSED_TYPES = (*ID_TYPES, "bool", "money", "number", "date", "datetime")


class Names:
    """The names of the ids (and activity type codes) some values refer to, read in bulk."""

    def __init__(self, session: Session, lang: str) -> None:
        self.session, self.lang = session, lang
        self.wanted: dict[str, set] = {}
        self.found: dict[tuple[str, Any], str] = {}

    def want(self, f: FieldDef, value: Any) -> None:
        if value in (None, "") or (f.type not in ID_TYPES and f.type != "activity_type"):
            return
        if isinstance(value, list | tuple):
            self.wanted.setdefault(f.type, set()).update(v for v in value if v not in (None, ""))
        else:
            self.wanted.setdefault(f.type, set()).add(value)

    def resolve(self) -> Names:
        session, wanted = self.session, self.wanted
        if wanted.get("user"):
            rows = session.execute(sa.select(User.id, User.full_name).where(User.id.in_(sorted(wanted["user"]))))
            self.found.update({("user", uid): name for uid, name in rows})
        if wanted.get("catalog"):
            labels = catalogs.labels_by_id(session, wanted["catalog"], self.lang)
            self.found.update({("catalog", cid): label for cid, label in labels.items()})
        if wanted.get("activity_type"):
            types = catalogs.by_code(session, "activity_type")
            self.found.update({("activity_type", c): catalogs.label(i, self.lang) for c, i in types.items()})
        for ref_type, name_col in REFERENCES.items():
            if wanted.get(ref_type):
                model = name_col.class_
                rows = session.execute(sa.select(model.id, name_col).where(model.id.in_(sorted(wanted[ref_type]))))
                self.found.update({(ref_type, rid): name for rid, name in rows})
        self.wanted = {}
        return self

    def of(self, field_type: str, value: Any, missing: str = "") -> str:
        return self.found.get((field_type, value), missing)


def formatter(f: FieldDef, lang: str, names: Names) -> Callable[[Any], str]:
    """What a cell or a history row shows of the field's values ("" for none; a list: its items
    joined): one function per field, chosen once for a page of rows."""
    if f.type in (*_BESIDE, "multichoice"):
        one = _one_value(f, lang, names)
        return lambda values: ", ".join(one(v) for v in values or () if v is not None and v != "")
    return _one_value(f, lang, names)


def text(f: FieldDef, value: Any, lang: str, names: Names) -> str:
    """One value shown (see ``formatter``); a list's items joined whatever the field's type, and a
    several-valued field's history text (already joined) as written."""
    if isinstance(value, str) and f.type in (*_BESIDE, "multichoice"):
        return value
    if isinstance(value, list | tuple):
        one = _one_value(f, lang, names)
        return ", ".join(one(v) for v in value)
    return formatter(f, lang, names)(value)


def _one_value(f: FieldDef, lang: str, names: Names) -> Callable[[Any], str]:
    """The shown text of one value of the field ("" for None or "")."""
    kind = f.type
    if (kind == "choice" and (f.choices or f.places)) or kind == "ward":
        return lambda v: f.choice_label(v, lang) if v else ""
    if kind in ID_TYPES:
        return lambda v: names.of(kind, v)
    if kind == "activity_type":
        return lambda v: names.of(kind, v, v or "")
    if kind == "money":
        return fmt_vnd
    if kind == "date":
        return fmt_date
    if kind == "datetime":
        return fmt_datetime
    if kind == "bool":
        yes, no = tr("common.yes", lang), tr("common.no", lang)
        return lambda v: "" if v is None or v == "" else yes if v else no
    if kind == "number" and f.name == "rating":
        return lambda v: "★" * int(v) if v else ""
    if kind == "number":
        return lambda v: "" if v is None or v == "" else fmt_number(int(v)) if v == int(v) else str(v).replace(".", ",")
    return lambda v: "" if v is None else str(v)


def parse_stored(f: FieldDef, stored: str | None) -> Any:
    """A history value (services.audit's text form) back as the field's value, or the text
    itself when it does not read as one (rows written before the field changed type)."""
    if stored is None or stored == "":
        return None
    kind = f.type
    try:
        if kind in ID_TYPES:
            return int(stored)
        if kind == "bool":
            return {"1": True, "0": False}[stored]
        if kind == "money":
            return int(float(stored))
        if kind == "number":
            number = float(stored)
            return int(number) if number == int(number) else number
        if kind == "date":
            return date.fromisoformat(stored[:10])
        if kind == "datetime":
            return datetime.fromisoformat(stored)
    except (ValueError, KeyError):
        return stored
    return stored


# --- reading values ------------------------------------------------------------------------------


# Field types whose values are kept beside the record (several per record).
_BESIDE = ("tags", "list", "phones")


def load(
    session: Session, entity: EntityDef, records: list, fields: list[FieldDef], actor: Actor | None = None
) -> list[dict[str, Any]]:
    """{field name: value} per record (a model instance or a row of its columns): the column's
    value, or the list kept beside the record (phones in order, tags, lists the actor sees,
    a custom field's value or values)."""
    ids = [r.id for r in records]
    names = {f.name for f in fields}
    kept: dict[str, dict[int, Any]] = {}
    if "phones" in names and entity.model is Customer:
        kept["phones"] = _grouped(
            session.execute(
                sa.select(CustomerPhone.customer_id, CustomerPhone.number)
                .where(CustomerPhone.customer_id.in_(ids))
                .order_by(CustomerPhone.customer_id, CustomerPhone.position)
            )
        )
    if "tags" in names and entity.model is Customer:
        kept["tags"] = catalogs.tags_for_customers(session, ids)
    if "lists" in names:
        member = sa.select(RecordListMember.record_id, RecordList.name).join(
            RecordList, RecordList.id == RecordListMember.list_id
        )
        member = member.where(RecordList.entity == entity.name, RecordListMember.record_id.in_(ids))
        if actor is not None:  # the lists the actor sees
            member = member.where(record_lists.seen_clause(session, actor))
        kept["lists"] = _grouped(session.execute(member.order_by(RecordList.name)).all())
    customs = {f.custom_id: f.name for f in fields if f.custom_id is not None}
    for (fid, rid), found in custom_values(session, list(customs), ids).items():
        kept.setdefault(customs[fid], {})[rid] = found
    beside = [f for f in fields if f.name in kept or f.custom_id is not None or f.type in _BESIDE]
    columns = [f.name for f in fields if f not in beside]
    listed = {f.name for f in beside if f.type in (*_BESIDE, "multichoice")}
    out = []
    for r in records:
        values = {name: getattr(r, name) for name in columns}
        for f in beside:
            found = kept.get(f.name, {}).get(r.id, [])
            values[f.name] = found if f.name in listed else next(iter(found), None)
        out.append(values)
    return out


def load_named(
    session: Session, entity: EntityDef, records: list, fields: list[FieldDef], lang: str, actor: Actor | None = None
) -> tuple[list[dict[str, Any]], Names]:
    """``load``, and the names of the ids among the values, resolved in one query per kind."""
    values = load(session, entity, records, fields, actor)
    names = Names(session, lang)
    for f in fields:
        if f.type in NAMED_TYPES:
            for record_values in values:
                names.want(f, record_values[f.name])
    return values, names.resolve()


def custom_values(session: Session, field_ids: list[int], record_ids: list[int]) -> dict[tuple[int, int], list]:
    """{(field id, record id): [values]} of some custom fields of some records, read in one query."""
    if not field_ids or not record_ids:
        return {}
    v = CustomFieldValue
    rows = session.execute(
        sa.select(v.field_id, v.record_id, v.text_value, v.number_value, v.date_value)
        .where(v.field_id.in_(field_ids), v.record_id.in_(record_ids))
        .order_by(v.id)
    ).all()
    found: dict[tuple[int, int], list] = {}
    for fid, rid, text_value, number, day in rows:
        found.setdefault((fid, rid), []).append(next((x for x in (text_value, number, day) if x is not None), None))
    return found


def _grouped(pairs) -> dict[int, list]:
    found: dict[int, list] = {}
    for rid, value in pairs:
        found.setdefault(rid, []).append(value)
    return found


def cell(f: FieldDef, value: Any, lang: str, names: Names) -> Any:
    """The value as a file's cell: numbers and money as numbers, dates and times (Vietnam time) as
    such, everything else as the text the import reads back (labels, names, "Có"/"Không", items
    joined by ", ")."""
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, list | tuple):
        one = _one_value(f, lang, names)
        return ", ".join(one(v) for v in value)
    kind = f.type
    if kind in ("money", "number"):
        return int(value) if value == int(value) else float(value)
    if kind == "date":
        return value
    if kind == "datetime":
        return (value + VN_OFFSET).replace(tzinfo=None, second=0, microsecond=0)
    return text(f, value, lang, names)

"""A field's value as the reader reads it, for list cells and history alike.

Values are stored as codes and ids (a status code, an owner's id, a stage's id); they are
named here, in the reader's language, from the field's type in the registry
(services.fields). ``Names`` resolves the ids of many values with one query per kind, then
``text`` shows each value.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from crm_app.i18n import tr
from crm_app.models import Contact, Customer, Pipeline, PipelineStage, User
from crm_app.services import catalogs
from crm_app.services.fields import FieldDef
from crm_app.services.formatting import fmt_date, fmt_datetime, fmt_number, fmt_vnd

# Field types naming another record, with the column that names it on screen.
REFERENCES = {
    "customer": Customer.full_name,
    "contact": Contact.full_name,
    "stage": PipelineStage.name,
    "pipeline": Pipeline.name,
}
# Field types whose value is an id to be named (activity types are named by their code).
ID_TYPES = ("user", "catalog", *REFERENCES)


class Names:
    """The names of the ids (and activity type codes) some values refer to, read in bulk."""

    def __init__(self, session: Session, lang: str) -> None:
        self.session, self.lang = session, lang
        self.wanted: dict[str, set] = {}
        self.found: dict[tuple[str, Any], str] = {}

    def want(self, f: FieldDef, value: Any) -> None:
        if value in (None, "") or (f.type not in ID_TYPES and f.type != "activity_type"):
            return
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


def text(f: FieldDef, value: Any, lang: str, names: Names) -> str:
    """What a cell or a history row shows of the value (a list: its items joined)."""
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(text(f, v, lang, names) for v in value)
    kind = f.type
    if kind == "choice" and f.choices:
        return tr(f"{f.choices}{value}", lang)
    if kind in ID_TYPES:
        return names.of(kind, value)
    if kind == "activity_type":
        return names.of(kind, value, value)
    if kind == "money":
        return fmt_vnd(value)
    if kind == "date":
        return fmt_date(value)
    if kind == "datetime":
        return fmt_datetime(value)
    if kind == "bool":
        return tr("common.yes" if value else "common.no", lang)
    if kind == "number":
        if f.name == "rating":
            return "★" * int(value)
        return fmt_number(int(value)) if value == int(value) else str(value).replace(".", ",")
    return str(value)


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

"""Reading the audit log: a record's History tab (the record and its children) and the
system-wide history page (admins: everything; managers: what their teams' members did)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from crm_app import routes
from crm_app.i18n import messages_for
from crm_app.models import (
    Activity,
    AuditLog,
    AutomationRule,
    Contact,
    Customer,
    CustomField,
    EmailTemplate,
    Lead,
    Note,
    Opportunity,
    Product,
    Team,
    User,
)
from crm_app.services.errors import NotAllowed
from crm_app.services.formatting import VN_OFFSET, fmt_date, fmt_datetime
from crm_app.services.lists import query
from crm_app.services.normalize import normalize_name
from crm_app.services.people.permissions import Actor, only_visible
from crm_app.services.records import audit, children, field_values
from crm_app.services.records.fields import CUSTOM_PREFIX, ENTITIES, FieldDef, custom_field_def

PAGE = 50
# Records the system history names (by this column) and links to.
ROOTS = {
    "customer": Customer.full_name,
    "contact": Contact.full_name,
    "lead": Lead.full_name,
    "opportunity": Opportunity.name,
}
# The kinds of record the system history can be filtered to.
RECORD_KINDS = ("customer", "contact", "lead", "opportunity", "user", "team", "product", "emailtemplate")


def of_page(session: Session, actor: Actor, record: children.Record, limit: int = 200) -> list[AuditLog]:
    """What a record's History tab shows, newest first: every change to a customer and its
    children; a contact's own changes."""
    entity, record_id = record
    children.parent_for(session, actor, record)
    stmt = (
        select(AuditLog)
        .where(AuditLog.root_entity == entity, AuditLog.root_id == record_id)
        .order_by(AuditLog.id.desc())
        .limit(limit)
    )
    return list(session.exec(stmt).all())


def of_customer(session: Session, actor: Actor, customer_id: int, limit: int = 200) -> list[AuditLog]:
    return of_page(session, actor, ("customer", customer_id), limit)


@dataclass
class HistoryFilter:
    user_id: int | None = None
    entity: str = ""  # the record's kind, e.g. "customer"
    record_id: int | None = None  # with entity: that record and its children
    record_text: str = ""  # or the records of that kind (any, without) whose code or name this is
    date_from: date | None = None  # Vietnam calendar days, inclusive
    date_to: date | None = None


def _vn_day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC) - VN_OFFSET


def system(
    session: Session, actor: Actor, flt: HistoryFilter, before_id: int | None = None, limit: int = PAGE
) -> list[AuditLog]:
    """One page of the system history, newest first; the next page starts before the last id."""
    if not actor.is_manager:
        raise NotAllowed("err.manager_only")
    stmt = select(AuditLog)
    stmt = only_visible(stmt, actor, AuditLog.user_id)
    if flt.user_id is not None:
        stmt = stmt.where(AuditLog.user_id == flt.user_id)
    if flt.entity and flt.record_id is not None:
        stmt = stmt.where(AuditLog.root_entity == flt.entity, AuditLog.root_id == flt.record_id)
    elif flt.record_text.strip():
        found = records_named(session, actor, flt.entity, flt.record_text)
        if not found:
            return []
        stmt = stmt.where(
            sa.or_(*(sa.and_(AuditLog.root_entity == e, AuditLog.root_id.in_(ids)) for e, ids in found.items()))
        )
    elif flt.entity:
        stmt = stmt.where(AuditLog.root_entity == flt.entity)
    if flt.date_from is not None:
        stmt = stmt.where(AuditLog.at >= _vn_day_start(flt.date_from))
    if flt.date_to is not None:
        stmt = stmt.where(AuditLog.at < _vn_day_start(flt.date_to) + timedelta(days=1))
    if before_id is not None:
        stmt = stmt.where(AuditLog.id < before_id)
    return list(session.exec(stmt.order_by(AuditLog.id.desc()).limit(limit)).all())


# The other kinds of record the system history is filtered to, found by their name.
_NAMED = {"user": User.full_name, "team": Team.name, "product": Product.name, "emailtemplate": EmailTemplate.name}
RECORDS_NAMED_LIMIT = 200  # of each kind


def records_named(session: Session, actor: Actor, entity: str, text: str) -> dict[str, list[int]]:
    """The records of ``entity`` (every kind with a list when empty) whose code or name the user
    typed: the lists' own search (any words in any order, a phone, a code) over the records the
    actor may see, archived ones too; users, teams, products and templates by a part of the name."""
    text = text.strip()
    found: dict[str, list[int]] = {}
    for kind in [entity] if entity else list(ROOTS):
        if kind in ROOTS:
            ids = [
                row["id"]
                for archived in (False, True)
                for row in query.fetch_page(
                    session,
                    actor,
                    query.ListSpec(entity=kind, search=text, archived=archived, page_size=RECORDS_NAMED_LIMIT),
                ).rows
            ]
            ids += _erased_named(session, kind, text, RECORDS_NAMED_LIMIT - len(ids))
        elif kind in _NAMED:
            column = _NAMED[kind]
            pattern = f"%{text.lower()}%"
            stmt = sa.select(column.class_.id).where(sa.func.lower(column).like(pattern)).limit(RECORDS_NAMED_LIMIT)
            ids = list(session.execute(stmt).scalars())
        else:
            ids = []
        if ids:
            found[kind] = ids
    return found


def _erased_named(session: Session, kind: str, text: str, limit: int) -> list[int]:
    """Records deleted for good whose code and name, kept on their erase row, hold every typed word
    as the start of one of theirs (as the lists' search reads a name)."""
    words = normalize_name(text).split()
    if not words or limit <= 0:
        return []
    stmt = (
        sa.select(AuditLog.entity_id, AuditLog.old_value)
        .where(AuditLog.entity == kind, AuditLog.action == "erase")
        .order_by(AuditLog.id.desc())
    )
    found: list[int] = []
    for record_id, label in session.execute(stmt):
        named = normalize_name(label or "").split()
        if all(any(n.startswith(w) for n in named) for w in words):
            found.append(record_id)
            if len(found) == limit:
                break
    return found


def _erased_labels(session: Session, keys: set[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """How records deleted for good were named, as their erase rows keep it (an import's undone
    record has none)."""
    labels: dict[tuple[str, int], str] = {}
    for entity in {e for e, _ in keys}:
        ids = sorted(i for e, i in keys if e == entity)
        stmt = sa.select(AuditLog.entity_id, AuditLog.old_value).where(
            AuditLog.entity == entity, AuditLog.entity_id.in_(ids), AuditLog.action == "erase"
        )
        labels.update({(entity, rid): label for rid, label in session.execute(stmt) if label})
    return labels


def record_label(session: Session, entity: str, record_id: int) -> str:
    """How the filter names a record it was opened on ("KH000123 Nguyễn Văn An"); "" if unknown."""
    row = AuditLog(root_entity=entity, root_id=record_id)
    return _root_names(session, [row]).get((entity, record_id), "")


# Records outside the field registry (notes, e-mails, quotes, orders, settings): their coded fields.
_USER = FieldDef("user", "user")
_OTHER_FIELDS: dict[tuple[str, str], FieldDef] = {
    ("email", "status"): FieldDef("status", "choice", choices="mail.status."),
    ("quote", "status"): FieldDef("status", "choice", choices="sales.status."),
    ("order", "status"): FieldDef("status", "choice", choices="sales.status."),
    # a quote's or an order's number and total: not a customer's code, money in đồng
    **{(kind, "code"): FieldDef("code", "text", label_key="sales.code") for kind in ("quote", "order")},
    **{(kind, "total"): FieldDef("total", "money") for kind in ("quote", "order")},
    ("listview", "scope"): FieldDef("scope", "choice", choices="views.scope."),
    ("savedfilter", "scope"): FieldDef("scope", "choice", choices="views.scope."),
}
_OTHER_BY_NAME = {
    **{name: FieldDef(name, "user") for name in ("owner_id", "assignee_id", "created_by_id", "updated_by_id")},
    **{
        name: FieldDef(name, "bool")
        for name in ("email_opt_out", "do_not_call", "notify_on_change", "active", "export_allowed")
    },
    "converted_by_id": FieldDef("converted_by_id", "user"),
    # what a lead became (leads.convert): named, not numbered
    "converted_customer_id": FieldDef("converted_customer_id", "customer"),
    "converted_contact_id": FieldDef("converted_contact_id", "contact"),
    "converted_opportunity_id": FieldDef("converted_opportunity_id", "opportunity"),
}


def _field_defs(session: Session, rows: list[AuditLog]) -> dict[tuple[str, str], FieldDef]:
    """The registry's definition of every (entity, field) the rows name; custom fields hidden
    since keep theirs (their history stays)."""
    defs: dict[tuple[str, str], FieldDef] = {}
    entities = {r.entity for r in rows}
    for name in entities & ENTITIES.keys():
        defs.update({(name, f.name): f for f in ENTITIES[name].fields})
    if any((r.field or "").startswith(CUSTOM_PREFIX) for r in rows):
        for cf in session.exec(select(CustomField).where(CustomField.entity.in_(sorted(entities)))).all():
            f = custom_field_def(cf)
            defs[(cf.entity, f.name)] = f
    for r in rows:
        key = (r.entity, r.field or "")
        if r.field and key not in defs:
            found = _OTHER_FIELDS.get(key) or _OTHER_BY_NAME.get(r.field)
            if found is not None:
                defs[key] = found
    return defs


def _loose_value(stored: str) -> str:
    """A value of a field outside the registry: dates as dd/mm/yyyy, the rest as written."""
    if len(stored) == 10 and stored[4:5] == "-" and stored[7:8] == "-":
        try:
            return fmt_date(date.fromisoformat(stored))
        except ValueError:
            return stored
    if len(stored) > 15 and stored[10:11] == "T":
        try:
            return fmt_datetime(datetime.fromisoformat(stored))
        except ValueError:
            return stored
    return stored


def describe(session: Session, rows: list[AuditLog], lang: str) -> list[dict[str, str]]:
    """History rows as the user reads them, in the reader's language: each field named and each
    value shown as its list cell shows it (names for users, records, stages and catalog items,
    labels for choices, money in đồng, dates as dd/mm/yyyy)."""
    messages = messages_for(lang)
    defs = _field_defs(session, rows)
    names = field_values.Names(session, lang)
    parsed: dict[int, tuple] = {}
    for r in rows:
        f = defs.get((r.entity, r.field or ""))
        if f is not None:
            old, new = field_values.parse_stored(f, r.old_value), field_values.parse_stored(f, r.new_value)
            parsed[r.id] = (old, new)
            names.want(f, old)
            names.want(f, new)
    for r in rows:
        names.want(_USER, r.user_id)
    names.resolve()
    roots = _root_names(session, rows)
    gone = {(r.root_entity, r.root_id) for r in rows if r.root_id and (r.root_entity, r.root_id) not in roots}
    erased = _erased_labels(session, gone)  # named as they were then, with no link
    children = _child_names(session, rows)
    rules = _rule_names(session, rows)

    def field_label(row: AuditLog) -> str:
        f = defs.get((row.entity, row.field or ""))
        return f.label_in(lang) if f is not None else messages.get(f"field.{row.field}", row.field)

    def value_text(row: AuditLog, which: int) -> str:
        stored = (row.old_value, row.new_value)[which]
        if stored is None or (row.field == "merged" and which == 0):  # the merged record's snapshot stays stored
            return ""
        f = defs.get((row.entity, row.field or ""))
        if f is None:
            return _loose_value(stored)
        value = parsed[row.id][which]
        if isinstance(value, str) and f.type in field_values.PARSED_TYPES:
            return value  # does not read as the field's type: written before the field was coded
        return field_values.text(f, value, lang, names)

    shown = [
        {
            "id": str(r.id),
            "at": fmt_datetime(r.at),
            "who": messages["automation.by_rule"].format(name=rules[r.rule_id])
            if r.rule_id in rules
            else names.of("user", r.user_id),
            "entity": messages.get(f"entity.{r.entity}", r.entity),
            "child": children.get((r.entity, r.entity_id), ""),  # which activity or note changed
            "entity_code": r.entity,
            "record": roots.get((r.root_entity, r.root_id))
            or erased.get((r.root_entity, r.root_id))
            or (f"{messages.get(f'entity.{r.root_entity}', r.root_entity)} #{r.root_id}" if r.root_entity else ""),
            "record_url": routes.record_url(r.root_entity, r.root_id) if (r.root_entity, r.root_id) in roots else "",
            "root_entity": r.root_entity or "",
            "root_id": str(r.root_id or ""),
            "action": messages.get(f"history.action.{r.action}", r.action),
            "what": field_label(r) if r.field else messages.get(f"history.action.{r.action}", r.action),
            "field": field_label(r) if r.field else "",
            "old": value_text(r, 0),
            "new": value_text(r, 1),
        }
        for r in rows
    ]
    # a change that reads the same on both sides (a time's seconds, a rating 0 shown as none) is none
    return [r for r in shown if not r["field"] or r["old"] != r["new"]]


def _rule_names(session: Session, rows: list[AuditLog]) -> dict[int, str]:
    """The automation rules that made some of the rows (named as who made them)."""
    ids = {r.rule_id for r in rows if r.rule_id}
    if not ids:
        return {}
    return dict(
        session.execute(sa.select(AutomationRule.id, AutomationRule.name).where(AutomationRule.id.in_(ids))).all()
    )


# A customer's children a History row names (their subject, the start of the note).
CHILD_NAMES = {"activity": Activity.subject, "note": Note.body}


def _child_names(session: Session, rows: list[AuditLog]) -> dict[tuple[str, int], str]:
    """The name of each activity or note the rows are about: as stored, or for one deleted since
    as its delete row says."""
    names: dict[tuple[str, int], str] = {}
    for r in rows:  # a deleted one's last subject or text
        if r.action == "delete" and r.field in ("subject", "body") and r.old_value:
            names[(r.entity, r.entity_id)] = r.old_value
    for entity, column in CHILD_NAMES.items():
        ids = sorted(
            {r.entity_id for r in rows if r.entity == entity and r.entity_id} - {i for e, i in names if e == entity}
        )
        for start in range(0, len(ids), 500):
            model = column.class_
            stmt = sa.select(model.id, column).where(model.id.in_(ids[start : start + 500]))
            names.update({(entity, rid): text for rid, text in session.execute(stmt) if text})
    return {key: text if len(text) <= 40 else text[:39] + "…" for key, text in names.items()}


def _root_names(session: Session, rows: list[AuditLog]) -> dict[tuple[str, int], str]:
    """The names of the records the rows belong to (a customer with its code), read in bulk;
    a record deleted since is not named."""
    names: dict[tuple[str, int], str] = {}
    for entity, name_col in ROOTS.items():
        ids = sorted({r.root_id for r in rows if r.root_entity == entity and r.root_id})
        if not ids:
            continue
        model = name_col.class_
        code = [model.code] if entity == "customer" else []
        for rid, name, *rest in session.execute(sa.select(model.id, name_col, *code).where(model.id.in_(ids))):
            names[(entity, rid)] = f"{rest[0]} {name}" if rest else name
    return names


def of_record(session: Session, entity: str, entity_id: int, lang: str, limit: int = PAGE) -> list[dict[str, str]]:
    """The newest history of one record (a lead, an opportunity), as ``describe`` shows it.
    The caller has checked that the actor may see the record."""
    return describe(session, audit.history(session, entity, entity_id, limit), lang)

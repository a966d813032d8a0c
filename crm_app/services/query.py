"""One query builder for every list page: a ListSpec in, SQLAlchemy out.

Paging is keyset ("seek") paging: the next page starts after the sort value and
id of the last row shown, so page 20,000 costs what page 1 costs. Every field a
spec names is checked against the entity's registry (services.fields).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from crm_app.i18n import tr
from crm_app.models import Contact, Customer, CustomerPhone, User
from crm_app.services import catalogs
from crm_app.services.errors import ServiceError
from crm_app.services.fields import ENTITIES, EntityDef, FieldDef
from crm_app.services.formatting import fmt_date, fmt_datetime
from crm_app.services.normalize import search_terms
from crm_app.services.permissions import Actor, visibility_clause

PAGE_SIZES = (25, 50, 100, 200)


class BadSpec(ServiceError):
    pass


@dataclass
class ListSpec:
    entity: str
    columns: list[str] = field(default_factory=list)
    sort: str = ""  # empty: the entity's default sort
    descending: bool | None = None  # None: the entity's default direction
    search: str = ""
    archived: bool = False
    page_size: int = 50

    def __post_init__(self) -> None:
        entity = ENTITIES.get(self.entity)
        if entity is not None and not self.sort:
            self.sort = entity.default_sort[0]
            if self.descending is None:
                self.descending = entity.default_sort[1]
        if self.descending is None:
            self.descending = False

    def checked(self) -> tuple[EntityDef, FieldDef]:
        entity = ENTITIES.get(self.entity)
        if entity is None:
            raise BadSpec("err.unknown_entity", name=self.entity)
        unknown = [c for c in self.columns if entity.field(c) is None]
        if unknown:
            raise BadSpec("err.unknown_field", name=unknown[0])
        sort_field = entity.field(self.sort)
        if sort_field is None or not sort_field.sortable:
            raise BadSpec("err.unknown_field", name=self.sort)
        if self.page_size not in PAGE_SIZES:
            raise BadSpec("err.invalid_choice")
        return entity, sort_field


@dataclass
class Page:
    rows: list[dict[str, Any]]
    first_key: tuple | None
    last_key: tuple | None
    has_before: bool
    has_after: bool


def _search_clause(entity: EntityDef, text: str) -> sa.ColumnElement[bool] | None:
    terms = search_terms(text)
    if not terms:
        return None
    model = entity.model
    parts = [model.name_norm.contains(terms["name"], autoescape=True)]
    if "phone" in terms:
        digits = terms["phone"]
        if model is Customer:
            parts.append(model.id.in_(
                sa.select(CustomerPhone.customer_id).where(CustomerPhone.number_norm.startswith(digits, autoescape=True))
            ))
        else:
            parts += [model.phone_norm.startswith(digits, autoescape=True),
                      model.mobile_norm.startswith(digits, autoescape=True)]
    if "email" in terms:
        parts.append(model.email_norm.startswith(terms["email"], autoescape=True))
    if "code" in terms and model is Customer:
        parts.append(model.code == terms["code"])
    return sa.or_(*parts)


def where_clauses(actor: Actor, spec: ListSpec) -> list[sa.ColumnElement[bool]]:
    entity, _ = spec.checked()
    model = entity.model
    clauses = [model.archived == (sa.true() if spec.archived else sa.false())]
    vis = visibility_clause(actor, model.owner_id)
    if vis is not None:
        clauses.append(vis)
    search = _search_clause(entity, spec.search)
    if search is not None:
        clauses.append(search)
    return clauses


def count(session: Session, actor: Actor, spec: ListSpec) -> int:
    entity, _ = spec.checked()
    stmt = sa.select(sa.func.count()).select_from(entity.model).where(*where_clauses(actor, spec))
    return int(session.exec(stmt).scalar_one())


def fetch_page(session: Session, actor: Actor, spec: ListSpec, lang: str = "vi", *,
               after: tuple | None = None, before: tuple | None = None, last: bool = False) -> Page:
    """One page: the first, the one after/before a key, or the last."""
    entity, sort_field = spec.checked()
    model = entity.model
    sort_col = getattr(model, sort_field.sort_column)
    empty = _null_sorts_as(model, sort_field.sort_column)
    if empty is not None:
        # NULL never compares in a keyset condition: sort empty values as the lowest one instead
        sort_col = sa.func.coalesce(sort_col, sa.literal(empty, type_=sort_col.type))
    key = sa.tuple_(sort_col, model.id)
    backwards = before is not None or last
    descending = spec.descending != backwards  # read in reverse, then flip the rows
    stmt = sa.select(model).where(*where_clauses(actor, spec))
    anchor = after if after is not None else before
    if anchor is not None:
        stmt = stmt.where(key < tuple(anchor) if descending else key > tuple(anchor))
    order = (sort_col.desc(), model.id.desc()) if descending else (sort_col.asc(), model.id.asc())
    records = list(session.exec(stmt.order_by(*order).limit(spec.page_size + 1)).scalars().all())
    more = len(records) > spec.page_size
    records = records[: spec.page_size]
    if backwards:
        records.reverse()
    keys = [(_or_empty(getattr(r, sort_field.sort_column), empty), r.id) for r in records]
    has_before = (more if backwards else after is not None) and bool(records)
    has_after = (before is not None) if backwards else more
    if last:
        has_after = False
    return Page(
        rows=display_rows(session, entity, records, spec.columns, lang),
        first_key=keys[0] if keys else None,
        last_key=keys[-1] if keys else None,
        has_before=has_before,
        has_after=has_after,
    )


def _null_sorts_as(model, column_name: str) -> Any:
    """The stand-in value of NULL for a nullable sort column (None: the column is NOT NULL)."""
    column = model.__table__.c[column_name]
    if not column.nullable:
        return None
    kind = getattr(column.type, "impl", column.type).python_type
    if kind is datetime:
        return datetime(1, 1, 1, tzinfo=UTC)
    return {date: date.min, str: ""}.get(kind, 0)


def _or_empty(value: Any, empty: Any) -> Any:
    return empty if value is None and empty is not None else value


def display_rows(session: Session, entity: EntityDef, records: list, columns: list[str],
                 lang: str) -> list[dict[str, Any]]:
    """Rows as display strings for the given columns, with references resolved in bulk."""
    ids = [r.id for r in records]
    user_ids = {r.owner_id for r in records if r.owner_id}
    users = dict(session.exec(sa.select(User.id, User.full_name).where(User.id.in_(user_ids))).all()) if user_ids else {}
    catalog_ids = {getattr(r, c) for r in records for c in columns
                   if entity.field(c).type == "catalog" and getattr(r, c)}
    labels = catalogs.labels_by_id(session, catalog_ids, lang)
    tags = catalogs.tags_for_customers(session, ids) if "tags" in columns and entity.model is Customer else {}
    ref_names: dict[tuple[str, int], str] = {}
    for ref_model, ref_type in ((Customer, "customer"), (Contact, "contact")):
        wanted = {getattr(r, c) for r in records for c in columns
                  if entity.field(c).type == ref_type and getattr(r, c)}
        if wanted:
            for rid, name in session.exec(sa.select(ref_model.id, ref_model.full_name)
                                          .where(ref_model.id.in_(wanted))).all():
                ref_names[(ref_type, rid)] = name
    rows = []
    for r in records:
        row: dict[str, Any] = {"id": r.id}
        for c in columns:
            f = entity.field(c)
            row[c] = _display(f, r, lang, users, labels, tags, ref_names)
        rows.append(row)
    return rows


def _display(f: FieldDef, record, lang: str, users, labels, tags, ref_names) -> str:
    if f.type == "tags":
        return ", ".join(tags.get(record.id, []))
    value = getattr(record, f.name)
    if value is None or value == "":
        return ""
    if f.type == "choice":
        return tr(f"{f.choices}{value}", lang)
    if f.type == "user":
        return users.get(value, "")
    if f.type == "catalog":
        return labels.get(value, "")
    if f.type in ("customer", "contact"):
        return ref_names.get((f.type, value), "")
    if f.type == "date":
        return fmt_date(value)
    if f.type == "datetime":
        return fmt_datetime(value)
    if f.type == "number" and f.name == "rating":
        return "★" * int(value) if value else ""
    if f.type == "bool":
        return tr("common.yes" if value else "common.no", lang)
    return str(value)


def owner_options(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """Users the actor may assign records to."""
    stmt = sa.select(User.id, User.full_name).where(User.active == sa.true())
    if actor.visible_owner_ids is not None:
        stmt = stmt.where(User.id.in_(sorted(actor.visible_owner_ids)))
    return list(session.exec(stmt.order_by(User.full_name)).all())


def catalog_options(session: Session, kind: str, lang: str) -> list[tuple[int, str]]:
    return [(i.id, catalogs.label(i, lang)) for i in catalogs.items(session, kind)]


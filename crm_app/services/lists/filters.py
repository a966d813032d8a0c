"""Filter specs of the list-view builder, turned into SQLAlchemy by the query builder.

A filter is JSON data::

    {"op": "and" | "or", "items": [{"field": "status", "operator": "any_of", "value": ["lead"]},
                                   {"op": "or", "items": [...]}]}

Every field is looked up in the entity's registry (services.fields, custom fields
included) and every operator must be one of that field's type; values are checked
and converted before they become bound parameters. Nothing a user sends becomes an
identifier or SQL text.

Custom fields are tested with EXISTS on their value table (one index lookup per row
while a list walks its sort index); negative operators (is not, none of, empty) are
NOT EXISTS of the positive test, so a record without a value counts as "not X".
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from crm_app.models import Customer, CustomerProduct, CustomerTag, CustomFieldValue, RecordList, RecordListMember, Tag
from crm_app.services.errors import ServiceError
from crm_app.services.normalize import normalize_email, normalize_name, normalize_phone
from crm_app.services.people.work_scope import local_today
from crm_app.services.records import catalogs
from crm_app.services.records.fields import EntityDef, FieldDef

MAX_DEPTH = 3  # the root group and two levels of nested groups
MAX_CONDITIONS = 40
MAX_TEXT = 200
MAX_CHOICES = 200
MAX_DAYS = 3650
VALUELESS = ("empty", "not_empty", "is_true", "is_false", "this_week", "this_month")


class BadSpec(ServiceError):
    """A list spec names an unknown field or entity, or holds a wrong operator or value."""


def empty_filter() -> dict:
    return {"op": "and", "items": []}


def compile_filter(entity: EntityDef, spec: dict | None, today: date | None = None) -> sa.ColumnElement[bool] | None:
    """The WHERE clause of a filter spec on ``entity.model`` (None: the filter has no condition)."""
    if not spec:
        return None
    counter = [0]
    return _group(entity, spec, today or local_today(), 1, counter)


def driving_filter(entity: EntityDef, spec: dict | None, today: date | None = None) -> sa.ColumnElement[bool] | None:
    """The same filter written to be read from a custom field's value index, when its top level
    is AND with a positive custom-field condition (None otherwise): that condition becomes
    ``id IN (SELECT record_id ...)``, which can drive a count instead of a walk of the table.
    Call after compile_filter has checked the spec."""
    if not spec or spec.get("op") != "and":
        return None
    today = today or local_today()
    clauses, driving = [], False
    for item in spec["items"]:
        if isinstance(item, dict) and "items" in item:
            clause = _group(entity, item, today, 2, [0])
        else:
            field = entity.field(item["field"])
            op = item["operator"]
            if field.custom_id is not None and op not in _NEGATED:
                value = None if op in VALUELESS else _checked_value(field, op, item.get("value"))
                clause = entity.model.id.in_(_custom_values(entity, field, op, value, today))
                driving = True
            else:
                clause = _condition(entity, item, today)
        if clause is not None:
            clauses.append(clause)
    return sa.and_(*clauses) if driving else None


def conditions(spec: dict | None) -> list[dict]:
    """Every condition of a filter, nested ones included (for checks and display)."""
    found: list[dict] = []
    for item in (spec or {}).get("items", []) if isinstance(spec, dict) else []:
        if isinstance(item, dict) and "items" in item:
            found += conditions(item)
        elif isinstance(item, dict):
            found.append(item)
    return found


def _group(entity: EntityDef, spec: Any, today: date, depth: int, counter: list[int]):
    if not isinstance(spec, dict) or spec.get("op") not in ("and", "or") or not isinstance(spec.get("items"), list):
        raise BadSpec("err.filter_shape")
    if depth > MAX_DEPTH:
        raise BadSpec("err.filter_too_deep", max=MAX_DEPTH - 1)
    clauses = []
    for item in spec["items"]:
        if isinstance(item, dict) and "items" in item:
            clause = _group(entity, item, today, depth + 1, counter)
        else:
            counter[0] += 1
            if counter[0] > MAX_CONDITIONS:
                raise BadSpec("err.filter_too_big", max=MAX_CONDITIONS)
            clause = _condition(entity, item, today)
        if clause is not None:
            clauses.append(clause)
    if not clauses:
        return None
    if len(clauses) == 1:
        return clauses[0]
    return sa.and_(*clauses) if spec["op"] == "and" else sa.or_(*clauses)


def _condition(entity: EntityDef, item: Any, today: date) -> sa.ColumnElement[bool]:
    if (
        not isinstance(item, dict)
        or not isinstance(item.get("field"), str)
        or not isinstance(item.get("operator"), str)
    ):
        raise BadSpec("err.filter_shape")
    name, op = item["field"], item["operator"]
    field = entity.field(name)
    if field is None or not field.filter:
        raise BadSpec("err.unknown_field", name=name)
    if op not in field.operators:
        raise BadSpec("err.filter_operator", name=name, op=op)
    value = None if op in VALUELESS else _checked_value(field, op, item.get("value"))
    if field.custom_id is not None:
        return _custom(entity, field, op, value, today)
    return _builtin(entity, field, op, value, today)


# --- values ------------------------------------------------------------------------------------


def _bad(field: FieldDef) -> BadSpec:
    return BadSpec("err.filter_value", name=field)  # named by its label in the reader's language


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value in ([], ())


def _given_day(field: FieldDef, value: Any) -> date:
    """A condition's day: a missing one is said as missing, naming the field."""
    if _blank(value):
        raise BadSpec("err.filter_date_missing", name=field)
    return _day(field, value)


def _text(field: FieldDef, value: Any) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT:
        raise _bad(field)
    return value.strip()


def _number(field: FieldDef, value: Any) -> float:
    if isinstance(value, bool):
        raise _bad(field)
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and re.fullmatch(r"-?\d{1,15}([.,]\d{1,6})?", value.strip()):
        return float(value.strip().replace(",", "."))
    raise _bad(field)


def _day(field: FieldDef, value: Any) -> date:
    if isinstance(value, str):
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                parsed = datetime.strptime(value.strip(), fmt).date()
            except ValueError:
                continue
            if 1900 <= parsed.year <= 2100:
                return parsed
    raise _bad(field)


def _pair(field: FieldDef, value: Any, one) -> tuple:
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise _bad(field)
    lo, hi = one(field, value[0]), one(field, value[1])
    if lo > hi:
        raise _bad(field)
    return lo, hi


def _choices(field: FieldDef, value: Any) -> list:
    if not isinstance(value, list | tuple) or not value or len(value) > MAX_CHOICES:
        raise _bad(field)
    if field.type in ("catalog", "user", "list", "stage", "pipeline", "product", "purchases"):
        if not all(
            (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, str) and v.isdigit()) for v in value
        ):
            raise _bad(field)
        return sorted({int(v) for v in value})
    if field.type == "activity_type":  # codes of the catalog: an unknown one matches nothing
        if not all(isinstance(v, str) and catalogs.CODE.match(v) for v in value):
            raise _bad(field)
        return sorted(set(value))
    if field.type == "tags":
        names = [normalize_name(v) for v in value if isinstance(v, str)]
        if len(names) != len(value) or not all(names):
            raise _bad(field)
        return sorted(set(names))
    if not all(isinstance(v, str) and v in field.values for v in value):
        raise _bad(field)
    return sorted(set(value))


def _checked_value(field: FieldDef, op: str, value: Any) -> Any:
    kind = field.type
    if op in ("any_of", "none_of", "bought", "not_bought"):
        return _choices(field, value)
    if op == "not_bought_since":  # {"products": [ids], "since": "2026-01-31"}
        if not isinstance(value, dict):
            raise _bad(field)
        if _blank(value.get("products")):
            raise BadSpec("err.filter_choice_missing", name=field)
        return _choices(field, value.get("products")), _given_day(field, value.get("since"))
    if kind in ("text", "customer"):
        return _text(field, value)
    if kind in ("number", "money"):
        return _pair(field, value, _number) if op == "between" else _number(field, value)
    if kind in ("date", "datetime"):
        if op in ("last_days", "next_days"):
            days = _number(field, value)
            if days != int(days) or not 1 <= days <= MAX_DAYS:
                raise _bad(field)
            return int(days)
        return _pair(field, value, _given_day) if op == "between" else _given_day(field, value)
    raise _bad(field)


# --- date ranges ---------------------------------------------------------------------------------


def day_range(op: str, value: Any, today: date) -> tuple[date | None, date | None]:
    """[lo, hi) in days of a date operator (None: open)."""
    if op == "eq":
        return value, value + timedelta(days=1)
    if op == "lt":
        return None, value
    if op == "gt":
        return value + timedelta(days=1), None
    if op == "between":
        return value[0], value[1] + timedelta(days=1)
    if op == "last_days":
        return today - timedelta(days=value), today + timedelta(days=1)
    if op == "next_days":
        return today, today + timedelta(days=value + 1)
    if op == "this_week":
        start = today - timedelta(days=today.weekday())
        return start, start + timedelta(days=7)
    # this_month
    start = today.replace(day=1)
    return start, start + timedelta(days=calendar.monthrange(today.year, today.month)[1])


def _in_range(column, field: FieldDef, lo: date | None, hi: date | None) -> sa.ColumnElement[bool]:
    def edge(d: date):
        return datetime.combine(d, time.min, tzinfo=UTC) if field.type == "datetime" else d

    parts = []
    if lo is not None:
        parts.append(column >= edge(lo))
    if hi is not None:
        parts.append(column < edge(hi))
    return sa.and_(*parts)


# --- built-in fields -----------------------------------------------------------------------------

_NORMALISERS = {"name": normalize_name, "email": normalize_email}


def _norm_text(field: FieldDef, op: str, value: str) -> str:
    if field.norm == "phone":
        return re.sub(r"\D", "", value) if op == "contains" else normalize_phone(value)
    return _NORMALISERS[field.norm](value)


def _text_clause(column, op: str, value: str, folded: bool) -> sa.ColumnElement[bool]:
    """A text test; ``folded``: the column and value are already normalised (compare as they are)."""
    if op == "contains":
        return column.contains(value, autoescape=True) if folded else column.icontains(value, autoescape=True)
    if op == "starts_with":
        return column.startswith(value, autoescape=True) if folded else column.istartswith(value, autoescape=True)
    if op == "is":
        return column == value if folded else sa.func.lower(column) == value.lower()
    return column != value if folded else sa.func.lower(column) != value.lower()  # is_not


def _builtin(entity: EntityDef, field: FieldDef, op: str, value: Any, today: date) -> sa.ColumnElement[bool]:
    model = entity.model
    if field.type == "tags":
        return _tags(model, op, value)
    if field.type == "purchases":
        return _purchases(model, op, value)
    if field.type == "list":
        member = sa.exists().where(
            RecordListMember.record_id == model.id,
            RecordListMember.list_id.in_(value),
            RecordListMember.list_id == RecordList.id,
            RecordList.entity == entity.name,
        )
        return member if op == "any_of" else ~member
    column = getattr(model, field.sort_column if field.norm else field.name)
    if op == "empty":
        return sa.or_(column.is_(None), column == "") if field.type in ("text", "choice", "ward") else column.is_(None)
    if op == "not_empty":
        return (
            sa.and_(column.is_not(None), column != "")
            if field.type in ("text", "choice", "ward")
            else column.is_not(None)
        )
    if op in ("is_true", "is_false"):
        return column == (sa.true() if op == "is_true" else sa.false())
    if op == "any_of":
        return column.in_(value)
    if op == "none_of":
        return sa.or_(column.is_(None), column.not_in(value))
    if field.type == "customer":  # by the name of the customer it belongs to
        named = _text_clause(Customer.name_norm, op, normalize_name(value), folded=True)
        return column.in_(sa.select(Customer.id).where(named))
    if field.type == "text":
        if field.norm:
            return _text_clause(column, op, _norm_text(field, op, value), folded=True)
        return _text_clause(column, op, value, folded=False)
    if field.type in ("number", "money"):
        return _compare(column, op, value)
    return _in_range(column, field, *day_range(op, value, today))


def _compare(column, op: str, value: Any) -> sa.ColumnElement[bool]:
    if op == "eq":
        return column == value
    if op == "lt":
        return column < value
    if op == "gt":
        return column > value
    return column.between(value[0], value[1])


def _tags(model, op: str, names: list[str] | None) -> sa.ColumnElement[bool]:
    tagged = sa.exists().where(CustomerTag.customer_id == model.id)
    if names is not None:
        tagged = tagged.where(CustomerTag.tag_id == Tag.id, Tag.name_norm.in_(names))
    return tagged if op in ("any_of", "not_empty") else ~tagged


def _purchases(model, op: str, value: Any) -> sa.ColumnElement[bool]:
    """What a customer bought, from its customer products derived from its orders: any of the
    products; none of them ever; none of them on or after a day (never bought counts too)."""
    products, since = value if op == "not_bought_since" else (value, None)
    bought = sa.exists().where(
        CustomerProduct.customer_id == model.id,
        CustomerProduct.source == "order",
        CustomerProduct.product_id.in_(products),
    )
    if since is not None:
        bought = bought.where(CustomerProduct.last_purchase >= since)
    return bought if op == "bought" else ~bought


# --- custom fields -------------------------------------------------------------------------------

_NEGATED = {"is_not": "is", "none_of": "any_of", "is_false": "is_true", "empty": "not_empty"}
_VALUE_COLUMN = {
    "text": "text_value",
    "choice": "text_value",
    "multichoice": "text_value",
    "number": "number_value",
    "bool": "number_value",
    "date": "date_value",
}


def _custom(entity: EntityDef, field: FieldDef, op: str, value: Any, today: date) -> sa.ColumnElement[bool]:
    positive = _NEGATED.get(op, op)
    v = CustomFieldValue
    test = _custom_test(
        sa.exists().where(v.field_id == field.custom_id, v.record_id == entity.model.id), field, positive, value, today
    )
    return ~test if positive != op else test


def _custom_values(entity: EntityDef, field: FieldDef, op: str, value: Any, today: date) -> sa.Select:
    """SELECT of the ids of the records whose custom field passes a positive operator."""
    v = CustomFieldValue
    return _custom_test(sa.select(v.record_id).where(v.field_id == field.custom_id), field, op, value, today)


def _custom_test(test, field: FieldDef, positive: str, value: Any, today: date):
    column = getattr(CustomFieldValue, _VALUE_COLUMN[field.type])
    if positive == "is_true":
        test = test.where(column == 1)
    elif positive == "any_of":
        test = test.where(column.in_(value))
    elif positive != "not_empty":
        if field.type == "text":
            test = test.where(_text_clause(column, positive, value, folded=False))
        elif field.type == "number":
            test = test.where(_compare(column, positive, value))
        else:
            test = test.where(_in_range(column, field, *day_range(positive, value, today)))
    return test

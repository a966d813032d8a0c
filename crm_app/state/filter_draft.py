"""The filter being edited on a list page, as rows the filter builder shows, and its spec.

The builder shows the conditions of the root group, then nested groups (one level), each
with its own AND / OR. ``to_spec`` and ``from_spec`` translate to and from the filter spec
of services.filters, which checks everything again on the server.
"""

from __future__ import annotations

import dataclasses

from crm_app.services.lists.filters import VALUELESS, conditions


@dataclasses.dataclass
class FilterRow:
    field: str = ""
    operator: str = ""
    value: str = ""
    value2: str = ""
    selected: list[str] = dataclasses.field(default_factory=list)
    kind: str = "none"  # which value input the row shows (see value_kind)
    # choices_date: the choices ticked (selected) and a day (value): "has not bought X since <day>"


@dataclasses.dataclass
class FilterGroup:
    op: str = "and"
    rows: list[FilterRow] = dataclasses.field(default_factory=list)


def value_kind(field_type: str, operator: str) -> str:
    if not operator or operator in VALUELESS:
        return "none"
    if operator in ("any_of", "none_of"):
        return "text" if field_type == "tags" else "choices"
    if operator in ("bought", "not_bought"):
        return "choices"
    if operator == "not_bought_since":
        return "choices_date"
    if operator in ("last_days", "next_days"):
        return "days"
    dated = field_type in ("date", "datetime")
    if operator == "between":
        return "pair_date" if dated else "pair_number"
    if dated:
        return "date"
    return "number" if field_type in ("number", "money") else "text"


def new_row(field: str, field_type: str, operators: list[str]) -> FilterRow:
    op = operators[0] if operators else ""
    return FilterRow(field=field, operator=op, kind=value_kind(field_type, op))


def _value(row: FilterRow):
    if row.kind == "choices":
        return list(row.selected)
    if row.kind == "choices_date":
        return {"products": list(row.selected), "since": row.value.strip()}
    if row.kind in ("pair_date", "pair_number"):
        return [row.value.strip(), row.value2.strip()]
    if row.kind == "text" and row.operator in ("any_of", "none_of"):
        return [v.strip() for v in row.value.split(",") if v.strip()]
    return row.value.strip()


def _item(row: FilterRow) -> dict:
    item = {"field": row.field, "operator": row.operator}
    if row.kind != "none":
        item["value"] = _value(row)
    return item


def to_spec(root_op: str, groups: list[FilterGroup]) -> dict:
    """The filter spec of the builder's rows (rows without a field are left out)."""
    items: list[dict] = [_item(r) for r in (groups[0].rows if groups else []) if r.field]
    for group in groups[1:]:
        rows = [_item(r) for r in group.rows if r.field]
        if rows:
            items.append({"op": group.op, "items": rows})
    return {"op": root_op, "items": items}


def _row(item: dict, types: dict[str, str]) -> FilterRow:
    field, op, value = str(item.get("field", "")), str(item.get("operator", "")), item.get("value")
    row = FilterRow(field=field, operator=op, kind=value_kind(types.get(field, "text"), op))
    if row.kind == "choices":
        row.selected = [str(v) for v in value or []]
    elif row.kind == "choices_date" and isinstance(value, dict):
        row.selected = [str(v) for v in value.get("products") or []]
        row.value = str(value.get("since") or "")
    elif row.kind in ("pair_date", "pair_number") and isinstance(value, list) and len(value) == 2:
        row.value, row.value2 = str(value[0]), str(value[1])
    elif isinstance(value, list):
        row.value = ", ".join(str(v) for v in value)
    elif value is not None:
        row.value = str(value)
    return row


def from_spec(spec: dict | None, types: dict[str, str]) -> tuple[str, list[FilterGroup]]:
    """The builder's rows of a stored filter spec (groups nested deeper are shown flattened)."""
    spec = spec or {}
    root = FilterGroup(op="and")
    groups = [root]
    for item in spec.get("items", []):
        if isinstance(item, dict) and "items" in item:
            inner = [_row(i, types) for i in item["items"] if isinstance(i, dict) and "field" in i]
            groups.append(FilterGroup(op=str(item.get("op", "and")), rows=inner))
        elif isinstance(item, dict):
            root.rows.append(_row(item, types))
    return str(spec.get("op", "and")), groups


def count_conditions(spec: dict | None) -> int:
    return len(conditions(spec))

"""A list page's filter builder and saved filters."""

from __future__ import annotations

import reflex as rx

from crm_app.services.errors import ValidationFailed
from crm_app.services.lists import query, saved_filters
from crm_app.services.lists.filters import empty_filter
from crm_app.state.events import non_empty
from crm_app.state.filter_draft import FilterGroup, FilterRow, count_conditions, new_row, to_spec, value_kind


class FilterMixin(rx.State, mixin=True):
    """Part of ListStateMixin: the filter builder."""

    # filter builder
    filter_open: bool = False
    root_op: str = "and"
    groups: list[FilterGroup] = [FilterGroup()]
    saved_filter_options: list[list[str]] = []  # [id, name, scope, "1" when the user may delete it]
    saved_filter_id: str = ""  # the saved filter applied as it was saved ("" once changed)
    filter_name: str = ""
    filter_scope: str = "personal"

    # --- filter builder ----------------------------------------------------------------------

    @rx.event
    def toggle_filter(self):
        self.filter_open = not self.filter_open

    @rx.event
    def set_root_op(self, value: str):
        self.root_op = value if value in ("and", "or") else "and"

    @rx.event
    def set_group_op(self, group: int, value: str):
        if 0 <= group < len(self.groups):
            self.groups[group].op = value if value in ("and", "or") else "and"

    def _default_field(self) -> str:
        return self.filter_fields[0][0] if self.filter_fields else ""

    def _new_row(self, field: str) -> FilterRow:
        return new_row(field, self.field_types.get(field, "text"), [o[0] for o in self.field_ops.get(field, [])])

    @rx.event
    def add_row(self, group: int):
        if 0 <= group < len(self.groups):
            self.groups[group].rows.append(self._new_row(self._default_field()))

    @rx.event
    def add_group(self):
        self.groups.append(FilterGroup(op="or", rows=[self._new_row(self._default_field())]))

    def _row_at(self, group: int, index: int) -> FilterRow | None:
        if 0 <= group < len(self.groups) and 0 <= index < len(self.groups[group].rows):
            return self.groups[group].rows[index]
        return None

    @rx.event
    def remove_row(self, group: int, index: int):
        if self._row_at(group, index) is None:
            return
        rows = self.groups[group].rows
        rows.pop(index)
        if group > 0 and not rows:
            self.groups.pop(group)

    @rx.event
    def set_row_field(self, group: int, index: int, field: str):
        if field in self.field_types and self._row_at(group, index) is not None:
            self.groups[group].rows[index] = self._new_row(field)

    @rx.event
    def set_row_operator(self, group: int, index: int, operator: str):
        row = self._row_at(group, index)
        if row is not None:
            row.operator = operator
            row.kind = value_kind(self.field_types.get(row.field, "text"), operator)

    @rx.event
    def set_row_value(self, group: int, index: int, value: str):
        row = self._row_at(group, index)
        if row is not None:
            row.value = value

    @rx.event
    def set_row_value2(self, group: int, index: int, value: str):
        row = self._row_at(group, index)
        if row is not None:
            row.value2 = value

    @rx.event
    def toggle_row_choice(self, group: int, index: int, value: str):
        row = self._row_at(group, index)
        if row is None:
            return
        if value in row.selected:
            row.selected.remove(value)
        else:
            row.selected.append(value)

    @rx.event
    def apply_filter(self):
        spec = to_spec(self.root_op, self.groups)
        with self._service() as (session, actor):
            query.ListSpec(entity=self.entity, filter=spec).checked(session, actor)
        if spec != self._filter:
            self.saved_filter_id = ""
        self._filter, self.filter_count, self.dirty = spec, count_conditions(spec), True
        return self._reload()

    @rx.event
    def clear_filter(self):
        self._set_filter(empty_filter())
        self.dirty = True
        return self._reload()

    @rx.event
    def quick_filter(self, column: str):
        """A column header's filter button: a new condition on that column in the filter builder."""
        if column not in self.field_types:
            return
        self.groups[0].rows.append(self._new_row(column))
        self.filter_open = True

    @rx.event
    def set_filter_name(self, value: str):
        self.filter_name = value

    @rx.event
    def set_filter_scope(self, value: str):
        self.filter_scope = value

    @rx.event
    def save_filter(self):
        spec = to_spec(self.root_op, self.groups)
        try:
            with self._service() as (session, actor):
                saved = saved_filters.create(
                    session, actor, self.entity, {"name": self.filter_name, "scope": self.filter_scope}, spec
                )
                self._load_views(session, actor)
        except ValidationFailed as exc:
            return self._first_error(exc)
        self.filter_name, self.saved_filter_id = "", str(saved.id)
        self._filter, self.filter_count, self.dirty = spec, count_conditions(spec), True
        return non_empty(rx.toast.success(self._msg("filter.saved_done")), self._reload())

    @rx.event
    def use_saved_filter(self, filter_id: str):
        """A saved filter applied (shown as chosen until the conditions change); none: no filter."""
        with self._service() as (session, actor):
            spec = saved_filters.get(session, actor, int(filter_id)).filter if filter_id.isdigit() else empty_filter()
        self._set_filter(spec)
        self.saved_filter_id, self.dirty = filter_id if filter_id.isdigit() else "", True
        return self._reload()

    @rx.var
    def saved_filter_deletable(self) -> bool:
        return any(o[0] == self.saved_filter_id and o[3] for o in self.saved_filter_options)

    @rx.var
    def saved_filter_delete_question(self) -> str:
        name = next((o[1] for o in self.saved_filter_options if o[0] == self.saved_filter_id), "")
        return self._msg("filter.delete_question", name=name)

    @rx.event
    def delete_saved_filter(self):
        """The chosen saved filter deleted (its owner or an admin); its conditions stay applied."""
        if not self.saved_filter_id.isdigit():
            return
        with self._service() as (session, actor):
            saved = saved_filters.get(session, actor, int(self.saved_filter_id))
            name = saved.name
            saved_filters.delete(session, actor, saved.id)
            self._load_views(session, actor)
        self.saved_filter_id = ""
        return rx.toast.success(self._msg("filter.deleted", name=name))

"""The state behind every list page: a view (columns, widths, sort, filter, display type, page
size), one page of rows, keyset paging, the selection and bulk actions.

Only the rows shown (one page) live in the state; the spec is handed to services.query.
Views, saved filters and bulk actions are services (views, saved_filters, bulk); this state
only keeps what the page shows. Leads, opportunities and activities reuse it by setting
``entity``.
"""

from __future__ import annotations

import asyncio
from typing import ClassVar

import reflex as rx

from crm_app.i18n import tr
from crm_app.services.errors import ServiceError, ValidationFailed
from crm_app.services.lists import bulk, query, record_lists, saved_filters, views
from crm_app.services.lists.filters import empty_filter
from crm_app.services.pipeline import view_board
from crm_app.services.records.fields import CATALOG_OF, ENTITIES, entity_def
from crm_app.state.board_state import BoardMixin
from crm_app.state.filter_draft import FilterGroup, FilterRow, count_conditions, from_spec, new_row, to_spec, value_kind

DEFAULT_WIDTH = 160
WIDTH_STEP = 40


class ListStateMixin(BoardMixin, mixin=True):
    """Mixed into a SessionState subclass: ``class X(ListStateMixin, SessionState)``. A view whose
    display type is kanban shows the board (BoardMixin) of the view's group field instead of rows."""

    entity: ClassVar[str] = "customer"
    archived_list: ClassVar[bool] = False
    detail_prefix: ClassVar[str] = "/customers/"

    # the spec shown
    columns: list[str] = []
    widths: dict[str, int] = {}
    sort: str = ""
    descending: bool = True
    search: str = ""
    page_size: int = 50
    display_type: str = "table"
    group_by: str = ""
    filter_count: int = 0
    _filter: dict = {}
    # the page
    rows: list[dict[str, str]] = []
    total: int = 0
    total_capped: bool = False
    position: int = 0
    has_before: bool = False
    has_after: bool = False
    loaded: bool = False
    _first_key: tuple | None = None
    _last_key: tuple | None = None
    # the entity's fields, in the user's language
    field_labels: dict[str, str] = {}
    field_types: dict[str, str] = {}
    column_fields: list[list[str]] = []
    filter_fields: list[list[str]] = []
    bulk_fields: list[list[str]] = []
    group_fields: list[list[str]] = []
    field_ops: dict[str, list[list[str]]] = {}
    field_choices: dict[str, list[list[str]]] = {}
    # views
    view_options: list[list[str]] = []
    view_id: str = ""
    view_name: str = ""
    view_scope: str = ""
    view_editable: bool = False
    view_overridden: bool = False
    view_locked: bool = False
    dirty: bool = False
    save_dialog_open: bool = False
    save_name: str = ""
    save_scope: str = "personal"
    save_activate: bool = False
    # column picker
    picker_open: bool = False
    picker_columns: list[str] = []
    picker_widths: dict[str, int] = {}
    drag_index: int = -1
    drop_index: int = -1
    # filter builder
    filter_open: bool = False
    root_op: str = "and"
    groups: list[FilterGroup] = [FilterGroup()]
    saved_filter_options: list[list[str]] = []
    filter_name: str = ""
    filter_scope: str = "personal"
    # selection and bulk actions
    selected_ids: list[str] = []
    all_matching: bool = False
    bulk_open: bool = False
    bulk_kind: str = "add_tags"
    bulk_field: str = ""
    bulk_mode: str = "replace"
    bulk_value: str = ""
    bulk_running: bool = False
    bulk_done: int = 0
    bulk_total: int = 0
    bulk_report: str = ""
    bulk_target: str = ""  # what the action runs on ("3 selected"), kept while the list reloads
    list_options: list[list[str]] = []
    owner_choices: list[list[str]] = []

    # --- the spec -----------------------------------------------------------------------------

    def _spec(self) -> query.ListSpec:
        if not self.columns:
            self.columns = list(ENTITIES[self.entity].default_columns)
        if not self.sort:
            self.sort, self.descending = ENTITIES[self.entity].default_sort
        return query.ListSpec(
            entity=self.entity,
            columns=self.columns,
            sort=self.sort,
            descending=self.descending,
            search=self.search,
            archived=self.archived_list,
            page_size=self.page_size,
            filter=self._filter or None,
        )

    def _view_spec(self) -> dict:
        return {
            "columns": list(self.columns),
            "widths": dict(self.widths),
            "sort": self.sort,
            "descending": self.descending,
            "filter": self._filter or empty_filter(),
            "display_type": self.display_type,
            "group_by": self.group_by,
            "page_size": self.page_size,
        }

    def _apply_view_spec(self, spec: dict) -> None:
        self.columns, self.widths = list(spec["columns"]), dict(spec["widths"])
        self.sort, self.descending = spec["sort"], spec["descending"]
        self.page_size, self.display_type, self.group_by = spec["page_size"], spec["display_type"], spec["group_by"]
        self._set_filter(spec.get("filter") or empty_filter())

    def _set_filter(self, spec: dict) -> None:
        self._filter = spec
        self.filter_count = count_conditions(spec)
        self.root_op, self.groups = from_spec(spec, self.field_types)

    def _load(self, *, after=None, before=None, last=False, recount=True):
        with self.service() as (session, actor):
            spec = self._spec()
            if recount:
                self.total, self.total_capped = query.count_upto(session, actor, spec)
            page = query.fetch_page(session, actor, spec, self.lang, after=after, before=before, last=last)
        self.rows = [{k: ("" if v is None else str(v)) for k, v in row.items()} for row in page.rows]
        self._first_key, self._last_key = page.first_key, page.last_key
        self.has_before, self.has_after = page.has_before, page.has_after
        self.loaded = True

    def _reload(self, recount: bool = True):
        self.position = 0
        self.selected_ids, self.all_matching = [], False
        if self.display_type == "kanban":
            self.rows = []
            failed = self._load_board()
            self.loaded = True
            return failed
        return self._load(recount=recount)

    # --- the kanban display: the board of the view's group field, over the view's filter --------

    def _board_grouping(self, session, actor):
        if self.display_type != "kanban" or not self.group_by:
            return None
        return view_board.grouping(session, actor, self.entity, self.group_by, self.lang)

    def _board_spec(self) -> query.ListSpec:
        return self._spec()

    def _save_move(self, session, actor, card_id, to_key, prev_id, next_id):
        changed = view_board.move(session, actor, self.entity, self.group_by, card_id, to_key, prev_id, next_id)
        return self._moved_to(to_key) if changed else None

    def _load_fields(self, session, actor) -> None:
        entity = entity_def(session, self.entity)
        self.field_labels = {f.name: f.label or self.msg(f"field.{f.name}") for f in entity.fields}
        self.field_types = {f.name: f.type for f in entity.fields}
        self.column_fields = [[f.name, self.field_labels[f.name]] for f in entity.fields if f.column]
        self.filter_fields = [[f.name, self.field_labels[f.name]] for f in entity.fields if f.filter]
        self.bulk_fields = [[f.name, self.field_labels[f.name]] for f in entity.fields if f.bulk]
        self.group_fields = [[f.name, self.field_labels[f.name]] for f in entity.fields if f.type in views.GROUP_TYPES]
        self.field_ops = {f.name: [[op, self.msg(f"op.{op}")] for op in f.operators] for f in entity.fields}
        self.owner_choices = [[str(i), n] for i, n in query.owner_options(session, actor)]
        self.list_options = [
            [str(rl.id), f"{rl.name} ({n})"] for rl, n in record_lists.visible(session, actor, self.entity)
        ]
        choices: dict[str, list[list[str]]] = {}
        for f in entity.fields:
            if f.type == "choice" and f.custom_id is None:
                choices[f.name] = [[v, tr(f"{f.choices}{v}", self.lang)] for v in f.values]
            elif f.type in ("choice", "multichoice"):
                choices[f.name] = [[v, v] for v in f.values]
            elif f.type == "catalog":
                choices[f.name] = [
                    [str(i), n] for i, n in query.catalog_options(session, CATALOG_OF[f.name], self.lang)
                ]
            elif f.type in ("stage", "pipeline"):
                choices[f.name] = [[str(i), n] for i, n in query.reference_options(session, f.type)]
            elif f.type == "user":
                choices[f.name] = self.owner_choices
            elif f.type == "list":
                choices[f.name] = [[i, label.rsplit(" (", 1)[0]] for i, label in self.list_options]
        self.field_choices = choices

    def _load_views(self, session, actor) -> None:
        self.view_options = [[str(v.id), v.name, v.scope] for v in views.visible(session, actor, self.entity)]
        self.saved_filter_options = [
            [str(f.id), f.name, f.scope] for f in saved_filters.visible(session, actor, self.entity)
        ]

    def _show_view(self, session, actor, view) -> None:
        if view is None:
            self.view_id, self.view_name, self.view_scope = "", "", ""
            self.view_editable, self.view_overridden, self.view_locked = False, False, False
            self._apply_view_spec(views.default_spec(self.entity))
        else:
            self.view_id, self.view_name, self.view_scope = str(view.id), view.name, view.scope
            self.view_editable = views.sharing.may_edit(actor, view)
            self.view_overridden = views.override_of(session, actor, view) is not None
            self.view_locked = view.columns_locked
            self._apply_view_spec(views.effective(session, actor, view))
        self.dirty = False

    @rx.event
    def open_page(self):
        """on_load: the user's default view, the first page; ?q= (header search) and ?list= apply."""
        params = self.router.url.query_parameters
        first_visit = not self.loaded
        self.search = params.get("q", self.search if self.loaded else "")
        self.filter_open, self.picker_open, self.bulk_open, self.bulk_report = False, False, False, ""
        # rows of an earlier visit are not shown while this one loads
        self.rows, self.loaded = [], False
        yield
        try:
            with self.service() as (session, actor):
                self._load_fields(session, actor)
                self._load_views(session, actor)
                if first_visit or not self.archived_list:
                    view = None if self.archived_list else views.default_view(session, actor, self.entity)
                    self._show_view(session, actor, view)
        except Exception as exc:  # noqa: BLE001
            yield self.fail(exc)
            return
        list_id = params.get("list", "")
        if list_id.isdigit():
            self._set_filter({"op": "and", "items": [{"field": "lists", "operator": "any_of", "value": [list_id]}]})
            self.dirty = True
        yield self._reload()

    # --- paging and sorting ------------------------------------------------------------------

    @rx.event
    def set_search(self, value: str):
        self.search = value
        return self._reload()

    @rx.event
    def sort_by(self, column: str):
        field = ENTITIES[self.entity].field(column)
        if field is None or not field.sortable:
            return
        if self.sort == column:
            self.descending = not self.descending
        else:
            self.sort, self.descending = column, False
        self.dirty = True
        return self._reload(recount=False)

    @rx.event
    def set_page_size(self, value: str):
        size = int(value) if value.isdigit() else 50
        if size in query.PAGE_SIZES:
            self.page_size = size
            self.dirty = True
            return self._reload(recount=False)

    @rx.event
    def first_page(self):
        self.position = 0
        return self._load(recount=False)

    @rx.event
    def next_page(self):
        if self.has_after:
            self.position += self.page_size
            return self._load(after=self._last_key, recount=False)

    @rx.event
    def prev_page(self):
        if self.has_before:
            self.position = max(0, self.position - self.page_size)
            return self._load(before=self._first_key, recount=False)

    @rx.event
    def last_page(self):
        if self.total_capped:  # the position of the last page is unknown: do not guess it
            return
        remainder = self.total % self.page_size or self.page_size
        self.position = max(0, self.total - remainder)
        return self._load(last=True, recount=False)

    @rx.event
    def open_row(self, row_id: str):
        return rx.redirect(f"{self.detail_prefix}{row_id}")

    @rx.var
    def range_label(self) -> str:
        """ "1–50 / 1.234" ("/ 10.000+" past the count cap): the same in both languages."""
        start = self.position + 1 if self.rows else 0
        more = "+" if self.total_capped else ""
        return f"{_fmt(start)}–{_fmt(self.position + len(self.rows))} / {_fmt(self.total)}{more}"

    @rx.var
    def column_widths(self) -> dict[str, str]:
        return {c: f"{self.widths.get(c, DEFAULT_WIDTH)}px" for c in self.columns}

    @rx.var
    def table_width(self) -> str:
        return f"{sum(self.widths.get(c, DEFAULT_WIDTH) for c in self.columns) + 90}px"

    # --- views -------------------------------------------------------------------------------

    @rx.event
    def choose_view(self, view_id: str):
        with self.service() as (session, actor):
            self._show_view(session, actor, views.get(session, actor, int(view_id)) if view_id.isdigit() else None)
        return self._reload()

    def _after_view_write(self, key: str):
        with self.service() as (session, actor):
            self._load_views(session, actor)
            self._show_view(session, actor, views.get(session, actor, int(self.view_id)))
        return _events(rx.toast.success(self.msg(key)), self._reload())

    @rx.event
    def save_view(self, activate: bool = False):
        """ "Save" / "Save and activate": the view itself, or the user's own version of a shared one."""
        if not self.view_id:
            return self.open_save_dialog(activate)
        with self.service() as (session, actor):
            kind = views.save(session, actor, int(self.view_id), self._view_spec(), activate=activate)
        return self._after_view_write("views.saved" if kind == "shared" else "views.saved_personal")

    @rx.event
    def open_save_dialog(self, activate: bool = False):
        self.save_name, self.save_scope, self.save_activate, self.save_dialog_open = "", "personal", activate, True

    @rx.event
    def close_save_dialog(self):
        self.save_dialog_open = False

    @rx.event
    def set_save_name(self, value: str):
        self.save_name = value

    @rx.event
    def set_save_scope(self, value: str):
        self.save_scope = value

    @rx.event
    def set_save_activate(self, value: bool):
        self.save_activate = value

    @rx.event
    def create_view(self, _form: dict | None = None):
        try:
            with self.service() as (session, actor):
                view = views.create(
                    session,
                    actor,
                    self.entity,
                    {"name": self.save_name, "scope": self.save_scope},
                    self._view_spec(),
                    activate=self.save_activate,
                )
        except ValidationFailed as exc:
            return rx.toast.error(self.msg(next(iter(exc.errors.values()))[0]))
        self.view_id, self.save_dialog_open = str(view.id), False
        return self._after_view_write("views.saved")

    @rx.event
    def reset_view(self):
        with self.service() as (session, actor):
            views.reset_to_shared(session, actor, int(self.view_id))
        return self._after_view_write("views.reset_done")

    @rx.event
    def toggle_lock(self):
        with self.service() as (session, actor):
            views.set_columns_locked(session, actor, int(self.view_id), not self.view_locked)
        return self._after_view_write("views.saved")

    @rx.event
    def delete_view(self):
        with self.service() as (session, actor):
            views.delete(session, actor, int(self.view_id))
            self._load_views(session, actor)
            self._show_view(session, actor, None)
        return _events(rx.toast.success(self.msg("views.deleted")), self._reload())

    @rx.event
    def set_display_type(self, value: str):
        if value not in ("table", "cards", "kanban"):
            return
        self.display_type = value
        if value != "kanban":
            self.group_by = ""
        elif not self.group_by and self.group_fields:
            self.group_by = self.group_fields[0][0]
        self.dirty = True
        return self._reload()

    @rx.event
    def set_group_by(self, value: str):
        if value not in self.field_types:
            return
        self.group_by = value
        self.dirty = True
        return self._reload(recount=False)

    # --- column picker -----------------------------------------------------------------------

    @rx.event
    def open_picker(self):
        self.picker_columns, self.picker_widths = list(self.columns), dict(self.widths)
        self.drag_index = self.drop_index = -1
        self.picker_open = True

    @rx.event
    def close_picker(self):
        self.picker_open = False

    @rx.event
    def toggle_column(self, column: str):
        if column in self.picker_columns:
            if len(self.picker_columns) > 1:
                self.picker_columns.remove(column)
        elif column in self.field_types:
            self.picker_columns.append(column)

    @rx.event
    def start_drag(self, index: int):
        self.drag_index, self.drop_index = index, index

    @rx.event
    def drag_over(self, index: int):
        if self.drag_index >= 0:
            self.drop_index = index

    @rx.event
    def drop_on(self, index: int):
        """The end of a drag: the column dragged moves to where it was dropped."""
        start, self.drag_index, self.drop_index = self.drag_index, -1, -1
        if 0 <= start < len(self.picker_columns) and 0 <= index < len(self.picker_columns) and start != index:
            column = self.picker_columns.pop(start)
            self.picker_columns.insert(index, column)

    @rx.event
    def cancel_drag(self):
        self.drag_index = self.drop_index = -1

    @rx.event
    def resize_column(self, column: str, step: int):
        width = self.picker_widths.get(column, DEFAULT_WIDTH) + step * WIDTH_STEP
        self.picker_widths[column] = max(views.MIN_WIDTH, min(views.MAX_WIDTH, width))

    @rx.event
    def apply_columns(self):
        self.columns = list(self.picker_columns)
        self.widths = {c: w for c, w in self.picker_widths.items() if c in self.columns}
        self.picker_open, self.dirty = False, True
        return self._reload(recount=False)

    @rx.var
    def picker_width_labels(self) -> dict[str, str]:
        return {c: f"{self.picker_widths.get(c, DEFAULT_WIDTH)}px" for c in self.picker_columns}

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
        with self.service() as (session, _actor):
            query.ListSpec(entity=self.entity, filter=spec).checked(session)
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
            with self.service() as (session, actor):
                saved_filters.create(
                    session, actor, self.entity, {"name": self.filter_name, "scope": self.filter_scope}, spec
                )
                self._load_views(session, actor)
        except ValidationFailed as exc:
            return rx.toast.error(self.msg(next(iter(exc.errors.values()))[0]))
        self.filter_name = ""
        self._filter, self.filter_count, self.dirty = spec, count_conditions(spec), True
        return _events(rx.toast.success(self.msg("filter.saved_done")), self._reload())

    @rx.event
    def use_saved_filter(self, filter_id: str):
        if not filter_id.isdigit():
            return
        with self.service() as (session, actor):
            spec = saved_filters.get(session, actor, int(filter_id)).filter
        self._set_filter(spec)
        self.dirty = True
        return self._reload()

    # --- selection ---------------------------------------------------------------------------

    @rx.event
    def toggle_row(self, row_id: str):
        if not row_id.isdigit():
            return
        self.all_matching = False
        if row_id in self.selected_ids:
            self.selected_ids.remove(row_id)
        else:
            self.selected_ids.append(row_id)

    @rx.event
    def toggle_page(self, checked: bool):
        self.all_matching = False
        self.selected_ids = [r["id"] for r in self.rows] if checked else []

    @rx.event
    def select_all_matching(self):
        self.all_matching = True
        self.selected_ids = [r["id"] for r in self.rows]

    @rx.event
    def clear_selection(self):
        self.selected_ids, self.all_matching = [], False

    @rx.var
    def page_selected(self) -> bool:
        return bool(self.rows) and all(r["id"] in self.selected_ids for r in self.rows)

    @rx.var
    def selection_label(self) -> str:
        n = self.total if self.all_matching else len(self.selected_ids)
        more = "+" if self.all_matching and self.total_capped else ""
        return tr("bulk.selected", self.lang, n=f"{_fmt(n)}{more}")

    @rx.var
    def select_all_label(self) -> str:
        more = "+" if self.total_capped else ""
        return tr("bulk.select_all_matching", self.lang, n=f"{_fmt(self.total)}{more}")

    @rx.var
    def bulk_percent(self) -> int:
        return int(self.bulk_done * 100 / self.bulk_total) if self.bulk_total else 0

    # --- bulk actions ------------------------------------------------------------------------

    @rx.event
    def open_bulk(self, kind: str):
        if kind not in bulk.ACTIONS:
            return
        self.bulk_kind, self.bulk_mode, self.bulk_value, self.bulk_report = kind, "replace", "", ""
        self.bulk_done, self.bulk_total = 0, 0
        n = self.total if self.all_matching else len(self.selected_ids)
        more = "+" if self.all_matching and self.total_capped else ""
        self.bulk_target = tr("bulk.selected", self.lang, n=f"{_fmt(n)}{more}")
        self.bulk_field = self.bulk_fields[0][0] if self.bulk_fields else ""
        if kind in ("add_to_list", "remove_from_list") and self.list_options:
            self.bulk_value = self.list_options[0][0]
        if kind == "change_owner" and self.owner_choices:
            self.bulk_value = self.owner_choices[0][0]
        self.bulk_open = True

    @rx.event
    def close_bulk(self):
        if not self.bulk_running:
            self.bulk_open = False

    @rx.event
    def set_bulk_field(self, value: str):
        self.bulk_field, self.bulk_value = value, ""

    @rx.event
    def set_bulk_mode(self, value: str):
        self.bulk_mode = value

    @rx.event
    def set_bulk_value(self, value: str):
        self.bulk_value = value

    def _bulk_request(self) -> tuple[bulk.Selection, bulk.Action]:
        selection = (
            bulk.Selection(spec=self._spec())
            if self.all_matching
            else bulk.Selection(ids=[int(i) for i in self.selected_ids])
        )
        value: object = self.bulk_value
        if self.bulk_kind == "update_field" and self.field_types.get(self.bulk_field) == "multichoice":
            value = [v.strip() for v in self.bulk_value.split(",") if v.strip()]
        return selection, bulk.Action(kind=self.bulk_kind, field=self.bulk_field, mode=self.bulk_mode, value=value)

    @rx.event(background=True)
    async def run_bulk(self):
        """Runs the bulk action chunk by chunk, updating the progress bar, then reports the counts."""
        async with self:
            if self.bulk_running:
                return
            self.bulk_running, self.bulk_done, self.bulk_total, self.bulk_report = True, 0, 0, ""
            selection, action = self._bulk_request()
        failure = None
        result = bulk.Result()
        try:
            with self.service() as (session, actor):
                steps = bulk.run_steps(session, actor, self.entity, selection, action)
                while (step := await asyncio.to_thread(next, steps, None)) is not None:
                    result = step
                    async with self:
                        self.bulk_done, self.bulk_total = step.done, step.total
        except Exception as exc:  # noqa: BLE001
            failure = exc
        async with self:
            self.bulk_running = False
            if failure is not None:
                if isinstance(failure, ValidationFailed):
                    key, params = next(iter(failure.errors.values()))
                    events = rx.toast.error(self.msg(key, **params))
                else:
                    events = self.fail(failure) if isinstance(failure, ServiceError) else None
            else:
                self.bulk_report = self.msg(
                    "bulk.report",
                    changed=_fmt(result.changed),
                    unchanged=_fmt(result.unchanged),
                    skipped=_fmt(result.skipped),
                )
                self._load_fields_quietly()
                events = _events(rx.toast.success(self.bulk_report, duration=8000), self._reload())
        if failure is not None and not isinstance(failure, ServiceError):
            raise failure
        yield events

    def _load_fields_quietly(self) -> None:
        try:
            with self.service() as (session, actor):
                self._load_fields(session, actor)
        except ServiceError:
            pass


def _events(*events) -> list:
    return [e for e in events if e is not None]


def _fmt(n: int) -> str:
    return f"{n:,}".replace(",", ".")

"""The state behind every list page: a view (columns, widths, sort, filter, display type, page
size), one page of rows, keyset paging, the selection and bulk actions.

Only the rows shown (one page) live in the state; the spec is handed to services.query.
Views, saved filters and bulk actions are services (views, saved_filters, bulk); this state
only keeps what the page shows. Leads, opportunities and activities reuse it by setting
``entity``.
"""

from __future__ import annotations

from typing import ClassVar

import reflex as rx

from crm_app.services.errors import ServiceError
from crm_app.services.formatting import fmt_number
from crm_app.services.lists import query, views
from crm_app.services.lists.filters import empty_filter
from crm_app.services.pipeline import view_board
from crm_app.services.records.fields import ENTITIES
from crm_app.state.board_state import BoardMixin
from crm_app.state.entity_fields import EntityFieldsMixin
from crm_app.state.filter_draft import count_conditions, from_spec
from crm_app.state.list_bulk import SelectionBulkMixin
from crm_app.state.list_columns import ColumnsMixin
from crm_app.state.list_filter import FilterMixin
from crm_app.state.list_views import ViewsMixin

DEFAULT_WIDTH = 160
WIDTH_STEP = 40


class ListStateMixin(
    EntityFieldsMixin, ViewsMixin, ColumnsMixin, FilterMixin, SelectionBulkMixin, BoardMixin, mixin=True
):
    """Mixed into a SessionState subclass: ``class X(ListStateMixin, SessionState)``. A view whose
    display type is kanban shows the board (BoardMixin) of the view's group field instead of rows."""

    entity: ClassVar[str] = "customer"
    archived_list: ClassVar[bool] = False
    detail_prefix: ClassVar[str] = "/customers/"
    search_hint: ClassVar[str] = "list.search_placeholder"  # the search box's hint (catalog key)

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
    shown_list: str = ""  # the static list whose members are shown (the filter's only condition)
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
        self._filter, self.saved_filter_id = spec, ""
        self.filter_count = count_conditions(spec)
        self.root_op, self.groups = from_spec(spec, self.field_types)
        self.shown_list = self._list_named(spec)

    def _list_named(self, spec: dict) -> str:
        """The name of the static list whose members the filter shows (its only condition), or ""."""
        items = spec.get("items") or []
        only = items[0] if len(items) == 1 and isinstance(items[0], dict) else {}
        if only.get("field") != "lists" or only.get("operator") != "any_of" or len(only.get("value") or []) != 1:
            return ""
        wanted = str(only["value"][0])
        return next((name for i, name in self.field_choices.get("lists", []) if i == wanted), "")

    def _load(self, *, after=None, before=None, last=False, recount=True):
        with self._service() as (session, actor):
            spec = self._spec()
            if recount:
                self.total, self.total_capped = query.count_upto(session, actor, spec)
            size = (self.total - self.position) if last else None  # what the pages before it leave
            page = query.fetch_page(session, actor, spec, self.lang, after=after, before=before, last=last, size=size)
            rights = query.change_rights(session, actor, spec.entity, [r["id"] for r in page.rows])
        # "_can_edit": the row's own edit controls show only on records the user may change ("all",
        # or "status": an activity's assignee, who may not delete it)
        self.rows = [
            {
                **{k: ("" if v is None else str(v)) for k, v in row.items()},
                "_can_edit": rights.get(row["id"], ""),
            }
            for row in page.rows
        ]
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

    def open_page(self):
        """on_load: the user's default view, the first page; ?q= (header search) and ?list= apply."""
        params = self.router.url.query_parameters
        first_visit = not self.loaded
        self.search = params.get("q", self.search if self.loaded else "")
        if len(self.search) > query.MAX_SEARCH:  # an address typed by hand: the list, unsearched
            self.search = ""
        self.filter_open, self.picker_open, self.bulk_open, self.bulk_report = False, False, False, ""
        # rows of an earlier visit are not shown while this one loads
        self.rows, self.loaded = [], False
        yield
        try:
            with self._service() as (session, actor):
                self._load_fields(session, actor)
                self._load_views(session, actor)
                if first_visit or not self.archived_list:
                    view = None if self.archived_list else views.default_view(session, actor, self.entity)
                    self._show_view(session, actor, view)
        except Exception as exc:  # noqa: BLE001
            yield self._fail(exc)
            return
        list_id = params.get("list", "")
        if list_id.isdigit():  # a list's members: all of them, not those an earlier search left
            self._set_filter({"op": "and", "items": [{"field": "lists", "operator": "any_of", "value": [list_id]}]})
            self.search = params.get("q", "")
            self.dirty = True
        yield self._reload()

    # --- paging and sorting ------------------------------------------------------------------

    @rx.event
    def set_search(self, value: str):
        if len(value) > query.MAX_SEARCH:  # said; the list stays as it was
            return rx.toast.error(self._msg("err.search_too_long", max=query.MAX_SEARCH))
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
        return f"{fmt_number(start)}–{fmt_number(self.position + len(self.rows))} / {fmt_number(self.total)}{more}"

    @rx.var
    def column_widths(self) -> dict[str, str]:
        return {c: f"{self.widths.get(c, DEFAULT_WIDTH)}px" for c in self.columns}

    @rx.var
    def table_width(self) -> str:
        return f"{sum(self.widths.get(c, DEFAULT_WIDTH) for c in self.columns) + 90}px"

    @rx.event
    def follow_language(self):
        """The user switched the language on this page: the column names, the choices and the rows'
        values (read in the former one) are read again in the new one (components.list_view)."""
        if not self.loaded or self.labels_lang == self.lang:
            return None
        self._load_fields_quietly()
        return self._reload(recount=False)

    def _load_fields_quietly(self) -> None:
        try:
            with self._service() as (session, actor):
                self._load_fields(session, actor)
        except ServiceError:
            pass

"""The state behind every list page: a ListSpec, one page of rows, keyset paging.

Only the rows shown (one page) live in the state; the spec is handed to
services.query, which the view builder extends.
"""

from __future__ import annotations

from typing import ClassVar

import reflex as rx

from crm_app.services import query
from crm_app.services.fields import ENTITIES


class ListStateMixin(rx.State, mixin=True):
    """Mixed into a SessionState subclass: ``class X(ListStateMixin, SessionState)``."""

    entity: ClassVar[str] = "customer"
    archived_list: ClassVar[bool] = False
    detail_prefix: ClassVar[str] = "/customers/"

    columns: list[str] = []
    rows: list[dict[str, str]] = []
    sort: str = ""
    descending: bool = True
    search: str = ""
    page_size: int = 50
    total: int = 0
    total_capped: bool = False
    position: int = 0
    has_before: bool = False
    has_after: bool = False
    loaded: bool = False
    _first_key: tuple | None = None
    _last_key: tuple | None = None

    def _spec(self) -> query.ListSpec:
        if not self.columns:
            self.columns = list(ENTITIES[self.entity].default_columns)
        if not self.sort:
            self.sort, self.descending = ENTITIES[self.entity].default_sort
        return query.ListSpec(entity=self.entity, columns=self.columns, sort=self.sort,
                              descending=self.descending, search=self.search, archived=self.archived_list,
                              page_size=self.page_size)

    def _load(self, *, after=None, before=None, last=False, recount=True):
        try:
            with self.service() as (session, actor):
                spec = self._spec()
                if recount:
                    self.total, self.total_capped = query.count_upto(session, actor, spec)
                page = query.fetch_page(session, actor, spec, self.lang, after=after, before=before, last=last)
        except Exception as exc:  # noqa: BLE001 - fail() re-raises what it does not handle
            return self.fail(exc)
        self.rows = [{k: ("" if v is None else str(v)) for k, v in row.items()} for row in page.rows]
        self._first_key, self._last_key = page.first_key, page.last_key
        self.has_before, self.has_after = page.has_before, page.has_after
        self.loaded = True

    @rx.event
    def open_page(self):
        """on_load: the first page, with ?q= from the header search when present."""
        self.search = self.router.url.query_parameters.get("q", self.search if self.loaded else "")
        self.position = 0
        return self._load()

    @rx.event
    def set_search(self, value: str):
        self.search = value
        self.position = 0
        return self._load()

    @rx.event
    def sort_by(self, column: str):
        field = ENTITIES[self.entity].field(column)
        if field is None or not field.sortable:
            return
        if self.sort == column:
            self.descending = not self.descending
        else:
            self.sort, self.descending = column, False
        self.position = 0
        return self._load(recount=False)

    @rx.event
    def set_page_size(self, value: str):
        size = int(value) if value.isdigit() else 50
        if size in query.PAGE_SIZES:
            self.page_size = size
            self.position = 0
            return self._load(recount=False)

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
        """"1–50 / 1.234" ("/ 10.000+" past the count cap): the same in both languages."""
        start = self.position + 1 if self.rows else 0
        more = "+" if self.total_capped else ""
        return f"{_fmt(start)}–{_fmt(self.position + len(self.rows))} / {_fmt(self.total)}{more}"


def _fmt(n: int) -> str:
    return f"{n:,}".replace(",", ".")

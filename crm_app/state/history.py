"""History: a customer's or a contact's History tab, and the system-wide history page (admins and managers)."""

from __future__ import annotations

import reflex as rx

from crm_app.services.errors import NotAllowed, ValidationFailed
from crm_app.services.lists.query import owner_options
from crm_app.services.records import history
from crm_app.services.validation import Cleaner
from crm_app.state.customer_detail import CustomerDetailState
from crm_app.state.session import SessionState

# The filter's fields as its form labels them
LABELS = {
    "user_id": "history.who",
    "entity": "history.record",
    "record": "history.record_name",
    "date_from": "history.from",
    "date_to": "history.to",
}


class HistoryTabMixin(rx.State, mixin=True):
    """The History tab of a record page (state/record_page.py)."""

    changes: list[dict[str, str]] = []

    @rx.event
    def load(self):
        with self._service() as (session, actor):
            self.changes = history.describe(session, history.of_page(session, actor, self._record()), self.lang)


class HistoryTabState(HistoryTabMixin, CustomerDetailState):
    pass


class SystemHistoryState(SessionState):
    rows: list[dict[str, str]] = []
    user_options: list[list[str]] = []
    filters: dict[str, str] = {"user_id": "", "entity": "", "record": "", "date_from": "", "date_to": ""}
    record_id: int = 0  # the record the page was opened on (a record's History tab), until the text changes
    filter_error: str = ""
    denied: str = ""
    pages_back: list[int] = []  # the "before" ids of the pages passed, to go back to the newest
    has_more: bool = False

    def _filter(self) -> history.HistoryFilter:
        c = Cleaner(self.filters)
        flt = history.HistoryFilter(
            user_id=c.integer("user_id"),
            entity=c.choice("entity", ("", *history.RECORD_KINDS)),
            record_id=self.record_id or None,
            record_text=c.text("record", 200),
            date_from=c.day("date_from"),
            date_to=c.day("date_to"),
        )
        c.done()
        if flt.date_from and flt.date_to and flt.date_from > flt.date_to:
            raise ValidationFailed({"date_to": ("err.date_range_reversed", {})})
        return flt

    def _read(self, before_id: int | None):
        try:
            flt = self._filter()
        except ValidationFailed as exc:  # "Mã bản ghi: Phải là số", and no rows of another filter
            self.filter_error = "; ".join(
                f"{self._msg(LABELS.get(name, 'field.' + name))}: {self._msg(k, **p)}"
                for name, (k, p) in exc.errors.items()
            )
            self.rows, self.has_more = [], False
            return
        self.filter_error = ""
        try:
            with self._service() as (session, actor):
                found = history.system(session, actor, flt, before_id=before_id, limit=history.PAGE + 1)
                self.has_more = len(found) > history.PAGE
                self.rows = history.describe(session, found[: history.PAGE], self.lang)
                self.user_options = [[str(i), n] for i, n in owner_options(session, actor)]
        except NotAllowed as exc:
            if exc.key != "err.session_invalid":
                self.denied = self._msg(exc.key)
            return self._fail(exc)

    @rx.event
    def open(self):
        """?entity=customer&record=123 (the link under a record's History tab) preselects the record."""
        params = self.router.url.query_parameters
        self.denied, self.pages_back = "", []
        entity, record = str(params.get("entity", "")), str(params.get("record", ""))
        self.record_id = int(record) if record.isdigit() and entity in history.RECORD_KINDS else 0
        label = ""
        if self.record_id:
            with self._service() as (session, _actor):
                label = history.record_label(session, entity, self.record_id) or f"#{self.record_id}"
        self.filters = {"user_id": "", "entity": entity, "record": label, "date_from": "", "date_to": ""}
        return self._read(None)

    @rx.event
    def set_filter(self, name: str, value: str):
        if name in self.filters:
            self.filters[name] = value
            if name in ("record", "entity"):  # another record: found by what is typed
                self.record_id = 0

    @rx.event
    def apply(self, _form: dict | None = None):
        self.pages_back = []
        return self._read(None)

    @rx.event
    def older(self):
        if self.rows and self.has_more:
            last = int(self.rows[-1]["id"])
            self.pages_back.append(last)
            return self._read(last)

    @rx.event
    def newest(self):
        self.pages_back = []
        return self._read(None)

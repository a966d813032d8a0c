"""The activities module: every activity the user sees, on the list machinery (search, sort,
keyset paging), edited in a dialog; and the same filter as a chart by type, user or week."""

from __future__ import annotations

from datetime import timedelta

import reflex as rx

from crm_app.services.formatting import fmt_date
from crm_app.services.lists import query
from crm_app.services.people import users, work_scope
from crm_app.services.work import activities, dashboard
from crm_app.state.activity_editor import ActivityEditorMixin
from crm_app.state.list_state import ListStateMixin
from crm_app.state.session import SessionState

CHART_WEEKS = 12


class ActivityListState(ActivityEditorMixin, ListStateMixin, SessionState):
    entity = "activity"
    detail_prefix = ""

    show_chart: bool = False
    chart_by: str = "type"
    chart_data: list[dict] = []

    def _reload(self, recount: bool = True):
        """The chart, or the list's first page (the selection cleared, as every list's reload)."""
        # the list's own reload, not the editor mixin's hook (which comes first in the bases)
        return self._load_chart() if self.show_chart else ListStateMixin._reload(self, recount)

    @rx.event
    def open_row(self, row_id: str):
        return self.open_edit(row_id)

    @rx.event
    def set_search(self, value: str):
        self.search = value
        return self._reload()

    def _load_fields(self, session, actor) -> None:
        super()._load_fields(session, actor)
        # an activity's customer may be a person: not the contacts' "Company"
        self.field_labels = {**self.field_labels, "customer_id": self._msg("acts.customer")}

    @rx.event
    def set_show_chart(self, value: str | list[str]):
        value = value if isinstance(value, str) else "".join(value)
        self.show_chart = value == "chart"
        return self._reload()

    @rx.event
    def set_chart_by(self, value: str | list[str]):
        value = value if isinstance(value, str) else "".join(value)
        if value in dashboard.CHART_KEYS:
            self.chart_by = value
            return self._load_chart()

    def _load_chart(self):
        today = work_scope.local_today()
        end = today + timedelta(days=1)
        first = today - timedelta(days=today.weekday() + 7 * (CHART_WEEKS - 1))
        with self._service() as (session, actor):
            filters = query.where_clauses(actor, self._spec())
            rows = dashboard.activities_by(session, actor, None, first, end, self.chart_by, extra=filters)
            if self.chart_by == "type":
                labels = activities.type_labels(session, self.lang)
            elif self.chart_by == "user":
                labels = users.names_by_id(session, [k for k, _ in rows])
            else:
                labels = {k: self._msg("acts.week_of", day=fmt_date(k)[:5]) for k, _ in rows}
        self.chart_data = [{"name": labels.get(k, str(k or "—")), "count": n} for k, n in rows]

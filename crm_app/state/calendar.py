"""The calendar page: a month or week of activities and tasks, filtered by user and team; a day
click adds one, a drop on another day reschedules it."""

from __future__ import annotations

from datetime import date, timedelta

import reflex as rx

from crm_app.services.formatting import fmt_date
from crm_app.services.people import work_scope
from crm_app.services.work import activities, calendar
from crm_app.state.activity_editor import ActivityEditorMixin
from crm_app.state.session import SessionState

SHOWN_PER_DAY = {"month": 4, "week": 30}
MONTH_NAMES_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def item_row(item: calendar.Item, type_labels: dict[str, str]) -> dict:
    label = type_labels.get(item.type_code, item.type_code)
    return {
        "id": str(item.id),
        "time": item.time,
        "title": item.subject,
        "type": item.type_code,
        "status": item.status,
        "tooltip": f"{label} · {item.subject} · {item.customer_name}",
        "movable": item.movable,
    }


class CalendarState(ActivityEditorMixin, SessionState):
    view: str = "month"
    anchor: str = ""  # a day of the period shown (YYYY-MM-DD)
    user_filter: str = ""
    team_filter: str = ""
    days: list[dict] = []
    version: int = 0
    title: str = ""
    user_options: list[list[str]] = []
    team_options: list[list[str]] = []

    def _anchor(self) -> date:
        try:
            return date.fromisoformat(self.anchor)
        except ValueError:
            return work_scope.local_today()

    def _load(self):
        anchor = self._anchor()
        days = calendar.month_grid(anchor.replace(day=1)) if self.view == "month" else calendar.week_of(anchor)
        with self._service() as (session, actor):
            scope = work_scope.scope_of(session, actor, int(self.user_filter or 0), int(self.team_filter or 0))
            items = calendar.items(session, actor, days[0], days[-1] + timedelta(days=1), scope)
            labels = activities.type_labels(session, self.lang)
        by_day: dict[date, list[calendar.Item]] = {}
        for item in items:
            by_day.setdefault(item.day, []).append(item)
        shown, today = SHOWN_PER_DAY[self.view], work_scope.local_today()
        self.days = [
            {
                "key": d.isoformat(),
                "label": str(d.day) if self.view == "month" else fmt_date(d)[:5],
                "muted": self.view == "month" and d.month != anchor.month,
                "today": d == today,
                "items": [item_row(i, labels) for i in by_day.get(d, [])[:shown]],
                "more": max(0, len(by_day.get(d, [])) - shown),
            }
            for d in days
        ]
        self.version += 1
        if self.view == "month":
            self.title = self._msg(
                "cal.month_label", month=anchor.month, year=anchor.year, month_name=MONTH_NAMES_EN[anchor.month - 1]
            )
        else:
            self.title = self._msg("cal.week_label", start=fmt_date(days[0]), end=fmt_date(days[-1]))

    def _reload(self):
        return self._load()

    @rx.event
    def open(self):
        if not self.anchor:
            self.anchor = work_scope.local_today().isoformat()
        with self._service() as (session, actor):
            self.user_options = [[str(i), n] for i, n in work_scope.user_options(session, actor)]
            self.team_options = [[str(i), n] for i, n in work_scope.team_options(session, actor)]
        return self._load()

    def _shift(self, step: int):
        anchor = self._anchor()
        if self.view == "month":
            first = anchor.replace(day=1)
            anchor = (
                (first - timedelta(days=1)).replace(day=1) if step < 0 else (first + timedelta(days=32)).replace(day=1)
            )
        else:
            anchor += timedelta(days=7 * step)
        self.anchor = anchor.isoformat()
        return self._load()

    @rx.event
    def previous(self):
        return self._shift(-1)

    @rx.event
    def following(self):
        return self._shift(1)

    @rx.event
    def go_today(self):
        self.anchor = work_scope.local_today().isoformat()
        return self._load()

    @rx.event
    def set_view(self, view: str | list[str]):
        view = view if isinstance(view, str) else "".join(view)
        if view in SHOWN_PER_DAY:
            self.view = view
            return self._load()

    @rx.event
    def show_week_of(self, day: str):
        """ "+n more" on a busy day of the month: that day's week, where every item shows."""
        self.anchor, self.view = day, "week"
        return self._load()

    @rx.event
    def set_user_filter(self, value: str):
        self.user_filter = value if value.isdigit() else ""
        return self._load()

    @rx.event
    def set_team_filter(self, value: str):
        self.team_filter = value if value.isdigit() else ""
        return self._load()

    @rx.event
    def move(self, item_id: str, day: str):
        """A drop on another day: saved at once; a refused move is shown and the item goes back."""
        try:
            with self._service() as (session, actor):
                activities.reschedule(session, actor, int(item_id), day)
        except Exception as exc:  # noqa: BLE001
            self._load()
            return self._fail(exc)
        self._load()
        return rx.toast.success(self._msg("cal.moved", day=fmt_date(date.fromisoformat(day))))

    @rx.var
    def weekdays(self) -> list[str]:
        return self._msg("cal.weekdays").split(",")

    @rx.var
    def board_labels(self) -> dict[str, str]:
        return {"add": self._msg("cal.add"), "more": self._msg("cal.more")}

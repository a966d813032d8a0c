"""The dashboard (home page after login): my tasks today and overdue, the month's work on a mini
calendar, recently touched customers, and charts — for the user, or for a manager's team or one
member they pick."""

from __future__ import annotations

from datetime import date, timedelta

import reflex as rx

from crm_app import routes
from crm_app.services.customer import customers
from crm_app.services.formatting import fmt_date, fmt_datetime, fmt_number, fmt_vnd, fmt_vnd_short
from crm_app.services.people import users, work_scope
from crm_app.services.work import activities, calendar, dashboard
from crm_app.state.activity_editor import ActivityEditorMixin
from crm_app.state.session import SessionState


def _millions(value: int) -> float:
    return round(value / 1_000_000, 1)


class DashboardState(ActivityEditorMixin, SessionState):
    pick_user: str = ""
    user_options: list[list[str]] = []
    tasks_overdue: list[dict[str, str]] = []
    tasks_today: list[dict[str, str]] = []
    month: str = ""  # first day of the month shown (YYYY-MM-DD)
    month_title: str = ""
    mini_days: list[dict[str, str]] = []
    selected_day: str = ""
    day_items: list[dict[str, str]] = []
    recent: list[dict[str, str]] = []
    kpi: dict[str, str] = {}
    chart_pipeline: list[dict] = []
    chart_leads: list[dict] = []
    chart_won_lost: list[dict] = []
    chart_users: list[dict] = []

    def _scope(self, session, actor):
        return work_scope.scope_of(session, actor, int(self.pick_user or 0))

    def _month_first(self) -> date:
        try:
            return date.fromisoformat(self.month)
        except ValueError:
            return work_scope.local_today().replace(day=1)

    def _load(self):
        today = work_scope.local_today()
        first, _nxt = work_scope.month_bounds(self._month_first())
        this_month = work_scope.month_bounds(today)
        with self._service() as (session, actor):
            scope = self._scope(session, actor)
            tasks = dashboard.open_tasks(session, actor, scope, today)
            busy = dashboard.busy_days(session, actor, scope, first)
            day_items = self._day_items(session, actor, scope)
            person = int(self.pick_user or 0) or actor.id
            recent = dashboard.recent_customers(session, actor, person)
            stages = dashboard.pipeline_by_stage(session, actor, scope, dashboard.default_pipeline_id(session))
            won_lost = dashboard.won_lost(session, actor, scope, *this_month)
            leads = dashboard.leads_by_source(session, actor, scope, *this_month, self.lang)
            per_user = dashboard.activities_per_user(session, actor, scope, *this_month)
            new_customers = dashboard.new_customers(session, actor, scope, *this_month)
            names = users.names_by_id(session, [t.assignee_id for t in tasks])
            customer_names = {t.customer_id: customers.name_of(session, actor, t.customer_id) for t in tasks}
        start_today = work_scope.day_start(today)
        rows = [
            {
                "id": str(t.id),
                "subject": t.subject,
                "due": fmt_datetime(t.due_at),
                "customer": customer_names.get(t.customer_id, ""),
                "customer_id": str(t.customer_id),
                "assignee": names.get(t.assignee_id, ""),
                "overdue": "1" if t.due_at < start_today else "",
            }
            for t in tasks
        ]
        self.tasks_overdue = [r for r in rows if r["overdue"]]
        self.tasks_today = [r for r in rows if not r["overdue"]]
        self.month_title = self._msg(
            "cal.month_label", month=first.month, year=first.year, month_name=first.strftime("%B")
        )
        self.mini_days = [
            {
                "key": d.isoformat(),
                "label": str(d.day),
                "muted": "1" if d.month != first.month else "",
                "busy": "1" if d in busy else "",
                "today": "1" if d == today else "",
            }
            for d in calendar.month_grid(first)
        ]
        self.day_items = day_items
        self.recent = [
            {"id": str(i), "code": code, "name": name, "when": fmt_datetime(when), "url": routes.customer_url(i)}
            for i, code, name, when in recent
        ]
        won, lost = won_lost["won"], won_lost["lost"]
        closed = won[0] + lost[0]
        self.kpi = {
            "new_customers": fmt_number(new_customers),
            "activities": fmt_number(sum(n for _, n in per_user)),
            "pipeline": fmt_vnd_short(sum(s.value for s in stages), self.lang),  # the card's room
            "pipeline_exact": fmt_vnd(sum(s.value for s in stages)),
            "win_rate": f"{round(100 * won[0] / closed)}%" if closed else "—",
            "won_value": fmt_vnd(won[1]),
            "lost_value": fmt_vnd(lost[1]),
        }
        self.chart_pipeline = [{"name": s.name, "value": _millions(s.value), "count": s.count} for s in stages]
        self.chart_leads = [{"name": name, "count": n} for name, n in leads]
        self.chart_won_lost = [{"name": self._msg("dash.deals"), "won": won[0], "lost": lost[0]}]
        self.chart_users = [{"name": name, "count": n} for name, n in per_user]

    def _day_items(self, session, actor, scope) -> list[dict[str, str]]:
        if not self.selected_day:
            return []
        day = date.fromisoformat(self.selected_day)
        labels = activities.type_labels(session, self.lang)
        return [
            {
                "id": str(i.id),
                "time": i.time,
                "title": i.subject,
                "type": labels.get(i.type_code, i.type_code),
                "customer": i.customer_name,
                "status": i.status,
            }
            for i in calendar.items(session, actor, day, day + timedelta(days=1), scope, limit=30)
        ]

    def _reload(self):
        return self._load()

    @rx.event
    def open(self):
        self.month = work_scope.local_today().replace(day=1).isoformat()
        self.selected_day = work_scope.local_today().isoformat()
        with self._service() as (session, actor):
            options = work_scope.user_options(session, actor) if actor.is_manager else []
        self.user_options = [[str(i), n] for i, n in options]
        return self._load()

    @rx.event
    def set_pick_user(self, value: str):
        self.pick_user = value if value.isdigit() else ""
        return self._load()

    @rx.event
    def previous_month(self):
        self.month = (self._month_first() - timedelta(days=1)).replace(day=1).isoformat()
        return self._load()

    @rx.event
    def next_month(self):
        self.month = (self._month_first() + timedelta(days=32)).replace(day=1).isoformat()
        return self._load()

    @rx.event
    def pick_day(self, day: str):
        self.selected_day = day
        with self._service() as (session, actor):
            self.day_items = self._day_items(session, actor, self._scope(session, actor))

    def _done_message_key(self) -> str:
        return "dash.task_done"

    @rx.var
    def selected_day_label(self) -> str:
        return fmt_date(date.fromisoformat(self.selected_day)) if self.selected_day else ""

    @rx.var
    def weekdays(self) -> list[str]:
        return self._msg("cal.weekdays").split(",")

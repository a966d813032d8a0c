"""The signed-in user's unread in-app notifications (a minimal list in the top bar)."""

from __future__ import annotations

import reflex as rx

from crm_app.services import jobs
from crm_app.services.formatting import fmt_datetime
from crm_app.services.work import notifications
from crm_app.state.jobs import JobsState
from crm_app.state.session import SessionState


class NotificationState(SessionState):
    items: list[dict[str, str]] = []
    unread_total: int = 0

    @rx.event
    async def refresh_badges(self):
        """The top bar's badges, the bell's and the jobs panel's, read together when a page shows
        the top bar: one event and one session per page load, not one each."""
        self.unread_total, running = self._user_counts(notifications.unread_count, jobs.running_count)
        (await self.get_state(JobsState)).running = running

    @rx.event
    def load(self, is_open: bool = True):
        if not is_open:
            return
        with self._service() as (session, actor):
            rows = notifications.unread(session, actor.id)
            self.unread_total = notifications.unread_count(session, actor.id)
        self.items = [{"id": str(n.id), "text": n.text, "link": n.link, "at": fmt_datetime(n.created_at)} for n in rows]

    @rx.event
    def open_item(self, notification_id: str):
        if not str(notification_id).isdigit():
            return None
        with self._service() as (session, actor):
            link = notifications.open_one(session, actor.id, int(notification_id))
        self.items = [i for i in self.items if i["id"] != notification_id]
        self.unread_total = max(0, self.unread_total - 1)
        return rx.redirect(link) if link else None

    @rx.event
    def mark_all_read(self):
        with self._service() as (session, actor):
            notifications.mark_read(session, actor.id)
        self.items = []
        self.unread_total = 0

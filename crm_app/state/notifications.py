"""The signed-in user's unread in-app notifications (a minimal list in the top bar)."""

from __future__ import annotations

import reflex as rx

from crm_app.services.formatting import fmt_datetime
from crm_app.services.work import notifications
from crm_app.state.session import SessionState


class NotificationState(SessionState):
    items: list[dict[str, str]] = []
    unread_total: int = 0

    @rx.event
    def refresh_count(self):
        """The bell's badge, read when a page shows the top bar."""
        self.unread_total = self._user_count(notifications.unread_count)

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

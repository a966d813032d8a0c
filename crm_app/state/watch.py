"""Watching the open customer: its changes reach the watcher's bell."""

from __future__ import annotations

import reflex as rx

from crm_app.services import watchers
from crm_app.state.customer_detail import CustomerDetailState


class CustomerWatchState(CustomerDetailState):
    watching: bool = False

    @rx.event
    def load_watch(self):
        if not self.customer_id:
            return
        try:
            with self.service() as (session, actor):
                self.watching = watchers.is_watching(session, actor, "customer", self.customer_id)
        except Exception as exc:  # noqa: BLE001
            return self.fail(exc)

    @rx.event
    def toggle_watch(self):
        try:
            with self.service() as (session, actor):
                self.watching = watchers.set_watching(session, actor, "customer", self.customer_id, not self.watching)
        except Exception as exc:  # noqa: BLE001
            return self.fail(exc)
        return rx.toast.success(self.msg("watch.on" if self.watching else "watch.off"))

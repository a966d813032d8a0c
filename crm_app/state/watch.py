"""Watching the open record (a customer, a deal, a lead): its changes reach the watcher's bell."""

from __future__ import annotations

from typing import ClassVar

import reflex as rx

from crm_app.services.records import watchers
from crm_app.state.customer_detail import CustomerDetailState
from crm_app.state.leads import LeadFormState
from crm_app.state.opportunities import OpportunityFormState


class WatchMixin(rx.State, mixin=True):
    """Mixed into a record page's substate; ``_watched_id`` names the open record."""

    watch_entity: ClassVar[str] = ""
    watching: bool = False

    def _watched_id(self) -> int:
        raise NotImplementedError

    @rx.event
    def load_watch(self):
        if not self._watched_id():
            return
        with self._service() as (session, actor):
            self.watching = watchers.is_watching(session, actor, self.watch_entity, self._watched_id())

    @rx.event
    def toggle_watch(self):
        with self._service() as (session, actor):
            self.watching = watchers.set_watching(
                session, actor, self.watch_entity, self._watched_id(), not self.watching
            )
        return rx.toast.success(self._msg("watch.on" if self.watching else "watch.off"))


class CustomerWatchState(WatchMixin, CustomerDetailState):
    watch_entity = "customer"

    def _watched_id(self) -> int:
        return self.customer_id


class OpportunityWatchState(WatchMixin, OpportunityFormState):
    watch_entity = "opportunity"

    def _watched_id(self) -> int:
        return self.opp_id


class LeadWatchState(WatchMixin, LeadFormState):
    watch_entity = "lead"

    def _watched_id(self) -> int:
        return self.lead_id

"""States of the customer list and the archive list."""

from __future__ import annotations

import reflex as rx

from crm_app.services.customer import customers
from crm_app.state.export_state import ExportMixin
from crm_app.state.list_state import ListStateMixin
from crm_app.state.session import SessionState


class CustomerListState(ExportMixin, ListStateMixin, SessionState):
    entity = "customer"


class CustomerArchiveState(ListStateMixin, SessionState):
    entity = "customer"
    archived_list = True

    @rx.event
    def restore(self, row_id: str):
        with self._service() as (session, actor):
            customers.set_archived(session, actor, int(row_id), False)
        failed = self._load()
        return failed or rx.toast.success(self._msg("customers.restored"))

"""States of the customer list and the archive list."""

from __future__ import annotations

import reflex as rx

from crm_app import routes
from crm_app.services.customer import customers, deletion, merge
from crm_app.state.export_state import ExportMixin
from crm_app.state.generate import GenerateMixin
from crm_app.state.list_state import ListStateMixin
from crm_app.state.rule_run import RuleRunMixin
from crm_app.state.session import SessionState


class CustomerListState(RuleRunMixin, GenerateMixin, ExportMixin, ListStateMixin, SessionState):
    entity = "customer"

    @rx.event
    def merge_selection(self):
        """The merge dialog on the selected customers (2 to merge.MAX_MERGE, chosen one by one)."""
        n = len(self.selected_ids)
        if self.all_matching or n < 2:
            return rx.toast.error(self._msg("err.merge_two"))
        if n > merge.MAX_MERGE:
            return rx.toast.error(self._msg("err.merge_too_many", max=merge.MAX_MERGE, value=n))
        return rx.redirect(routes.merge_url(self.selected_ids))


class CustomerArchiveState(ListStateMixin, SessionState):
    entity = "customer"
    archived_list = True
    erase_id: int = 0  # the customer whose deletion for good is being confirmed
    erase_question: str = ""

    @rx.event
    def ask_erase(self, row_id: str):
        """The confirmation, naming what goes with the customer and what stays unlinked."""
        with self._service() as (session, actor):
            shown = deletion.preview(session, actor, int(row_id))
        nothing = self._msg("common.nothing")
        self.erase_question = self._msg(
            "customers.erase_question",
            record=shown.label,
            deleted=shown.deleted.label_in(self.lang) or nothing,
            unlinked=shown.unlinked.label_in(self.lang) or nothing,
        )
        self.erase_id = shown.customer_id

    @rx.event
    def cancel_erase(self, _open: bool = False):
        self.erase_id = 0

    @rx.event
    def erase(self):
        with self._service() as (session, actor):
            label = deletion.delete_for_good(session, actor, self.erase_id)
        self.erase_id = 0
        failed = self._load()
        return failed or rx.toast.success(self._msg("customers.erased", record=label))

    @rx.event
    def restore(self, row_id: str):
        with self._service() as (session, actor):
            customers.set_archived(session, actor, int(row_id), False)
        failed = self._load()
        return failed or rx.toast.success(self._msg("customers.restored"))

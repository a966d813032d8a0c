"""The quick-create dialog in the header: a customer with the few fields that matter."""

from __future__ import annotations

import reflex as rx

from crm_app.services.customer import customers
from crm_app.services.errors import ValidationFailed
from crm_app.state.customer_form import saved_events
from crm_app.state.form_state import FormStateMixin
from crm_app.state.session import SessionState


class QuickCreateState(FormStateMixin, SessionState):
    open: bool = False

    @rx.event
    def set_open(self, value: bool):
        self.open = value
        if value:
            self.values = {"kind": "individual", "status": "lead"}
            self.errors = {}

    @rx.event
    def submit(self, form: dict):
        data = {**self.values, **form}
        self.errors = {}
        try:
            with self._service() as (session, actor):
                result = customers.create(session, actor, data)
        except ValidationFailed as exc:
            return self._show_errors(exc)
        self.open = False
        return saved_events(self, result, "customers.created")

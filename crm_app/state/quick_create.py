"""The quick-create dialog in the header: a customer with the few fields that matter."""

from __future__ import annotations

import reflex as rx

from crm_app.services import customers
from crm_app.services.errors import ValidationFailed
from crm_app.state.customer_form import saved_events
from crm_app.state.session import SessionState


class QuickCreateState(SessionState):
    open: bool = False
    values: dict[str, str] = {}
    errors: dict[str, str] = {}

    @rx.event
    def set_open(self, value: bool):
        self.open = value
        if value:
            self.values = {"kind": "individual", "status": "lead"}
            self.errors = {}

    @rx.event
    def set_value(self, name: str, value: str):
        self.values[name] = value

    @rx.event
    def submit(self, form: dict):
        data = {**self.values, **form}
        self.errors = {}
        try:
            with self.service() as (session, actor):
                result = customers.create(session, actor, data)
        except ValidationFailed as exc:
            self.errors = {f: self.msg(k, **p) for f, (k, p) in exc.errors.items()}
            return rx.toast.error(self.msg("err.form_invalid"))
        except Exception as exc:  # noqa: BLE001
            return self.fail(exc)
        self.open = False
        return saved_events(self, result, "customers.created")

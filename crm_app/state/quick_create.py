"""The quick-create dialog in the header: a customer or a contact with the few fields that matter."""

from __future__ import annotations

import reflex as rx

from crm_app import routes
from crm_app.services.customer import contacts, customers
from crm_app.services.errors import ValidationFailed
from crm_app.state.customer_form import saved_events
from crm_app.state.form_state import FormStateMixin
from crm_app.state.record_picker import RecordPickerMixin
from crm_app.state.session import SessionState

QUICK_KINDS = ("customer", "contact")
_START = {"customer": {"kind": "individual", "status": "lead"}, "contact": {}}
# The values one kind's fields share with the other's, and a phone's name on the other side.
_CARRIED = ("full_name", "email", "phones", "mobile")
_SAME_AS = {"phones": "mobile", "mobile": "phones"}


class QuickCreateState(RecordPickerMixin, FormStateMixin, SessionState):
    picker_entity = "contact"  # the contact's company picker (the customer's few fields have none)
    open: bool = False
    kind_of_record: str = "customer"
    new_company: str = ""  # a contact with no company picked: a new one of this name

    def _start(self) -> None:
        self.values, self.errors, self.new_company = dict(_START[self.kind_of_record]), {}, ""
        self.pick_label, self.pick_query, self.pick_options = {}, {}, {}

    @rx.event
    def set_open(self, value: bool):
        self.open = value
        if value:
            self._start()

    @rx.event
    def set_kind_of_record(self, value: str | list[str]):
        value = value if isinstance(value, str) else "".join(value)
        if value in QUICK_KINDS and value != self.kind_of_record:
            typed = self.values
            self.kind_of_record = value
            self._start()
            # what was typed goes along: the name, the e-mail and the phone (a contact's mobile)
            carried = {_SAME_AS.get(k, k): v for k, v in typed.items() if _SAME_AS.get(k, k) in _CARRIED and v}
            self.values = {**self.values, **carried}

    @rx.event
    def set_new_company(self, value: str):
        self.new_company = value

    def _chosen(self, field: str, record_id: str) -> None:
        super()._chosen(field, record_id)
        self.new_company = ""

    @rx.event
    def submit(self, form: dict):
        data = {**self.values, **form}
        self.errors = {}
        try:
            with self._service() as (session, actor):
                if self.kind_of_record == "contact":
                    self._check_picked(typed_elsewhere=("customer_id",) if self.new_company.strip() else ())
                    contact = contacts.create(session, actor, data, new_company_name=self.new_company)
                else:
                    result = customers.create(session, actor, data)
        except ValidationFailed as exc:
            return self._show_errors(exc)
        self.open = False
        if self.kind_of_record == "contact":
            return [rx.toast.success(self._msg("contacts.created")), rx.redirect(routes.contact_url(contact.id))]
        return saved_events(self, result, "customers.created")

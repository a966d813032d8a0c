"""Contact list and the contact form (new / edit) with company and reports-to pickers."""

from __future__ import annotations

import reflex as rx

from crm_app import routes
from crm_app.services.customer import contacts
from crm_app.services.errors import ValidationFailed
from crm_app.services.lists import query
from crm_app.services.records import custom_fields, history
from crm_app.state.export_state import ExportMixin
from crm_app.state.form_state import FormStateMixin
from crm_app.state.form_values import as_form_values
from crm_app.state.list_state import ListStateMixin
from crm_app.state.record_picker import RecordPickerMixin
from crm_app.state.rule_run import RuleRunMixin
from crm_app.state.session import SessionState


class ContactListState(RuleRunMixin, ExportMixin, ListStateMixin, SessionState):
    entity = "contact"
    detail_prefix = "/contacts/"


class ContactFormState(RecordPickerMixin, FormStateMixin, SessionState):
    picker_entity = "contact"
    contact_id: int = 0
    owner_options: list[list[str]] = []
    new_company: str = ""  # no company picked: a new one of this name is created with the contact
    custom_defs: list[list[str]] = []  # [name, label, type, options joined by "|"]
    history: list[dict[str, str]] = []

    def _narrowing(self, field: str) -> dict:
        return {"exclude_id": self.contact_id or None} if field == "reports_to_id" else {}

    def _chosen(self, field: str, record_id: str) -> None:
        super()._chosen(field, record_id)
        if field == "customer_id":
            self.new_company = ""

    @rx.event
    def open(self):
        self.errors, self.new_company = {}, ""
        parts = self.router.url.path.rstrip("/").split("/")
        raw = parts[-2] if parts[-1] == "edit" else parts[-1]  # /contacts/12/edit, or /contacts/new
        self.contact_id = int(raw) if raw.isdigit() else 0
        company_param = self.router.url.query_parameters.get("customer", "")
        try:
            with self._service() as (session, actor):
                self.custom_defs = custom_fields.form_defs(session, "contact")
                self.history = []
                self.can_edit = True
                if self.contact_id:
                    contact = contacts.get(session, actor, self.contact_id)
                    self.can_edit = actor.edits_owner(contact.owner_id)
                    data = contacts.snapshot(session, contact)
                    self.history = history.of_record(session, "contact", self.contact_id, self.lang)
                else:
                    data = {
                        "owner_id": actor.id,
                        "customer_id": int(company_param) if company_param.isdigit() else None,
                        "reports_to_id": None,
                    }
                self.owner_options = query.assignable_options(session, actor, data["owner_id"])
                self._show_references(session, actor, data, drop_unseen=True)
        except Exception as exc:  # noqa: BLE001
            self.values = {}
            return [self._fail(exc), rx.redirect(routes.CONTACTS)]
        self._load_values(as_form_values(data))

    @rx.event
    def set_new_company(self, value: str):
        self.new_company = value

    @rx.event
    def save(self, _form: dict | None = None):
        self.errors = {}
        try:
            self._check_picked(typed_elsewhere=("customer_id",) if self.new_company.strip() else ())
            with self._service() as (session, actor):
                if self.contact_id:
                    contact = contacts.update(session, actor, self.contact_id, dict(self.values))
                else:
                    contact = contacts.create(session, actor, dict(self.values), new_company_name=self.new_company)
        except ValidationFailed as exc:
            return self._show_errors(exc)
        done = "contacts.saved" if self.contact_id else "contacts.created"
        self.contact_id = contact.id
        return [rx.toast.success(self._msg(done)), rx.redirect(routes.CONTACTS)]

    @rx.event
    def archive(self):
        with self._service() as (session, actor):
            contacts.set_archived(session, actor, self.contact_id, True)
        return [rx.toast.success(self._msg("contacts.archived")), rx.redirect(routes.CONTACTS)]

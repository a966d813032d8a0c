"""Contact list and the contact form (new / edit) with company and reports-to pickers."""

from __future__ import annotations

import reflex as rx

from crm_app import routes
from crm_app.services.customer import contacts, customers
from crm_app.services.errors import ValidationFailed
from crm_app.services.lists import query
from crm_app.services.records import custom_fields
from crm_app.state.export_state import ExportMixin
from crm_app.state.form_state import FormStateMixin
from crm_app.state.form_values import as_form_values
from crm_app.state.list_state import ListStateMixin
from crm_app.state.session import SessionState


class ContactListState(ExportMixin, ListStateMixin, SessionState):
    entity = "contact"
    detail_prefix = "/contacts/"


class ContactFormState(FormStateMixin, SessionState):
    contact_id: int = 0
    owner_options: list[list[str]] = []
    company_label: str = ""
    company_query: str = ""
    company_options: list[list[str]] = []
    new_company: str = ""
    boss_label: str = ""
    boss_query: str = ""
    boss_options: list[list[str]] = []
    custom_defs: list[list[str]] = []  # [name, label, type, options joined by "|"]

    def _reset(self) -> None:
        self.errors, self.company_query, self.company_options, self.new_company = {}, "", [], ""
        self.boss_query, self.boss_options = "", []

    @rx.event
    def open(self):
        self._reset()
        raw = self.router.url.path.rstrip("/").split("/")[-1]
        self.contact_id = int(raw) if raw.isdigit() else 0
        company_param = self.router.url.query_parameters.get("customer", "")
        try:
            with self.service() as (session, actor):
                self.owner_options = [[str(i), n] for i, n in query.owner_options(session, actor)]
                self.custom_defs = custom_fields.form_defs(session, "contact")
                if self.contact_id:
                    data = contacts.snapshot(contacts.get(session, actor, self.contact_id), session)
                else:
                    data = {
                        "owner_id": actor.id,
                        "customer_id": int(company_param) if company_param.isdigit() else None,
                    }
                self.company_label = customers.name_of(session, actor, data.get("customer_id"))
                if not self.company_label:
                    data["customer_id"] = None
                boss = data.get("reports_to_id")
                self.boss_label = contacts.get(session, actor, boss).full_name if boss else ""
        except Exception as exc:  # noqa: BLE001
            self.values = {}
            return [self.fail(exc), rx.redirect(routes.CONTACTS)]
        self.values = as_form_values(data)

    @rx.event
    def set_new_company(self, value: str):
        self.new_company = value

    @rx.event
    def search_company(self, text: str):
        self.company_query = text
        with self.service() as (session, actor):
            self.company_options = [[str(i), n] for i, n in customers.pick(session, actor, text)]

    @rx.event
    def choose_company(self, company_id: str, label: str):
        self.values["customer_id"] = company_id
        self.company_label, self.company_options, self.company_query, self.new_company = label, [], "", ""

    @rx.event
    def clear_company(self):
        self.values["customer_id"] = ""
        self.company_label = ""

    @rx.event
    def search_boss(self, text: str):
        self.boss_query = text
        with self.service() as (session, actor):
            self.boss_options = [
                [str(i), n] for i, n in contacts.pick(session, actor, text, exclude_id=self.contact_id or None)
            ]

    @rx.event
    def choose_boss(self, boss_id: str, label: str):
        self.values["reports_to_id"] = boss_id
        self.boss_label, self.boss_options, self.boss_query = label, [], ""

    @rx.event
    def clear_boss(self):
        self.values["reports_to_id"] = ""
        self.boss_label = ""

    @rx.event
    def save(self, _form: dict | None = None):
        self.errors = {}
        try:
            with self.service() as (session, actor):
                if self.contact_id:
                    contact = contacts.update(session, actor, self.contact_id, dict(self.values))
                else:
                    contact = contacts.create(session, actor, dict(self.values), new_company_name=self.new_company)
        except ValidationFailed as exc:
            return self.show_errors(exc)
        done = "contacts.saved" if self.contact_id else "contacts.created"
        self.contact_id = contact.id
        return [rx.toast.success(self.msg(done)), rx.redirect(routes.CONTACTS)]

    @rx.event
    def archive(self):
        with self.service() as (session, actor):
            contacts.set_archived(session, actor, self.contact_id, True)
        return [rx.toast.success(self.msg("contacts.archived")), rx.redirect(routes.CONTACTS)]

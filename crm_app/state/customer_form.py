"""The full customer form: create, edit and clone (Nhân bản)."""

from __future__ import annotations

import reflex as rx

from crm_app import routes
from crm_app.models.customer import DEFAULT_COUNTRY, GENDERS, KINDS, STATUSES
from crm_app.services.customer import customers
from crm_app.services.errors import ValidationFailed
from crm_app.services.lists import query
from crm_app.services.records import custom_fields
from crm_app.state.form_state import FormStateMixin
from crm_app.state.form_values import as_form_values
from crm_app.state.record_picker import RecordPickerMixin
from crm_app.state.session import SessionState


def saved_events(state: SessionState, result: customers.SaveResult, key: str) -> list:
    """Toasts after a save (with a warning per record sharing a phone or email), then the record."""
    events = [rx.toast.success(state._msg(key, code=result.customer.code))]
    for match in result.warnings:
        events.append(
            rx.toast.warning(
                state._msg("customers.warning_same_contact", by=state._msg(f"field.{match.by}"))
                + f": {match.code} – {match.full_name}",
                duration=10000,
            )
        )
    events.append(rx.redirect(routes.customer_url(result.customer.id)))
    return events


class CustomerFormState(RecordPickerMixin, FormStateMixin, SessionState):
    picker_entity = "customer"
    customer_id: int = 0
    code: str = ""
    category_options: list[list[str]] = []
    source_options: list[list[str]] = []
    owner_options: list[list[str]] = []
    saving: bool = False
    custom_defs: list[list[str]] = []  # [name, label, type, options joined by "|"]

    def _load_options(self, session, actor) -> None:
        self.category_options = [[str(i), n] for i, n in query.catalog_options(session, "category", self.lang)]
        self.source_options = [[str(i), n] for i, n in query.catalog_options(session, "source", self.lang)]
        self.custom_defs = custom_fields.form_defs(session, "customer")

    def _route_id(self, name: str) -> int:
        raw = (
            self.router.url.query_parameters.get(name, "")
            if name == "clone"
            else self.router.url.path.rstrip("/").split("/")[-2 if name == "edit" else -1]
        )
        return int(raw) if str(raw).isdigit() else 0

    @rx.event
    def open_new(self):
        self.errors, self.customer_id, self.code = {}, 0, ""
        clone_id = self._route_id("clone")
        with self._service() as (session, actor):
            self._load_options(session, actor)
            if clone_id:
                data = customers.clone_values(session, actor, clone_id)
            else:
                data = {"kind": "individual", "status": "lead", "country": DEFAULT_COUNTRY, "owner_id": actor.id}
                data["assigned_to_id"] = None
            self.owner_options = query.assignable_options(session, actor, data["owner_id"])
            self._show_references(session, actor, data)
        self._load_values(as_form_values(data))

    @rx.event
    def open_edit(self):
        self.errors = {}
        self.customer_id = self._route_id("edit")
        try:
            with self._service() as (session, actor):
                self._load_options(session, actor)
                customer = customers.get(session, actor, self.customer_id, change=True)
                data = {**customers.snapshot(session, customer), "old_province": customer.old_province}
                self.code = customer.code
                self.owner_options = query.assignable_options(session, actor, data["owner_id"])
                self._show_references(session, actor, data)
        except Exception as exc:  # noqa: BLE001
            self.values = {}
            return [self._fail(exc), rx.redirect(routes.CUSTOMERS)]
        self._load_values(as_form_values(data))

    def _narrowing(self, field: str) -> dict:
        """An organisation for a person, a person's organisation for an organisation; never itself."""
        return {"other_than_kind": self.values.get("kind", "individual"), "exclude_id": self.customer_id or None}

    @rx.event
    def save(self, _form: dict | None = None):
        self.errors = {}
        try:
            with self._service() as (session, actor):
                if self.customer_id:
                    result = customers.update(session, actor, self.customer_id, dict(self.values))
                else:
                    result = customers.create(session, actor, dict(self.values))
        except ValidationFailed as exc:
            return self._show_errors(exc)
        return saved_events(self, result, "customers.saved" if self.customer_id else "customers.created")

    @rx.var
    def kind_options(self) -> list[list[str]]:
        return [[k, self.t[f"kind.{k}"]] for k in KINDS]

    @rx.var
    def status_options(self) -> list[list[str]]:
        return [[s, self.t[f"status.{s}"]] for s in STATUSES]

    @rx.var
    def gender_options(self) -> list[list[str]]:
        return [[g, self.t[f"gender.{g}"]] for g in GENDERS if g]

"""Admin: custom fields of customers and contacts."""

from __future__ import annotations

import reflex as rx

from crm_app.services.errors import NotAllowed, ValidationFailed
from crm_app.services.people.permissions import require_admin
from crm_app.services.records import custom_fields
from crm_app.state.form_state import FormStateMixin
from crm_app.state.session import SessionState


class CustomFieldsState(FormStateMixin, SessionState):
    fields: list[list[str]] = []  # [id, entity, key, label, type, options, active]
    denied: str = ""  # why the page is not shown (not an admin)

    def _refresh(self, session) -> None:
        self.fields = [
            [str(f.id), f.entity, f"cf_{f.key}", f.label, f.type, ", ".join(f.options), "1" if f.active else ""]
            for entity in ("customer", "contact")
            for f in custom_fields.fields_of(session, entity, active_only=False)
        ]

    @rx.event
    def open(self):
        self.values, self.errors = {"entity": "customer", "type": "text"}, {}
        try:
            with self._service() as (session, actor):
                require_admin(actor)
                self._refresh(session)
        except NotAllowed as exc:
            self.fields = []
            return self._refused(exc)
        self.denied = ""

    @rx.event
    def create(self, _form: dict | None = None):
        self.errors = {}
        try:
            with self._service() as (session, actor):
                custom_fields.create(session, actor, self.values.get("entity", ""), dict(self.values))
                self._refresh(session)
        except ValidationFailed as exc:
            return self._show_errors(exc)
        self.values = {"entity": self.values.get("entity", "customer"), "type": "text"}
        return rx.toast.success(self._msg("cf.created"))

    @rx.event
    def toggle(self, field_id: str, active: str):
        with self._service() as (session, actor):
            custom_fields.set_active(session, actor, int(field_id), not active)
            self._refresh(session)

"""Admin: e-mail templates, the product catalog and the activity types (list, add, edit in a dialog)."""

from __future__ import annotations

import reflex as rx

from crm_app.services.errors import NotAllowed, ValidationFailed
from crm_app.services.formatting import fmt_vnd
from crm_app.services.mail import mail
from crm_app.services.people.permissions import require_admin
from crm_app.services.pipeline import sales
from crm_app.services.records import catalogs
from crm_app.state.form_state import FormStateMixin
from crm_app.state.session import SessionState

KINDS = ("template", "product", "activity_type")


class CatalogAdminState(FormStateMixin, SessionState):
    templates: list[dict[str, str]] = []
    products: list[dict[str, str]] = []
    activity_types: list[dict[str, str]] = []
    dialog_kind: str = ""  # "template", "product" or "" (closed)
    editing_id: int = 0
    denied: str = ""

    def _refresh(self, session) -> None:
        self.templates = [
            {"id": str(t.id), "name": t.name, "subject": t.subject, "body": t.body, "active": "1" if t.active else ""}
            for t in mail.templates(session, active_only=False)
        ]
        self.products = [
            {
                "id": str(p.id),
                "code": p.code,
                "name": p.name,
                "unit": p.unit,
                "unit_price": str(p.unit_price),
                "price": fmt_vnd(p.unit_price),
                "active": "1" if p.active else "",
            }
            for p in sales.products(session, active_only=False)
        ]
        self.activity_types = [
            {
                "id": str(i.id),
                "code": i.code,
                "label_vi": i.label_vi,
                "label_en": i.label_en,
                "active": "1" if i.active else "",
            }
            for i in catalogs.items(session, "activity_type", active_only=False)
        ]

    @rx.event
    def open(self):
        self.denied = ""
        try:
            with self._service() as (session, actor):
                require_admin(actor)
                self._refresh(session)
        except NotAllowed as exc:
            if exc.key != "err.session_invalid":
                self.denied = self._msg(exc.key)
            return self._fail(exc)

    @rx.event
    def open_dialog(self, kind: str, row_id: str):
        if kind not in KINDS:
            return
        rows = {"template": self.templates, "product": self.products, "activity_type": self.activity_types}[kind]
        row = next((r for r in rows if r["id"] == row_id), None)
        self.values = dict(row) if row else {"active": "1"}
        self.errors, self.editing_id, self.dialog_kind = {}, int(row_id or 0), kind

    @rx.event
    def close_dialog(self, _open: bool = False):
        self.dialog_kind = ""

    @rx.event
    def save(self):
        data = {**self.values, "active": self.values.get("active") == "1"}
        try:
            with self._service() as (session, actor):
                if self.dialog_kind == "template":
                    mail.save_template(session, actor, data, self.editing_id or None)
                elif self.dialog_kind == "product":
                    sales.save_product(session, actor, data, self.editing_id or None)
                else:
                    catalogs.save_item(session, actor, "activity_type", data, self.editing_id or None)
                self._refresh(session)
        except ValidationFailed as exc:
            return self._show_errors(exc)
        self.dialog_kind = ""
        return rx.toast.success(self._msg("common.saved"))

    @rx.var
    def placeholder_hint(self) -> str:
        return self._msg("mail.placeholders_hint", names=", ".join("{{" + n + "}}" for n in mail.PLACEHOLDERS))

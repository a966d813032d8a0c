"""The Products tab of the open customer: what it bought in its orders, and the services entered
by hand (add, edit in a dialog, delete with a confirmation)."""

from __future__ import annotations

import reflex as rx

from crm_app.models.customer_product import SERVICE_STATUSES
from crm_app.services.customer import customer_products
from crm_app.services.errors import ValidationFailed
from crm_app.services.formatting import fmt_date, fmt_number, fmt_vnd
from crm_app.services.pipeline import sales
from crm_app.state.confirm_delete import ConfirmDeleteMixin
from crm_app.state.customer_detail import CustomerDetailState

SERVICE_FIELDS = ("product_id", "start_date", "end_date", "status", "note")


class CustomerProductsState(ConfirmDeleteMixin, CustomerDetailState):
    bought: list[dict[str, str]] = []
    services: list[dict[str, str]] = []
    dialog_open: bool = False
    editing_id: int = 0
    draft: dict[str, str] = {}
    draft_errors: dict[str, str] = {}
    product_options: list[list[str]] = []  # [id, "name (code)"]

    @rx.event
    def load(self):
        with self._service() as (session, actor):
            rows = customer_products.of_customer(session, actor, self.customer_id)
            names = customer_products.product_names(session, [r.product_id for r in rows])
        self.bought = [
            {
                "id": str(r.id),
                "product": names.get(r.product_id, ""),
                "quantity": fmt_number(r.quantity),
                "first": fmt_date(r.first_purchase),
                "last": fmt_date(r.last_purchase),
                "total": fmt_vnd(r.total),
            }
            for r in rows
            if r.source == "order"
        ]
        self.services = [
            {
                "id": str(r.id),
                "product": names.get(r.product_id, ""),
                "product_id": str(r.product_id),
                "start": fmt_date(r.start_date),
                "end": fmt_date(r.end_date),
                "start_date": r.start_date.isoformat() if r.start_date else "",
                "end_date": r.end_date.isoformat() if r.end_date else "",
                "status": r.status,
                "status_label": self._msg(f"cp.status.{r.status}"),
                "note": r.note,
            }
            for r in rows
            if r.source == "service"
        ]

    def _open(self, draft: dict[str, str], editing_id: int, product: str = ""):
        """The dialog, with the products on sale (and the service's own, when no longer sold)."""
        with self._service() as (session, _actor):
            options = [[str(p.id), f"{p.name} ({p.code})"] for p in sales.products(session)]
        if draft["product_id"] and all(o[0] != draft["product_id"] for o in options):
            options.append([draft["product_id"], product])
        self.product_options = options
        self.draft, self.draft_errors, self.editing_id, self.dialog_open = draft, {}, editing_id, True

    @rx.event
    def open_new(self):
        self._open({"product_id": "", "start_date": "", "end_date": "", "status": SERVICE_STATUSES[0], "note": ""}, 0)

    @rx.event
    def open_edit(self, row_id: str):
        row = next((r for r in self.services if r["id"] == row_id), None)
        if row is not None:
            self._open({name: row[name] for name in SERVICE_FIELDS}, int(row_id), row["product"])

    @rx.event
    def set_dialog_open(self, value: bool):
        self.dialog_open = value

    @rx.event
    def set_draft(self, name: str, value: str):
        if name in SERVICE_FIELDS:
            self.draft = {**self.draft, name: value}
            self.draft_errors = {k: v for k, v in self.draft_errors.items() if k != name}

    @rx.event
    def save(self):
        try:
            with self._service() as (session, actor):
                if self.editing_id:
                    customer_products.update_service(session, actor, self.editing_id, self.draft)
                else:
                    customer_products.create_service(session, actor, self.customer_id, self.draft)
        except ValidationFailed as exc:
            self.draft_errors = {name: self._msg(key, **params) for name, (key, params) in exc.errors.items()}
            return
        self.dialog_open = False
        self.load()
        return rx.toast.success(self._msg("cp.saved"))

    @rx.var
    def status_options(self) -> list[list[str]]:
        return [[s, self._msg(f"cp.status.{s}")] for s in SERVICE_STATUSES]

    def _delete_record(self, session, actor, record_id: int) -> None:
        customer_products.delete_service(session, actor, record_id)

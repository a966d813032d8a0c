"""Quotes and orders of the open customer: the list with product lines and totals, and a dialog
that makes a quote or an order from the product catalog."""

from __future__ import annotations

import reflex as rx

from crm_app.models.sales import DOCUMENT_STATUSES
from crm_app.services.errors import ValidationFailed
from crm_app.services.formatting import fmt_date, fmt_number, fmt_vnd
from crm_app.services.numbers import read_money
from crm_app.services.pipeline import sales
from crm_app.state.customer_detail import CustomerDetailState


def _int(text: str) -> int:
    """A number typed in the dialog as its preview counts it (0 until it reads as one: saving
    says why not)."""
    try:
        return max(0, int(float(read_money(text) or 0)))
    except ValueError:
        return 0


class SalesState(CustomerDetailState):
    documents: list[dict[str, str]] = []
    dialog_open: bool = False
    kind: str = "quote"
    lines: list[dict[str, str]] = []  # product_id, quantity, unit_price (as typed)
    note: str = ""
    doc_date: str = ""
    form_error: str = ""
    product_options: list[list[str]] = []  # [id, "name (code)", unit price]

    @rx.event
    def load(self):
        with self._service() as (session, actor):
            docs = sales.of_customer(session, actor, self.customer_id)
            lines = sales.lines_by_document(session, [d.id for d in docs])
        self.documents = [
            {
                "id": str(d.id),
                "kind_code": d.kind,
                "kind": self._msg(f"sales.kind.{d.kind}"),
                "code": d.code,
                "date": fmt_date(d.doc_date),
                "status_code": d.status,
                "status": self._msg(f"sales.status.{d.status}"),
                "total": fmt_vnd(d.total),
                "lines": "; ".join(f"{ln.description} × {ln.quantity}" for ln in lines.get(d.id, [])),
            }
            for d in docs
        ]

    @rx.event
    def open_new(self, kind: str):
        with self._service() as (session, _actor):
            self.product_options = [
                [str(p.id), f"{p.name} ({p.code})", fmt_number(p.unit_price)] for p in sales.products(session)
            ]
        self.kind = kind if kind in DOCUMENT_STATUSES else "quote"
        self.lines = [{"product_id": "", "quantity": "1", "unit_price": ""}]
        self.note, self.doc_date, self.form_error, self.dialog_open = "", "", "", True

    @rx.event
    def set_dialog_open(self, value: bool):
        self.dialog_open = value

    @rx.event
    def set_line(self, index: int, name: str, value: str):
        if 0 <= index < len(self.lines) and name in ("product_id", "quantity", "unit_price"):
            line = dict(self.lines[index])
            line[name] = value
            if name == "product_id":
                line["unit_price"] = next((o[2] for o in self.product_options if o[0] == value), "")
            self.lines[index] = line
            self.form_error = ""

    @rx.event
    def add_line(self):
        self.lines.append({"product_id": "", "quantity": "1", "unit_price": ""})

    @rx.event
    def remove_line(self, index: int):
        if 0 <= index < len(self.lines):
            self.lines.pop(index)

    @rx.event
    def set_note(self, value: str):
        self.note = value

    @rx.event
    def set_doc_date(self, value: str):
        self.doc_date = value

    @rx.event
    def save(self):
        data = {
            "note": self.note,
            "doc_date": self.doc_date,
            "lines": [
                {
                    "product_id": ln["product_id"],
                    "quantity": ln["quantity"],
                    "unit_price": ln["unit_price"],  # as typed: the service reads it or says why not
                }
                for ln in self.lines
            ],
        }
        try:
            with self._service() as (session, actor):
                doc = sales.create_document(session, actor, self.customer_id, self.kind, data)
        except ValidationFailed as exc:
            self.form_error = "; ".join(self._msg(k, **p) for k, p in exc.errors.values())
            return
        self.dialog_open = False
        self.load()
        return [rx.toast.success(self._msg("sales.created", code=doc.code)), CustomerDetailState.refresh_header]

    @rx.event
    def order_from_quote(self, quote_id: str):
        with self._service() as (session, actor):
            doc = sales.order_from_quote(session, actor, int(quote_id))
        self.load()
        return [rx.toast.success(self._msg("sales.created", code=doc.code)), CustomerDetailState.refresh_header]

    @rx.event
    def set_status(self, doc_id: str, status: str):
        with self._service() as (session, actor):
            sales.set_status(session, actor, int(doc_id), status)
        self.load()
        return CustomerDetailState.refresh_header

    def _amount(self, line: dict[str, str]) -> int:
        """A line's amount as it will be saved: an empty price is the product's catalog price."""
        price = line["unit_price"]
        if price == "":
            price = next((o[2] for o in self.product_options if o[0] == line["product_id"]), "")
        return _int(line["quantity"]) * _int(price)

    @rx.var
    def line_amounts(self) -> list[str]:
        return [fmt_vnd(self._amount(ln)) for ln in self.lines]

    @rx.var
    def form_total(self) -> str:
        return fmt_vnd(sum(self._amount(ln) for ln in self.lines))

    @rx.var
    def status_choices(self) -> dict[str, list[list[str]]]:
        return {
            kind: [[s, self._msg(f"sales.status.{s}")] for s in statuses]
            for kind, statuses in DOCUMENT_STATUSES.items()
        }

"""Opportunities or orders made in bulk for the customers of a list's selection ("Sinh", seed 002 §7).

What to make is chosen once and checked before any record is written (``check``); each
customer's opportunity or order then goes through the same service as one made by hand
(rights, the customer's History tab, its last purchase date), and a customer the actor may not
change is skipped and counted by the bulk run that calls ``make``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from crm_app.models import Customer
from crm_app.services.errors import NotAllowed, ValidationFailed
from crm_app.services.formatting import fmt_date
from crm_app.services.people.permissions import Actor
from crm_app.services.people.work_scope import local_today
from crm_app.services.pipeline import opportunities, pipelines, sales
from crm_app.services.records import children
from crm_app.services.validation import Cleaner

KINDS = ("generate_opportunity", "generate_order")
MAX_LINES = 20


@dataclass(frozen=True)
class DealTemplate:
    """One opportunity per customer, named "<name> – <customer's name>"."""

    name: str
    pipeline_id: int
    stage_id: int
    value: int
    expected_close: date | None


@dataclass(frozen=True)
class OrderTemplate:
    lines: tuple[dict, ...]  # checked order lines (sales.checked_lines)
    doc_date: date


def check(session: Session, actor: Actor, kind: str, chosen: object) -> DealTemplate | OrderTemplate:
    """The template of what ``kind`` makes, checked; refused naming the wrong value."""
    if not isinstance(chosen, dict):
        raise ValidationFailed({"value": ("err.invalid_choice", {})})
    if kind == "generate_order":
        raw = chosen.get("lines")
        if not isinstance(raw, list) or len(raw) > MAX_LINES or not all(isinstance(x, dict) for x in raw):
            raise ValidationFailed({"lines": ("err.lines_required", {})})
        lines = sales.checked_lines(session, raw)
        _refuse_repeated_products(lines)
        return OrderTemplate(tuple(lines), local_today())
    c = Cleaner(chosen)
    pipeline_id, stage_id = c.integer("pipeline_id"), c.integer("stage_id")
    c.done()
    values = opportunities.clean({k: chosen.get(k) for k in ("name", "value", "expected_close")})
    if values["expected_close"] is not None and values["expected_close"] < local_today():
        # made for many customers at once, a deal closing in the past is a mistyped year or month
        raise ValidationFailed(
            {"expected_close": ("err.close_date_past", {"value": fmt_date(values["expected_close"])})}
        )
    try:
        pipeline = pipelines.get(session, actor, pipeline_id) if pipeline_id is not None else None
    except NotAllowed:
        pipeline = None
    if pipeline is None:
        raise ValidationFailed({"pipeline_id": ("err.invalid_choice", {})})
    stage = next((s for s in pipelines.stages(session, pipeline.id) if s.id == stage_id), None)
    if stage is None or stage.outcome == "lost":  # a lost deal needs its own reason, never one for all
        raise ValidationFailed({"stage_id": ("err.invalid_choice", {})})
    return DealTemplate(values["name"], pipeline.id, stage.id, values["value"], values["expected_close"])


def _refuse_repeated_products(lines: list[dict]) -> None:
    """A product on two lines is refused, naming it and both lines: the lines carry no price of
    their own, so the user means one line with the quantities added up (said in the message)."""
    first_line: dict[int, int] = {}
    for line in lines:
        number = line["position"] + 1
        first = first_line.setdefault(line["product_id"], number)
        if first != number:
            params = {"name": line["description"], "first": first, "line": number}
            raise ValidationFailed({"lines": ("err.line_product_repeated", params)})


def make(session: Session, actor: Actor, template: DealTemplate | OrderTemplate, customer_id: int) -> None:
    """The customer's opportunity or order (NotAllowed: a customer the actor may not change)."""
    customer = children.customer_for(session, actor, customer_id)
    if customer.archived:
        raise NotAllowed()
    if isinstance(template, OrderTemplate):
        status = sales.DOCUMENT_STATUSES["order"][0]
        sales.store_document(
            session,
            actor,
            customer,
            "order",
            [dict(x) for x in template.lines],
            status=status,
            doc_date=template.doc_date,
        )
        return
    opportunities.create(session, actor, _deal_data(template, customer))


def _deal_data(template: DealTemplate, customer: Customer) -> dict:
    return {
        "name": f"{template.name} – {customer.full_name}"[:200],
        "customer_id": str(customer.id),
        "pipeline_id": str(template.pipeline_id),
        "stage_id": str(template.stage_id),
        "value": str(template.value),
        "expected_close": template.expected_close.isoformat() if template.expected_close else "",
        "owner_id": str(customer.owner_id or ""),  # the customer's salesperson owns its deal
    }

"""Opportunities of the open customer: the list on the Deals tab and the "new opportunity"
dialog of the header, with the customer filled in."""

from __future__ import annotations

from datetime import timedelta

import reflex as rx

from crm_app import routes
from crm_app.models._base import utcnow
from crm_app.services.errors import ValidationFailed
from crm_app.services.formatting import VN_OFFSET, fmt_date, fmt_vnd
from crm_app.services.pipeline import opportunities, opportunity_orders, pipelines
from crm_app.state.customer_detail import CustomerDetailState
from crm_app.state.form_state import FormStateMixin

EXPECTED_CLOSE_DAYS = 30  # the default expected close of a new deal: a month from today
OUTCOME_COLORS = {"open": "blue", "won": "green", "lost": "red"}


class CustomerOpportunitiesState(FormStateMixin, CustomerDetailState):
    deals: list[dict[str, str]] = []
    deal_dialog_open: bool = False
    pipeline_options: list[list[str]] = []
    stage_options: list[list[str]] = []

    @rx.event
    def load(self):
        with self._service() as (session, actor):
            rows = opportunity_orders.of_customer(session, actor, self.customer_id)
        self.deals = [
            {
                "id": str(d.id),
                "name": d.name,
                "stage": d.stage,
                "outcome": d.outcome,
                "color": OUTCOME_COLORS.get(d.outcome, "gray"),
                "value": fmt_vnd(d.value),
                "expected_close": fmt_date(d.expected_close),
                "owner": d.owner,
                "order": d.order_code,
                "url": routes.opportunity_url(d.id),
            }
            for d in rows
        ]

    def _stages(self, session, pipeline_id: str) -> None:
        stages = pipelines.stages(session, int(pipeline_id)) if pipeline_id.isdigit() else []
        self.stage_options = [[str(s.id), s.name] for s in stages if s.outcome == "open"]
        self.values["stage_id"] = self.stage_options[0][0] if self.stage_options else ""

    @rx.event
    def open_new(self):
        """Sensible defaults: named after the customer, the first pipeline and its first stage,
        closing in a month, owned by the user."""
        with self._service() as (session, actor):
            self.pipeline_options = [[str(p.id), p.name] for p in pipelines.usable(session, actor)]
            first = self.pipeline_options[0][0] if self.pipeline_options else ""
            close = (utcnow() + VN_OFFSET).date() + timedelta(days=EXPECTED_CLOSE_DAYS)
            self.values = {
                "name": self.header.get("name", ""),
                "value": "",
                "pipeline_id": first,
                "expected_close": close.isoformat(),
            }
            self._stages(session, first)
        self.errors, self.deal_dialog_open = {}, True

    @rx.event
    def set_deal_dialog_open(self, value: bool):
        self.deal_dialog_open = value

    @rx.event
    def set_pipeline(self, value: str):
        self.values["pipeline_id"] = value
        self.errors.pop("pipeline_id", None)
        with self._service() as (session, _actor):
            self._stages(session, value)

    @rx.event
    def save_deal(self):
        data = {**self.values, "customer_id": str(self.customer_id)}
        self.errors = {}
        try:
            with self._service() as (session, actor):
                opp = opportunities.create(session, actor, data)
        except ValidationFailed as exc:
            return self._show_errors(exc)
        self.deal_dialog_open = False
        return [
            rx.toast.success(self._msg("opps.created"), description=opp.name),
            CustomerDetailState.select_tab("sales"),
        ]

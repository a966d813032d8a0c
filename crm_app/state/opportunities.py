"""Opportunities: the list, the board of a pipeline (with the lost-reason dialog) and the form."""

from __future__ import annotations

import reflex as rx
from reflex.components.sonner.toast import ToastAction

from crm_app import routes
from crm_app.services.errors import ValidationFailed
from crm_app.services.formatting import fmt_number
from crm_app.services.lists import query
from crm_app.services.pipeline import opportunities, opportunity_orders, pipelines
from crm_app.services.records import history
from crm_app.state.board_state import BoardStateMixin
from crm_app.state.export_state import ExportMixin
from crm_app.state.form_state import FormStateMixin
from crm_app.state.form_values import as_form_values
from crm_app.state.list_state import ListStateMixin
from crm_app.state.off_loop import in_thread
from crm_app.state.record_picker import RecordPickerMixin
from crm_app.state.rule_run import RuleRunMixin
from crm_app.state.session import SessionState


class OpportunityListState(RuleRunMixin, ExportMixin, ListStateMixin, SessionState):
    entity = "opportunity"
    detail_prefix = "/opportunities/"


class OpportunityBoardState(BoardStateMixin, SessionState):
    pipeline_id: str = ""
    pipeline_options: list[list[str]] = []
    lost_open: bool = False
    lost_reason_id: str = ""
    lost_reasons: list[list[str]] = []
    lost_error: str = ""
    _pending: tuple | None = None

    def _entity(self) -> str:
        return "opportunity"

    def _grouping(self, session, actor):
        if not self.pipeline_id.isdigit():
            return None
        pipelines.get(session, actor, int(self.pipeline_id))
        return opportunities.grouping(session, int(self.pipeline_id))

    def _awaiting_answer(self) -> bool:
        return self._pending is not None

    def _save_move(self, session, actor, card_id, to_key, prev_id, next_id, reason=None):
        stage = next((c for c in self.board_columns if c["key"] == to_key), None)
        opp = opportunities.get(session, actor, card_id)
        if stage is not None and stage["outcome"] == "lost" and str(opp.stage_id) != to_key and reason is None:
            # ask why first; the card stays where it was dropped until the answer or cancel
            self._pending = (card_id, to_key, prev_id, next_id)
            self.lost_reasons = [[str(i), n] for i, n in opportunities.lost_reasons(session, self.lang)]
            self.lost_reason_id, self.lost_error, self.lost_open = "", "", True
            return None
        result = opportunities.move(session, actor, card_id, int(to_key), prev_id, next_id, lost_reason_id=reason)
        if not result.stage_changed:
            return None
        if result.won:  # the toast offers the deal's order at once
            return rx.toast.success(
                self._msg("opps.won"),
                duration=10_000,
                action=ToastAction(
                    label=self._msg("deals.make_order"), on_click=OpportunityBoardState.make_order(str(card_id))
                ),
            )
        if reason is not None:
            return rx.toast.success(self._msg("opps.lost"))
        return rx.toast.success(self._msg("board.moved", stage=stage["label"] if stage else ""))

    @rx.event
    async def open_board(self):
        # async only to reach the list page's state; the reading runs off the loop
        return await in_thread(self._open_board, await self.get_state(OpportunityListState))

    def _open_board(self, listed):
        self.lost_open = False
        self._take_list_view(listed)
        with self._service() as (session, actor):
            usable = pipelines.usable(session, actor)
        self.pipeline_options = [[str(p.id), p.name] for p in usable]
        wanted = self.router.url.query_parameters.get("pipeline", self.pipeline_id)
        ids = [o[0] for o in self.pipeline_options]
        self.pipeline_id = wanted if wanted in ids else (ids[0] if ids else "")
        return self._load_board()

    @rx.event
    def set_pipeline(self, value: str):
        self.pipeline_id = value
        return self._load_board()

    @rx.event
    def set_lost_reason(self, value: str):
        self.lost_reason_id, self.lost_error = value, ""

    @rx.event
    def confirm_lost(self):
        if self._pending is None:
            self.lost_open = False
            return
        card_id, to_key, prev_id, next_id = self._pending
        try:
            with self._service() as (session, actor):
                event = self._save_move(
                    session, actor, card_id, to_key, prev_id, next_id, reason=self.lost_reason_id or ""
                )
        except ValidationFailed as exc:
            key, params = next(iter(exc.errors.values()))
            self.lost_error = self._msg(key, **params)
            return
        except Exception as exc:  # noqa: BLE001
            self.lost_open, self._pending = False, None
            failed = self._fail(exc)
            self._load_board()
            return failed
        self.lost_open, self._pending = False, None
        return self._load_board() or event

    @rx.event
    def cancel_lost(self):
        self.lost_open, self._pending = False, None
        return self._load_board()

    @rx.event
    def make_order(self, card_id: str):
        """The order of a deal just won on the board (from the toast)."""
        with self._service() as (session, actor):
            doc = opportunity_orders.order_from_opportunity(session, actor, int(card_id) if card_id.isdigit() else 0)
        return rx.toast.success(self._msg("deals.order_made", code=doc.code))

    @rx.event
    def open_card(self, card_id: str):
        return rx.redirect(routes.opportunity_url(card_id))


class OpportunityFormState(RecordPickerMixin, FormStateMixin, SessionState):
    picker_entity = "opportunity"
    opp_id: int = 0
    owner_options: list[list[str]] = []
    pipeline_options: list[list[str]] = []
    stage_options: list[list[str]] = []
    _outcomes: dict[str, str] = {}
    lost_reason_options: list[list[str]] = []
    stage_id: str = ""
    stage_outcome: str = "open"
    history: list[dict[str, str]] = []
    won: bool = False  # the stored stage is a won one: the deal may generate an order
    order_code: str = ""  # the order it generated
    order_label: str = ""
    order_url: str = ""

    def _read(self, session, actor):
        self.pipeline_options = [[str(p.id), p.name] for p in pipelines.usable(session, actor)]
        self.lost_reason_options = [[str(i), n] for i, n in opportunities.lost_reasons(session, self.lang)]
        self.can_edit = True
        if self.opp_id:
            opp = opportunities.get(session, actor, self.opp_id)
            self.can_edit = actor.edits_owner(opp.owner_id)
            data = opportunities.snapshot(session, opp)
            self.history = history.of_record(session, "opportunity", opp.id, self.lang)
            order = opportunity_orders.order_of(session, opp.id)
            self.order_code = order.code if order else ""
            self.order_label = self._msg("deals.order_link", code=order.code) if order else ""
            self.order_url = f"{routes.customer_url(order.customer_id)}?tab=sales" if order else ""
        else:
            customer = self.router.url.query_parameters.get("customer", "")
            data = {
                "owner_id": actor.id,
                "pipeline_id": self.pipeline_options[0][0] if self.pipeline_options else "",
                "customer_id": int(customer) if customer.isdigit() else None,
            }
            self.history, self.order_code, self.order_url = [], "", ""
        self.owner_options = query.assignable_options(session, actor, data["owner_id"])
        self._show_references(session, actor, data)
        self._stages(session, str(data.get("pipeline_id") or ""))
        self.values = as_form_values(data)
        self.values["value"] = fmt_number(data["value"]) if data.get("value") else ""
        self.stage_id = str(data.get("stage_id") or (self.stage_options[0][0] if self.stage_options else ""))
        self.values["stage_id"] = self.stage_id
        self._outcome()
        self.won = bool(self.opp_id) and self.stage_outcome == "won"

    def _narrowing(self, field: str) -> dict:
        """A deal's contact person is one of its customer's people."""
        customer = str(self.values.get("customer_id") or "")
        return {"customer_id": int(customer)} if field == "contact_id" and customer.isdigit() else {}

    def _chosen(self, field: str, record_id: str) -> None:
        if field == "customer_id" and record_id != self.values.get("customer_id"):
            self.values["contact_id"] = ""  # another customer's person is no longer offered
            self.pick_label = {**self.pick_label, "contact_id": ""}
        super()._chosen(field, record_id)

    def _stages(self, session, pipeline_id: str) -> None:
        stages = pipelines.stages(session, int(pipeline_id)) if pipeline_id.isdigit() else []
        self.stage_options = [[str(s.id), s.name] for s in stages]
        self._outcomes = {str(s.id): s.outcome for s in stages}

    def _outcome(self) -> None:
        self.stage_outcome = self._outcomes.get(self.values.get("stage_id", ""), "open")

    @rx.event
    def open(self):
        self.errors = {}
        raw = self.router.url.path.rstrip("/").split("/")[-1]
        self.opp_id = int(raw) if raw.isdigit() else 0
        try:
            with self._service() as (session, actor):
                self._read(session, actor)
        except Exception as exc:  # noqa: BLE001
            self.values = {}
            return [self._fail(exc), rx.redirect(routes.OPPORTUNITIES)]

    @rx.event
    def set_pipeline(self, value: str):
        self.values["pipeline_id"] = value
        with self._service() as (session, _actor):
            self._stages(session, value)
        self.values["stage_id"] = self.stage_options[0][0] if self.stage_options else ""
        self._outcome()

    @rx.event
    def set_stage(self, value: str):
        self.values["stage_id"] = value
        self.errors.pop("stage_id", None)
        self._outcome()

    @rx.event
    def make_order(self):
        """The order of this won deal, for its customer and value."""
        with self._service() as (session, actor):
            doc = opportunity_orders.order_from_opportunity(session, actor, self.opp_id)
            self._read(session, actor)
        return rx.toast.success(self._msg("deals.order_made", code=doc.code))

    @rx.event
    def save(self, _form: dict | None = None):
        self.errors = {}
        data = dict(self.values)
        try:
            with self._service() as (session, actor):
                if self.opp_id:
                    opportunities.update(session, actor, self.opp_id, data)
                    if data.get("stage_id") and data["stage_id"] != self.stage_id:
                        opportunities.move(
                            session,
                            actor,
                            self.opp_id,
                            int(data["stage_id"]),
                            lost_reason_id=data.get("lost_reason_id"),
                        )
                    done = "opps.saved"
                else:
                    self.opp_id = opportunities.create(session, actor, data).id
                    done = "opps.created"
                self._read(session, actor)
        except ValidationFailed as exc:
            return self._show_errors(exc)
        return [rx.toast.success(self._msg(done)), rx.redirect(routes.opportunity_url(self.opp_id))]

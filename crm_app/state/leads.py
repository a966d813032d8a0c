"""Leads: the list with bulk conversion, the status board, the form with "Convert"."""

from __future__ import annotations

import reflex as rx

from crm_app import routes
from crm_app.models import Contact, Customer, Opportunity
from crm_app.services.errors import ValidationFailed
from crm_app.services.formatting import fmt_number
from crm_app.services.lists import query
from crm_app.services.pipeline import leads, pipelines
from crm_app.services.records import history
from crm_app.state.board_state import BoardStateMixin
from crm_app.state.export_state import ExportMixin
from crm_app.state.form_state import FormStateMixin
from crm_app.state.form_values import as_form_values
from crm_app.state.list_state import ListStateMixin
from crm_app.state.off_loop import in_thread
from crm_app.state.rule_run import RuleRunMixin
from crm_app.state.session import SessionState

MAX_BULK = 200


class LeadListState(RuleRunMixin, ExportMixin, ListStateMixin, SessionState):
    entity = "lead"
    detail_prefix = "/leads/"

    report: list[dict[str, str]] = []
    report_open: bool = False

    @rx.event
    def bulk_convert(self):
        """Convert the selected rows (at most MAX_BULK), each on its own, and report every row."""
        chosen = [int(i) for i in self.selected_ids if i.isdigit()]
        if not chosen:
            return rx.toast.warning(self._msg("leads.bulk_none"))
        if len(chosen) > MAX_BULK or (self.all_matching and self.total > len(chosen)):
            return rx.toast.warning(self._msg("leads.bulk_too_many", max=MAX_BULK))
        with self._service() as (session, actor):
            rows = leads.bulk_convert(session, actor, chosen)
        self.report = [
            {
                "id": str(r.lead_id),
                "name": r.name,
                "outcome": r.outcome,
                "outcome_label": self._msg(f"leads.outcome.{r.outcome}"),
                "message": self._msg(r.message_key, **r.params),
            }
            for r in rows
        ]
        self.report_open = True
        return self._reload()

    @rx.event
    def close_report(self):
        self.report_open = False


class LeadBoardState(BoardStateMixin, SessionState):
    def _entity(self) -> str:
        return "lead"

    def _grouping(self, session, actor):
        return leads.grouping(self.lang)

    def _save_move(self, session, actor, card_id, to_key, prev_id, next_id):
        before = leads.get(session, actor, card_id).status
        lead = leads.move(session, actor, card_id, to_key, prev_id, next_id)
        if lead.status != before:
            return rx.toast.success(self._msg("board.moved", stage=self._msg(f"lead_status.{lead.status}")))
        return None

    @rx.event
    async def open_board(self):
        # async only to reach the list page's state; the reading runs off the loop
        return await in_thread(self._open_board, await self.get_state(LeadListState))

    def _open_board(self, listed):
        self._take_list_view(listed)
        return self._load_board()

    @rx.event
    def open_card(self, card_id: str):
        return rx.redirect(routes.lead_url(card_id))


class LeadFormState(FormStateMixin, SessionState):
    lead_id: int = 0
    status: str = ""
    owner_options: list[list[str]] = []
    source_options: list[list[str]] = []
    converted: dict[str, str] = {}
    history: list[dict[str, str]] = []
    # the conversion dialog
    convert_open: bool = False
    customer_matches: list[dict[str, str]] = []
    contact_matches: list[dict[str, str]] = []
    customer_choice: str = "new"  # "new" or a customer id
    contact_choice: str = "new"  # "new", "none" or a contact id
    make_opportunity: bool = True
    pipeline_options: list[list[str]] = []
    convert_pipeline: str = ""
    convert_error: str = ""
    new_customer_label: str = ""
    new_contact_label: str = ""

    def _read(self, session, actor):
        self.source_options = [[str(i), n] for i, n in query.catalog_options(session, "source", self.lang)]
        self.can_edit = True
        if self.lead_id:
            lead = leads.get(session, actor, self.lead_id)
            self.can_edit = actor.edits_owner(lead.owner_id)
            data = {**leads.snapshot(lead), "old_province": lead.old_province}
            self.status = lead.status
            self.history = history.of_record(session, "lead", lead.id, self.lang)
            self.converted = self._converted(session, actor, lead)
        else:
            data = {"owner_id": actor.id, "kind": "person", "status": "new"}
            self.status, self.history, self.converted = "new", [], {}
        self.owner_options = query.assignable_options(session, actor, data["owner_id"])
        self._load_values(as_form_values(data))
        self.values["value"] = fmt_number(data["value"]) if data.get("value") else ""

    @staticmethod
    def _converted(session, actor, lead) -> dict[str, str]:
        """Links to what the lead became, for the records the user may open."""
        if lead.status != "converted":
            return {}
        out = {}
        for key, model, rid, name in (
            ("customer", Customer, lead.converted_customer_id, "full_name"),
            ("contact", Contact, lead.converted_contact_id, "full_name"),
            ("opportunity", Opportunity, lead.converted_opportunity_id, "name"),
        ):
            record = session.get(model, rid) if rid else None
            if record is not None and actor.sees_owner(record.owner_id):
                out[f"{key}_id"], out[f"{key}_name"] = str(record.id), getattr(record, name)
        return out

    @rx.event
    def open(self):
        self.errors, self.convert_open = {}, False
        raw = self.router.url.path.rstrip("/").split("/")[-1]
        self.lead_id = int(raw) if raw.isdigit() else 0
        try:
            with self._service() as (session, actor):
                self._read(session, actor)
        except Exception as exc:  # noqa: BLE001
            self.values = {}
            return [self._fail(exc), rx.redirect(routes.LEADS)]

    @rx.event
    def save(self, _form: dict | None = None):
        self.errors = {}
        try:
            with self._service() as (session, actor):
                if self.lead_id:
                    leads.update(session, actor, self.lead_id, dict(self.values))
                    done = "leads.saved"
                else:
                    self.lead_id = leads.create(session, actor, dict(self.values)).id
                    done = "leads.created"
        except ValidationFailed as exc:
            return self._show_errors(exc)
        return [rx.toast.success(self._msg(done)), rx.redirect(routes.lead_url(self.lead_id))]

    # --- conversion -------------------------------------------------------------------------

    @rx.event
    def start_convert(self):
        with self._service() as (session, actor):
            lead = leads.get(session, actor, self.lead_id)
            found = leads.matches(session, actor, lead)
            self.pipeline_options = [[str(p.id), p.name] for p in pipelines.usable(session, actor)]
            self.new_customer_label = self._msg("leads.create_customer", name=leads.customer_name(lead))
            self.new_contact_label = self._msg("leads.create_contact", name=lead.full_name)
        by = {"phone": self._msg("leads.match_by_phone"), "email": self._msg("leads.match_by_email")}
        self.customer_matches = [
            {
                "id": str(m["id"]),
                "label": self._msg("leads.link_customer", code=m["code"], name=m["name"]),
                "detail": f"{by[m['by']]} · {m['owner']}",
                "visible": "1" if m["visible"] else "",
            }
            for m in found.customers
        ]
        self.contact_matches = [
            {"id": str(m["id"]), "label": self._msg("leads.link_contact", name=m["name"]), "detail": m["owner"]}
            for m in found.contacts
        ]
        # the customer the duplicate rule names is the one to link; else a new one
        first = next((m for m in found.customers if m["visible"] and m["same_name"]), None)
        self.customer_choice = str(first["id"]) if first else "new"
        self.contact_choice = str(found.contacts[0]["id"]) if found.contacts else "new"
        self.make_opportunity = True
        self.convert_pipeline = self.pipeline_options[0][0] if self.pipeline_options else ""
        self.convert_error, self.convert_open = "", True

    @rx.event
    def set_customer_choice(self, value: str):
        self.customer_choice = value

    @rx.event
    def set_contact_choice(self, value: str):
        self.contact_choice = value

    @rx.event
    def set_make_opportunity(self, value: bool):
        self.make_opportunity = value

    @rx.event
    def set_convert_pipeline(self, value: str):
        self.convert_pipeline = value

    @rx.event
    def close_convert(self):
        self.convert_open = False

    @rx.event
    def convert(self):
        self.convert_error = ""
        contact_id = int(self.contact_choice) if self.contact_choice.isdigit() else None
        try:
            with self._service() as (session, actor):
                leads.convert(
                    session,
                    actor,
                    self.lead_id,
                    customer_id=int(self.customer_choice) if self.customer_choice.isdigit() else None,
                    contact_id=contact_id,
                    create_contact=self.contact_choice == "new",
                    create_opportunity=self.make_opportunity,
                    opportunity={"pipeline_id": self.convert_pipeline} if self.convert_pipeline else None,
                )
                self._read(session, actor)
        except ValidationFailed as exc:
            key, params = next(iter(exc.errors.values()))
            self.convert_error = self._msg(key, **params)
            return
        self.convert_open = False
        return rx.toast.success(self._msg("leads.converted"))

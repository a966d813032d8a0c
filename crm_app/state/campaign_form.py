"""The dialog that creates a campaign (from the list) or edits its header (on its page), through
the campaign service (its checks, rights and history)."""

from __future__ import annotations

import reflex as rx

from crm_app import routes
from crm_app.models.campaign import CAMPAIGN_KINDS, CAMPAIGN_STATUSES
from crm_app.services.campaigns import campaigns
from crm_app.services.errors import ValidationFailed
from crm_app.services.lists import query
from crm_app.state.form_values import as_form_values

FORM_FIELDS = ("name", "kind", "status", "start_date", "end_date", "budget", "owner_id", "description")


class CampaignFormMixin(rx.State, mixin=True):
    campaign_id: int = 0  # the campaign of the page (0: the list)
    form_open: bool = False
    form_id: int = 0  # the campaign edited (0: a new one)
    draft: dict[str, str] = {}
    draft_errors: dict[str, str] = {}
    owner_options: list[list[str]] = []

    def _open_form(self, session, actor, values: dict[str, str], campaign_id: int) -> None:
        self.owner_options = [[str(i), n] for i, n in query.owner_options(session, actor)]
        self.draft, self.draft_errors, self.form_id, self.form_open = values, {}, campaign_id, True

    @rx.event
    def open_new_campaign(self):
        with self._service() as (session, actor):
            blank = dict.fromkeys(FORM_FIELDS, "")
            self._open_form(
                session, actor, {**blank, "kind": "email", "status": "planned", "owner_id": str(actor.id)}, 0
            )

    @rx.event
    def open_edit_campaign(self):
        if not self.campaign_id:
            return
        with self._service() as (session, actor):
            campaign = campaigns.get(session, actor, self.campaign_id, change=True)
            values = as_form_values({name: getattr(campaign, name) for name in FORM_FIELDS})
            self._open_form(session, actor, values, campaign.id)

    @rx.event
    def set_form_open(self, value: bool):
        self.form_open = value

    @rx.event
    def set_draft(self, name: str, value: str):
        if name in FORM_FIELDS:
            self.draft = {**self.draft, name: value}
            self.draft_errors = {k: v for k, v in self.draft_errors.items() if k != name}

    @rx.event
    def save_campaign(self):
        try:
            with self._service() as (session, actor):
                if self.form_id:
                    campaigns.update(session, actor, self.form_id, self.draft)
                    saved_id = self.form_id
                else:
                    saved_id = campaigns.create(session, actor, self.draft).id
        except ValidationFailed as exc:
            self.draft_errors = {name: self._msg(key, **params) for name, (key, params) in exc.errors.items()}
            return
        self.form_open = False
        if not self.form_id:
            return [
                rx.toast.success(self._msg("campaign.created", name=self.draft.get("name", ""))),
                rx.redirect(routes.campaign_url(saved_id)),
            ]
        return [rx.toast.success(self._msg("common.saved")), *self._campaign_saved()]

    def _campaign_saved(self) -> list:
        """What the page does once its campaign's header is saved (its page: reads it again)."""
        return []

    @rx.var
    def kind_options(self) -> list[list[str]]:
        return [[k, self._msg(f"campaign.kind.{k}")] for k in CAMPAIGN_KINDS]

    @rx.var
    def status_options(self) -> list[list[str]]:
        return [[s, self._msg(f"campaign.status.{s}")] for s in CAMPAIGN_STATUSES]

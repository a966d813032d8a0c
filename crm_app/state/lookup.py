"""Customer lookup (Tra cứu khách hàng): any signed-in user checks whether a value is anywhere
in the CRM and who owns it (services.customer.lookup)."""

from __future__ import annotations

import reflex as rx

from crm_app import routes
from crm_app.services.customer import lookup
from crm_app.services.errors import ValidationFailed
from crm_app.services.formatting import fmt_date
from crm_app.state.off_loop import on_loop
from crm_app.state.session import SessionState


class LookupState(SessionState):
    text: str = ""
    hits: list[dict[str, str]] = []
    looked_up: str = ""  # the value the shown answer is about ('' before the first lookup)
    error: str = ""

    @rx.event
    def open(self):
        self.text, self.hits, self.looked_up, self.error = "", [], "", ""

    @rx.event
    @on_loop
    def set_text(self, value: str):
        self.text, self.error = value, ""

    @rx.event
    def look_up(self, _form: dict | None = None):
        try:
            with self._service() as (session, actor):
                found = lookup.look_up(session, actor, self.text)
        except ValidationFailed as exc:
            key, params = next(iter(exc.errors.values()))
            self.error, self.hits, self.looked_up = self._msg(key, **params), [], ""
            return
        self.error, self.looked_up = "", self.text.strip()
        self.hits = [
            {
                "entity": self._msg(f"entity.{h.entity}"),
                "by": self._msg(f"lookup.by.{h.by}"),
                "owner": h.owner or self._msg("lookup.no_owner"),
                "teams": h.teams,
                "created": fmt_date(h.created_at),
                "label": h.label,
                "url": routes.record_url(h.entity, h.record_id) if h.record_id else "",
            }
            for h in found
        ]

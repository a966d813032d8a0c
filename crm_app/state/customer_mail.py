"""E-mails of the open customer: compose from a template or as free text, the sent mail and the
outbox. Delivery runs in the background so that the page never waits for the SMTP server."""

from __future__ import annotations

import asyncio

import reflex as rx

from crm_app.db import session_scope
from crm_app.models import Customer
from crm_app.services.errors import ValidationFailed
from crm_app.services.formatting import fmt_datetime
from crm_app.services.mail import mail, outbox
from crm_app.services.people import users
from crm_app.settings import settings
from crm_app.state.customer_detail import CustomerDetailState
from crm_app.state.form_state import FormStateMixin


def deliver_now() -> mail.Delivery:
    with session_scope() as session:
        return mail.deliver_outbox(session)


class MailState(FormStateMixin, CustomerDetailState):
    messages: list[dict[str, str]] = []
    template_options: list[list[str]] = []
    blocked: str = ""  # why this customer cannot be emailed ("" when it can)
    to_addr: str = ""
    outbox: int = 0
    sending: bool = False
    draft_customer_id: int = 0  # whose draft the compose form holds

    @rx.event
    def load(self):
        with self._service() as (session, actor):
            rows = mail.of_customer(session, actor, self.customer_id)
            customer = session.get(Customer, self.customer_id)
            names = users.names_by_id(session, {m.created_by_id for m in rows})
            self.template_options = [[str(t.id), t.name] for t in mail.templates(session)]
            self.outbox = outbox.outbox_count(session)
        self.to_addr = customer.email
        self.blocked = (
            self._msg("mail.opted_out")
            if customer.email_opt_out
            else self._msg("mail.no_address")
            if not customer.email
            else ""
        )
        self.messages = [
            {
                "id": str(m.id),
                "to": m.to_addr,
                "subject": m.subject,
                "body": m.body,
                "status_code": m.status,
                "status": self._msg(f"mail.status.{m.status}"),
                "at": fmt_datetime(m.sent_at or m.created_at),
                "by": names.get(m.created_by_id, ""),
                "error": m.error,
            }
            for m in rows
        ]
        if not self.values or self.draft_customer_id != self.customer_id:
            # a draft (maybe filled in from a template for another customer) stays with its customer
            self.values, self.errors = {"template_id": "", "subject": "", "body": ""}, {}
            self.draft_customer_id = self.customer_id

    @rx.event
    def pick_template(self, template_id: str):
        self.values["template_id"] = template_id
        if not template_id:
            return
        with self._service() as (session, actor):
            subject, body = mail.preview(session, actor, self.customer_id, int(template_id))
        self.values = {"template_id": template_id, "subject": subject, "body": body}
        self.errors = {}

    @rx.event
    def send(self):
        try:
            with self._service() as (session, actor):
                mail.compose(session, actor, self.customer_id, dict(self.values))
        except ValidationFailed as exc:
            return self._show_errors(exc)
        self.values, self.errors = {"template_id": "", "subject": "", "body": ""}, {}
        self.load()
        return [rx.toast.info(self._msg("mail.queued")), MailState.deliver]

    @rx.event(background=True)
    async def deliver(self):
        async with self:
            if self.sending:
                return
            self.sending = True
        try:
            result = await asyncio.to_thread(deliver_now)
        finally:
            async with self:
                self.sending = False
        async with self:
            self.load()
            if result.sent:
                return rx.toast.success(self._msg("mail.sent_ok", n=result.sent))
            if not settings.smtp_configured:
                return rx.toast.warning(self._msg("mail.waiting"))

    @rx.var
    def placeholder_hint(self) -> str:
        return self._msg("mail.placeholders_hint", names=", ".join("{{" + n + "}}" for n in mail.PLACEHOLDERS))

    @rx.var
    def outbox_label(self) -> str:
        return self._msg("mail.outbox_count", n=self.outbox)

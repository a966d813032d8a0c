"""E-mails of the open record (a customer, or a contact: those written to it): compose from a
template or as free text, the sent mail and the outbox. Delivery runs in the background so that
the page never waits for the SMTP server."""

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


# why a customer or a contact cannot be e-mailed, as the tab says it
BLOCKED = {
    ("customer", "err.email_opt_out"): "mail.opted_out",
    ("customer", "err.customer_no_email"): "mail.no_address",
    ("contact", "err.email_opt_out"): "mail.contact_opted_out",
    ("contact", "err.contact_no_email"): "mail.contact_no_address",
}


class MailTabMixin(FormStateMixin, mixin=True):
    """The E-mails tab of a record page (state/record_page.py)."""

    messages: list[dict[str, str]] = []
    template_options: list[list[str]] = []
    blocked: str = ""  # why this customer or contact cannot be emailed ("" when it can)
    to_addr: str = ""
    outbox: int = 0
    sending: bool = False
    draft_record: str = ""  # whose draft the compose form holds ("customer:12")

    @rx.event
    def load(self):
        entity, record_id = self._record()
        with self._service() as (session, actor):
            rows = mail.of_record(session, actor, (entity, record_id))
            self._follow_page_rights(session, actor)
            names = users.names_by_id(session, {m.created_by_id for m in rows})
            self.template_options = [[str(t.id), t.name] for t in mail.templates(session)]
            self.outbox = outbox.outbox_count(session)
            company = session.get(Customer, self.home_customer_id) if self.home_customer_id else None
            to_addr, refused = mail.recipient(session, company, self.home_contact_id or None) if company else ("", "")
        self.to_addr = to_addr
        if company is None:  # a contact without a company (or at one the user may not see)
            self.blocked = self._msg(self.home_refusal)
        else:
            self.blocked = self._msg(BLOCKED[(entity, refused)]) if refused else ""
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
        if not self.values or self.draft_record != f"{entity}:{record_id}":
            # a draft (maybe filled in from a template for another customer) stays with its record
            self.values, self.errors = {"template_id": "", "subject": "", "body": ""}, {}
            self.draft_record = f"{entity}:{record_id}"

    @rx.event
    def pick_template(self, template_id: str):
        self.values["template_id"] = template_id
        if not template_id:
            return
        with self._service() as (session, actor):
            subject, body = mail.preview(session, actor, self._home()[0], int(template_id))
        self.values = {"template_id": template_id, "subject": subject, "body": body}
        self.errors = {}

    @rx.event
    def send(self):
        try:
            with self._service() as (session, actor):
                customer_id, contact_id = self._home()
                mail.compose(session, actor, customer_id, dict(self.values), contact_id=contact_id)
        except ValidationFailed as exc:
            return self._show_errors(exc)
        self.values, self.errors = {"template_id": "", "subject": "", "body": ""}, {}
        self.load()
        return [rx.toast.info(self._msg("mail.queued")), type(self).deliver]

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


class MailState(MailTabMixin, CustomerDetailState):
    pass

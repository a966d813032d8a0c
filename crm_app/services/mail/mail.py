"""E-mail to customers: templates with placeholders, compose, the outbox and SMTP delivery.

A message is first stored in the outbox (status "outbox") in the same transaction as the rest
of the action; ``deliver_outbox`` then sends what waits, over the SMTP server configured in the
environment (settings.smtp_*). Without a server, mail stays in the outbox, visible on the
record, and goes out on the next delivery once a server is configured. Internal mail (to staff,
e.g. a task assignment) has no customer.
"""

from __future__ import annotations

import re
import smtplib
import ssl
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage as MimeMessage
from email.utils import formataddr, make_msgid

import sqlalchemy as sa
from sqlmodel import Session, select

from crm_app.models import CampaignMember, Contact, Customer, EmailMessage, EmailTemplate, User
from crm_app.models._base import utcnow
from crm_app.services.errors import ServiceError, ValidationFailed
from crm_app.services.formatting import fmt_date
from crm_app.services.people.permissions import Actor, require_admin
from crm_app.services.people.work_scope import local_today
from crm_app.services.records import audit, children
from crm_app.services.validation import Cleaner
from crm_app.services.work import activities
from crm_app.settings import Settings, settings

ENTITY = "email"
TEMPLATE_ENTITY = "emailtemplate"
MAX_ATTEMPTS = 3
STALE_CLAIM = timedelta(minutes=10)
PLACEHOLDERS = (
    "customer_name",
    "customer_code",
    "customer_email",
    "customer_phone",
    "customer_address",
    "owner_name",
    "owner_email",
    "sender_name",
    "today",
)
_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_]+)\s*\}\}")


# --- templates -------------------------------------------------------------------------------


def unknown_placeholders(text: str) -> list[str]:
    return sorted({name for name in _PLACEHOLDER.findall(text) if name not in PLACEHOLDERS})


def render(text: str, values: dict[str, str]) -> str:
    """Replace every {{name}} by its value; unknown names are kept as typed."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def placeholder_values(session: Session, customer: Customer, actor: Actor) -> dict[str, str]:
    owner = session.get(User, customer.owner_id) if customer.owner_id else None
    return {
        "customer_name": customer.full_name,
        "customer_code": customer.code,
        "customer_email": customer.email,
        "customer_phone": customer.phone,
        "customer_address": customer.address,
        "owner_name": owner.full_name if owner else "",
        "owner_email": owner.email if owner else "",
        "sender_name": actor.full_name,
        "today": fmt_date(local_today()),
    }


def _clean_template(data: dict) -> dict:
    c = Cleaner(data)
    values = {
        "name": c.text("name", 120, required=True),
        "subject": c.text("subject", 300, required=True),
        "body": c.text("body", 20000, required=True, multiline=True),
        "active": c.flag("active"),
    }
    for fld in ("subject", "body"):
        unknown = unknown_placeholders(values[fld])
        if unknown:
            c.error(fld, "err.unknown_placeholder", names=", ".join(unknown))
    c.done()
    return values


def save_template(session: Session, actor: Actor, data: dict, template_id: int | None = None) -> EmailTemplate:
    require_admin(actor)
    values = _clean_template(data)
    clash = session.exec(select(EmailTemplate.id).where(EmailTemplate.name == values["name"])).first()
    if clash is not None and clash != template_id:
        raise ValidationFailed({"name": ("err.name_taken", {})})
    if template_id is None:
        template = EmailTemplate(**values)
        session.add(template)
        session.flush()
        before: dict = {}
        action = "create"
    else:
        template = session.get(EmailTemplate, template_id)
        if template is None:
            raise ServiceError("err.not_found")
        before = {k: getattr(template, k) for k in values}
        for k, v in values.items():
            setattr(template, k, v)
        template.updated_at = utcnow()
        session.add(template)
        action = "update"
    audit.record(session, TEMPLATE_ENTITY, template.id, action, actor.id, before, values)
    session.commit()
    return template


def templates(session: Session, active_only: bool = True) -> list[EmailTemplate]:
    stmt = select(EmailTemplate)
    if active_only:
        stmt = stmt.where(EmailTemplate.active == sa.true())
    return list(session.exec(stmt.order_by(EmailTemplate.name)).all())


def preview(session: Session, actor: Actor, customer_id: int, template_id: int) -> tuple[str, str]:
    """Subject and body of a template filled in for this customer (a contact's company's too)."""
    customer = children.customer_for(session, actor, customer_id)
    template = session.get(EmailTemplate, template_id)
    if template is None or not template.active:
        raise ServiceError("err.not_found")
    values = placeholder_values(session, customer, actor)
    return render(template.subject, values), render(template.body, values)


# --- compose and the outbox ------------------------------------------------------------------


def recipient(session: Session, customer: Customer, contact_id: int | None) -> tuple[str, str]:
    """The address a message goes to (the contact's when written on its page) and the catalog key
    of why none may ("": it may)."""
    person = session.get(Contact, contact_id) if contact_id else customer
    if person.email_opt_out:
        return person.email, "err.email_opt_out"
    if not person.email:
        return "", "err.contact_no_email" if contact_id else "err.customer_no_email"
    return person.email, ""


def compose(
    session: Session, actor: Actor, customer_id: int, data: dict, contact_id: int | None = None
) -> EmailMessage:
    """Put a message to the customer (or one of its contacts) in the outbox (placeholders filled
    in), log it on the timeline and in the history. Refused when the addressee opted out or has
    no e-mail."""
    customer = children.customer_for(session, actor, customer_id)
    children.check_contact(session, customer.id, contact_id)
    to_addr, refused = recipient(session, customer, contact_id)
    if refused:
        raise ServiceError(refused)
    c = Cleaner(data)
    subject = c.text("subject", 300, required=True)
    body = c.text("body", 20000, required=True, multiline=True)
    template_id = c.integer("template_id")
    if template_id is not None and session.get(EmailTemplate, template_id) is None:
        c.error("template_id", "err.invalid_choice")
    c.done()
    values = placeholder_values(session, customer, actor)
    message = EmailMessage(
        customer_id=customer.id,
        contact_id=contact_id,
        to_addr=to_addr,
        subject=render(subject, values),
        body=render(body, values),
        template_id=template_id,
        created_by_id=actor.id,
    )
    session.add(message)
    session.flush()
    children.record(
        session,
        actor,
        ENTITY,
        message,
        "create",
        {},
        {"to_addr": message.to_addr, "subject": message.subject, "status": message.status},
    )
    activities.log(session, actor, customer.id, "email", message.subject, message.body, contact_id=contact_id)
    session.commit()
    return message


def of_record(session: Session, actor: Actor, record: children.Record, limit: int = 100) -> list[EmailMessage]:
    """The messages to a customer, or to a contact, newest first."""
    stmt = children.of_record(session, actor, EmailMessage, record).order_by(EmailMessage.id.desc()).limit(limit)
    return list(session.exec(stmt).all())


def of_customer(session: Session, actor: Actor, customer_id: int, limit: int = 100) -> list[EmailMessage]:
    return of_record(session, actor, ("customer", customer_id), limit)


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0
    waiting: int = 0


def _mime(message: EmailMessage, cfg: Settings) -> MimeMessage:
    mime = MimeMessage()
    mime["From"] = formataddr(("CRM", cfg.smtp_from))
    mime["To"] = message.to_addr
    mime["Subject"] = message.subject
    mime["Message-ID"] = make_msgid(domain=cfg.smtp_from.rsplit("@", 1)[-1] or "localhost")
    if message.unsubscribe_url:
        # RFC 2369 and RFC 8058: a mail client offers its own unsubscribe button, which POSTs
        # "List-Unsubscribe=One-Click" to the member's signed link (api.unsubscribe)
        mime["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
        mime["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    mime.set_content(message.body)
    return mime


def _connect(cfg: Settings) -> smtplib.SMTP:
    if cfg.smtp_tls == "ssl":
        server: smtplib.SMTP = smtplib.SMTP_SSL(
            cfg.smtp_host, cfg.smtp_port, timeout=15, context=ssl.create_default_context()
        )
    else:
        server = smtplib.SMTP(cfg.smtp_host, cfg.smtp_port, timeout=15)
        if cfg.smtp_tls == "starttls":
            server.starttls(context=ssl.create_default_context())
    if cfg.smtp_user:
        server.login(cfg.smtp_user, cfg.smtp_password)
    return server


def _claim(session: Session, ids: list[int]) -> list[EmailMessage]:
    """Take messages out of the outbox for this delivery: a message another delivery (another
    worker, or the minute loop beside a click) has taken is skipped, so none goes out twice."""
    now = utcnow()
    claimed = []
    for message_id in ids:
        taken = session.exec(
            sa.update(EmailMessage)
            .where(EmailMessage.id == message_id, EmailMessage.status == "outbox")
            .values(status="sending", claimed_at=now)
        )
        if taken.rowcount:
            claimed.append(message_id)
    session.commit()
    return [session.get(EmailMessage, i) for i in claimed]


def _release_stale(session: Session) -> None:
    """Messages left "sending" by a delivery that died go back to the outbox."""
    session.exec(
        sa.update(EmailMessage)
        .where(EmailMessage.status == "sending", EmailMessage.claimed_at < utcnow() - STALE_CLAIM)
        .values(status="outbox")
    )
    session.commit()


def deliver_outbox(
    session: Session, cfg: Settings = settings, limit: int = 50, only_ids: list[int] | None = None
) -> Delivery:
    """Send what waits in the outbox. A message that fails goes back to the outbox until its
    MAX_ATTEMPTS-th failure, then is marked failed with the server's answer."""
    result = Delivery()
    stmt = select(EmailMessage.id).where(EmailMessage.status == "outbox")
    if only_ids is not None:
        stmt = stmt.where(EmailMessage.id.in_(only_ids))
    if not cfg.smtp_configured:
        result.waiting = len(session.exec(stmt.limit(limit)).all())
        return result
    _release_stale(session)
    waiting = _claim(session, list(session.exec(stmt.order_by(EmailMessage.id).limit(limit)).all()))
    if not waiting:
        return result
    try:
        server = _connect(cfg)
    except (OSError, smtplib.SMTPException) as exc:
        for message in waiting:
            _failed(session, message, exc, result)
        session.commit()
        return result
    with server:
        for message in waiting:
            try:
                server.send_message(_mime(message, cfg))
            except (OSError, smtplib.SMTPException) as exc:
                _failed(session, message, exc, result)
                session.commit()
                continue
            message.status, message.sent_at, message.error = "sent", utcnow(), ""
            message.attempts += 1
            session.add(message)
            _member_follows(session, message)
            if message.customer_id:
                audit.record(
                    session,
                    ENTITY,
                    message.id,
                    "update",
                    message.created_by_id,
                    {"status": "outbox"},
                    {"status": "sent"},
                    root=("customer", message.customer_id),
                )
            result.sent += 1
            session.commit()
    return result


def _server_answer(exc: Exception) -> str:
    """Why a delivery failed, as the server said it ("451 4.2.1 Mailbox busy"), not as a Python repr."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        answers = [(code, text) for code, text in exc.recipients.values()]
    elif isinstance(exc, smtplib.SMTPResponseException):
        answers = [(exc.smtp_code, exc.smtp_error)]
    else:
        return str(exc)
    return "; ".join(
        f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}" for code, text in answers
    )


def _failed(session: Session, message: EmailMessage, exc: Exception, result: Delivery) -> None:
    message.attempts += 1
    message.error = _server_answer(exc)[:500]
    if message.attempts >= MAX_ATTEMPTS:
        message.status = "failed"
        result.failed += 1
    else:
        message.status = "outbox"
        result.waiting += 1
    session.add(message)
    _member_follows(session, message)


def _member_follows(session: Session, message: EmailMessage) -> None:
    """The campaign member this message was written to takes its delivery's outcome (sent, or
    failed for good: the message keeps the reason), whenever the delivery runs; a member who has
    answered or unsubscribed meanwhile keeps that status."""
    if message.status not in ("sent", "failed"):
        return
    session.execute(
        sa.update(CampaignMember)
        .where(CampaignMember.message_id == message.id, CampaignMember.status == "planned")
        .values(status=message.status, updated_at=utcnow())
    )

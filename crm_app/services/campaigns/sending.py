"""A campaign's e-mail: one message from a template to every member, through the outbox.

``plan`` counts what a send would do before anything is written: members who get a message, who
opted out (or unsubscribed), who have no address and who already got one. ``send_steps`` then
writes the messages part by part (placeholders filled in as for a customer's e-mail, and the
member's signed unsubscribe link at the end), delivers each part at once when an SMTP server is
configured (else it waits in the outbox for the minute's delivery) and yields its progress.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session

from crm_app import routes
from crm_app.i18n import tr
from crm_app.models import CampaignMember, Contact, Customer, EmailMessage, EmailTemplate
from crm_app.services import jobs
from crm_app.services.campaigns import campaigns, unsubscribe
from crm_app.services.errors import ServiceError
from crm_app.services.mail import mail
from crm_app.services.people.permissions import Actor
from crm_app.settings import Settings, settings

CHUNK = 50
MAX_BODY = 20000


@dataclass
class Plan:
    will_send: int = 0
    opted_out: int = 0
    no_address: int = 0
    already: int = 0  # got the campaign's message before

    @property
    def members(self) -> int:
        return self.will_send + self.opted_out + self.no_address + self.already


@dataclass
class Report:
    plan: Plan
    done: int = 0
    sent: int = 0
    failed: int = 0
    waiting: int = 0  # left in the outbox (no SMTP server, or it failed and will be tried again)


def template_for(session: Session, template_id: int | None) -> EmailTemplate:
    """An active template whose placeholders are all known (refused naming the unknown ones)."""
    template = session.get(EmailTemplate, template_id) if template_id else None
    if template is None or not template.active:
        raise ServiceError("err.campaign_template")
    unknown = mail.unknown_placeholders(f"{template.subject}\n{template.body}")
    if unknown:
        raise ServiceError("err.campaign_placeholder", names=", ".join(unknown))
    return template


def _targets(session: Session, campaign_id: int) -> list[tuple[int, str, str, bool, int | None, str]]:
    """(member id, kind of record, address, opted out, message id, member status) of every member."""
    rows = []
    for entity, model in campaigns.MEMBER_ENTITIES.items():
        column = campaigns.member_column(entity)
        stmt = (
            sa.select(
                CampaignMember.id, model.email, model.email_opt_out, CampaignMember.message_id, CampaignMember.status
            )
            .join(model, model.id == column)
            .where(CampaignMember.campaign_id == campaign_id)
        )
        rows += [(m, entity, e or "", bool(o), msg, s) for m, e, o, msg, s in session.execute(stmt)]
    return sorted(rows)


def _classify(targets) -> tuple[Plan, list[int]]:
    plan = Plan()
    sendable = []
    for member_id, _entity, address, opted_out, message_id, status in targets:
        if opted_out or status == "unsubscribed":
            plan.opted_out += 1
        elif not address:
            plan.no_address += 1
        elif message_id is not None:
            plan.already += 1
        else:
            plan.will_send += 1
            sendable.append(member_id)
    return plan, sendable


def plan(session: Session, actor: Actor, campaign_id: int, template_id: int | None) -> Plan:
    """What sending would do; refused for a campaign without members or a wrong template."""
    campaign = campaigns.get(session, actor, campaign_id, change=True)
    template_for(session, template_id)
    counts, _ = _classify(_targets(session, campaign.id))
    if counts.members == 0:
        raise ServiceError("err.campaign_no_members", name=campaign.name)
    return counts


def _values(
    session: Session, actor: Actor, member: CampaignMember
) -> tuple[dict[str, str], Customer | None, Contact | None]:
    """The placeholders of a member's message, as for a customer's e-mail; a contact's own name,
    e-mail and phone stand for the customer's (its company gives the rest)."""
    if member.customer_id:
        customer = session.get(Customer, member.customer_id)
        return mail.placeholder_values(session, customer, actor), customer, None
    contact = session.get(Contact, member.contact_id)
    company = session.get(Customer, contact.customer_id) if contact.customer_id else None
    values = mail.placeholder_values(session, company or Customer(full_name="", owner_id=contact.owner_id), actor)
    values.update(
        customer_name=contact.full_name, customer_email=contact.email, customer_phone=contact.phone or contact.mobile
    )
    return values, company, contact


def _footer(link: str) -> str:
    return "\n\n--\n" + tr("campaign.unsubscribe_footer", settings.default_language, link=link)


def _write(
    session: Session, actor: Actor, template: EmailTemplate, member: CampaignMember, base_url: str
) -> EmailMessage:
    values, customer, contact = _values(session, actor, member)
    link = f"{base_url.rstrip('/')}{routes.UNSUBSCRIBE}/{unsubscribe.token_for(session, member.id)}"
    footer = _footer(link)
    body = mail.render(template.body, values)[: MAX_BODY - len(footer)] + footer
    message = EmailMessage(
        customer_id=customer.id if customer is not None else None,
        contact_id=contact.id if contact is not None else None,
        to_addr=(contact or customer).email,
        subject=mail.render(template.subject, values)[:300],
        body=body,
        template_id=template.id,
        created_by_id=actor.id,
        unsubscribe_url=link,
    )
    session.add(message)
    session.flush()
    member.message_id = message.id
    session.add(member)
    return message


def send_steps(
    session: Session,
    actor: Actor,
    campaign_id: int,
    template_id: int | None,
    base_url: str,
    job_id: int | None = None,
    cfg: Settings = settings,
    chunk: int = CHUNK,
) -> Iterator[Report]:
    """Writes and delivers the campaign's messages part by part (each part committed), yielding the
    report after each (first: before any)."""
    campaign = campaigns.get(session, actor, campaign_id, change=True)
    template = template_for(session, template_id)
    counts, sendable = _classify(_targets(session, campaign.id))
    if counts.members == 0:
        raise ServiceError("err.campaign_no_members", name=campaign.name)
    if not sendable:
        raise ServiceError("err.campaign_nothing_to_send")
    report = Report(plan=counts)
    yield report
    for start in range(0, len(sendable), chunk):
        part = sendable[start : start + chunk]
        ids = [_write(session, actor, template, session.get(CampaignMember, m), base_url).id for m in part]
        jobs.progress_in(session, job_id, report.done + len(part), counts.will_send)
        session.commit()
        delivery = mail.deliver_outbox(session, cfg, limit=len(ids), only_ids=ids)
        report.sent += delivery.sent
        report.failed += delivery.failed
        report.waiting += delivery.waiting  # the members' statuses follow their delivery (mail.deliver_outbox)
        report.done += len(part)
        yield report

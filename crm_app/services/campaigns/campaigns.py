"""Campaigns and their members.

A campaign is a record like the others: written through the record service (history, rights by
its owner), listed by the list machinery (services.records.fields.CAMPAIGN). Its members are
customers or contacts, added from a list's selection (a bulk action), a static list or an
automation rule: only records the actor may change are added (the others are counted as
skipped), each addition a history row of the record ("Thêm vào chiến dịch").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time

import sqlalchemy as sa
from sqlmodel import Session, select

from crm_app.models import (
    AuditLog,
    Campaign,
    CampaignMember,
    Contact,
    Customer,
    EmailMessage,
    Opportunity,
    PipelineStage,
    RecordListMember,
)
from crm_app.models._base import utcnow
from crm_app.models.campaign import CAMPAIGN_KINDS, CAMPAIGN_STATUSES, MEMBER_STATUSES
from crm_app.services.errors import NotAllowed, ServiceError, ValidationFailed
from crm_app.services.formatting import fmt_date
from crm_app.services.lists import record_lists
from crm_app.services.normalize import normalize_name
from crm_app.services.people.permissions import Actor, check_owner_assignment, ensure_allowed, only_visible
from crm_app.services.records import audit, record_service
from crm_app.services.validation import Cleaner

ENTITY = "campaign"
MEMBER_ENTITIES = {"customer": Customer, "contact": Contact}
KIND = record_service.RecordKind(
    entity=ENTITY,
    model=Campaign,
    fields=("name", "kind", "status", "start_date", "end_date", "budget", "owner_id", "description"),
)
MAX_BUDGET = 10**15  # VND
MAX_DESCRIPTION = 2000
CHUNK = 1000
MEMBERS_SHOWN = 500


# --- the campaign ------------------------------------------------------------------------------


def clean(data: dict) -> dict:
    c = Cleaner(data)
    name = c.text("name", 200, required=True)
    kind = c.raw("kind").strip() or CAMPAIGN_KINDS[0]
    if kind not in CAMPAIGN_KINDS:
        c.error("kind", "err.campaign_choice", value=kind[:40])
    status = c.raw("status").strip() or CAMPAIGN_STATUSES[0]
    if status not in CAMPAIGN_STATUSES:
        c.error("status", "err.campaign_choice", value=status[:40])
    days = {}
    for name_ in ("start_date", "end_date"):
        days[name_] = c.day(name_)
        if name_ in c.errors:  # the value named ("31/02/2026" is not a day)
            c.errors[name_] = ("err.campaign_date", {"value": c.raw(name_)[:40]})
    start, end = days["start_date"], days["end_date"]
    if start is not None and end is not None and end < start:
        c.error("end_date", "err.cp_end_before_start", end=fmt_date(end), start=fmt_date(start))
    budget = c.money("budget", MAX_BUDGET)
    owner = c.integer("owner_id")
    description = c.text("description", MAX_DESCRIPTION, multiline=True)
    c.done()
    return {
        "name": name,
        "kind": kind,
        "status": status,
        "start_date": start,
        "end_date": end,
        "budget": budget,
        "owner_id": owner,
        "description": description,
    }


def get(session: Session, actor: Actor, campaign_id: int | None, change: bool = False) -> Campaign:
    """The campaign if the actor may see it (change it: ``change=True``); NotAllowed otherwise."""
    campaign = session.get(Campaign, campaign_id) if campaign_id else None
    ensure_allowed(actor, campaign, change)
    return campaign


def _check_name_free(session: Session, values: dict, self_id: int | None = None) -> None:
    """Two campaigns of one owner under one name could not be told apart in the pickers (the
    bulk bar's, a rule's): the second is refused, naming it. Archived ones do not count."""
    taken = select(Campaign.id).where(
        Campaign.owner_id == values["owner_id"],
        Campaign.name_norm == normalize_name(values["name"]),
        Campaign.archived == sa.false(),
        Campaign.id != (self_id or 0),
    )
    if session.exec(taken).first() is not None:
        raise ValidationFailed({"name": ("err.campaign_name_taken", {"name": values["name"]})})


def create(session: Session, actor: Actor, data: dict) -> Campaign:
    values = clean(data)
    if values["owner_id"] is None:
        values["owner_id"] = actor.id
    check_owner_assignment(actor, values["owner_id"])
    _check_name_free(session, values)
    return record_service.create(session, KIND, actor, values)


def update(session: Session, actor: Actor, campaign_id: int, data: dict) -> list[str]:
    """The campaign's header changed (the fields given, the others kept); the names changed."""
    campaign = get(session, actor, campaign_id, change=True)
    before = record_service.snapshot(session, KIND, campaign)
    values = clean({**before, **data})
    if values["owner_id"] is None:
        values["owner_id"] = campaign.owner_id
    if values["owner_id"] != campaign.owner_id:
        check_owner_assignment(actor, values["owner_id"])
    _check_name_free(session, values, campaign.id)
    return record_service.update(session, KIND, actor, campaign, before, values)


def choices(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """The campaigns the actor may add members to (not archived, not ended), by name."""
    stmt = select(Campaign.id, Campaign.name).where(
        Campaign.archived == sa.false(), Campaign.status.in_(("planned", "active"))
    )
    if actor.editable_owner_ids is not None:
        stmt = stmt.where(Campaign.owner_id.in_(sorted(actor.editable_owner_ids)))
    return list(session.exec(stmt.order_by(Campaign.name_norm, Campaign.id)).all())


# --- members -------------------------------------------------------------------------------------


@dataclass
class Added:
    added: list[int]  # the records that became members
    present: int = 0  # already members
    skipped: int = 0  # records the actor may not change (or that do not exist)


def member_column(entity: str):
    if entity not in MEMBER_ENTITIES:
        raise ServiceError("err.campaign_member_kind", value=entity)
    return CampaignMember.customer_id if entity == "customer" else CampaignMember.contact_id


def add_rows(
    session: Session, actor: Actor, campaign: Campaign, entity: str, ids: list[int], history: list[dict]
) -> list[int]:
    """Members for these records, which the caller has kept to those the actor may change (a bulk
    action's chunk); those already members are left. Their history rows go to ``history`` (the
    caller inserts them with its chunk); returns the ids added."""
    column = member_column(entity)
    present = set(
        session.execute(sa.select(column).where(CampaignMember.campaign_id == campaign.id, column.in_(ids))).scalars()
    )
    new = [i for i in ids if i not in present]
    if not new:
        return []
    now = utcnow()
    session.execute(
        sa.insert(CampaignMember),
        [
            {
                "campaign_id": campaign.id,
                column.key: rid,
                "status": "planned",
                "added_by_id": actor.id,
                "added_at": now,
                "updated_at": now,
            }
            for rid in new
        ],
    )
    session.execute(
        sa.update(Campaign)
        .where(Campaign.id == campaign.id)
        .values(member_count=Campaign.member_count + len(new), updated_at=now)
    )
    history += [audit.row(entity, rid, "campaign_add", actor.id, now, "campaigns", None, campaign.name) for rid in new]
    return new


def add_members(session: Session, actor: Actor, campaign_id: int, entity: str, ids: list[int]) -> Added:
    """Records of one kind added to a campaign the actor may change; records the actor may not
    change are skipped and counted."""
    campaign = get(session, actor, campaign_id, change=True)
    model = MEMBER_ENTITIES.get(entity)
    if model is None:
        raise ServiceError("err.campaign_member_kind", value=entity)
    wanted = sorted({int(i) for i in ids})
    result = Added(added=[])
    for start in range(0, len(wanted), CHUNK):
        part = wanted[start : start + CHUNK]
        owners = dict(
            session.execute(
                sa.select(model.id, model.owner_id).where(model.id.in_(part), model.archived == sa.false())
            ).all()
        )
        allowed = [i for i in part if i in owners and actor.sees_owner(owners[i]) and actor.edits_owner(owners[i])]
        result.skipped += len(part) - len(allowed)
        history: list[dict] = []
        new = add_rows(session, actor, campaign, entity, allowed, history) if allowed else []
        if history:
            session.execute(sa.insert(AuditLog), history)
        result.added += new
        result.present += len(allowed) - len(new)
    return result


def add_from_list(session: Session, actor: Actor, campaign_id: int, list_id: int) -> Added:
    """Every member of a static list of customers or contacts the actor sees."""
    found = record_lists.get(session, actor, list_id)
    if found.entity not in MEMBER_ENTITIES:
        raise ServiceError("err.campaign_member_kind", value=found.entity)
    ids = session.execute(sa.select(RecordListMember.record_id).where(RecordListMember.list_id == found.id))
    return add_members(session, actor, campaign_id, found.entity, list(ids.scalars()))


def _member(session: Session, actor: Actor, member_id: int) -> tuple[CampaignMember, Campaign]:
    """A member of a campaign the actor may change, whose record the actor sees."""
    member = session.get(CampaignMember, member_id) if member_id else None
    if member is None:
        raise NotAllowed()
    campaign = get(session, actor, member.campaign_id, change=True)
    entity, record_id = member_record(member)
    ensure_allowed(actor, session.get(MEMBER_ENTITIES[entity], record_id), False)
    return member, campaign


def member_record(member: CampaignMember) -> tuple[str, int]:
    return ("customer", member.customer_id) if member.customer_id else ("contact", member.contact_id)


def remove_member(session: Session, actor: Actor, member_id: int) -> None:
    member, campaign = _member(session, actor, member_id)
    entity, record_id = member_record(member)
    now = utcnow()
    session.delete(member)
    campaign.member_count = max(0, campaign.member_count - 1)
    record_service.touch(campaign, actor)
    session.add(campaign)
    session.add(
        AuditLog(**audit.row(entity, record_id, "campaign_remove", actor.id, now, "campaigns", campaign.name, None))
    )
    session.flush()


def set_member_status(session: Session, actor: Actor, member_id: int, status: str) -> CampaignMember:
    if status not in MEMBER_STATUSES:
        raise ValidationFailed({"status": ("err.campaign_choice", {"value": str(status)[:40]})})
    member, _campaign = _member(session, actor, member_id)
    member.status, member.updated_at = status, utcnow()
    session.add(member)
    session.flush()
    return member


def move_members(session: Session, survivor: int, merged: list[int]) -> None:
    """A customer merge: the survivor takes the merged customers' places in campaigns (once per
    campaign; a place it already has stays and the merged one goes, its campaign one member less)."""
    column = CampaignMember.customer_id
    have = set(session.execute(sa.select(CampaignMember.campaign_id).where(column == survivor)).scalars())
    for member in session.exec(select(CampaignMember).where(column.in_(merged)).order_by(CampaignMember.id)).all():
        if member.campaign_id in have:
            session.execute(
                sa.update(Campaign)
                .where(Campaign.id == member.campaign_id)
                .values(member_count=sa.case((Campaign.member_count > 0, Campaign.member_count - 1), else_=0))
            )
            session.delete(member)
        else:
            member.customer_id = survivor
            have.add(member.campaign_id)
            session.add(member)
    session.flush()


@dataclass
class MemberRow:
    id: int
    entity: str
    record_id: int
    name: str
    email: str
    opted_out: bool
    status: str
    mail_status: str  # of the campaign's last message to it ("" none)
    mail_error: str = ""  # the server's answer when it failed


def members(session: Session, actor: Actor, campaign_id: int, limit: int = MEMBERS_SHOWN) -> list[MemberRow]:
    """The campaign's members whose record the actor sees, newest first."""
    get(session, actor, campaign_id)
    rows: list[MemberRow] = []
    for entity, model in MEMBER_ENTITIES.items():
        column = member_column(entity)
        stmt = (
            sa.select(
                CampaignMember.id,
                model.id,
                model.full_name,
                model.email,
                model.email_opt_out,
                CampaignMember.status,
                EmailMessage.status,
                EmailMessage.error,
            )
            .join(model, model.id == column)
            .outerjoin(EmailMessage, EmailMessage.id == CampaignMember.message_id)
            .where(CampaignMember.campaign_id == campaign_id)
            .order_by(CampaignMember.id.desc())
            .limit(limit)
        )
        stmt = only_visible(stmt, actor, model.owner_id)
        rows += [
            MemberRow(m, entity, r, n, e or "", bool(o), s, ms or "", err or "")
            for m, r, n, e, o, s, ms, err in session.execute(stmt)
        ]
    return sorted(rows, key=lambda r: -r.id)[:limit]


@dataclass
class CustomerCampaign:
    campaign_id: int
    name: str
    status: str  # the campaign's
    member_status: str
    contact: str  # the contact who is the member ("" the customer itself)
    start_date: object


def of_customer(session: Session, actor: Actor, customer_id: int) -> list[CustomerCampaign]:
    """The campaigns of a customer the actor sees: its own memberships and its contacts'."""
    customer = session.get(Customer, customer_id)
    ensure_allowed(actor, customer, False)
    own = (
        sa.select(
            Campaign.id, Campaign.name, Campaign.status, CampaignMember.status, sa.literal(""), Campaign.start_date
        )
        .join(CampaignMember, CampaignMember.campaign_id == Campaign.id)
        .where(CampaignMember.customer_id == customer_id)
    )
    by_contacts = (
        sa.select(
            Campaign.id, Campaign.name, Campaign.status, CampaignMember.status, Contact.full_name, Campaign.start_date
        )
        .join(CampaignMember, CampaignMember.campaign_id == Campaign.id)
        .join(Contact, Contact.id == CampaignMember.contact_id)
        .where(Contact.customer_id == customer_id)
    )
    rows = [CustomerCampaign(*r) for r in session.execute(own)] + [
        CustomerCampaign(*r) for r in session.execute(by_contacts)
    ]
    return sorted(rows, key=lambda r: (-(r.start_date.toordinal() if r.start_date else 0), -r.campaign_id))


# --- figures -------------------------------------------------------------------------------------


@dataclass
class Figures:
    members: int = 0
    sent: int = 0
    failed: int = 0
    waiting: int = 0  # in the outbox
    unsubscribed: int = 0
    responded: int = 0  # responded or converted
    deals: int = 0
    won_value: int = 0
    by_status: dict[str, int] | None = None


def figures(session: Session, actor: Actor, campaign_id: int) -> Figures:
    """Counts over every member of the campaign (no record shown): its mail, their answers, and the
    deals of its members' customers created from the campaign's start date, with their won value."""
    campaign = get(session, actor, campaign_id)
    out = Figures(by_status=dict.fromkeys(MEMBER_STATUSES, 0))
    for status, n in session.execute(
        sa.select(CampaignMember.status, sa.func.count())
        .where(CampaignMember.campaign_id == campaign.id)
        .group_by(CampaignMember.status)
    ):
        out.by_status[status] = n
        out.members += n
    out.unsubscribed = out.by_status.get("unsubscribed", 0)
    out.responded = out.by_status.get("responded", 0) + out.by_status.get("converted", 0)
    for status, n in session.execute(
        sa.select(EmailMessage.status, sa.func.count())
        .join(CampaignMember, CampaignMember.message_id == EmailMessage.id)
        .where(CampaignMember.campaign_id == campaign.id)
        .group_by(EmailMessage.status)
    ):
        if status == "sent":
            out.sent = n
        elif status == "failed":
            out.failed = n
        else:
            out.waiting += n
    member_customers = sa.union(
        sa.select(CampaignMember.customer_id).where(
            CampaignMember.campaign_id == campaign.id, CampaignMember.customer_id.is_not(None)
        ),
        sa.select(Contact.customer_id)
        .join(CampaignMember, CampaignMember.contact_id == Contact.id)
        .where(CampaignMember.campaign_id == campaign.id, Contact.customer_id.is_not(None)),
    )
    deals = (
        sa.select(
            sa.func.count(Opportunity.id),
            sa.func.coalesce(sa.func.sum(sa.case((PipelineStage.outcome == "won", Opportunity.value), else_=0)), 0),
        )
        .join(PipelineStage, PipelineStage.id == Opportunity.stage_id)
        .where(Opportunity.customer_id.in_(member_customers), Opportunity.archived == sa.false())
    )
    if campaign.start_date is not None:
        deals = deals.where(Opportunity.created_at >= datetime.combine(campaign.start_date, time.min, tzinfo=UTC))
    out.deals, out.won_value = (int(v or 0) for v in session.execute(deals).one())
    return out

"""Leads (Tiềm năng): create / update, status moves on the board, and conversion into a
customer, a contact and an opportunity, linking records that match the duplicate rule."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlmodel import Session, select

from crm_app.i18n import tr
from crm_app.models import CatalogItem, Contact, Customer, Lead, User
from crm_app.models._base import utcnow
from crm_app.models.customer import DEFAULT_COUNTRY
from crm_app.models.lead import LEAD_KINDS, LEAD_STATUSES
from crm_app.services.customer import contacts, customers
from crm_app.services.customer.duplicates import customer_matches
from crm_app.services.errors import NotAllowed, ServiceError, ValidationFailed
from crm_app.services.lists import query
from crm_app.services.normalize import normalize_name
from crm_app.services.people.permissions import (
    Actor,
    check_owner_assignment,
    ensure_allowed,
    only_visible,
)
from crm_app.services.pipeline import board, opportunities
from crm_app.services.records import audit, record_service
from crm_app.services.validation import Cleaner

ENTITY = "lead"
FORM_FIELDS = (
    "kind",
    "full_name",
    "company",
    "title",
    "email",
    "phone",
    "mobile",
    "province",
    "ward",
    "source_id",
    "owner_id",
    "status",
    "rating",
    "value",
    "description",
)
# Statuses a user sets (converted is set by conversion only), with their win chance on the board.
OPEN_STATUSES = ("new", "contacted", "qualified", "unqualified")
STATUS_PROBABILITY = {"new": 10, "contacted": 20, "qualified": 50, "unqualified": 0, "converted": 100}
STATUS_COLORS = {"new": "gray", "contacted": "blue", "qualified": "green", "unqualified": "red", "converted": "purple"}


def clean(
    session: Session,
    data: dict,
    source_ids: set[int] | None = None,
    memo: dict | None = None,
    stored: dict | None = None,
) -> dict:
    """Validated values. ``source_ids``: the ids of the source catalog, when the caller has read
    them once, and ``memo`` (a Cleaner memo): an import cleans thousands of rows."""
    c = Cleaner(data, memo, stored)
    values = {
        "kind": c.choice("kind", LEAD_KINDS, "person"),
        "full_name": c.text("full_name", 200, required=True),
        "company": c.text("company", 200),
        "title": c.text("title", 120),
        "email": c.email("email"),
        "phone": (c.phones("phone", 1) or [""])[0],
        "mobile": (c.phones("mobile", 1) or [""])[0],
        "province": c.province("province"),
        "source_id": c.integer("source_id"),
        "owner_id": c.integer("owner_id"),
        "status": c.choice("status", LEAD_STATUSES, "new"),
        "rating": c.integer("rating", 0, 5) or 0,
        "value": c.money("value", opportunities.MAX_VALUE) or 0,
        "description": c.text("description", 5000, multiline=True),
    }
    values["ward"] = c.ward("ward", values["province"])
    if values["kind"] == "company" and not values["company"]:
        c.error("company", "err.required")
    if values["source_id"] is not None:
        if source_ids is not None:
            known = values["source_id"] in source_ids
        else:
            item = session.get(CatalogItem, values["source_id"])
            known = item is not None and item.kind == "source"
        if not known:
            c.error("source_id", "err.invalid_choice")
    c.done()
    return values


KIND = record_service.RecordKind(entity=ENTITY, model=Lead, fields=FORM_FIELDS)


def snapshot(lead: Lead) -> dict:
    return {name: getattr(lead, name) for name in FORM_FIELDS}


def get(session: Session, actor: Actor, lead_id: int, change: bool = False) -> Lead:
    """The lead if the actor may see it (change it: ``change=True``); NotAllowed otherwise."""
    lead = session.get(Lead, lead_id)
    ensure_allowed(actor, lead, change)
    return lead


def create(session: Session, actor: Actor, data: dict) -> Lead:
    values = clean(session, data)
    if values["status"] == "converted":
        raise ValidationFailed({"status": ("err.invalid_choice", {})})
    if values["owner_id"] is None:
        values["owner_id"] = actor.id
    check_owner_assignment(actor, values["owner_id"])
    rank = board.top_rank(session, Lead, "status", values["status"])
    return record_service.create(session, KIND, actor, values, rank=rank)


def update(session: Session, actor: Actor, lead_id: int, data: dict) -> Lead:
    lead = get(session, actor, lead_id, change=True)
    before = snapshot(lead)
    values = clean(session, {**before, **data}, stored=before)
    if values["status"] != before["status"] and "converted" in (values["status"], before["status"]):
        raise ValidationFailed({"status": ("err.invalid_choice", {})})
    if values["owner_id"] is None:
        values["owner_id"] = lead.owner_id
    if values["owner_id"] != lead.owner_id:
        check_owner_assignment(actor, values["owner_id"])
    if values["status"] != lead.status:
        lead.stage_entered_at = utcnow()
        lead.rank = board.top_rank(session, Lead, "status", values["status"])
    record_service.update(session, KIND, actor, lead, before, values)
    return lead


def move(
    session: Session, actor: Actor, lead_id: int, to_status: str, prev_id: int | None = None, next_id: int | None = None
) -> Lead:
    """Drop a lead card on a status column; "converted" is reached by converting only."""
    lead = get(session, actor, lead_id, change=True)
    if lead.archived:
        raise ServiceError("err.record_archived")
    if lead.status == "converted" and to_status != "converted":
        raise ServiceError("err.lead_converted")
    if to_status not in OPEN_STATUSES and not (to_status == "converted" == lead.status):
        raise ServiceError("err.lead_convert_to_move")
    before = {"status": lead.status}
    if to_status != lead.status:
        lead.stage_entered_at = utcnow()
        record_service.touch(lead, actor)
    board.place(session, Lead, "status", lead, to_status, prev_id, next_id)
    audit.record(session, ENTITY, lead.id, "update", actor.id, before, {"status": to_status})
    return lead


def set_archived(session: Session, actor: Actor, lead_id: int, archived: bool) -> Lead:
    lead = get(session, actor, lead_id, change=True)
    record_service.set_archived(session, KIND, actor, lead, archived)
    return lead


def grouping(lang: str) -> board.Grouping:
    """The lead board: a column per status."""
    columns = tuple(
        board.BoardColumn(
            value=s,
            label=tr(f"lead_status.{s}", lang),
            color=STATUS_COLORS[s],
            probability=STATUS_PROBABILITY[s],
            outcome="won" if s == "converted" else "lost" if s == "unqualified" else "open",
            warn_days=14 if s in ("new", "contacted") else None,
        )
        for s in LEAD_STATUSES
    )
    return board.Grouping(
        entity=ENTITY, group_field="status", columns=columns, title_field="full_name", subtitle_field="company"
    )


# --- conversion --------------------------------------------------------------------------------


@dataclass
class Matches:
    """Existing records a lead matches: offered for linking instead of new ones."""

    customers: list[dict] = field(default_factory=list)
    contacts: list[dict] = field(default_factory=list)

    @property
    def blocking_customer(self) -> dict | None:
        """A customer with the lead's name and a shared phone or e-mail: creating another one
        would break the duplicate rule."""
        return next((m for m in self.customers if m["same_name"]), None)


def customer_name(lead: Lead) -> str:
    return lead.company if lead.kind == "company" and lead.company else lead.full_name


def _phones(lead: Lead) -> list[str]:
    return [p for p in (lead.phone_norm, lead.mobile_norm) if p]


def matches(session: Session, actor: Actor, lead: Lead) -> Matches:
    found = customer_matches(session, normalize_name(customer_name(lead)), _phones(lead), lead.email_norm)
    owners = (
        dict(session.exec(select(Customer.id, Customer.owner_id).where(Customer.id.in_([m.id for m in found]))).all())
        if found
        else {}
    )
    result = Matches(
        customers=[
            {
                "id": m.id,
                "code": m.code,
                "name": m.full_name,
                "owner": m.owner_name,
                "by": m.by,
                "same_name": m.same_name,
                "visible": actor.sees_owner(owners.get(m.id)),
            }
            for m in found
        ]
    )
    conds = []
    if _phones(lead):
        conds += [Contact.phone_norm.in_(_phones(lead)), Contact.mobile_norm.in_(_phones(lead))]
    if lead.email_norm:
        conds.append(Contact.email_norm == lead.email_norm)
    if conds:
        stmt = (
            sa.select(Contact.id, Contact.full_name, Contact.customer_id, Contact.name_norm, User.full_name)
            .outerjoin(User, User.id == Contact.owner_id)
            .where(sa.or_(*conds), Contact.archived == sa.false())
        )
        stmt = only_visible(stmt, actor, Contact.owner_id).order_by(Contact.id).limit(20)
        result.contacts = [
            {"id": cid, "name": name, "customer_id": cust, "owner": owner or "", "same_name": norm == lead.name_norm}
            for cid, name, cust, norm, owner in session.execute(stmt).all()
        ]
    return result


@dataclass
class Conversion:
    lead: Lead
    customer_id: int
    contact_id: int | None
    opportunity_id: int | None
    linked_customer: bool
    linked_contact: bool


def convert(
    session: Session,
    actor: Actor,
    lead_id: int,
    *,
    customer_id: int | None = None,
    contact_id: int | None = None,
    create_contact: bool = True,
    create_opportunity: bool = True,
    opportunity: dict | None = None,
) -> Conversion:
    """One step, one transaction: link ``customer_id`` or create the customer (the duplicate rule
    refuses a second customer of the same name and phone or e-mail: link it instead), link
    ``contact_id`` or create the contact, and create the opportunity. The lead is kept, marked
    converted, with links to what it became. All of it is one transaction: the caller's, so a
    refused step leaves nothing behind once the caller rolls back."""
    lead = get(session, actor, lead_id, change=True)
    if lead.status == "converted":
        raise ServiceError("err.lead_already_converted")
    if lead.archived:
        raise ServiceError("err.record_archived")
    if customer_id is not None:
        customer = customers.get(session, actor, customer_id)
    else:
        customer = customers.create(
            session,
            actor,
            {
                "full_name": customer_name(lead),
                "kind": "business" if lead.kind == "company" else "individual",
                "status": "potential",
                "email": lead.email,
                "phones": [p for p in (lead.phone, lead.mobile) if p],
                "country": DEFAULT_COUNTRY,
                "province": lead.province,
                "ward": lead.ward,
                "source_id": lead.source_id,
                "owner_id": lead.owner_id,
                "rating": lead.rating,
                "description": lead.description,
            },
        ).customer
    contact = None
    if contact_id is not None:
        contact = contacts.get(session, actor, contact_id)
    elif create_contact:
        contact = contacts.create(
            session,
            actor,
            {
                "full_name": lead.full_name,
                "customer_id": customer.id,
                "title": lead.title,
                "email": lead.email,
                "phone": lead.phone,
                "mobile": lead.mobile,
                "province": lead.province,
                "ward": lead.ward,
                "owner_id": lead.owner_id,
                "rating": lead.rating,
            },
        )
    opp = None
    if create_opportunity:
        opp_data = {
            "name": customer_name(lead),
            "value": str(lead.value),
            "owner_id": lead.owner_id,
            **(opportunity or {}),
        }
        opp = opportunities.create(
            session,
            actor,
            {**opp_data, "customer_id": customer.id, "contact_id": contact.id if contact else None},
            lead_id=lead.id,
        )
    before = {"status": lead.status}
    now = utcnow()
    lead.status, lead.stage_entered_at, lead.converted_at, lead.converted_by_id = "converted", now, now, actor.id
    lead.converted_customer_id = customer.id
    lead.converted_contact_id = contact.id if contact else None
    lead.converted_opportunity_id = opp.id if opp else None
    lead.rank = board.top_rank(session, Lead, "status", "converted")
    record_service.touch(lead, actor)
    session.add(lead)
    audit.record(
        session,
        ENTITY,
        lead.id,
        "update",
        actor.id,
        before,
        {
            "status": "converted",
            "converted_customer_id": customer.id,
            "converted_contact_id": lead.converted_contact_id,
            "converted_opportunity_id": lead.converted_opportunity_id,
        },
    )
    session.flush()
    return Conversion(
        lead,
        customer.id,
        lead.converted_contact_id,
        lead.converted_opportunity_id,
        linked_customer=customer_id is not None,
        linked_contact=contact_id is not None,
    )


@dataclass
class RowReport:
    lead_id: int
    name: str
    outcome: str  # created / linked / failed
    message_key: str
    params: dict = field(default_factory=dict)
    customer_id: int | None = None


def bulk_convert(
    session: Session, actor: Actor, lead_ids: list[int], pipeline_id: int | None = None
) -> list[RowReport]:
    """Convert each lead on its own: link the visible customer the duplicate rule names (same name
    and a shared phone or e-mail), else create one. A row that fails changes nothing and says why:
    each lead is a transaction of its own, committed here."""
    report = []
    for lead_id in lead_ids:
        name = ""
        try:
            lead = get(session, actor, lead_id, change=True)
            name = lead.full_name
            found = matches(session, actor, lead)
            same = found.blocking_customer
            if same is not None and not same["visible"]:
                raise ServiceError("err.lead_match_not_visible", code=same["code"], owner=same["owner"])
            contact = next(
                (c for c in found.contacts if c["same_name"] and (same is None or c["customer_id"] == same["id"])), None
            )
            done = convert(
                session,
                actor,
                lead_id,
                customer_id=same["id"] if same else None,
                contact_id=contact["id"] if contact else None,
                opportunity={"pipeline_id": pipeline_id} if pipeline_id else None,
            )
            code = session.get(Customer, done.customer_id).code
            report.append(
                RowReport(
                    lead_id,
                    name,
                    "linked" if done.linked_customer else "created",
                    "leads.bulk_linked" if done.linked_customer else "leads.bulk_created",
                    {"code": code},
                    done.customer_id,
                )
            )
            session.commit()
        except ValidationFailed as exc:
            session.rollback()
            key, params = next(iter(exc.errors.values()))
            report.append(RowReport(lead_id, name, "failed", key, params))
        except (NotAllowed, ServiceError) as exc:
            session.rollback()
            report.append(RowReport(lead_id, name, "failed", exc.key, exc.params))
    return report


def list_spec(search: str = "") -> query.ListSpec:
    return query.ListSpec(entity=ENTITY, search=search)

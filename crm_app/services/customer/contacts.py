"""Contacts (Người liên hệ, seed 003): create / update / archive, with history."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from crm_app.db import unindexed
from crm_app.models import Contact, Customer
from crm_app.services.customer import customers
from crm_app.services.errors import NotAllowed, ValidationFailed
from crm_app.services.lists import query
from crm_app.services.normalize import normalize_name
from crm_app.services.people.permissions import (
    Actor,
    check_owner_assignment,
    ensure_allowed,
    only_visible,
)
from crm_app.services.records import custom_fields, record_service
from crm_app.services.validation import Cleaner

ENTITY = "contact"
FORM_FIELDS = (
    "full_name",
    "customer_id",
    "title",
    "email",
    "phone",
    "mobile",
    "province",
    "ward",
    "email_opt_out",
    "do_not_call",
    "reference_only",
    "notify_on_change",
    "rating",
    "reports_to_id",
    "owner_id",
    "portal_access",
    "support_start",
    "support_end",
    "description",
)


def clean(data: dict, session: Session | None = None, memo: dict | None = None, stored: dict | None = None) -> dict:
    """Validated values; with a session, the custom fields too; ``memo``: a Cleaner memo (imports)."""
    c = Cleaner(data, memo, stored)
    values = {
        "full_name": c.text("full_name", 200, required=True),
        "customer_id": c.integer("customer_id"),
        "title": c.text("title", 120),
        "email": c.email("email"),
        "phone": (c.phones("phone", 1) or [""])[0],
        "mobile": (c.phones("mobile", 1) or [""])[0],
        "province": c.province("province"),
        "email_opt_out": c.flag("email_opt_out"),
        "do_not_call": c.flag("do_not_call"),
        "reference_only": c.flag("reference_only"),
        "notify_on_change": c.flag("notify_on_change"),
        "rating": c.integer("rating", 0, 5) or 0,
        "reports_to_id": c.integer("reports_to_id"),
        "owner_id": c.integer("owner_id"),
        "portal_access": c.flag("portal_access"),
        "support_start": c.day("support_start"),
        "support_end": c.day("support_end"),
        "description": c.text("description", 5000, multiline=True),
    }
    values["ward"] = c.ward("ward", values["province"])
    if values["support_start"] and values["support_end"] and values["support_end"] < values["support_start"]:
        c.error("support_end", "err.end_before_start")
    if session is not None:
        custom_fields.clean_into(session, ENTITY, c, values)
    c.done()
    return values


def _check_links(session: Session, actor: Actor, values: dict, self_id: int | None, before: dict | None = None) -> None:
    """A company and a manager the actor sees; one kept as it was stays (set by someone who saw it)."""
    before = before or {}
    if values["customer_id"] is not None and values["customer_id"] != before.get("customer_id"):
        company = session.get(Customer, values["customer_id"])
        if company is None or not actor.sees_owner(company.owner_id):
            raise ValidationFailed({"customer_id": ("err.invalid_choice", {})})
    if values["reports_to_id"] is not None and values["reports_to_id"] != before.get("reports_to_id"):
        boss = session.get(Contact, values["reports_to_id"])
        if boss is None or boss.id == self_id or not actor.sees_owner(boss.owner_id):
            raise ValidationFailed({"reports_to_id": ("err.invalid_choice", {})})


KIND = record_service.RecordKind(entity=ENTITY, model=Contact, fields=FORM_FIELDS, custom=True)


def snapshot(session: Session, contact: Contact) -> dict:
    """The form values of a stored contact, custom fields included."""
    return record_service.snapshot(session, KIND, contact)


def get(session: Session, actor: Actor, contact_id: int, change: bool = False) -> Contact:
    """The contact if the actor may see it (change it: ``change=True``); NotAllowed otherwise."""
    contact = session.get(Contact, contact_id)
    ensure_allowed(actor, contact, change)
    return contact


def create(session: Session, actor: Actor, data: dict, new_company_name: str = "") -> Contact:
    """Create a contact; ``new_company_name`` creates its company inline (duplicate rule applies)."""
    values = clean(data, session)
    if values["owner_id"] is None:
        values["owner_id"] = actor.id
    check_owner_assignment(actor, values["owner_id"])
    if new_company_name.strip() and values["customer_id"] is None:
        _refuse_known_company(session, actor, new_company_name)
        try:
            company = customers.create(
                session, actor, {"full_name": new_company_name, "kind": "business", "status": "potential"}
            ).customer
        except ValidationFailed as exc:
            raise ValidationFailed({"customer_id": next(iter(exc.errors.values()))}) from exc
        values["customer_id"] = company.id
    _check_links(session, actor, values, None)
    return record_service.create(session, KIND, actor, values)


def _refuse_known_company(session: Session, actor: Actor, name: str) -> None:
    """A new company named as one the user already sees is refused, naming it: pick that one."""
    same = only_visible(
        select(Customer.code, Customer.full_name).where(
            Customer.name_norm == normalize_name(name),
            Customer.kind == "business",
            Customer.archived == False,  # noqa: E712
        ),
        actor,
        Customer.owner_id,
    )
    known = session.exec(same.limit(1)).first()
    if known is not None:
        raise ValidationFailed({"customer_id": ("err.company_known", {"code": known[0], "name": known[1]})})


def update(session: Session, actor: Actor, contact_id: int, data: dict) -> Contact:
    contact = get(session, actor, contact_id, change=True)
    before = snapshot(session, contact)
    values = clean({**before, **data}, session, stored=before)
    if values["owner_id"] is None:
        values["owner_id"] = contact.owner_id
    if values["owner_id"] != contact.owner_id:
        check_owner_assignment(actor, values["owner_id"])
    _check_links(session, actor, values, contact.id, before)
    record_service.update(session, KIND, actor, contact, before, values)
    return contact


def set_archived(session: Session, actor: Actor, contact_id: int, archived: bool) -> Contact:
    contact = get(session, actor, contact_id, change=True)
    record_service.set_archived(session, KIND, actor, contact, archived)
    return contact


def of_customer(session: Session, actor: Actor, customer_id: int) -> list[Contact]:
    stmt = select(Contact).where(Contact.customer_id == customer_id, Contact.archived == sa.false())
    # (the owner's index would walk all of a salesperson's contacts in name order: 10 ms, not 0.2)
    stmt = only_visible(stmt, actor, unindexed(Contact.owner_id))
    return list(session.exec(stmt.order_by(Contact.name_norm).limit(200)).all())


def pick(
    session: Session,
    actor: Actor,
    text: str = "",
    exclude_id: int | None = None,
    customer_id: int | None = None,
    limit: int = 20,
) -> list[tuple[int, str]]:
    """Contacts for a picker (a manager, a deal's contact person: of its customer when one is
    given), found like the list's search."""
    within = ("customer_id", customer_id) if customer_id else None
    rows = query.pick(
        session, actor, ENTITY, text, ["customer_id", "full_name"], within=within, exclude_id=exclude_id, limit=limit
    )
    return [(r["id"], picked_name(r["full_name"], r["customer_id"])) for r in rows]


def picked_name(full_name: str, company: str) -> str:
    """How a picker names a contact: with its company, so that two people of one name are told
    apart ("Lê Văn An — Công ty Hoa Sen")."""
    return f"{full_name} — {company}" if company else full_name


def picked_label(session: Session, actor: Actor, contact_id: int | None) -> str:
    """A picker's badge for a saved contact, as it read when picked ("" if not visible)."""
    name = name_of(session, actor, contact_id)
    if not name:
        return ""
    company = customers.name_of(session, actor, session.get(Contact, contact_id).customer_id)
    return picked_name(name, company)


def name_of(session: Session, actor: Actor, contact_id: int | None) -> str:
    """The contact's name, or "" when there is none the actor may see."""
    if not contact_id:
        return ""
    try:
        return get(session, actor, contact_id).full_name
    except NotAllowed:
        return ""

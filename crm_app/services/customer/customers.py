"""Customers: validation, the duplicate rule, create / update / clone / archive, with history."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlmodel import Session, select

from crm_app.models import CatalogItem, Customer, CustomerPhone, CustomerTag
from crm_app.models._base import utcnow
from crm_app.models.customer import GENDERS, KINDS, STATUSES
from crm_app.services.customer.duplicates import Match, customer_matches
from crm_app.services.errors import NotAllowed, ValidationFailed
from crm_app.services.lists import query
from crm_app.services.normalize import normalize_email, normalize_name, normalize_phone
from crm_app.services.people.permissions import Actor, check_owner_assignment, ensure_visible, only_visible
from crm_app.services.records import audit, catalogs, custom_fields
from crm_app.services.validation import Cleaner

ENTITY = "customer"
# The fields a form sends, in form order; history uses the same names.
FORM_FIELDS = (
    "full_name",
    "kind",
    "status",
    "email",
    "phones",
    "country",
    "province",
    "address",
    "tax_code",
    "website",
    "birthday",
    "gender",
    "category_id",
    "source_id",
    "owner_id",
    "assigned_to_id",
    "tags",
    "rating",
    "email_opt_out",
    "do_not_call",
    "notify_on_change",
    "description",
)


@dataclass
class SaveResult:
    customer: Customer
    warnings: list[Match] = field(default_factory=list)


def clean(session: Session, data: dict, catalog_kinds: dict[int, str] | None = None, memo: dict | None = None) -> dict:
    """Validated values of a customer form or file row; raises ValidationFailed.
    ``catalog_kinds`` ({catalog item id: kind}, from ``catalog_kinds_of``) and ``memo`` (a
    Cleaner memo) spare an import work per row."""
    c = Cleaner(data, memo)
    values = {
        "full_name": c.text("full_name", 200, required=True),
        "kind": c.choice("kind", KINDS, "individual"),
        "status": c.choice("status", STATUSES, "lead"),
        "email": c.email("email"),
        "phones": c.phones("phones"),
        "country": c.text("country", 80),
        "province": c.text("province", 80),
        "address": c.text("address", 300),
        "tax_code": c.text("tax_code", 20),
        "website": c.url("website"),
        "birthday": c.past_day("birthday"),
        "gender": c.choice("gender", GENDERS, ""),
        "category_id": c.integer("category_id"),
        "source_id": c.integer("source_id"),
        "owner_id": c.integer("owner_id"),
        "assigned_to_id": c.integer("assigned_to_id"),
        "rating": c.integer("rating", 0, 5) or 0,
        "email_opt_out": c.flag("email_opt_out"),
        "do_not_call": c.flag("do_not_call"),
        "notify_on_change": c.flag("notify_on_change"),
        "description": c.text("description", 5000, multiline=True),
    }
    raw_tags = data.get("tags") or []
    tags = [t.strip() for t in (raw_tags if isinstance(raw_tags, list) else str(raw_tags).split(",")) if t.strip()]
    # Stored and compared in name order: the same tags in another order are no change.
    values["tags"] = sorted({normalize_name(t): t for t in tags}.values(), key=normalize_name)
    if values["tax_code"] and not values["tax_code"].replace("-", "").isdigit():
        c.error("tax_code", "err.invalid_tax_code")
    for fld, kind in (("category_id", "category"), ("source_id", "source")):
        if values[fld] is not None:
            if catalog_kinds is None:
                item = session.get(CatalogItem, values[fld])
                found = item.kind if item is not None else None
            else:
                found = catalog_kinds.get(values[fld])
            if found != kind:
                c.error(fld, "err.invalid_choice")
    custom_fields.clean_into(session, ENTITY, c, values)
    c.done()
    return values


def _check_assigned_to(session: Session, actor: Actor, values: dict, self_id: int | None) -> None:
    target_id = values.get("assigned_to_id")
    if target_id is None:
        return
    target = session.get(Customer, target_id)
    if target is None or target.id == self_id or not actor.sees_owner(target.owner_id):
        raise ValidationFailed({"assigned_to_id": ("err.invalid_choice", {})})
    if target.kind == values["kind"]:
        raise ValidationFailed({"assigned_to_id": ("err.assigned_same_kind", {})})


def _check_duplicates(session: Session, values: dict, self_id: int | None) -> list[Match]:
    name_norm = normalize_name(values["full_name"])
    phones = [normalize_phone(p) for p in values["phones"]]
    matches = customer_matches(session, name_norm, phones, values["email"], exclude_id=self_id)
    blocking = [m for m in matches if m.same_name]
    if blocking:
        m = blocking[0]
        field_name = "phones" if m.by == "phone" else "email"
        raise ValidationFailed(
            {
                "full_name": (
                    "err.duplicate_customer",
                    {"code": m.code, "name": m.full_name, "owner": m.owner_name, "id": m.id},
                ),
                field_name: ("err.duplicate_customer_field", {"code": m.code}),
            }
        )
    return matches


def catalog_kinds_of(session: Session) -> dict[int, str]:
    return dict(session.exec(select(CatalogItem.id, CatalogItem.kind)).all())


def record_columns(values: dict) -> dict:
    """The customer table's columns for clean values, shadow columns included."""
    columns = {name: values[name] for name in FORM_FIELDS if name not in ("phones", "tags")}
    phone = values["phones"][0] if values["phones"] else ""
    columns.update(
        name_norm=normalize_name(values["full_name"]),
        email_norm=normalize_email(values["email"]),
        phone=phone,
        phone_norm=normalize_phone(phone),
    )
    return columns


def _apply(session: Session, customer: Customer, values: dict) -> None:
    for name, value in record_columns(values).items():
        setattr(customer, name, value)


def _set_children(session: Session, customer_id: int, phones: list[str], tags: list[str]) -> None:
    session.exec(sa.delete(CustomerPhone).where(CustomerPhone.customer_id == customer_id))
    for pos, number in enumerate(phones):
        session.add(
            CustomerPhone(customer_id=customer_id, number=number, number_norm=normalize_phone(number), position=pos)
        )
    session.exec(sa.delete(CustomerTag).where(CustomerTag.customer_id == customer_id))
    for tag_id in catalogs.tag_ids(session, tags):
        session.add(CustomerTag(customer_id=customer_id, tag_id=tag_id))


def phones_of(session: Session, customer_id: int) -> list[str]:
    return list(
        session.exec(
            select(CustomerPhone.number)
            .where(CustomerPhone.customer_id == customer_id)
            .order_by(CustomerPhone.position)
        ).all()
    )


def tags_of(session: Session, customer_id: int) -> list[str]:
    return catalogs.tags_for_customers(session, [customer_id]).get(customer_id, [])


def snapshot(session: Session, customer: Customer) -> dict:
    """The form values of a stored customer (what a form shows and history compares)."""
    data = {name: getattr(customer, name) for name in FORM_FIELDS if name not in ("phones", "tags")}
    data["phones"] = phones_of(session, customer.id)
    data["tags"] = tags_of(session, customer.id)
    data.update(custom_fields.snapshot(session, ENTITY, customer.id))
    return data


def get(session: Session, actor: Actor, customer_id: int) -> Customer:
    customer = session.get(Customer, customer_id)
    ensure_visible(actor, customer)
    return customer


def create(session: Session, actor: Actor, data: dict, commit: bool = True) -> SaveResult:
    """``commit=False``: flushed only, for a caller that writes more in the same transaction."""
    values = clean(session, data)
    if values["owner_id"] is None:
        values["owner_id"] = actor.id
    check_owner_assignment(actor, values["owner_id"])
    _check_assigned_to(session, actor, values, None)
    warnings = _check_duplicates(session, values, None)
    customer = Customer(full_name=values["full_name"], created_by_id=actor.id, updated_by_id=actor.id)
    _apply(session, customer, values)
    session.add(customer)
    session.flush()
    customer.code = f"KH{customer.id:06d}"
    _set_children(session, customer.id, values["phones"], values["tags"])
    custom_fields.store(session, ENTITY, customer.id, values)
    audit.record(session, ENTITY, customer.id, "create", actor.id, {}, {"code": customer.code, **values})
    if commit:
        session.commit()
    return SaveResult(customer, warnings)


# Chosen for a new record when left empty; on a stored one an emptied choice is an error, never
# a silent reset to the default (picking "— none —" for the status made a customer a lead again).
REQUIRED_CHOICES = ("kind", "status")


def update(session: Session, actor: Actor, customer_id: int, data: dict) -> SaveResult:
    emptied = {
        name: ("err.required", {}) for name in REQUIRED_CHOICES if name in data and not str(data[name] or "").strip()
    }
    if emptied:
        raise ValidationFailed(emptied)
    customer = get(session, actor, customer_id)
    before = snapshot(session, customer)
    values = clean(session, {**before, **data})
    if values["owner_id"] is None:
        values["owner_id"] = customer.owner_id
    if values["owner_id"] != customer.owner_id:
        check_owner_assignment(actor, values["owner_id"])
    _check_assigned_to(session, actor, values, customer.id)
    warnings = _check_duplicates(session, values, customer.id)
    _apply(session, customer, values)
    customer.updated_by_id = actor.id
    customer.updated_at = utcnow()
    session.add(customer)
    _set_children(session, customer.id, values["phones"], values["tags"])
    custom_fields.store(session, ENTITY, customer.id, values)
    audit.record(session, ENTITY, customer.id, "update", actor.id, before, values)
    session.commit()
    return SaveResult(customer, warnings)


def clone_values(session: Session, actor: Actor, customer_id: int) -> dict:
    """The values that prefill the form of a copy (Nhân bản): everything but identity."""
    data = snapshot(session, get(session, actor, customer_id))
    data["owner_id"] = data["owner_id"] if actor.sees_owner(data["owner_id"]) else actor.id
    return data


def set_archived(session: Session, actor: Actor, customer_id: int, archived: bool) -> Customer:
    customer = get(session, actor, customer_id)
    if customer.archived == archived:
        return customer
    customer.archived = archived
    customer.archived_at = utcnow() if archived else None
    customer.updated_by_id = actor.id
    customer.updated_at = utcnow()
    session.add(customer)
    audit.record(session, ENTITY, customer.id, "archive" if archived else "restore", actor.id)
    session.commit()
    return customer


def pick(
    session: Session,
    actor: Actor,
    text: str = "",
    other_than_kind: str | None = None,
    exclude_id: int | None = None,
    limit: int = 20,
) -> list[tuple[int, str]]:
    """Visible customers for a picker, found like the list's search. ``other_than_kind`` serves
    "assigned to", which offers only customers of the other kinds (seed 000)."""
    kind = {"op": "and", "items": [{"field": "kind", "operator": "none_of", "value": [other_than_kind]}]}
    rows = query.pick(
        session,
        actor,
        ENTITY,
        text,
        ["code", "full_name"],
        exclude_id=exclude_id,
        limit=limit,
        filter=kind if other_than_kind else None,
    )
    return [(r["id"], f"{r['full_name']} ({r['code']})") for r in rows]


def similar_to(session: Session, actor: Actor, customer: Customer) -> list[dict]:
    """Other customers sharing a phone or the email: the warnings of the duplicate rule,
    as a link when the actor may open the record and as code and owner when not."""
    phones = [normalize_phone(p) for p in phones_of(session, customer.id)]
    matches = customer_matches(session, customer.name_norm, phones, customer.email_norm, exclude_id=customer.id)
    owners = (
        dict(session.exec(select(Customer.id, Customer.owner_id).where(Customer.id.in_([m.id for m in matches]))).all())
        if matches
        else {}
    )
    return [
        {
            "id": m.id,
            "code": m.code,
            "name": m.full_name,
            "owner": m.owner_name,
            "by": m.by,
            "visible": actor.sees_owner(owners.get(m.id)),
        }
        for m in matches
    ]


def members_of(session: Session, actor: Actor, org_id: int, limit: int = 50) -> list[tuple[int, str]]:
    """Visible customers assigned to this organisation (Gán cho)."""
    stmt = select(Customer.id, Customer.full_name).where(
        Customer.assigned_to_id == org_id, Customer.archived == sa.false()
    )
    stmt = only_visible(stmt, actor, Customer.owner_id)
    return [(i, n) for i, n in session.exec(stmt.order_by(Customer.name_norm).limit(limit)).all()]


def name_of(session: Session, actor: Actor, customer_id: int | None) -> str:
    if not customer_id:
        return ""
    try:
        c = get(session, actor, customer_id)
    except NotAllowed:
        return ""
    return c.full_name

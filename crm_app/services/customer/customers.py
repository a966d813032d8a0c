"""Customers: validation, the duplicate rule, create / update / clone / archive, with history."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlmodel import Session, select

from crm_app.models import CatalogItem, Customer, CustomerPhone, CustomerTag
from crm_app.models.customer import GENDERS, KINDS, STATUSES
from crm_app.services.bulk_insert import insert_many
from crm_app.services.customer.duplicates import Match, customer_matches
from crm_app.services.errors import NotAllowed, ValidationFailed
from crm_app.services.lists import query
from crm_app.services.normalize import normalize_name, normalize_phone, suffix_key
from crm_app.services.people.permissions import (
    Actor,
    check_owner_assignment,
    ensure_allowed,
    only_visible,
)
from crm_app.services.records import audit, catalogs, custom_fields, record_service
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
    "ward",
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


def clean(
    session: Session,
    data: dict,
    catalog_kinds: dict[int, str] | None = None,
    memo: dict | None = None,
    stored: dict | None = None,
) -> dict:
    """Validated values of a customer form or file row; raises ValidationFailed.
    ``catalog_kinds`` ({catalog item id: kind}, from ``catalog_kinds_of``) and ``memo`` (a
    Cleaner memo) spare an import work per row; ``stored``: the record's snapshot, for an update."""
    c = Cleaner(data, memo, stored)
    values = {
        "full_name": c.text("full_name", 200, required=True),
        "kind": c.choice("kind", KINDS, "individual"),
        "status": c.choice("status", STATUSES, "lead"),
        "email": c.email("email"),
        "phones": c.phones("phones"),
        "country": c.text("country", 80),
        "province": c.province("province"),
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
    values["ward"] = c.ward("ward", values["province"])
    # Stored and compared in name order: the same tags in another order or case are no change.
    values["tags"] = c.tags("tags")
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


def _check_assigned_to(
    session: Session, actor: Actor, values: dict, self_id: int | None, before: dict | None = None
) -> None:
    target_id = values.get("assigned_to_id")
    if target_id is None:
        return
    target = session.get(Customer, target_id)
    # an organisation kept as it was stays, even one the user does not see (set by someone who did)
    kept = before is not None and before.get("assigned_to_id") == target_id and before.get("kind") == values["kind"]
    if kept and target is not None:
        return
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


def phones_by_customer(session: Session, ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for cid, number in session.execute(
        sa.select(CustomerPhone.customer_id, CustomerPhone.number)
        .where(CustomerPhone.customer_id.in_(ids))
        .order_by(CustomerPhone.customer_id, CustomerPhone.position)
    ):
        out.setdefault(cid, []).append(number)
    return out


def _add_phones(session: Session, pairs: list[tuple[int, list[str]]]) -> None:
    """A customer's phones, with the copies of its owner and archive flag that a phone search
    reads (written here: an import sets the triggers that would copy them aside)."""
    ids = sorted({cid for cid, phones in pairs if phones})
    copies: dict[int, tuple] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        stmt = sa.select(Customer.id, Customer.owner_id, Customer.archived).where(Customer.id.in_(chunk))
        copies.update({cid: (owner, archived) for cid, owner, archived in session.execute(stmt)})
    rows = [
        {
            "customer_id": cid,
            "number": p,
            "number_norm": normalize_phone(p),
            "number_rev": suffix_key(normalize_phone(p)),
            "position": pos,
            "owner_id": copies.get(cid, (None, False))[0],
            "archived": copies.get(cid, (None, False))[1],
        }
        for cid, phones in pairs
        for pos, p in enumerate(phones)
    ]
    insert_many(session, CustomerPhone.__table__, rows)


def _add_tags(session: Session, pairs: list[tuple[int, list[str]]]) -> None:
    ids = catalogs.tag_ids(session, list(dict.fromkeys(t for _cid, tags in pairs for t in tags)))  # as first written
    # one row per tag of a customer, however many spellings of it were given
    rows = sorted({(cid, ids[t]) for cid, tags in pairs for t in tags if t in ids})
    insert_many(session, CustomerTag.__table__, [{"customer_id": c, "tag_id": tag} for c, tag in rows])


KIND = record_service.RecordKind(
    entity=ENTITY,
    model=Customer,
    fields=FORM_FIELDS,
    apart=(
        record_service.StoredApart(
            "phones",
            phones_by_customer,
            lambda session, ids: session.execute(sa.delete(CustomerPhone).where(CustomerPhone.customer_id.in_(ids))),
            _add_phones,
        ),
        record_service.StoredApart(
            "tags",
            catalogs.tags_for_customers,
            lambda session, ids: session.execute(sa.delete(CustomerTag).where(CustomerTag.customer_id.in_(ids))),
            _add_tags,
        ),
    ),
    derived=lambda values: {"phone": values["phones"][0] if values["phones"] else ""},
    number=lambda customer_id: f"KH{customer_id:06d}",
    custom=True,
)


def phones_of(session: Session, customer_id: int) -> list[str]:
    return phones_by_customer(session, [customer_id]).get(customer_id, [])


def tags_of(session: Session, customer_id: int) -> list[str]:
    return catalogs.tags_for_customers(session, [customer_id]).get(customer_id, [])


def snapshot(session: Session, customer: Customer) -> dict:
    """The form values of a stored customer (what a form shows and history compares)."""
    return record_service.snapshot(session, KIND, customer)


def get(session: Session, actor: Actor, customer_id: int, change: bool = False) -> Customer:
    """The customer if the actor may see it (change it: ``change=True``); NotAllowed otherwise."""
    customer = session.get(Customer, customer_id)
    ensure_allowed(actor, customer, change)
    return customer


def create(session: Session, actor: Actor, data: dict) -> SaveResult:
    values = clean(session, data)
    if values["owner_id"] is None:
        values["owner_id"] = actor.id
    check_owner_assignment(actor, values["owner_id"])
    _check_assigned_to(session, actor, values, None)
    warnings = _check_duplicates(session, values, None)
    return SaveResult(record_service.create(session, KIND, actor, values), warnings)


# Chosen for a new record when left empty; on a stored one an emptied choice is an error, never
# a silent reset to the default (picking "— none —" for the status made a customer a lead again).
REQUIRED_CHOICES = ("kind", "status")


def update(session: Session, actor: Actor, customer_id: int, data: dict) -> SaveResult:
    emptied = {
        name: ("err.required", {}) for name in REQUIRED_CHOICES if name in data and not str(data[name] or "").strip()
    }
    if emptied:
        raise ValidationFailed(emptied)
    customer = get(session, actor, customer_id, change=True)
    before = snapshot(session, customer)
    values = clean(session, {**before, **data}, stored=before)
    if values["owner_id"] is None:
        values["owner_id"] = customer.owner_id
    if values["owner_id"] != customer.owner_id:
        check_owner_assignment(actor, values["owner_id"])
    _check_assigned_to(session, actor, values, customer.id, before)
    warnings = _check_duplicates(session, values, customer.id)
    if all(audit.stored_text(values[k]) == audit.stored_text(before[k]) for k in ("full_name", "phones", "email")):
        warnings = []  # said when the name, a phone or the e-mail changes, not on every other save
    record_service.update(session, KIND, actor, customer, before, values)
    return SaveResult(customer, warnings)


def clone_values(session: Session, actor: Actor, customer_id: int) -> dict:
    """The values that prefill the form of a copy (Nhân bản): everything but identity."""
    data = snapshot(session, get(session, actor, customer_id))
    data["owner_id"] = data["owner_id"] if actor.assigns_owner(data["owner_id"]) else actor.id
    return data


def set_archived(session: Session, actor: Actor, customer_id: int, archived: bool) -> Customer:
    customer = get(session, actor, customer_id, change=True)
    record_service.set_archived(session, KIND, actor, customer, archived)
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
    # other than an individual: the organisations, which the search reads from their own key range
    organisations = other_than_kind == "individual"
    kind = {"op": "and", "items": [{"field": "kind", "operator": "none_of", "value": [other_than_kind]}]}
    rows = query.pick(
        session,
        actor,
        ENTITY,
        text,
        ["code", "full_name"],
        exclude_id=exclude_id,
        limit=limit,
        filter=kind if other_than_kind and not organisations else None,
        organisations=organisations,
    )
    return [(r["id"], picked_name(r["full_name"], r["code"])) for r in rows]


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


def picked_label(session: Session, actor: Actor, customer_id: int | None) -> str:
    """A picker's badge for a saved customer: as it read when picked ("" if not visible)."""
    name = name_of(session, actor, customer_id)
    return picked_name(name, session.get(Customer, customer_id).code) if name else ""


def picked_name(full_name: str, code: str) -> str:
    """How a picker names a customer, as it is picked and when a saved form shows it again."""
    return f"{full_name} ({code})"

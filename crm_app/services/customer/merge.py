"""Duplicate groups among stored customers, and merging two or more customers into one.

A merge keeps one record (the survivor), takes each field's value from the record the
user picks, combines tags, phones and descriptions, moves every child record of the
others to the survivor through the CHILDREN registry, writes the merged records' values
into the survivor's history and removes the others, in one transaction. Features that
add children (activities, notes, files, deals, list memberships) register a relation.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session

from crm_app.models import (
    Activity,
    AuditLog,
    Contact,
    Customer,
    CustomerPhone,
    CustomerProduct,
    CustomField,
    CustomFieldValue,
    EmailMessage,
    Lead,
    Note,
    Opportunity,
    RecordList,
    RecordListMember,
    SalesDocument,
    StoredFile,
    User,
)
from crm_app.services.campaigns import campaigns
from crm_app.services.customer import customers
from crm_app.services.errors import NotAllowed, ValidationFailed
from crm_app.services.lists import query, record_lists
from crm_app.services.normalize import normalize_name, normalize_phone
from crm_app.services.people.permissions import Actor, ensure_editable, visibility_clause
from crm_app.services.pipeline import sales
from crm_app.services.records import audit
from crm_app.services.records.fields import CUSTOMER

GROUP_KEYS = ("email", "phone", "name_phone", "tax_code")
# Fields whose values are combined rather than chosen.
UNION_FIELDS = ("phones", "tags", "description")
MAX_PHONES = 5
MAX_MERGE = 10  # records merged at once: each is a column of the merge dialog

# --- the children registry ------------------------------------------------------------------------


@dataclass(frozen=True)
class ChildRelation:
    name: str
    move: Callable[[Session, int, list[int]], None]  # (session, survivor id, merged ids)


CHILDREN: dict[str, list[ChildRelation]] = {}


def register_child(entity: str, relation: ChildRelation) -> None:
    CHILDREN.setdefault(entity, []).append(relation)


def foreign_key_mover(model, column: str) -> Callable[[Session, int, list[int]], None]:
    """A relation whose rows point at the parent through one column: point them at the survivor."""
    col = getattr(model, column)

    def move(session: Session, survivor: int, merged: list[int]) -> None:
        session.execute(sa.update(model).where(col.in_(merged)).values({column: survivor}))

    return move


def _move_history(entity: str) -> Callable[[Session, int, list[int]], None]:
    def move(session: Session, survivor: int, merged: list[int]) -> None:
        session.execute(
            sa.update(AuditLog)
            .where(AuditLog.entity == entity, AuditLog.entity_id.in_(merged))
            .values(entity_id=survivor)
        )

    return move


def _move_child_history(entity: str) -> Callable[[Session, int, list[int]], None]:
    """History of the children (activities, notes, files...) is filed under the survivor."""

    def move(session: Session, survivor: int, merged: list[int]) -> None:
        session.execute(
            sa.update(AuditLog)
            .where(AuditLog.root_entity == entity, AuditLog.root_id.in_(merged))
            .values(root_id=survivor)
        )

    return move


def _move_list_memberships(entity: str) -> Callable[[Session, int, list[int]], None]:
    """The survivor joins every list a merged record was in (once); the merged memberships go."""

    def move(session: Session, survivor: int, merged: list[int]) -> None:
        lists = sa.select(RecordList.id).where(RecordList.entity == entity)
        member = RecordListMember
        joined = set(
            session.execute(
                sa.select(member.list_id).where(member.record_id.in_(merged), member.list_id.in_(lists))
            ).scalars()
        )
        already = set(
            session.execute(
                sa.select(member.list_id).where(member.record_id == survivor, member.list_id.in_(lists))
            ).scalars()
        )
        for list_id in sorted(joined - already):
            session.add(RecordListMember(list_id=list_id, record_id=survivor))
        session.execute(sa.delete(member).where(member.record_id.in_(merged), member.list_id.in_(lists)))

    return move


def _drop_custom_values(entity: str) -> Callable[[Session, int, list[int]], None]:
    """The merged records' custom values go: the survivor keeps the values chosen in the merge."""

    def move(session: Session, survivor: int, merged: list[int]) -> None:
        fields = sa.select(CustomField.id).where(CustomField.entity == entity)
        session.execute(
            sa.delete(CustomFieldValue).where(
                CustomFieldValue.record_id.in_(merged), CustomFieldValue.field_id.in_(fields)
            )
        )

    return move


for _name, _model, _column in (
    ("contacts", Contact, "customer_id"),
    ("assigned_members", Customer, "assigned_to_id"),
    ("activities", Activity, "customer_id"),
    ("notes", Note, "customer_id"),
    ("emails", EmailMessage, "customer_id"),
    ("files", StoredFile, "customer_id"),
    ("sales_documents", SalesDocument, "customer_id"),
    ("customer_products", CustomerProduct, "customer_id"),  # order rows are derived again after
    ("opportunities", Opportunity, "customer_id"),
    ("converted_leads", Lead, "converted_customer_id"),
):
    register_child("customer", ChildRelation(_name, foreign_key_mover(_model, _column)))
register_child("customer", ChildRelation("history", _move_history("customer")))
register_child("customer", ChildRelation("children_history", _move_child_history("customer")))
register_child("customer", ChildRelation("list_memberships", _move_list_memberships("customer")))
register_child("customer", ChildRelation("custom_values", _drop_custom_values("customer")))
register_child("customer", ChildRelation("campaign_memberships", campaigns.move_members))


def move_children(session: Session, entity: str, survivor: int, merged: list[int]) -> None:
    for relation in CHILDREN.get(entity, []):
        relation.move(session, survivor, merged)


# --- duplicate groups ---------------------------------------------------------------------------


@dataclass
class Group:
    key: str
    value: str
    members: list[dict]  # id, code, name, owner, phone, email


def duplicate_groups(
    session: Session, actor: Actor, by: str, limit: int = 50, list_id: int | None = None
) -> list[Group]:
    """Groups of visible, active customers sharing a normalised email, phone, name+phone or tax code;
    with ``list_id``, only among the members of that static list (one the actor sees)."""
    if by not in GROUP_KEYS:
        raise ValidationFailed({"by": ("err.invalid_choice", {})})
    if list_id is not None and record_lists.get(session, actor, list_id).entity != "customer":
        raise ValidationFailed({"list_id": ("err.invalid_choice", {})})
    if by == "phone":
        table, id_col = CustomerPhone, CustomerPhone.customer_id
        value_cols = [CustomerPhone.number_norm]
        where = [CustomerPhone.archived == sa.false(), CustomerPhone.number_norm != ""]
        select_from = CustomerPhone
    elif by == "name_phone":
        id_col = Customer.id
        value_cols = [Customer.name_norm, CustomerPhone.number_norm]
        where = [Customer.archived == sa.false(), CustomerPhone.number_norm != ""]
        select_from = sa.join(CustomerPhone, Customer, Customer.id == CustomerPhone.customer_id)
        table = Customer
    else:
        col = Customer.email_norm if by == "email" else Customer.tax_code
        table, id_col, value_cols = Customer, Customer.id, [col]
        where = [Customer.archived == sa.false(), col != ""]
        select_from = Customer
    vis = visibility_clause(actor, table.owner_id)
    if vis is not None:
        where.append(vis)
    if list_id is not None:
        where.append(id_col.in_(sa.select(RecordListMember.record_id).where(RecordListMember.list_id == list_id)))
    stmt = (
        sa.select(*value_cols)
        .select_from(select_from)
        .where(*where)
        .group_by(*value_cols)
        .having(sa.func.count(sa.distinct(id_col)) > 1)
        .order_by(*value_cols)
        .limit(limit)
    )
    groups = []
    for values in session.execute(stmt).all():
        member_ids = (
            session.execute(
                sa.select(id_col)
                .distinct()
                .select_from(select_from)
                .where(*where, *[c == v for c, v in zip(value_cols, values, strict=True)])
            )
            .scalars()
            .all()
        )
        groups.append(Group(by, " + ".join(values), _members(session, sorted(member_ids))))
    return groups


def _members(session: Session, ids: list[int]) -> list[dict]:
    rows = session.execute(
        sa.select(Customer.id, Customer.code, Customer.full_name, Customer.phone, Customer.email, User.full_name)
        .outerjoin(User, User.id == Customer.owner_id)
        .where(Customer.id.in_(ids))
        .order_by(Customer.id)
    ).all()
    return [
        {"id": i, "code": code, "name": name, "phone": phone, "email": email, "owner": owner or ""}
        for i, code, name, phone, email, owner in rows
    ]


# --- merge --------------------------------------------------------------------------------------


def _load(session: Session, actor: Actor, ids: list[int]) -> dict[int, dict]:
    if not actor.is_manager:
        raise NotAllowed("err.merge_managers")
    ids = list(dict.fromkeys(ids))
    if len(ids) < 2:
        raise ValidationFailed({"ids": ("err.merge_two", {})})
    if len(ids) > MAX_MERGE:
        raise ValidationFailed({"ids": ("err.merge_too_many", {"max": MAX_MERGE, "value": len(ids)})})
    snaps = {}
    for cid in ids:
        customer = session.get(Customer, cid)
        ensure_editable(actor, customer)
        snaps[cid] = {"code": customer.code, **customers.snapshot(session, customer)}
    return snaps


def candidates(session: Session, actor: Actor, ids: list[int]) -> dict[int, dict]:
    """The values of each record, to choose from: {id: {field: value}}."""
    return _load(session, actor, ids)


def merged_values(snaps: dict[int, dict], survivor: int, choices: dict[str, int]) -> dict:
    """The survivor's values with each chosen field taken from its record; tags, phones and
    descriptions combined from every record (the survivor's first)."""
    if survivor not in snaps:
        raise ValidationFailed({"survivor": ("err.invalid_choice", {})})
    values = {k: v for k, v in snaps[survivor].items() if k != "code"}
    for field, source in choices.items():
        if field in UNION_FIELDS or field not in values or source not in snaps:
            raise ValidationFailed({field: ("err.invalid_choice", {})})
        values[field] = snaps[source][field]
    order = [survivor, *[i for i in snaps if i != survivor]]
    phones: dict[str, str] = {}
    for i in order:
        for p in snaps[i]["phones"]:
            phones.setdefault(normalize_phone(p), p)
    values["phones"] = list(phones.values())[:MAX_PHONES]
    values["tags"] = sorted(
        {normalize_name(t): t for i in order for t in snaps[i]["tags"]}.values(), key=normalize_name
    )
    texts = list(dict.fromkeys(t.strip() for i in order if (t := snaps[i]["description"] or "").strip()))
    values["description"] = "\n\n".join(texts)[:5000]
    return values


def fill_empty(snaps: dict[int, dict], survivor: int) -> dict[str, int]:
    """The proposed choices: a field the kept record leaves empty takes the first other record's
    value, so that a merge never drops the only e-mail or address by default."""
    proposed = {}
    for field in choosable_fields():
        if audit.is_blank(snaps[survivor].get(field)):
            source = next((i for i in snaps if i != survivor and not audit.is_blank(snaps[i].get(field))), None)
            if source is not None:
                proposed[field] = source
    return proposed


def preview(session: Session, actor: Actor, ids: list[int], survivor: int, choices: dict[str, int]) -> dict:
    return merged_values(_load(session, actor, ids), survivor, choices)


def merge(session: Session, actor: Actor, ids: list[int], survivor: int, choices: dict[str, int]) -> Customer:
    """Merge ``ids`` into ``survivor`` in one transaction. Cannot be undone."""
    snaps = _load(session, actor, ids)
    values = merged_values(snaps, survivor, choices)
    others = [i for i in snaps if i != survivor]
    try:
        move_children(session, "customer", survivor, others)
        for i in others:
            session.add(
                AuditLog(
                    entity="customer",
                    entity_id=survivor,
                    root_entity="customer",
                    root_id=survivor,
                    action="merge",
                    field="merged",
                    old_value=json.dumps({k: audit.stored_text(v) for k, v in snaps[i].items()}, ensure_ascii=False),
                    new_value=snaps[i]["code"],
                    user_id=actor.id,
                )
            )
        session.flush()
        session.execute(sa.delete(Customer).where(Customer.id.in_(others)))
        session.expire_all()
        sales.refresh_purchases(session, actor, session.get(Customer, survivor))  # orders moved over
        result = customers.update(session, actor, survivor, values)  # the form's rules
    except Exception:
        session.rollback()
        raise
    return result.customer


def choosable_fields() -> list[str]:
    """The fields whose value a merge takes from one chosen record, in list order."""
    return [f.name for f in CUSTOMER.fields if f.name in customers.FORM_FIELDS and f.name not in UNION_FIELDS]


def display(session: Session, snaps: dict[int, dict], lang: str) -> dict[int, dict[str, str]]:
    """Each record's values as the list shows them (names for users and catalogs, labels for choices)."""
    from types import SimpleNamespace

    records = [
        SimpleNamespace(id=i, **{k: v for k, v in s.items() if k not in ("phones", "tags")}) for i, s in snaps.items()
    ]
    rows = query.display_rows(session, CUSTOMER, records, [*choosable_fields(), "tags"], lang)
    out = {}
    for row in rows:
        snap = snaps[row["id"]]
        out[row["id"]] = {
            **{k: str(v) for k, v in row.items()},
            "phones": ", ".join(snap["phones"]),
            "description": snap["description"] or "",
            "code": snap["code"],
        }
    return out

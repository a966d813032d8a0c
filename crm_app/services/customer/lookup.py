"""Customer lookup (Tra cứu khách hàng, seed 004 §2): whether a phone, an e-mail, a tax code or a
full name is anywhere in the CRM, and who owns it, for any signed-in user.

A hit says what kind of record holds the value, which of its values matched, who owns it (and
their teams) and when it was made; the record itself (its code, name and link) only when the
user may see it. Values are compared as the duplicate rule compares them: a name without
diacritics or case, a phone in its current national form (an old 11-digit mobile number
included), an e-mail in lower case — whole values only, never a prefix, so a lookup confirms a
value the user already has and cannot list the base. Every lookup is written to the system
history, and a user may make LOOKUPS_PER_HOUR of them an hour.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from crm_app.models import AuditLog, Contact, Customer, CustomerPhone, Lead, Team, TeamMember, User
from crm_app.models._base import utcnow
from crm_app.services.errors import ServiceError, ValidationFailed
from crm_app.services.normalize import fold_spaces, is_valid_email, normalize_email, normalize_name, normalize_phone
from crm_app.services.people.permissions import Actor

LOOKUPS_PER_HOUR = 60
MAX_HITS = 20
MAX_TEXT = 200
# Each lookup is a row of the system history: entity "lookup", entity_id the user who looked up
# (the history's (entity, entity_id) index counts a user's lookups of the last hour), the kind
# of value as its field ("lookup_number", "lookup_email", "lookup_name") and the value as typed.
ACTION = "lookup"
_TAX_CODE = re.compile(r"^\d{10}(-\d{3})?$")


@dataclass(frozen=True)
class Hit:
    entity: str  # customer / contact / lead
    by: str  # phone / email / tax_code / name: what matched
    owner: str
    teams: str
    created_at: datetime
    record_id: int = 0  # 0 when the user may not see the record
    label: str = ""  # its code and name, when the user may see it


def kind_of(text: str) -> str:
    """What a typed value is: an e-mail, a number (a phone, or a tax code), or a name."""
    if "@" in text:
        return "email"
    if re.search(r"\d", text) and not re.search(r"[^\d\s.+()\-]", text):
        return "number"
    return "name"


def look_up(session: Session, actor: Actor, typed: str, now: datetime | None = None) -> list[Hit]:
    """The records holding the value (at most MAX_HITS), written to the history; refused when the
    value is too short or not of its kind, or when the user made too many lookups this hour."""
    text = fold_spaces(typed)
    if len(text) > MAX_TEXT:
        raise ValidationFailed({"lookup": ("err.too_long", {"max": MAX_TEXT})})
    kind = kind_of(text)
    value = _value_of(kind, text)
    now = now or utcnow()
    recent = session.execute(
        sa.select(sa.func.count())
        .select_from(AuditLog)
        .where(AuditLog.entity == ACTION, AuditLog.entity_id == actor.id, AuditLog.at > now - timedelta(hours=1))
    ).scalar_one()
    if recent >= LOOKUPS_PER_HOUR:
        raise ServiceError("err.lookup_limit", max=LOOKUPS_PER_HOUR)
    found = _found(session, kind, value)[:MAX_HITS]
    session.add(
        AuditLog(
            entity=ACTION,
            entity_id=actor.id,
            action=ACTION,
            field=f"lookup_{kind}",
            new_value=text,
            user_id=actor.id,
            at=now,
        )
    )
    session.commit()
    return _hits(session, actor, found)


def _value_of(kind: str, text: str) -> str:
    if kind == "email":
        value = normalize_email(text)
        if not is_valid_email(value):
            raise ValidationFailed({"lookup": ("err.invalid_email", {"value": text})})
        return value
    if kind == "number":
        return text
    value = normalize_name(text)
    if len(value.replace(" ", "")) < 3 or " " not in value:  # a whole name, not a word of one
        raise ValidationFailed({"lookup": ("err.lookup_whole_name", {"value": text})})
    return value


def _found(session: Session, kind: str, value: str) -> list[tuple]:
    """(entity, what matched, id, owner id, created, code, name) of every record holding the value."""
    queries = []
    both = (False, True)  # archived or not: the indexes lead with it
    if kind == "number":
        if _TAX_CODE.match(value):
            queries.append(("customer", "tax_code", Customer.tax_code == value))
        phone = normalize_phone(value)
        phones = sa.select(CustomerPhone.customer_id).where(CustomerPhone.number_norm == phone)
        queries.append(("customer", "phone", Customer.id.in_(phones)))
        queries.append(("contact", "phone", sa.or_(Contact.phone_norm == phone, Contact.mobile_norm == phone)))
        queries.append(("lead", "phone", sa.or_(Lead.phone_norm == phone, Lead.mobile_norm == phone)))
    elif kind == "email":
        for entity, model in (("customer", Customer), ("contact", Contact), ("lead", Lead)):
            queries.append((entity, "email", model.email_norm == value))
    else:
        queries.append(("customer", "name", sa.and_(Customer.archived.in_(both), Customer.name_norm == value)))
        queries.append(("contact", "name", sa.and_(Contact.archived.in_(both), Contact.name_norm == value)))
        queries.append(("lead", "name", sa.and_(Lead.archived.in_(both), Lead.name_norm == value)))
    models = {"customer": Customer, "contact": Contact, "lead": Lead}
    out = []
    for entity, by, condition in queries:
        m = models[entity]
        code = m.code if hasattr(m, "code") else sa.literal("")
        stmt = sa.select(m.id, m.owner_id, m.created_at, code, m.full_name).where(condition)
        out += [(entity, by, *row) for row in session.execute(stmt.order_by(m.id).limit(MAX_HITS)).all()]
    return out


def _hits(session: Session, actor: Actor, found: list) -> list[Hit]:
    owners = {owner for _e, _by, _id, owner, _at, _code, _name in found if owner}
    names, teams = {}, {}
    if owners:
        names = dict(session.execute(sa.select(User.id, User.full_name).where(User.id.in_(owners))).all())
        memberships = session.execute(
            sa.select(TeamMember.user_id, Team.name)
            .join(Team, Team.id == TeamMember.team_id)
            .where(TeamMember.user_id.in_(owners))
        )
        for user_id, team in memberships:
            teams.setdefault(user_id, []).append(team)
    hits = []
    for entity, by, rid, owner, created, code, name in found:
        visible = actor.sees_owner(owner)
        hits.append(
            Hit(
                entity=entity,
                by=by,
                owner=names.get(owner, ""),
                teams=", ".join(sorted(teams.get(owner, []))),
                created_at=created,
                record_id=rid if visible else 0,
                label=f"{code} {name}".strip() if visible else "",
            )
        )
    return hits

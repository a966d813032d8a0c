"""Plain helpers that build test data through the services themselves.

Users are created with ``users.create_user`` (actor None, as on first start).
Hashing a password with argon2id costs ~0.1 s, so the factory hashes each
distinct password once per test run and reuses that (genuine) hash; tests of
the hashing itself call the auth service directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TypeVar
from unittest import mock

import sqlalchemy as sa
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlmodel import Session, select

from crm_app.models import (
    Activity,
    AuditLog,
    AuthSession,
    CatalogItem,
    Contact,
    Customer,
    CustomerPhone,
    CustomerTag,
    LoginThrottle,
    Tag,
    Team,
    TeamMember,
    User,
)
from crm_app.models._base import utcnow
from crm_app.services.customer import contacts, customers
from crm_app.services.people import auth, users
from crm_app.services.people.permissions import Actor, load_actor
from crm_app.services.records import catalogs
from crm_app.services.work import activities

PASSWORD = "MatKhau2024"

# argon2id with the lowest cost: for tests that log in many times, where the cost is beside the point.
CHEAP_HASHER = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1),))


def use_cheap_hashing(monkeypatch) -> None:
    """Make hashing and verifying (the dummy hash of unknown users included) take ~1 ms."""
    monkeypatch.setattr(auth, "_hasher", CHEAP_HASHER)
    dummy = CHEAP_HASHER.hash("not-a-real-password")
    monkeypatch.setattr(auth, "_dummy_hash", lambda: dummy)


@cache
def _hash_with(hasher: PasswordHash, password: str) -> str:
    return hasher.hash(password)


def _hash_once(password: str) -> str:
    """A genuine hash made by the service's current hasher, computed once per password."""
    return _hash_with(auth._hasher, password)


# --- catalogs, teams, users, actors -------------------------------------------------------------------


def default_catalogs(session: Session) -> dict[str, dict[str, int]]:
    """Write the default catalogs; returns {kind: {code: id}}."""
    catalogs.ensure_default_catalogs(session)
    result: dict[str, dict[str, int]] = {}
    for item in session.exec(select(CatalogItem)).all():
        result.setdefault(item.kind, {})[item.code] = item.id
    return result


def make_team(session: Session, name: str) -> Team:
    return committed(session, users.create_team(session, None, name))


def make_user(
    session: Session,
    username: str,
    role: str = "sales",
    team: Team | None = None,
    password: str = PASSWORD,
    **extra: object,
) -> User:
    data = {
        "username": username,
        "email": f"{username}@congty.vn",
        "full_name": username.replace(".", " ").title(),
        "password": password,
        "role": role,
        "team_id": team.id if team is not None else None,
        **extra,
    }
    with mock.patch.object(auth, "hash_password", _hash_once):
        return committed(session, users.create_user(session, None, data))


def actor_of(session: Session, user: User | int) -> Actor:
    return load_actor(session, user if isinstance(user, int) else user.id)


@dataclass
class Org:
    """Two teams: sales A and B with their manager in team 1, another manager in team 2, an admin."""

    team1: Team
    team2: Team
    sales_a: Actor
    sales_b: Actor
    manager: Actor
    other_manager: Actor
    other_sales: Actor
    admin: Actor


def make_org(session: Session) -> Org:
    team1 = make_team(session, "Kinh doanh Hà Nội")
    team2 = make_team(session, "Kinh doanh TP.HCM")
    a = make_user(session, "sales.a", "sales", team1)
    b = make_user(session, "sales.b", "sales", team1)
    manager = make_user(session, "manager.hn", "manager", team1)
    other_manager = make_user(session, "manager.hcm", "manager", team2)
    other_sales = make_user(session, "sales.hcm", "sales", team2)
    admin = make_user(session, "quantri", "admin")
    return Org(
        team1=team1,
        team2=team2,
        sales_a=actor_of(session, a),
        sales_b=actor_of(session, b),
        manager=actor_of(session, manager),
        other_manager=actor_of(session, other_manager),
        other_sales=actor_of(session, other_sales),
        admin=actor_of(session, admin),
    )


def make_admin(session: Session, username: str = "admin") -> Actor:
    return actor_of(session, make_user(session, username, "admin"))


def make_sales(session: Session, username: str = "sales", team: Team | None = None) -> Actor:
    return actor_of(session, make_user(session, username, "sales", team))


T = TypeVar("T")


# --- customers and contacts ---------------------------------------------------------------------------


def make_customer(session: Session, actor: Actor, full_name: str, **fields: object) -> Customer:
    """A stored customer: created and committed, as a finished handler leaves it."""
    return committed(session, customers.create(session, actor, {"full_name": full_name, **fields}).customer)


def make_contact(session: Session, actor: Actor, full_name: str, **fields: object) -> Contact:
    return committed(session, contacts.create(session, actor, {"full_name": full_name, **fields}))


def make_task(
    session: Session, actor: Actor, customer_id: int, assignee_id: int, subject: str = "Gọi lại báo giá"
) -> Activity:
    """A stored task of the customer, planned, due now, given by ``actor`` to ``assignee_id``."""
    data = {
        "type_code": "task",
        "subject": subject,
        "assignee_id": assignee_id,
        "due_at": utcnow(),
        "status": "planned",
    }
    return committed(session, activities.create(session, actor, customer_id, data))


def committed(session: Session, result: T) -> T:
    """``result`` of a service call once its transaction is committed, as a screen's handler
    does when it ends (services never commit)."""
    session.commit()
    return result


# --- what the database holds --------------------------------------------------------------------------

COUNTED = (
    Customer,
    CustomerPhone,
    CustomerTag,
    Tag,
    Contact,
    AuditLog,
    User,
    Team,
    TeamMember,
    AuthSession,
    LoginThrottle,
)


def count(session: Session, model: type) -> int:
    return int(session.exec(sa.select(sa.func.count()).select_from(model)).scalar_one())


def stored_counts(session: Session) -> dict[str, int]:
    """Row counts of what is committed: anything a failed call left pending is rolled back first,
    as the app's session scope does."""
    session.rollback()
    return {model.__name__: count(session, model) for model in COUNTED}


def reloaded(session: Session, model: type, record_id: int):
    """The committed row, read again from the database (what a failed call left pending is
    rolled back first, as the app's session scope does)."""
    session.rollback()
    session.expire_all()
    return session.get(model, record_id)


def history(session: Session, entity: str, entity_id: int) -> list[AuditLog]:
    """The audit rows of one record, oldest first."""
    return list(
        session.exec(
            select(AuditLog).where(AuditLog.entity == entity, AuditLog.entity_id == entity_id).order_by(AuditLog.id)
        ).all()
    )


def changes(session: Session, entity: str, entity_id: int, action: str) -> dict[str, tuple[str | None, str | None]]:
    """{field: (old, new)} of one record's audit rows with this action."""
    return {
        row.field: (row.old_value, row.new_value) for row in history(session, entity, entity_id) if row.action == action
    }


# A customer of the columns every revision since e8a1c3f5b7d9 has, for tests that write rows
# between two migrations (the models may have columns such a revision has not).
_BARE_CUSTOMER = sa.text(
    "INSERT INTO customer (id, code, full_name, name_norm, kind, status, email, email_norm, phone,"
    " phone_norm, country, province, address, tax_code, website, gender, rating, email_opt_out,"
    " do_not_call, description, archived, created_at, updated_at, notify_on_change)"
    " VALUES (:id, :code, 'N', :name, 'individual', 'lead', '', '', :phone, :phone_norm, 'Việt Nam', '', '',"
    " '', '', '', 0, false, false, '', :archived, '2026-01-01', '2026-01-01', false)"
)


def insert_bare_customer(
    conn: sa.Connection, customer_id: int, name_norm: str = "n", archived: bool = False, phone: str = ""
) -> None:
    """A customer row written in SQL, code KH00000<id>, at whatever revision the database is."""
    values = {"id": customer_id, "code": f"KH{customer_id:06d}", "name": name_norm, "archived": archived}
    conn.execute(_BARE_CUSTOMER, values | {"phone": phone, "phone_norm": "".join(ch for ch in phone if ch.isdigit())})

"""Direct access to the running app's database: set up users and check what was stored."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TypeVar

import sqlalchemy as sa
from sqlmodel import Session, select

from crm_app.db import make_engine, session_scope
from crm_app.models import Customer, Team, User
from crm_app.services import process_cache
from crm_app.services.customer import customers
from crm_app.services.people import team_sharing, users
from crm_app.services.people.permissions import load_actor

T = TypeVar("T")


class AppDB:
    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)

    def session(self) -> AbstractContextManager[Session]:
        """A session committed at the end of its block, as a screen's handler commits (services
        never do)."""
        return session_scope(self.engine)

    def eventually(self, read: Callable[[Session], T], expected: T, timeout: float = 10.0) -> T:
        """What ``read`` finds once it equals ``expected``, or when the time is up: a screen may
        show a change (a dragged row) a moment before its handler has committed it."""
        deadline = time.monotonic() + timeout
        while True:
            with self.session() as s:
                found = read(s)
            if found == expected or time.monotonic() > deadline:
                return found
            time.sleep(0.2)

    def set_team_sharing(self, mode: str) -> None:
        """The admin's team-sharing setting, as the admin page sets it; then the time the app's
        processes keep the setting they read (it was changed behind their back)."""
        with self.session() as s:
            team_sharing.set_mode(s, load_actor(s, self.user("admin").id), mode)
        time.sleep(process_cache.TTL_SECONDS)

    def ensure_user(
        self, username: str, password: str, role: str = "sales", full_name: str = "", team: str = ""
    ) -> int:
        """The user (made when missing), in the demo team named ``team`` if one is given."""
        with self.session() as s:
            existing = s.exec(select(User).where(User.username == username)).first()
            if existing:
                return existing.id
            user = users.create_user(
                s,
                None,
                {
                    "username": username,
                    "email": f"{username}@test.vn",
                    "full_name": full_name or username,
                    "password": password,
                    "role": role,
                    "team_id": s.exec(select(Team.id).where(Team.name == team)).one() if team else None,
                },
            )
            return user.id

    def create_customer(self, owner_id: int, **data) -> Customer:
        with self.session() as s:
            return customers.create(s, load_actor(s, owner_id), data).customer

    def customers_named(self, name_norm: str) -> list[Customer]:
        with self.session() as s:
            return list(s.exec(select(Customer).where(Customer.name_norm == name_norm)).all())

    def customer(self, customer_id: int) -> Customer | None:
        with self.session() as s:
            return s.get(Customer, customer_id)

    def user(self, username: str) -> User | None:
        with self.session() as s:
            return s.exec(select(User).where(User.username == username)).first()

    def count_customers(self) -> int:
        with self.session() as s:
            return s.exec(sa.select(sa.func.count()).select_from(Customer)).scalar_one()

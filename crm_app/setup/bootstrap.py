"""First start: migrate, catalogs, the admin account and (optionally) demo data."""

from __future__ import annotations

import secrets
import sys

from sqlmodel import Session, select

from crm_app.db import get_engine, migrate
from crm_app.models import Customer, User
from crm_app.services.people import users
from crm_app.services.pipeline import pipelines
from crm_app.services.records import catalogs
from crm_app.settings import settings
from crm_app.setup import demo


def ensure_admin(session: Session) -> str | None:
    """Create the admin on an empty user table; returns a generated password, if any."""
    if session.exec(select(User.id)).first() is not None:
        return None
    password = settings.admin_password
    generated = None
    if not password:
        generated = password = secrets.token_urlsafe(12) + "9a"
    users.create_user(
        session,
        None,
        {
            "username": "admin",
            "email": "admin@crm.local",
            "full_name": "Quản trị viên",
            "password": password,
            "role": "admin",
        },
    )
    return generated


def start() -> None:
    """Everything the app needs before serving: idempotent, safe on every start."""
    migrate()
    with Session(get_engine()) as session:
        catalogs.ensure_default_catalogs(session)
        pipelines.ensure_default_pipeline(session)
        generated = ensure_admin(session)
        if generated:
            print(
                f"\n*** First start: admin account 'admin' created with password: {generated} ***\n",
                file=sys.stderr,
                flush=True,
            )
        if settings.seed_demo and session.exec(select(Customer.id)).first() is None:
            demo.seed(session, customers=settings.demo_customers)
        session.commit()  # services leave the committing to their caller

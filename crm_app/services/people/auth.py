"""Passwords (argon2id), login throttled per account and address, and server-side sessions."""

from __future__ import annotations

import functools
import hashlib
import math
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from http.cookies import CookieError, SimpleCookie

import sqlalchemy as sa
from pwdlib import PasswordHash
from pwdlib.exceptions import UnknownHashError
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlmodel import Session, select

from crm_app.db import session_scope
from crm_app.models import AuthSession, LoginThrottle, User
from crm_app.models._base import utcnow
from crm_app.services.errors import AuthError, NotAllowed
from crm_app.services.people.permissions import Actor, load_actor
from crm_app.settings import settings

_hasher = PasswordHash((Argon2Hasher(),))
MIN_PASSWORD = 8
MAX_PASSWORD = 256


@functools.cache
def _dummy_hash() -> str:
    """Verifying against this keeps the time of "unknown user" equal to "wrong password" (made on
    first use: hashing takes most of a second, which every process, job processes included, paid
    at import)."""
    return _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    try:
        return _hasher.verify(password, password_hash)
    except (UnknownHashError, ValueError, TypeError):  # malformed hash: never a match
        return False


def check_password_strength(password: str) -> str | None:
    """The catalog key of what is wrong with a new password, or None."""
    if len(password) < MIN_PASSWORD:
        return "err.password_short"
    if len(password) > MAX_PASSWORD:
        return "err.password_long"
    if password.isdigit() or password.isalpha():
        return "err.password_weak"
    return None


def _find_user(session: Session, login: str) -> User | None:
    login = login.strip().lower()
    return session.exec(
        select(User).where(sa.or_(sa.func.lower(User.username) == login, sa.func.lower(User.email) == login))
    ).first()


# An address trying many accounts is slowed down too, after this many failures.
ADDRESS_FAILURES = 20


def authenticate(session: Session, login: str, password: str, client: str = "", now: datetime | None = None) -> User:
    """The user for these credentials, or AuthError.

    Failures are counted per account and client address (``client``), and per address: past
    ``max_failed_logins`` each further try must wait twice as long as the last (1 s, 2 s, 4 s ...
    up to ``lockout_minutes``). Nobody can lock an account for its owner by failing from another
    address. A deactivated account is answered as a wrong password is: the answer tells nothing.
    """
    now = now or utcnow()
    name = login.strip().lower()[:200]
    if not name or not password:
        raise AuthError("err.login_required")
    user = _find_user(session, name)
    # One counter per account, whether its username or its email was typed; unknown names
    # are counted too, so that probing them is throttled alike.
    address = client.strip()[:45] or "-"
    account = f"user:{user.id}" if user else name
    counters = {f"{account}@{address}": settings.max_failed_logins, f"address:{address}": ADDRESS_FAILURES}
    throttles = {key: session.get(LoginThrottle, key) for key in counters}
    waits = [t.locked_until for t in throttles.values() if t and t.locked_until and t.locked_until > now]
    if waits:
        raise AuthError("err.login_wait", seconds=max(1, math.ceil((max(waits) - now).total_seconds())))
    ok = verify_password(password, user.password_hash if user else _dummy_hash())
    if not ok or user is None or not user.active:
        for key, limit in counters.items():
            throttle = throttles[key] or LoginThrottle(login=key)
            throttle.failures += 1
            throttle.last_failure_at = now
            if throttle.failures >= limit:
                seconds = min(2 ** (throttle.failures - limit), settings.lockout_minutes * 60)
                throttle.locked_until = now + timedelta(seconds=seconds)
            session.add(throttle)
        session.commit()
        raise AuthError("err.login_failed")
    for throttle in throttles.values():
        if throttle is not None:
            session.delete(throttle)
    user.last_login_at = now
    session.add(user)
    session.commit()
    return user


def token_in(cookie_header: str | None, name: str) -> str:
    """The session token a request's Cookie header carries under ``name`` ("" for none)."""
    cookie = SimpleCookie()
    try:
        cookie.load(cookie_header or "")
    except CookieError:
        return ""
    return cookie[name].value if name in cookie else ""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(session: Session, user_id: int, now: datetime | None = None) -> str:
    """A new session token for the browser cookie; only its hash is stored."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    session.add(
        AuthSession(
            token_hash=_digest(token),
            user_id=user_id,
            created_at=now,
            expires_at=now + timedelta(hours=settings.session_hours),
        )
    )
    session.commit()
    return token


def user_for_token(session: Session, token: str, now: datetime | None = None) -> User | None:
    """The active user behind a session token, or None when absent, expired or disabled."""
    if not token:
        return None
    now = now or utcnow()
    row = session.get(AuthSession, _digest(token))
    if row is None:
        return None
    if row.expires_at <= now:
        session.delete(row)
        session.commit()
        return None
    user = session.get(User, row.user_id)
    return user if user and user.active else None


def end_session(session: Session, token: str) -> None:
    if token:
        session.exec(sa.delete(AuthSession).where(AuthSession.token_hash == _digest(token)))
        session.commit()


def end_user_sessions(session: Session, user_id: int) -> None:
    session.exec(sa.delete(AuthSession).where(AuthSession.user_id == user_id))


@contextmanager
def actor_session(token: str) -> Iterator[tuple[Session, Actor]]:
    """A database session (committed on success) and the Actor of a session token: for a page's
    handler, and for work it hands to a thread or a job process, which cannot reach the state."""
    with session_scope() as session:
        user = user_for_token(session, token)
        if user is None:
            raise NotAllowed("err.session_invalid")
        yield session, load_actor(session, user.id)

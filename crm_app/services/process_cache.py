"""Small settings read on every save or page load, kept in the process for a few seconds.

Whether an event rule watches an entity is asked on every save, and the team-sharing setting on
every actor load; both change a few times a year. Each value is kept per database (engine) and
name for ``TTL_SECONDS``:

- a change made in this process forgets the value at once and again when its transaction
  commits (a request reading it meanwhile would keep the old value until then);
- a change made by another backend worker (PostgreSQL + Redis, several workers) reaches this
  one when its copy expires, within ``TTL_SECONDS``.

Why a short expiry rather than a version row read on each use: a version row is one more query
per save, about what the questions it would spare cost (each is one index lookup), whereas an
expiry costs nothing between two reads; and a few seconds during which another worker still acts
on the old setting are acceptable for these two values (a rule switched on acts on the changes
saved from then on; a sharing change applies from the next page load).
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

TTL_SECONDS = 2.0

_lock = threading.Lock()
# engine -> name -> (expires at, value); an engine disposed of takes its values with it
_kept: weakref.WeakKeyDictionary[sa.Engine, dict[Any, tuple[float, Any]]] = weakref.WeakKeyDictionary()


def _engine(session: Session) -> sa.Engine:
    return session.get_bind().engine  # a session bound to a connection (a preview) names its engine too


def cached(session: Session, name: Any, load: Callable[[], Any]) -> Any:
    """The value kept under ``name`` for the session's database, ``load()`` when none is fresh."""
    engine = _engine(session)
    now = time.monotonic()
    with _lock:
        kept = _kept.setdefault(engine, {}).get(name)
    if kept is not None and kept[0] > now:
        return kept[1]
    value = load()
    with _lock:
        _kept.setdefault(engine, {})[name] = (now + TTL_SECONDS, value)
    return value


def forget(session: Session) -> None:
    """A kept value changes in this session's transaction: every value of its database is read
    again, now and after the commit."""
    engine = _engine(session)

    def drop(*_args) -> None:
        with _lock:
            _kept.pop(engine, None)

    drop()
    sa.event.listen(session, "after_commit", drop, once=True)

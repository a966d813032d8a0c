"""Engine, sessions and migrate-on-start."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.sql.expression import UnaryExpression
from sqlalchemy.sql.operators import custom_op
from sqlmodel import Session

from crm_app import write_turns
from crm_app.settings import ROOT, settings

MMAP_SIZE = 1 << 30
WAL_AUTOCHECKPOINT = 1000  # pages: SQLite's default


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    # FULL: a commit waits until the log is on the disk, so a power cut or an operating-system
    # crash loses no saved change (NORMAL could lose the last ones); it costs ~0.2 ms a commit
    # here (bench/durability.py), against a save's ~17 ms.
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA cache_size=-131072")  # 128 MiB page cache
    cur.execute(f"PRAGMA mmap_size={MMAP_SIZE}")
    cur.execute("PRAGMA temp_store=MEMORY")
    # A big import and its undo grow the write-ahead log to hundreds of MB; once checkpointed it
    # is cut back to this size instead of staying that large (every read looks pages up in it).
    cur.execute("PRAGMA journal_size_limit=67108864")
    cur.close()


def ensure_sqlite_folder(url: str) -> None:
    """SQLite creates the file but not its folder."""
    path = url.split("///", 1)[-1] if url.startswith("sqlite") else ""
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


def make_engine(url: str) -> sa.Engine:
    if url.startswith("sqlite"):
        ensure_sqlite_folder(url)
        eng = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(eng, "connect", _sqlite_pragmas)
        turns = write_turns.lock_path(url)
        if turns is not None:
            write_turns.watch(eng, turns)
        return eng
    # Like SQLite's busy timeout: a write waiting on another transaction's lock gives up after
    # 10 s (and the user is told the database is busy) instead of waiting for ever. No JIT: it
    # compiled any plan costed over its threshold, 40-50 ms for a query of a few ms (a list's
    # count at 1,000,000 customers), and the app runs no long analytical query that it pays for.
    return sa.create_engine(
        url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=20,
        connect_args={"options": "-c lock_timeout=10000 -c jit=off"},
    )


@contextmanager
def file_not_mapped(session: Session) -> Iterator[None]:
    """SQLite: the session's connection reads the database through its page cache instead of
    mapping the file while a bulk job (an import, an undo) runs. Such a job touches most index
    pages of a big database, and every mapped page it touched would stay in the process's
    resident memory; the page cache is bounded (cache_size)."""
    if session.get_bind().dialect.name != "sqlite":
        yield
        return
    session.execute(sa.text("PRAGMA mmap_size=0"))
    try:
        yield
    finally:
        session.execute(sa.text(f"PRAGMA mmap_size={MMAP_SIZE}"))


def write_lock(session: Session) -> None:
    """SQLite: take the write lock now (BEGIN IMMEDIATE), before the transaction reads what it
    writes from (an id counter, the items left to undo). The driver would begin only at the first
    write, leaving the reads before it outside the transaction. Other databases lock rows."""
    if session.get_bind().dialect.name == "sqlite":
        begin_immediate(session.connection())


def begin_immediate(conn: sa.Connection) -> None:
    """SQLite: BEGIN IMMEDIATE on this connection, unless in a transaction already (its turn
    taken first, as a write's: write_turns)."""
    driver = conn.connection.driver_connection
    if not driver.in_transaction:
        write_turns.take(conn, write_turns.lock_path(conn.engine.url))
        driver.execute("BEGIN IMMEDIATE")


def unindexed(expr):
    """``+expr``: the same value, which no index can order, range over or look up (SQLite's way
    of steering its planner off an index; PostgreSQL reads it as the value)."""
    return UnaryExpression(expr, operator=custom_op("+"))


@cache
def engine_for(url: str) -> sa.Engine:
    return make_engine(url)


def get_engine() -> sa.Engine:
    return engine_for(settings.database_url)


@contextmanager
def session_scope(engine: sa.Engine | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    with Session(engine or get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def alembic_config(url: str):
    from alembic.config import Config

    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "alembic"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def migrate(url: str | None = None) -> None:
    """Bring the database schema to the newest migration."""
    from alembic import command

    # "heads": work merged from parallel branches may add migrations beside each other
    command.upgrade(alembic_config(url or settings.database_url), "heads")

"""Database fixtures for the unit tests.

``db_url`` is a brand-new database with the schema at the newest migration, one per test:

* by default a SQLite file in the test's tmp_path;
* with TEST_DATABASE_URL set (e.g. postgresql+psycopg://crm:crm@127.0.0.1:5432/crm_test) a new
  database ``crm_test_<random>`` created next to the one in the URL (the role needs CREATEDB)
  and dropped after the test.

Migrations run once per test run, into a template, which every test then copies; this keeps a
fresh database per test cheap. ``blank_db_url`` is an empty database without any migration
(for tests of the migrations themselves).

``engine`` is ``crm_app.db.make_engine(db_url)``; while it is in use, ``crm_app.db.get_engine()``
(and so ``session_scope()`` without an engine) returns it too. ``session`` is a
``sqlmodel.Session(engine)``, closed after the test.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool
from sqlmodel import Session

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "").strip()


def _use_server() -> bool:
    return bool(TEST_DATABASE_URL) and not TEST_DATABASE_URL.startswith("sqlite")


def _migrate(url: str) -> None:
    from crm_app.db import migrate

    migrate(url)


# --- SQLite -------------------------------------------------------------------------------------


def _sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def _sqlite_make_standalone(path: Path) -> None:
    """Fold any WAL into the main file so a plain file copy is a complete database."""
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA journal_mode=DELETE")
    finally:
        con.close()


# --- database servers (PostgreSQL) --------------------------------------------------------------


class _Server:
    """Creates and drops databases next to the one named in TEST_DATABASE_URL."""

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        self.admin = sa.create_engine(self.url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        self.is_postgres = self.url.get_backend_name() == "postgresql"

    def url_for(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def create(self, name: str, template: str | None = None) -> str:
        sql = f'CREATE DATABASE "{name}"'
        if template:
            sql += f' TEMPLATE "{template}"'
        with self.admin.connect() as conn:
            conn.exec_driver_sql(sql)
        return self.url_for(name)

    def drop(self, name: str) -> None:
        force = " WITH (FORCE)" if self.is_postgres else ""
        # FORCE may not end a server process of another role (an autovacuum worker): wait for it.
        for attempt in range(40):
            try:
                with self.admin.connect() as conn:
                    conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"{force}')
                return
            except sa.exc.DBAPIError:
                if attempt == 39:
                    raise
                time.sleep(0.25)

    def dispose(self) -> None:
        self.admin.dispose()


def _new_name(kind: str) -> str:
    return f"crm_test_{kind}_{os.getpid()}_{uuid.uuid4().hex[:10]}"


@pytest.fixture(scope="session")
def _server() -> Iterator[_Server | None]:
    if not _use_server():
        yield None
        return
    server = _Server(TEST_DATABASE_URL)
    yield server
    server.dispose()


# --- the template, migrated once ---------------------------------------------------------------


@pytest.fixture(scope="session")
def _template(_server: _Server | None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database to copy: a SQLite file path or a server database name."""
    if _server is None:
        path = tmp_path_factory.mktemp("template") / "template.db"
        _migrate(_sqlite_url(path))
        _sqlite_make_standalone(path)
        yield str(path)
        return
    name = _new_name("tpl")
    url = _server.create(name)
    try:
        _migrate(url)
        yield name
    finally:
        _server.drop(name)


# --- per-test databases ------------------------------------------------------------------------


@pytest.fixture
def db_url(_server: _Server | None, _template: str, tmp_path: Path) -> Iterator[str]:
    """URL of a brand-new database at the newest migration, for this test only."""
    if _server is None:
        path = tmp_path / "test.db"
        shutil.copyfile(_template, path)
        yield _sqlite_url(path)
        return
    name = _new_name("db")
    url = _server.create(name, template=_template)
    try:
        yield url
    finally:
        _server.drop(name)


@pytest.fixture
def blank_db_url(_server: _Server | None, tmp_path: Path) -> Iterator[str]:
    """URL of a brand-new database without any table (no migration has run)."""
    if _server is None:
        yield _sqlite_url(tmp_path / "blank.db")
        return
    name = _new_name("blank")
    url = _server.create(name)
    try:
        yield url
    finally:
        _server.drop(name)


@pytest.fixture
def engine(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[sa.Engine]:
    import crm_app.db

    eng = crm_app.db.make_engine(db_url)
    # Code that asks for the app's engine (get_engine / session_scope()) gets this one.
    monkeypatch.setattr(crm_app.db, "engine_for", lambda _url: eng)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: sa.Engine) -> Iterator[Session]:
    s = Session(engine)
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def cat(session: Session) -> dict[str, dict[str, int]]:
    """The default catalogs, {kind: {code: id}}."""
    from tests.unit.factories import default_catalogs

    return default_catalogs(session)


@pytest.fixture
def org(session: Session, cat):
    """Teams, an admin, managers and sales users (tests.unit.factories.make_org), catalogs seeded."""
    from tests.unit.factories import make_org

    return make_org(session)

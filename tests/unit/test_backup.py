"""Backups: made while the database is in use, kept to the newest N, restored whole; a damaged
file is never restored. SQLite here; on PostgreSQL (CI) through pg_dump / pg_restore."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from crm_app.models import Customer
from crm_app.services import backup
from crm_app.services.errors import ServiceError
from crm_app.tools import backup as backup_tool
from tests.unit.factories import make_customer, make_org

T0 = datetime(2026, 12, 5, 1, 0, tzinfo=UTC)


def _names(engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(sa.select(Customer.full_name).order_by(Customer.id)).scalars())


def test_a_backup_while_a_write_is_open_holds_what_was_committed(session, engine, db_url, tmp_path):
    if not db_url.startswith("sqlite"):
        pytest.skip("SQLite's own copy; PostgreSQL's is the test below")
    org = make_org(session)
    make_customer(session, org.sales_a, "Khách Đã Lưu")
    writer = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # a colleague's save in progress: the backup does not wait for it
    writer.execute("UPDATE customer SET full_name = 'Chưa lưu'")
    made = backup.backup_now(db_url, tmp_path, keep=3, now=T0)
    writer.execute("ROLLBACK")
    writer.close()
    assert made is not None and made.path.name == "crm-20261205-010000.db" and made.size > 0
    with sqlite3.connect(made.path) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert [r[0] for r in copy.execute("SELECT full_name FROM customer")] == ["Khách Đã Lưu"]


def test_only_the_newest_are_kept_and_due_says_when_the_next_one_is(engine, db_url, tmp_path):
    if not db_url.startswith("sqlite"):
        pytest.skip("the keeping is the same for both databases")
    assert backup.due(tmp_path, hours=24, now=T0)
    for day in range(5):
        backup.backup_now(db_url, tmp_path, keep=3, now=T0 + timedelta(days=day))
    kept = backup.backups(tmp_path)
    assert [b.at for b in kept] == [T0 + timedelta(days=d) for d in (4, 3, 2)]
    assert not backup.due(tmp_path, hours=24, now=T0 + timedelta(days=4, hours=23))
    assert backup.due(tmp_path, hours=24, now=T0 + timedelta(days=5))
    assert not backup.due(tmp_path, hours=0, now=T0 + timedelta(days=30))  # switched off


def test_a_restore_brings_the_data_back_and_keeps_what_it_replaced(session, engine, db_url, tmp_path):
    if not db_url.startswith("sqlite"):
        pytest.skip("see the PostgreSQL test")
    org = make_org(session)
    make_customer(session, org.sales_a, "Khách Trước")
    made = backup.backup_now(db_url, tmp_path / "b", keep=3, now=T0)
    make_customer(session, org.sales_a, "Khách Sau")
    session.close()
    engine.dispose()  # the app is stopped for a restore
    kept = backup.restore(made.path, db_url)
    assert _names(engine) == ["Khách Trước"]
    with sqlite3.connect(kept) as before:
        assert [r[0] for r in before.execute("SELECT full_name FROM customer ORDER BY id")] == [
            "Khách Trước",
            "Khách Sau",
        ]


def test_a_damaged_or_missing_backup_is_not_restored(session, engine, db_url, tmp_path):
    if not db_url.startswith("sqlite"):
        pytest.skip("SQLite file checks")
    org = make_org(session)
    make_customer(session, org.sales_a, "Khách Còn Nguyên")
    made = backup.backup_now(db_url, tmp_path, keep=3, now=T0)
    damaged = tmp_path / "crm-20261206-000000.db"
    data = bytearray(made.path.read_bytes())
    data[4096:8192] = b"\xff" * 4096
    damaged.write_bytes(bytes(data))
    session.close()
    engine.dispose()
    with pytest.raises(ServiceError) as exc:
        backup.restore(damaged, db_url)
    assert exc.value.key == "err.backup_damaged"
    with pytest.raises(ServiceError):
        backup.restore(tmp_path / "none.db", db_url)
    assert _names(engine) == ["Khách Còn Nguyên"]


def test_one_backup_at_a_time(db_url, tmp_path):
    if not db_url.startswith("sqlite"):
        pytest.skip("the lock is the same for both databases")
    with backup._only_one(tmp_path) as first:
        assert first
        assert backup.backup_now(db_url, tmp_path, keep=3, now=T0) is None  # another worker's turn


def test_the_command_backs_up_lists_and_restores(session, engine, db_url, tmp_path, capsys):
    if not db_url.startswith("sqlite"):
        pytest.skip("the command on SQLite")
    where = ["--database-url", db_url, "--folder", str(tmp_path)]
    org = make_org(session)
    make_customer(session, org.sales_a, "Khách Lệnh")
    assert backup_tool.main(where) == 0
    assert backup_tool.main(["--list", *where]) == 0
    assert "crm-" in capsys.readouterr().out
    make_customer(session, org.sales_a, "Khách Thêm")
    session.close()
    engine.dispose()
    assert backup_tool.main(["--restore", "latest", *where]) == 0
    assert _names(engine) == ["Khách Lệnh"]


def test_postgresql_backups_go_through_pg_dump_and_back(session, engine, db_url, tmp_path):
    if db_url.startswith("sqlite"):
        pytest.skip("PostgreSQL only (CI runs the unit tests on it too)")
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump / pg_restore are not installed")
    org = make_org(session)
    make_customer(session, org.sales_a, "Khách PG")
    made = backup.backup_now(db_url, tmp_path, keep=2, now=T0)
    assert made.path.suffix == ".dump" and made.size > 0
    make_customer(session, org.sales_a, "Khách PG Sau")
    session.close()
    engine.dispose()
    backup.restore(made.path, db_url)
    assert _names(engine) == ["Khách PG"]

"""SQLite (a database of their own, whatever the suite's): a long job sees the write transactions of others (crm_app.write_turns) and lets them in
between its parts; when none waits, it goes on at once."""

from __future__ import annotations

import os
import threading
import time

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from crm_app import write_turns
from crm_app.db import make_engine, write_lock
from crm_app.services.transfer import importer


@pytest.fixture
def sqlite(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'turns.db'}")
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)"))
    yield engine, write_turns.lock_path(engine.url)
    engine.dispose()


def _waited(path: str, most_s: float = 1.0) -> float:
    started = time.perf_counter()
    assert write_turns.let_waiting_in(path, most_s)
    return time.perf_counter() - started


def _ended_after(conn: sa.Connection, seconds: float, end: str = "commit") -> threading.Thread:
    thread = threading.Thread(target=lambda: (time.sleep(seconds), getattr(conn, end)()))
    thread.start()
    return thread


def test_with_no_writer_the_job_goes_on_at_once(sqlite):
    engine, path = sqlite
    with engine.connect() as reader:
        reader.execute(sa.text("SELECT count(*) FROM note")).scalar_one()  # a read holds no turn
        assert _waited(path) < 0.05


@pytest.mark.parametrize("end", ["commit", "rollback"])
def test_a_write_holds_its_turn_until_its_transaction_ends(sqlite, end):
    engine, path = sqlite
    with engine.connect() as writer:
        writer.execute(sa.text("INSERT INTO note (body) VALUES ('a')"))
        thread = _ended_after(writer, 0.3, end)
        assert 0.25 < _waited(path) < 0.9
        thread.join()
        assert _waited(path) < 0.05  # given back


def test_the_job_waits_no_longer_than_its_most(sqlite):
    engine, path = sqlite
    with engine.connect() as writer:
        writer.execute(sa.text("UPDATE note SET body = 'b'"))
        assert 0.15 < _waited(path, most_s=0.2) < 0.5
        writer.rollback()


def test_a_transaction_left_open_is_given_back_with_its_connection(sqlite):
    engine, path = sqlite
    writer = engine.connect()
    writer.execute(sa.text("DELETE FROM note"))
    writer.close()  # the pool rolls it back
    assert _waited(path) < 0.05


def test_a_lock_taken_up_front_holds_its_turn(sqlite):
    engine, path = sqlite
    with Session(engine) as session:
        write_lock(session)
        thread = _ended_after(session, 0.3)
        assert _waited(path) > 0.25
        thread.join()


def test_between_parts_an_import_lets_a_waiting_save_in_and_else_goes_on(sqlite):
    engine, _path = sqlite
    with Session(engine) as job, importer._Parts(job) as parts:
        with parts.part():
            job.execute(sa.text("INSERT INTO note (body) VALUES ('part 1')"))
        assert parts.between_s < 0.05  # nobody waited: no gap

        def save() -> None:
            with engine.connect() as conn:
                conn.execute(sa.text("INSERT INTO note (body) VALUES ('save')"))  # waits for the part
                conn.commit()

        saver = threading.Thread(target=save)
        with parts.part():
            job.execute(sa.text("INSERT INTO note (body) VALUES ('part 2')"))
            saver.start()
            time.sleep(0.1)
        with parts.part():  # the part's end waited for the save: it goes in before the next part
            job.execute(sa.text("INSERT INTO note (body) VALUES ('part 3')"))
        saver.join()
        bodies = job.execute(sa.text("SELECT body FROM note ORDER BY id")).scalars().all()
        assert bodies == ["part 1", "part 2", "save", "part 3"]


def test_without_a_lock_file_the_gap_stays(tmp_path, monkeypatch):
    engine = make_engine(f"sqlite:///{tmp_path / 'gap.db'}")
    monkeypatch.setattr(write_turns, "_opened", lambda _path: None)
    with Session(engine) as job:
        job.execute(sa.text("CREATE TABLE t (x)"))
        job.commit()
        with importer._Parts(job) as parts, parts.part():
            job.execute(sa.text("INSERT INTO t VALUES (1)"))
        assert parts.between_s >= importer.PART_GAP_S * 0.9
    engine.dispose()


def test_a_forked_process_does_not_keep_its_parents_turn(sqlite):
    engine, path = sqlite
    with engine.connect() as writer:
        writer.execute(sa.text("INSERT INTO note (body) VALUES ('before the fork')"))
        child = os.fork()
        if child == 0:  # the child lives on after its parent's transaction ends
            time.sleep(1.0)
            os._exit(0)
        writer.commit()
    try:
        assert _waited(path) < 0.05
    finally:
        os.waitpid(child, 0)

"""SQLite writes one transaction at a time. A long job (an import, its undo) writes part by part
and lets the writers waiting for the lock in between two parts (services.transfer.importer
``_Parts``); it learns whether any waits from a lock file beside the database: every write
transaction holds a shared lock on it from its first write to its end, and the job's test for
an exclusive lock fails while one does. When none waits, the job goes on at once instead of
leaving a fixed gap after every part for a save that might come.

A save that waits holds its shared lock while SQLite's busy handler sleeps between its tries
(up to 100 ms): the job waits until that save has written and ended (at most ``most_s``).
"""

from __future__ import annotations

import fcntl
import os
import time

import sqlalchemy as sa
from sqlalchemy import event

_HELD = "write_turn_fd"  # a connection's key: the file descriptor of its shared lock
_OPEN: set[int] = set()  # the descriptors of the turns this process holds
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLAC")
POLL_S = 0.005


def lock_path(url: str | sa.URL) -> str | None:
    """The lock file of a SQLite database file (None in memory)."""
    database = sa.engine.make_url(url).database
    return None if not database or database == ":memory:" else f"{database}.writers"


def watch(engine: sa.Engine, path: str) -> None:
    """Every write transaction of ``engine`` holds its turn from its first write to its end."""

    @event.listens_for(engine, "before_cursor_execute")
    def _writing(conn, _cursor, statement, _params, _context, _many) -> None:
        if _HELD not in conn.info and statement.lstrip()[:6].upper() in _WRITES:
            take(conn, path)

    def _give_back(info: dict) -> None:
        fd = info.pop(_HELD, None)
        if fd in _OPEN:
            _OPEN.discard(fd)
            os.close(fd)  # (closing the file gives its lock back)

    event.listen(engine, "commit", lambda conn: _give_back(conn.info))
    event.listen(engine, "rollback", lambda conn: _give_back(conn.info))
    # a connection given back to the pool inside a transaction is rolled back by the pool
    event.listen(engine.pool, "checkin", lambda _dbapi, record: record is None or _give_back(record.info))


def take(conn: sa.Connection, path: str | None) -> None:
    """The connection's transaction holds its turn (once; given back when it ends)."""
    if path is None or _HELD in conn.info:
        return
    fd = _opened(path)
    if fd is not None:
        fcntl.flock(fd, fcntl.LOCK_SH)
        _OPEN.add(fd)
    conn.info[_HELD] = fd


def _close_inherited() -> None:
    """A forked process (the import's second row checker) holds none of its parent's turns: its
    copies of their descriptors would keep them taken until it ends."""
    for fd in _OPEN:
        os.close(fd)
    _OPEN.clear()


os.register_at_fork(after_in_child=_close_inherited)


def _opened(path: str) -> int | None:
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return None  # (a folder that cannot hold the file: no turns are seen)


def let_waiting_in(path: str | None, most_s: float) -> bool:
    """Return once no other write transaction holds its turn, or after ``most_s``; False when
    turns cannot be seen (no lock file)."""
    fd = None if path is None else _opened(path)
    if fd is None:
        return False
    try:
        deadline = time.monotonic() + most_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return True
                time.sleep(POLL_S)
    finally:
        os.close(fd)

"""SQLite: the write-ahead log copied back into the database by a thread of its own while a long
job (an import, its undo) writes its next part.

The job turns SQLite's automatic checkpoint off (it would run inside the commit of whichever
part filled the log) and asks for a passive one after each part. Run in the job's own thread,
those checkpoints took 5 of the 17 s an import of 100,000 rows spent writing; a passive
checkpoint takes no lock a writer waits for, and SQLite leaves Python's interpreter lock while it
copies, so here it runs beside the next part, on the machine's other core.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time

import sqlalchemy as sa


class Checkpoints:
    """``wanted()`` after each part; a checkpoint asked for while one runs is run after it, once."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.busy_s = 0.0  # time the thread spent copying
        self._asked = threading.Event()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="wal-checkpoints", daemon=True)

    def __enter__(self) -> Checkpoints:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stopping = True
        self._asked.set()
        self._thread.join()

    def wanted(self) -> None:
        self._asked.set()

    def _run(self) -> None:
        raw = self.engine.raw_connection()
        try:
            while True:
                self._asked.wait()
                self._asked.clear()
                if self._stopping:
                    return
                started = time.perf_counter()
                # (one that fails leaves its pages to the next; the job's end turns SQLite's own back on)
                with contextlib.suppress(sqlite3.Error):
                    raw.driver_connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                self.busy_s += time.perf_counter() - started
        finally:
            raw.close()

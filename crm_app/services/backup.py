"""Online backups of the database into a folder, the newest ``keep`` kept, and their restore.

SQLite: ``VACUUM INTO`` a new file, a consistent copy made in one read transaction while users go
on working (WAL: writers are not blocked). PostgreSQL: ``pg_dump --format=custom``. A backup is
written under a temporary name and renamed once complete, so every file in the folder is whole.
``restore`` puts one back: for SQLite with the app stopped (the database file is replaced; the one
it replaces is kept beside it), for PostgreSQL with ``pg_restore --clean``.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import make_url

from crm_app.services.errors import ServiceError
from crm_app.settings import settings

PREFIX = "crm-"
STAMP = "%Y%m%d-%H%M%S"


@dataclass(frozen=True)
class Backup:
    path: Path
    at: datetime  # when it was made (UTC)
    size: int  # bytes


def _suffix(url: str) -> str:
    return ".db" if url.startswith("sqlite") else ".dump"


def backups(folder: Path | None = None) -> list[Backup]:
    """The backups in the folder, newest first."""
    folder = folder or settings.backup_dir
    found = []
    for path in folder.glob(f"{PREFIX}*"):
        try:
            at = datetime.strptime(path.stem.removeprefix(PREFIX), STAMP).replace(tzinfo=UTC)
        except ValueError:
            continue  # a temporary file, or someone else's
        found.append(Backup(path, at, path.stat().st_size))
    return sorted(found, key=lambda b: b.at, reverse=True)


def due(folder: Path | None = None, hours: float | None = None, now: datetime | None = None) -> bool:
    """Whether the newest backup is older than the interval (or there is none)."""
    hours = settings.backup_hours if hours is None else hours
    if hours <= 0:
        return False
    newest = next(iter(backups(folder)), None)
    return newest is None or newest.at <= (now or datetime.now(UTC)) - timedelta(hours=hours)


@contextmanager
def _only_one(folder: Path) -> Iterator[bool]:
    """True for the one process making a backup now (several workers share the folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def backup_now(
    url: str | None = None, folder: Path | None = None, keep: int | None = None, now: datetime | None = None
) -> Backup | None:
    """A new backup (None when another process is making one), then the oldest beyond ``keep``
    removed."""
    url, folder = url or settings.database_url, folder or settings.backup_dir
    keep = settings.backup_keep if keep is None else keep
    with _only_one(folder) as mine:
        if not mine:
            return None
        at = (now or datetime.now(UTC)).replace(microsecond=0)
        final = folder / f"{PREFIX}{at.strftime(STAMP)}{_suffix(url)}"
        partial = folder / f".partial-{final.name}"
        partial.unlink(missing_ok=True)
        if url.startswith("sqlite"):
            with sqlite3.connect(_sqlite_path(url)) as db:
                db.execute("VACUUM INTO ?", (str(partial),))
        else:
            _run(["pg_dump", "--format=custom", "--no-owner", f"--file={partial}", _pg_url(url)])
        os.replace(partial, final)
        for old in backups(folder)[max(keep, 1) :]:
            old.path.unlink(missing_ok=True)
        return Backup(final, at, final.stat().st_size)


def restore(backup: Path, url: str | None = None) -> Path | None:
    """Put a backup back. SQLite (the app must be stopped): the database file is replaced and the
    one replaced is kept as ``<name>.before-restore-<time>``, whose path is returned. PostgreSQL:
    every table is dropped and restored from the dump."""
    url = url or settings.database_url
    if not backup.is_file():
        raise ServiceError("err.backup_missing", name=str(backup))
    if not url.startswith("sqlite"):
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", f"--dbname={_pg_url(url)}", str(backup)])
        return None
    try:  # a file that is no whole database is refused before anything changes
        with sqlite3.connect(f"file:{backup}?mode=ro", uri=True) as check:
            whole = check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    except sqlite3.DatabaseError:
        whole = False
    if not whole:
        raise ServiceError("err.backup_damaged", name=str(backup))
    target = _sqlite_path(url)
    kept = None
    if target.exists():
        kept = target.with_name(f"{target.name}.before-restore-{datetime.now(UTC).strftime(STAMP)}")
        with sqlite3.connect(target) as db:  # the current data, whole, in one file
            db.execute("VACUUM INTO ?", (str(kept),))
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    partial = target.with_name(f".restoring-{target.name}")
    shutil.copyfile(backup, partial)
    os.replace(partial, target)
    return kept


def _sqlite_path(url: str) -> Path:
    return Path(make_url(url).database or "")


def _pg_url(url: str) -> str:
    """The libpq form of a SQLAlchemy PostgreSQL URL (no driver name)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise ServiceError("err.backup_failed", reason=(done.stderr or done.stdout).strip()[:300])

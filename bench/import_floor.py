"""Where the 100,000-row import's time goes, and what is left of it without the disk's syncs or
without the indexes the lists read: the floor this design stands on.

    .venv/bin/python bench/import_floor.py [--rows 100000]

Works on its own copy of bench/out/bench_1m.db (bench/out/floor_1m.db, made afresh). The file is
import_export.py's (15 columns, 30 % of its rows repeating a stored customer). Four imports of
it, each undone:

  as_built       importer.run as the app runs it: the reference of the run
  no_fsync       the same with the import's parts and their checkpoints not waiting for the
                 disk (synchronous=OFF): what the syncs cost; a measure only, never the app's
                 setting (a crash could then leave a damaged database file)
  no_list_index  the same as as_built after the ten indexes that serve the lists' sorts and
                 searches by name and phone digits are dropped from the copy (the customers'
                 name and given-name sorts, the name keys' owner and organisation indexes, the
                 phones' suffix and owner indexes): what the lists' indexes cost the import;
                 the indexes the import's own duplicate lookups read stay
  neither        without those indexes, and not waiting for the disk

Each prints its split: reading the file, the analysis, then the writing — the database's own
INSERT time (summed from every statement), the commits, the checkpoints copying each part's
log back (with the pages they copied), and the rest (building the rows in Python). The last
line is one JSON object of the figures.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa
from db_copy import migrated_copy
from import_export import build_file
from sqlmodel import Session, select

from crm_app.db import make_engine
from crm_app.models import User
from crm_app.services.people.permissions import load_actor
from crm_app.services.transfer import importer
from crm_app.services.transfer.import_files import read_table
from crm_app.services.transfer.import_mapping import auto_map
from crm_app.services.transfer.import_targets import TARGETS

SOURCE = ROOT / "bench" / "out" / "bench_1m.db"
SCRATCH = ROOT / "bench" / "out" / "floor_1m.db"
# The indexes that serve the lists (sorts, searches by name and by a phone's last digits) and
# that no duplicate lookup of an import reads: each is written at a random place by every row.
LIST_INDEXES = (
    "ix_customer_arch_name",
    "ix_customer_owner_arch_name",
    "ix_customer_arch_given",
    "ix_customer_owner_arch_given",
    "ix_customer_name_key_owner",
    "ix_customer_name_key_org",
    "ix_customer_name_key_org_owner",
    "ix_customerphone_suffix",
    "ix_customerphone_owner_suffix",
    "ix_customerphone_owner_number",
)
_STATEMENT = re.compile(r"\s*(INSERT|PRAGMA wal_checkpoint)", re.I)


class StatementClock:
    """The database's own time, summed by kind of statement: INSERTs and checkpoints (with the
    pages each checkpoint copied, from its result)."""

    def __init__(self, engine: sa.Engine) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.pages = 0
        sa.event.listen(engine, "before_cursor_execute", self._before)
        sa.event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, _cursor, _statement, _params, _context, _many) -> None:
        conn.info["floor_t0"] = time.perf_counter()

    def _after(self, conn, cursor, statement, _params, _context, _many) -> None:
        found = _STATEMENT.match(statement)
        if found is None:
            return
        kind = found.group(1).split()[0].lower()
        self.seconds[kind] += time.perf_counter() - conn.info.pop("floor_t0")
        if kind == "pragma":
            row = cursor.fetchone()  # (busy, frames in the log, frames copied back)
            self.pages += row[2] if row else 0

    def reset(self) -> None:
        self.seconds.clear()
        self.pages = 0


@contextmanager
def parts_without_fsync():
    """The import's parts and checkpoints not waiting for the disk (a measure, see above)."""
    original = importer._Parts._pragmas

    def pragmas(self, **values) -> None:
        original(self, **{k: ("OFF" if k == "synchronous" else v) for k, v in values.items()})

    importer._Parts._pragmas = pragmas
    try:
        yield
    finally:
        importer._Parts._pragmas = original


def one_import(engine: sa.Engine, clock: StatementClock, admin_id: int, data: bytes) -> dict:
    clock.reset()
    with Session(engine) as session:
        actor = load_actor(session, admin_id)
        started = time.perf_counter()
        table = read_table(data, "bench.xlsx")
        read_s = time.perf_counter() - started
        mapping = auto_map(table.headers, TARGETS["customer"])
        run = importer.run(
            session, actor, "customer", table, mapping, importer.ImportOptions(mode="skip"), "bench.xlsx"
        )
        total_s = time.perf_counter() - started
        split, created, run_id = run.__dict__["timings"], run.created, run.id
        insert_s, checkpoint_s, pages = clock.seconds["insert"], clock.seconds["pragma"], clock.pages
        del table, run
        undo_started = time.perf_counter()
        importer.undo(session, actor, run_id)
        undo_s = time.perf_counter() - undo_started
    return {
        "import_s": round(total_s, 2),
        "created": created,
        "read_s": round(read_s, 2),
        "analyse_s": split["analyse_s"],
        "write_s": split["write_s"],
        "insert_s": round(insert_s, 2),
        "commit_s": split["commit_s"],
        "checkpoint_s": round(checkpoint_s, 2),
        "checkpoint_pages": pages,
        "python_write_s": round(split["write_s"] - insert_s - split["commit_s"] - checkpoint_s, 2),
        "parts": split["parts"],
        "undo_s": round(undo_s, 2),
    }


def show(name: str, f: dict) -> None:
    print(
        f"{name}: {f['import_s']:.2f} s end to end ({f['created']:,} created): reading {f['read_s']:.2f} s, "
        f"analysis {f['analyse_s']:.2f} s, writing {f['write_s']:.2f} s in {f['parts']} parts = the database's "
        f"INSERTs {f['insert_s']:.2f} s + commits {f['commit_s']:.2f} s + checkpoints {f['checkpoint_s']:.2f} s "
        f"({f['checkpoint_pages']:,} pages of 4 KB copied back) + the rest {f['python_write_s']:.2f} s; "
        f"undo {f['undo_s']:.2f} s",
        flush=True,
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    args = ap.parse_args()
    url = migrated_copy(SOURCE, SCRATCH)
    engine = make_engine(url)
    clock = StatementClock(engine)
    with Session(engine) as session:
        admin_id = session.exec(select(User.id).where(User.role == "admin")).first()
        data = build_file(session, args.rows, random.Random(7))
    figures = {}
    figures["as_built"] = one_import(engine, clock, admin_id, data)
    show("as built", figures["as_built"])
    with parts_without_fsync():
        figures["no_fsync"] = one_import(engine, clock, admin_id, data)
    show("the parts not waiting for the disk", figures["no_fsync"])
    with engine.begin() as conn:
        for name in LIST_INDEXES:
            conn.execute(sa.text(f"DROP INDEX {name}"))
    figures["no_list_index"] = one_import(engine, clock, admin_id, data)
    show(f"without the {len(LIST_INDEXES)} list indexes", figures["no_list_index"])
    with parts_without_fsync():
        figures["neither"] = one_import(engine, clock, admin_id, data)
    show("without the list indexes, the parts not waiting for the disk", figures["neither"])
    engine.dispose()
    for suffix in ("", "-wal", "-shm", ".writers"):
        Path(f"{SCRATCH}{suffix}").unlink(missing_ok=True)
    print(json.dumps({f"{variant}_{key}": value for variant, f in figures.items() for key, value in f.items()}))


if __name__ == "__main__":
    main()

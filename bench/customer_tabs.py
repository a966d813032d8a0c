"""Benchmark of the customer page's tabs at 1,000,000 customers.

    .venv/bin/python bench/customer_tabs.py [--runs 30]

Uses bench/out/bench_1m.db (the 1,000,000-customer database of bench/list_query.py; copy it
there), migrates it, and on the first run adds the children of the tabs: 1,000,000 activities,
200,000 notes, 200,000 orders with 400,000 lines and one history row per child (about
1,400,000 more audit rows next to the 1.2 million of the customers). A thousand "busy"
customers get 200 activities each, so that their timeline and history are deep.

Each figure is the wall time of the service call the tab makes (SQL and rows) in milliseconds,
against a baseline run in the same process on the same data: the same SQL with the indexes
of that table disabled (NOT INDEXED), i.e. what the tab would cost without the indexes this
work added:

  timeline        Follow-ups of a busy customer (100 newest)    activity NOT INDEXED
  history_tab     History tab of a busy customer (200 newest)   auditlog NOT INDEXED
  notes           Notes tab                                     note NOT INDEXED
  last_purchase   newest order date of a customer (each order   salesdocument NOT INDEXED
                  write recomputes it)
  system_user     system history filtered by a user, page 1     auditlog NOT INDEXED
  system_record   system history filtered by a record, page 1   auditlog NOT INDEXED

The last line printed is one JSON object (p95 of ours; baselines prefixed ``baseline_``).
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa
from sqlmodel import Session, select

from bench.list_query import p95, timed
from crm_app.db import make_engine, migrate
from crm_app.models import Activity, AuditLog, Customer, Note, SalesDocument, User
from crm_app.services.customer import notes
from crm_app.services.people.permissions import load_actor
from crm_app.services.records import history
from crm_app.services.records.history import HistoryFilter
from crm_app.services.work import activities

DB_PATH = ROOT / "bench" / "out" / "bench_1m.db"
TARGET_MS = 20.0
BUSY = 1000
ACTIVITIES = 1_000_000
NOTES = 200_000
ORDERS = 200_000
CHUNK = 50_000


def _chunks(rows, size=CHUNK):
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def add_children(engine: sa.Engine) -> None:
    """Write the tabs' rows once (skipped when the activities are already there)."""
    with engine.begin() as conn:
        if conn.execute(sa.select(sa.func.count()).select_from(Activity)).scalar_one():
            return
        print("Adding activities, notes, orders and their history ...", flush=True)
        t = time.perf_counter()
        rng = random.Random(7)
        max_id = conn.execute(sa.select(sa.func.max(Customer.id))).scalar_one()
        users = conn.execute(sa.select(User.id)).scalars().all()
        start = datetime(2024, 1, 1, tzinfo=UTC)
        types = ("call", "meeting", "email", "task", "note")
        acts, audit = [], []
        for i in range(ACTIVITIES):
            cid = (i % BUSY) + 1 if i < BUSY * 200 else rng.randint(1, max_id)
            at = start + timedelta(minutes=rng.randint(0, 1_000_000))
            acts.append((cid, types[i % 5], f"Hoạt động {i}", "", at.isoformat(" "), "done", rng.choice(users)))
        for part in _chunks(acts):
            conn.exec_driver_sql(
                "INSERT INTO activity (customer_id, type_code, subject, content, at, status, created_by_id, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
                part,
            )
        first_act = conn.execute(sa.select(sa.func.min(Activity.id))).scalar_one()
        audit += [
            ("activity", first_act + i, "create", "subject", a[2], a[6], "customer", a[0]) for i, a in enumerate(acts)
        ]
        note_rows = [(rng.randint(1, max_id), f"Ghi chú {i}", rng.choice(users)) for i in range(NOTES)]
        for part in _chunks(note_rows):
            conn.exec_driver_sql(
                "INSERT INTO note (customer_id, body, created_by_id, created_at, updated_at) "
                "VALUES (?, ?, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
                part,
            )
        first_note = conn.execute(sa.select(sa.func.min(Note.id))).scalar_one()
        audit += [
            ("note", first_note + i, "create", "body", n[1], n[2], "customer", n[0]) for i, n in enumerate(note_rows)
        ]
        orders = [
            (
                "order",
                f"DH{i + 1:06d}",
                rng.randint(1, max_id),
                "new",
                (date(2024, 1, 1) + timedelta(days=rng.randint(0, 700))).isoformat(),
                1_000_000,
            )
            for i in range(ORDERS)
        ]
        for part in _chunks(orders):
            conn.exec_driver_sql(
                "INSERT INTO salesdocument (kind, code, customer_id, status, doc_date, total, note, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?, '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
                part,
            )
        first_doc = conn.execute(sa.select(sa.func.min(SalesDocument.id))).scalar_one()
        lines = [(first_doc + i, "Tour", 1, 500_000, 500_000, k) for i in range(ORDERS) for k in range(2)]
        for part in _chunks(lines):
            conn.exec_driver_sql(
                "INSERT INTO salesline (document_id, description, quantity, unit_price, amount, "
                "position) VALUES (?, ?, ?, ?, ?, ?)",
                part,
            )
        audit += [
            ("order", first_doc + i, "create", "total", "1000000", None, "customer", o[2]) for i, o in enumerate(orders)
        ]
        for part in _chunks(audit):
            conn.exec_driver_sql(
                "INSERT INTO auditlog (entity, entity_id, action, field, new_value, user_id, root_entity, root_id, "
                "at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP)",
                part,
            )
        print(
            f"  done in {time.perf_counter() - t:.0f} s "
            f"({len(acts):,} activities, {len(note_rows):,} notes, {len(orders):,} orders, "
            f"{len(audit):,} history rows).",
            flush=True,
        )
    with engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")


def not_indexed(session: Session, stmt, table: str) -> list:
    """The same statement with the indexes of ``table`` disabled."""
    sql = str(stmt.compile(dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True}))
    sql = re.sub(rf"\bFROM {table}\b", f"FROM {table} NOT INDEXED", sql, count=1)
    return list(session.exec(sa.text(sql)).all())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    if not DB_PATH.exists():
        print(
            f"{DB_PATH} is missing: copy the 1,000,000-customer database there "
            f"(or run bench/list_query.py, which builds it).",
            file=sys.stderr,
        )
        return 1
    url = f"sqlite:///{DB_PATH}"
    t = time.perf_counter()
    migrate(url)
    print(f"Migrated in {time.perf_counter() - t:.0f} s.", flush=True)
    engine = make_engine(url)
    add_children(engine)

    rng = random.Random(11)
    results: dict[str, float] = {}
    rows_out = []
    with Session(engine) as session:
        admin_id = session.exec(select(User.id).where(User.role == "admin")).first()
        admin = load_actor(session, admin_id)
        busy = [rng.randint(1, BUSY) for _ in range(args.runs + 3)]
        any_cust = [rng.randint(1, 1_000_000) for _ in range(args.runs + 3)]
        user_id = session.exec(select(AuditLog.user_id).where(AuditLog.entity == "note")).first()
        it = {"busy": itertools.cycle(busy), "any": itertools.cycle(any_cust)}

        def pick(kind: str) -> int:
            return next(it[kind])

        cases = [
            (
                "timeline",
                "Follow-ups, busy customer",
                lambda: activities.of_customer(session, admin, pick("busy")),
                lambda: not_indexed(
                    session,
                    select(Activity)
                    .where(Activity.customer_id == pick("busy"))
                    .order_by(Activity.at.desc(), Activity.id.desc())
                    .limit(100),
                    "activity",
                ),
            ),
            (
                "history_tab",
                "History tab, busy customer",
                lambda: history.of_customer(session, admin, pick("busy")),
                lambda: not_indexed(
                    session,
                    select(AuditLog)
                    .where(AuditLog.root_entity == "customer", AuditLog.root_id == pick("busy"))
                    .order_by(AuditLog.id.desc())
                    .limit(200),
                    "auditlog",
                ),
            ),
            (
                "notes",
                "Notes tab",
                lambda: notes.of_customer(session, admin, pick("any")),
                lambda: not_indexed(
                    session,
                    select(Note).where(Note.customer_id == pick("any")).order_by(Note.id.desc()).limit(100),
                    "note",
                ),
            ),
            (
                "last_purchase",
                "Last purchase date",
                lambda: session.exec(
                    sa.select(sa.func.max(SalesDocument.doc_date)).where(
                        SalesDocument.customer_id == pick("any"),
                        SalesDocument.kind == "order",
                        SalesDocument.status != "cancelled",
                    )
                ).scalar_one(),
                lambda: not_indexed(
                    session,
                    sa.select(sa.func.max(SalesDocument.doc_date)).where(
                        SalesDocument.customer_id == pick("any"),
                        SalesDocument.kind == "order",
                        SalesDocument.status != "cancelled",
                    ),
                    "salesdocument",
                ),
            ),
            (
                "system_user",
                "System history by user, page 1",
                lambda: history.system(session, admin, HistoryFilter(user_id=user_id)),
                lambda: not_indexed(
                    session,
                    select(AuditLog)
                    .where(AuditLog.user_id == user_id)
                    .order_by(AuditLog.id.desc())
                    .limit(history.PAGE),
                    "auditlog",
                ),
            ),
            (
                "system_record",
                "System history by record, page 1",
                lambda: history.system(session, admin, HistoryFilter(entity="customer", record_id=pick("busy"))),
                lambda: not_indexed(
                    session,
                    select(AuditLog)
                    .where(AuditLog.root_entity == "customer", AuditLog.root_id == pick("busy"))
                    .order_by(AuditLog.id.desc())
                    .limit(history.PAGE),
                    "auditlog",
                ),
            ),
        ]
        print(f"\n{'figure':<36} {'ours p50':>9} {'ours p95':>9} {'base p50':>9} {'base p95':>9}  runs")
        for key, label, ours_fn, base_fn in cases:
            ours, _ = timed(ours_fn, args.runs)
            base, _ = timed(base_fn, args.runs, warmup=1, budget_s=20.0)
            results[key] = round(p95(ours), 2)
            results[f"baseline_{key}"] = round(p95(base), 2)
            rows_out.append((label, ours, base))
            print(
                f"{label:<36} {statistics.median(ours):9.2f} {p95(ours):9.2f} "
                f"{statistics.median(base):9.2f} {p95(base):9.2f}  {len(ours)}/{len(base)}",
                flush=True,
            )
    misses = [k for k in results if not k.startswith("baseline_") and results[k] > TARGET_MS]
    print(
        f"\nTarget: p95 under {TARGET_MS:.0f} ms for every figure; "
        + ("all met." if not misses else f"missed: {', '.join(misses)}.")
    )
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark of a kanban view of customers (grouped by status) at 1,000,000 customers.

    .venv/bin/python bench/view_kanban.py [--runs 30]

Copies bench/out/bench_1m.db (made by bench/list_query.py / crm_app.tools.generate) to
bench/out/bench_view_kanban.db (the moves below change rows), migrates the copy, then times for
an admin (every customer) and a sales user (their own), each beside a baseline in the same run:

  board          services.board.load over view_board.grouping(customer, status): each column's
                 count over the whole filter (one GROUP BY) and its first 50 cards, newest first,
                 with their display rows
                                     vs  baseline: read (id, status) of every visible customer,
                                         count per status in Python, keep the 50 newest of each
                                         and read their display rows
  board_filtered the same under a view filter (province any of Hà Nội AND rating > 2)
                                     vs  the same baseline with that filter
  move           view_board.move: a card dropped on another status column (rights, the
                 customer's validation and duplicate rule, history, commit)
                                     vs  customers.update with the same change (the form's save)

Wall time of the service calls, p95 in ms; the worse of the two users is the figure. The last
line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from functools import partial

import sqlalchemy as sa
from db_copy import migrated_copy
from sqlmodel import Session, select
from timing import p95, timings

from crm_app.db import make_engine
from crm_app.models import Customer, User
from crm_app.services.customer import customers
from crm_app.services.lists import query
from crm_app.services.people.permissions import load_actor
from crm_app.services.pipeline import board, view_board

OUT = ROOT / "bench" / "out"
SOURCE_DB = OUT / "bench_1m.db"
DB_PATH = OUT / "bench_view_kanban.db"
STATUSES = ("lead", "potential", "customer", "inactive")
FILTER = {
    "op": "and",
    "items": [
        {"field": "province", "operator": "any_of", "value": ["01"]},
        {"field": "rating", "operator": "gt", "value": 2},
    ],
}
TARGETS = {"board": 100.0, "move": 30.0}


timed = partial(timings, warmup=2, budget_s=20.0)


def baseline_board(session: Session, actor, spec: query.ListSpec) -> dict:
    """Every visible customer's (id, status) read and grouped in Python."""
    clauses = query.where_clauses(actor, spec, session)
    counts = dict.fromkeys(STATUSES, 0)
    newest: dict[str, list[int]] = {s: [] for s in STATUSES}
    for rid, status in session.execute(sa.select(Customer.id, Customer.status).where(*clauses)).all():
        counts[status] += 1
        newest[status].append(rid)
    entity = spec.checked(session)[0]
    for ids in newest.values():
        top = sorted(ids, reverse=True)[: board.CARDS_PER_COLUMN]
        records = session.exec(select(Customer).where(Customer.id.in_(top))).all()
        query.display_rows(session, entity, list(records), ["full_name", "code", "owner_id"], "vi")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    if not SOURCE_DB.exists():
        sys.exit(f"{SOURCE_DB} is missing: run bench/list_query.py (or copy the 1,000,000-customer database) first")
    url = migrated_copy(SOURCE_DB, DB_PATH)
    engine = make_engine(url)
    figures: dict[str, float] = {}
    with Session(engine) as session:
        admin_id = session.exec(select(User.id).where(User.role == "admin")).first()
        sales_id = session.execute(
            sa.select(Customer.owner_id)
            .join(User, User.id == Customer.owner_id)
            .where(User.role == "sales")
            .group_by(Customer.owner_id)
            .order_by(sa.func.count().desc())
            .limit(1)
        ).scalar_one()
        total = session.execute(sa.select(sa.func.count()).select_from(Customer)).scalar_one()
        print(f"{total:,} customers; admin #{admin_id}, sales user #{sales_id}", flush=True)
        rows = []
        for who, uid in (("admin", admin_id), ("sales", sales_id)):
            actor = load_actor(session, uid)
            g = view_board.grouping(session, actor, "customer", "status", "vi")
            for name, filter_ in (("board", None), ("board_filtered", FILTER)):
                spec = query.ListSpec(entity="customer", filter=filter_)
                ours = board.load(session, actor, spec, g, "vi")
                base = baseline_board(session, actor, spec)
                # columns of more than board.COUNT_CAP customers show "10.000+"
                assert {c.column.key: (c.totals.count, c.totals.capped) for c in ours} == {
                    k: (min(n, board.COUNT_CAP), n > board.COUNT_CAP) for k, n in base.items()
                }, "the board and the baseline differ"
                t_ours = timed(lambda: board.load(session, actor, spec, g, "vi"), args.runs)
                t_base = timed(lambda: baseline_board(session, actor, spec), max(5, args.runs // 5))
                rows.append((f"{name} ({who}, {sum(base.values()):,} customers)", p95(t_ours), p95(t_base)))
                figures[f"{name}_{who}_p95_ms"] = round(p95(t_ours), 2)
                figures[f"baseline_{name}_{who}_p95_ms"] = round(p95(t_base), 2)
            # moves: the newest customers of this user, back and forth between two statuses
            ids = (
                session.execute(
                    sa.select(Customer.id)
                    .where(*query.where_clauses(actor, query.ListSpec(entity="customer"), session))
                    .order_by(Customer.id.desc())
                    .limit(80)
                )
                .scalars()
                .all()
            )
            ids = [i for i in ids if customers.get(session, actor, i).status in ("lead", "potential")][:20]
            flip = {"lead": "potential", "potential": "lead"}
            moves, updates = [], []
            for i in ids:
                to = flip[session.get(Customer, i).status]
                t = time.perf_counter()
                view_board.move(session, actor, "customer", "status", i, to)
                session.commit()  # as the handler's session does
                moves.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                customers.update(session, actor, i, {"status": flip[to]})
                session.commit()
                updates.append((time.perf_counter() - t) * 1000)
            rows.append((f"move ({who}, {len(moves)} drops)", p95(moves), p95(updates)))
            figures[f"move_{who}_p95_ms"] = round(p95(moves), 2)
            figures[f"baseline_move_{who}_p95_ms"] = round(p95(updates), 2)
            figures[f"move_{who}_median_ms"] = round(statistics.median(moves), 2)
    print(f"{'figure':<48} {'ours p95 ms':>12} {'baseline p95 ms':>16}")
    for label, ours, base in rows:
        print(f"{label:<48} {ours:>12.2f} {base:>16.2f}")
    figures["board_p95_ms"] = max(figures["board_admin_p95_ms"], figures["board_sales_p95_ms"])
    figures["board_filtered_p95_ms"] = max(
        figures["board_filtered_admin_p95_ms"], figures["board_filtered_sales_p95_ms"]
    )
    figures["move_p95_ms"] = max(figures["move_admin_p95_ms"], figures["move_sales_p95_ms"])
    print(f"targets: board <= {TARGETS['board']} ms, move <= {TARGETS['move']} ms")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()

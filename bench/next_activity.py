"""Benchmark of the next activity on deal cards: 100,000 deals, 100,000 activities.

    .venv/bin/python bench/next_activity.py [--activities 100000] [--runs 40]

Uses bench/out/next_activity.db: the kanban benchmark's database (2,000 demo customers,
100,000 deals in the default pipeline; built by bench/kanban.py's ``prepare`` when missing),
to which it adds activities with those customers (a mix of done, planned, in progress and
cancelled, from 60 days ago to 60 days ahead). Times, for an admin's board:

  notes   services.next_activity.of_opportunities for every card of the board's first page
          (8 columns x 50 cards): one windowed query
                                            vs  baseline: one query per card (the earliest
                                                open activity of its customer)
  board   services.board.load with the notes vs the same call without them (what the notes
          add to a board load)

Figures are wall time in milliseconds (p95 and median). The last line printed is one JSON
object.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa
from sqlmodel import Session, select

from bench import kanban
from crm_app.db import make_engine
from crm_app.models import Activity, Customer, Opportunity, User
from crm_app.models._base import utcnow
from crm_app.services.people.permissions import load_actor
from crm_app.services.pipeline import board, opportunities, pipelines
from crm_app.services.work import next_activity

DB_PATH = ROOT / "bench" / "out" / "next_activity.db"
TARGETS = {"notes": 20.0, "board": 100.0}
STATUSES = ("done",) * 12 + ("planned",) * 6 + ("in_progress", "cancelled")
TYPES = ("call", "meeting", "email", "task", "note")


def add_activities(session: Session, wanted: int) -> None:
    have = session.execute(sa.select(sa.func.count()).select_from(Activity)).scalar_one()
    if have >= wanted:
        print(f"Reusing {have:,} activities.", flush=True)
        return
    rng = random.Random(5)
    now = utcnow()
    customers = [tuple(r) for r in session.exec(select(Customer.id, Customer.owner_id)).all()]
    rows = []
    for _ in range(wanted - have):
        customer_id, owner_id = rng.choice(customers)
        kind = rng.choice(TYPES)
        at = now + timedelta(minutes=rng.randint(-60 * 24 * 60, 60 * 24 * 60))
        rows.append(
            {
                "customer_id": customer_id,
                "type_code": kind,
                "subject": f"Việc {rng.randint(1, 9999)}",
                "content": "",
                "at": at,
                "due_at": at + timedelta(days=1) if kind == "task" else None,
                "status": rng.choice(STATUSES),
                "assignee_id": owner_id if kind == "task" else None,
                "created_by_id": owner_id,
                "updated_by_id": owner_id,
                "created_at": now,
                "updated_at": now,
            }
        )
    for start in range(0, len(rows), 10_000):
        session.execute(sa.insert(Activity), rows[start : start + 10_000])
    session.commit()
    session.execute(sa.text("ANALYZE"))
    session.commit()
    print(f"{len(rows):,} activities written.", flush=True)


def per_card(session: Session, opp_ids: list[int]) -> dict[int, tuple]:
    """The baseline: the earliest open activity of each card's customer, one query per card."""
    when = sa.func.coalesce(Activity.due_at, Activity.at)
    found = {}
    for opp_id in opp_ids:
        customer_id = session.execute(sa.select(Opportunity.customer_id).where(Opportunity.id == opp_id)).scalar()
        row = session.execute(
            sa.select(Activity.type_code, Activity.subject, when)
            .where(Activity.customer_id == customer_id, Activity.status.in_(next_activity.OPEN_STATUSES))
            .order_by(when, Activity.id)
            .limit(1)
        ).first()
        if row is not None:
            found[opp_id] = tuple(row)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--activities", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()

    url = f"sqlite:///{DB_PATH}"
    kanban.DB_PATH = DB_PATH
    kanban.prepare(url, 100_000, rebuild=False)
    engine = make_engine(url)
    rows, results = [], {}
    with Session(engine, expire_on_commit=False) as session:
        add_activities(session, args.activities)
        actor = load_actor(session, session.exec(select(User.id).where(User.username == "admin")).one())
        pipe = pipelines.usable(session, actor)[0]
        grouping = opportunities.grouping(session, pipe.id)
        spec = opportunities.board_spec()
        views = board.load(session, actor, spec, grouping, "vi")
        ids = [card["id"] for v in views for card in v.page.cards]
        ours_notes = next_activity.of_opportunities(session, ids)
        assert {i: n.text.split(" ", 3)[-1] for i, n in ours_notes.items()} == {
            i: r[1] for i, r in per_card(session, ids).items()
        }, "the two ways disagree"
        print(f"{len(ids)} cards on the first page, {len(ours_notes)} with a next activity", flush=True)

        ours = kanban.timed(lambda: next_activity.of_opportunities(session, ids), args.runs)
        base = kanban.timed(lambda: per_card(session, ids), max(5, args.runs // 4), warmup=1)
        rows.append(("notes (400 cards)", ours, base))
        results["notes_p95_ms"], results["baseline_notes_p95_ms"] = kanban.p95(ours), kanban.p95(base)

        with_notes = kanban.timed(lambda: board.load(session, actor, spec, grouping, "vi"), args.runs)
        provider = board.CARD_NOTES.pop("opportunity")
        try:
            without = kanban.timed(lambda: board.load(session, actor, spec, grouping, "vi"), args.runs)
        finally:
            board.CARD_NOTES["opportunity"] = provider
        rows.append(("board load with notes", with_notes, without))
        results["board_with_notes_p95_ms"] = kanban.p95(with_notes)
        results["baseline_board_without_notes_p95_ms"] = kanban.p95(without)
    engine.dispose()

    print(f"\n{'figure':<24}{'ours p95':>10}{'ours med':>10}{'base p95':>10}{'base med':>10}")
    for name, ours, base in rows:
        print(
            f"{name:<24}{kanban.p95(ours):>10.1f}{statistics.median(ours):>10.1f}{kanban.p95(base):>10.1f}"
            f"{statistics.median(base):>10.1f}"
        )
    print(f"targets: notes <= {TARGETS['notes']:.0f} ms, board with notes <= {TARGETS['board']:.0f} ms")
    print(json.dumps({k: round(v, 1) for k, v in results.items()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

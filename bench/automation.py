"""Benchmark of automation rules at 1,000,000 customers: a rule run on demand over 100,000 matching
records, and what active event rules add to a user's save.

    .venv/bin/python bench/automation.py [--saves 1000] [--rebuild] [--source PATH] [--skip-run]

Copies /work/main/bench/out/bench_1m.db (made by ``python -m crm_app.tools.generate``) to
bench/out/automation_1m.db once, migrates it, and tags 100,000 of the "Kinh doanh Miền Bắc"
team's customers "Đợt đo 100k" (seeded, once). Then, in one run:

  rule_run_100k   a manager of that team (quanly.bac) runs a rule by hand over every customer of
                  their list (~250,000, the list's "every matching record"): its conditions
                  (tag "Đợt đo 100k") match the 100,000; its actions set the rating and add a
                  tag — services.automation.runner.run_logged, as the list's "Chạy tự động"
                  does: rights per record, history rows naming the rule, the run's log
                        vs  baseline: the bulk-update path over the same 100,000 records (the
                            list filtered on the tag; "set a field" then "add tags" on the bulk
                            bar, services.lists.bulk.run), other values so every record changes
  save            a salesperson's customer saved (services.customer.customers.update, one
                  transaction, committed), as the form's handler does it, with no event rule
                  and with 20 active event rules on customers (created, updated, a field
                  changed to a value); blocks of saves alternate between the two so the
                  machine's load falls on both alike. With rules a save only queues the change
                  (services.automation.events); the rules act after the commit, in the app's
                  worker, which is not timed here.

The rules and the tags the run added are removed afterwards; the ratings stay (the next run
changes them again). Figures are wall time, the two runs' CPU time beside (the machine is shared).
The last line printed is one JSON object with
rule_run_100k_s, save_with_rules_p95_ms and save_without_rules_p95_ms (targets: ≤ 20 s; a save
with 20 active rules at most 10 ms slower than without).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa
from db_copy import migrated_copy
from sqlmodel import Session, select
from timing import p95

from crm_app.db import make_engine
from crm_app.models import AutomationEvent, AutomationRule, Customer, CustomerTag, Tag, TeamMember, User
from crm_app.services.automation import rules, runner
from crm_app.services.customer import customers
from crm_app.services.lists import bulk, query
from crm_app.services.normalize import normalize_name
from crm_app.services.people.permissions import Actor, load_actor
from crm_app.services.records import catalogs

OUT = ROOT / "bench" / "out"
DB_PATH = OUT / "automation_1m.db"
SOURCE = Path("/work/main/bench/out/bench_1m.db")
MANAGER, SALES, ADMIN = "quanly.bac", "sale.bac1", "admin"
MARK = "Đợt đo 100k"  # the tag the rule's conditions look for
MATCHING = 100_000
EVENT_RULES = 20
TARGET_RUN_S, TARGET_SAVE_MS = 20.0, 10.0


# --- the data ----------------------------------------------------------------------------------


def prepare(source: Path, rebuild: bool) -> str:
    url = migrated_copy(source, DB_PATH, rebuild)
    engine = make_engine(url)
    with Session(engine) as session:
        catalogs.ensure_default_catalogs(session)
        session.commit()
        _mark(session)
    engine.dispose()
    return url


def _mark(session: Session) -> None:
    """100,000 of the manager's team's customers carry the tag MARK (written once, in bulk)."""
    tag_id = catalogs.tag_ids(session, [MARK])[MARK]
    have = session.execute(sa.select(sa.func.count()).where(CustomerTag.tag_id == tag_id)).scalar_one()
    if have == MATCHING:
        return
    t = time.perf_counter()
    session.execute(sa.delete(CustomerTag).where(CustomerTag.tag_id == tag_id))
    ids = list(
        session.execute(
            sa.select(Customer.id).where(Customer.owner_id.in_(_team(session)), Customer.archived == sa.false())
        ).scalars()
    )
    chosen = sorted(random.Random(2026).sample(ids, MATCHING))
    session.execute(sa.insert(CustomerTag), [{"customer_id": i, "tag_id": tag_id} for i in chosen])
    session.commit()
    print(f"{MATCHING:,} of the team's {len(ids):,} customers tagged “{MARK}” in {time.perf_counter() - t:.1f}s")


def _user_id(session: Session, username: str) -> int:
    return session.exec(select(User.id).where(User.username == username)).one()


def _team(session: Session) -> list[int]:
    manager = _user_id(session, MANAGER)
    teams = select(TeamMember.team_id).where(TeamMember.user_id == manager)
    return list(session.exec(select(TeamMember.user_id).where(TeamMember.team_id.in_(teams))).all())


# --- a rule run over 100,000 records -----------------------------------------------------------


def _tag_filter() -> dict:
    return {"op": "and", "items": [{"field": "tags", "operator": "any_of", "value": [MARK]}]}


def _rule(session: Session, admin: Actor, rating: int, tag: str) -> AutomationRule:
    rule = rules.save(
        session,
        admin,
        {
            "name": "Chăm sóc đợt đo",
            "entity": "customer",
            "conditions": _tag_filter(),
            "actions": [
                {"kind": "update_field", "field": "rating", "mode": "replace", "value": rating},
                {"kind": "add_tags", "value": tag},
            ],
        },
    )
    session.commit()
    return rule


def _timed(fn):
    """(wall seconds, CPU seconds of the process, the result): the machine is shared, so the CPU
    time says what the run itself cost."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def rule_run(session: Session, manager: Actor, rule: AutomationRule) -> tuple[float, float, runner.Report]:
    """The manager's whole list selected ("every matching record"), the rule run over it."""
    selection = bulk.Selection(spec=query.ListSpec(entity="customer"))

    def run() -> runner.Report:
        *_, report = runner.run_logged(session, manager, rule.id, "customer", selection)
        return report

    return _timed(run)


def bulk_path(session: Session, manager: Actor, rating: int, tag: str) -> tuple[float, float, list[bulk.Result]]:
    """The same records through the bulk bar: the list filtered on the tag, two bulk actions."""
    selection = bulk.Selection(spec=query.ListSpec(entity="customer", filter=_tag_filter()))
    return _timed(
        lambda: [
            bulk.run(session, manager, "customer", selection, bulk.Action("update_field", "rating", "replace", rating)),
            bulk.run(session, manager, "customer", selection, bulk.Action("add_tags", value=tag)),
        ]
    )


def _drop_tags(session: Session, names: list[str]) -> None:
    norms = [normalize_name(n) for n in names]
    tag_ids = select(Tag.id).where(Tag.name_norm.in_(norms))
    session.execute(sa.delete(CustomerTag).where(CustomerTag.tag_id.in_(tag_ids)))
    session.commit()


# --- a save, with and without event rules ------------------------------------------------------


def _saves(session: Session, actor: Actor, ids: list[int], n: int, start: int) -> list[float]:
    """Each save changes the name (``start``: a block's first number, so no block repeats another)."""
    times = []
    for i in range(start, start + n):
        cid = ids[i % len(ids)]
        data = {"full_name": f"Khách Đo {cid} lần {i}", "province": "Hà Nội"}
        t = time.perf_counter()
        customers.update(session, actor, cid, data)
        session.commit()
        times.append((time.perf_counter() - t) * 1000)
    return times


def _event_rules(session: Session, admin: Actor) -> list[int]:
    triggers = [
        {"trigger": "created"},
        {"trigger": "updated"},
        {"trigger": "field_changed", "trigger_field": "status", "trigger_value": "potential"},
        {"trigger": "field_changed", "trigger_field": "province"},
    ]
    made = []
    for i in range(EVENT_RULES):
        data = {
            "name": f"Quy tắc đo {i}",
            "entity": "customer",
            "conditions": {"op": "and", "items": [{"field": "status", "operator": "any_of", "value": ["customer"]}]},
            "actions": [{"kind": "add_tags", "value": f"Đo {i}"}],
            **triggers[i % len(triggers)],
        }
        made.append(rules.save(session, admin, data).id)
    session.commit()
    return made


def _switch(session: Session, admin: Actor, rule_ids: list[int], active: bool) -> None:
    for rid in rule_ids:
        rules.set_active(session, admin, rid, active)
    session.commit()


def saves(session: Session, admin: Actor, sales: Actor, n: int, blocks: int = 10) -> tuple[list[float], list[float]]:
    """(without rules, with 20 rules): ``n`` saves each, in alternating blocks after a warm-up."""
    ids = list(
        session.execute(
            sa.select(Customer.id).where(Customer.owner_id == sales.id, Customer.archived == sa.false()).limit(500)
        ).scalars()
    )
    _saves(session, sales, ids, 20, 0)  # warm-up
    rule_ids = _event_rules(session, admin)
    without, with_rules = [], []
    size = max(1, n // blocks)
    try:
        for block in range(blocks):
            _switch(session, admin, rule_ids, False)
            without += _saves(session, sales, ids, size, 1_000 + 2 * block * size)
            _switch(session, admin, rule_ids, True)
            with_rules += _saves(session, sales, ids, size, 1_000 + (2 * block + 1) * size)
    finally:
        for rid in rule_ids:
            rules.delete(session, admin, rid)
        session.execute(sa.delete(AutomationEvent))  # the queued changes: no worker runs here
        session.commit()
    return without, with_rules


# --- the run -----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=1000, help="saves with rules and as many without")
    parser.add_argument("--rebuild", action="store_true", help="copy the source database again")
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--skip-run", action="store_true", help="the saves only")
    args = parser.parse_args()
    url = prepare(args.source, args.rebuild)
    engine = make_engine(url)
    result: dict[str, float | int] = {}
    stamp = time.strftime("%H%M%S")
    tags = [f"Đo bulk {stamp}", f"Đo quy tắc {stamp}"]
    with Session(engine, expire_on_commit=False) as session:
        admin = load_actor(session, _user_id(session, ADMIN))
        manager = load_actor(session, _user_id(session, MANAGER))
        sales = load_actor(session, _user_id(session, SALES))
        if not args.skip_run:
            # the baseline first, the rule second: each finds the other's values, so every record changes
            base_s, base_cpu, base = bulk_path(session, manager, 4, tags[0])
            print(
                f"bulk-update path   {base_s:7.1f} s (CPU {base_cpu:.1f} s)   rating changed {base[0].changed:,}, "
                f"tag added {base[1].changed:,} of {base[0].total:,}",
                flush=True,
            )
            rule = _rule(session, admin, 5, tags[1])
            run_s, run_cpu, report = rule_run(session, manager, rule)
            print(
                f"rule run           {run_s:7.1f} s (CPU {run_cpu:.1f} s)   selected {report.selected:,}, matched {report.matched:,}, "
                f"changed {report.changed:,}, skipped {report.skipped:,}, failed {report.failed:,} "
                f"(per action {report.per_action})   target ≤ {TARGET_RUN_S:.0f} s",
                flush=True,
            )
            rules.delete(session, admin, rule.id)
            session.commit()
            _drop_tags(session, tags)
            result.update(
                rule_run_100k_s=round(run_s, 2),
                rule_run_100k_cpu_s=round(run_cpu, 2),
                baseline_bulk_100k_s=round(base_s, 2),
                baseline_bulk_100k_cpu_s=round(base_cpu, 2),
                rule_run_matched=report.matched,
                rule_run_selected=report.selected,
            )
        without, with_rules = saves(session, admin, sales, args.saves)
    engine.dispose()
    for label, times in (("without_rules", without), ("with_rules", with_rules)):
        print(
            f"save {label:14} p50 {statistics.median(times):7.2f} ms   p95 {p95(times):7.2f} ms   ({len(times)} saves)"
        )
        result[f"save_{label}_p95_ms"] = round(p95(times), 2)
    diff = result["save_with_rules_p95_ms"] - result["save_without_rules_p95_ms"]
    print(f"a save with {EVENT_RULES} active rules: {diff:+.2f} ms at p95   target ≤ +{TARGET_SAVE_MS:.0f} ms")
    print(json.dumps(result))


if __name__ == "__main__":
    main()

"""What active event rules add to a user's save: a customer saved without rules, then with 20.

    .venv/bin/python bench/automation_save.py [--saves 200]

A fresh SQLite database in bench/out, migrated, with one salesperson and 200 customers. Each
save is a customer's form saved (services.customers.update in one transaction, committed), as
the form's handler does it: first with no automation rule, then with 20 active event rules on
customers (created, updated, a field changed to a value). With rules, the save only queues the
change (services.automation.events); the rules act after the commit, in the worker, which is not
timed here. Prints p50 and p95 per save in milliseconds; the last line is one JSON object with
save_with_rules_p95_ms and save_without_rules_p95_ms.
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

from sqlmodel import Session

from crm_app.db import make_engine, migrate
from crm_app.services.automation import rules
from crm_app.services.customer import customers
from crm_app.services.people import users
from crm_app.services.people.permissions import load_actor
from crm_app.services.records import catalogs

OUT = Path(__file__).resolve().parent / "out"
RULES = 20


def _user(session: Session, username: str, role: str) -> int:
    user = users.create_user(
        session,
        None,
        {
            "username": username,
            "email": f"{username}@bench.vn",
            "full_name": username.title(),
            "password": "Bench@2026x",
            "role": role,
        },
    )
    session.commit()
    return user.id


def _saves(session: Session, actor, ids: list[int], n: int, start: int = 0) -> list[float]:
    """Each save changes the name (``start``: a pass's first number, so no pass repeats another)."""
    times = []
    for i in range(start, start + n):
        cid = ids[i % len(ids)]
        data = {"full_name": f"Khách Đo {cid} lần {i}", "phones": f"09{cid:08d}", "province": "Hà Nội"}
        t = time.perf_counter()
        customers.update(session, actor, cid, data)
        session.commit()
        times.append((time.perf_counter() - t) * 1000)
    return times


def _rules(session: Session, admin) -> None:
    triggers = [
        {"trigger": "created"},
        {"trigger": "updated"},
        {"trigger": "field_changed", "trigger_field": "status", "trigger_value": "potential"},
        {"trigger": "field_changed", "trigger_field": "province"},
    ]
    for i in range(RULES):
        data = {
            "name": f"Quy tắc đo {i}",
            "entity": "customer",
            "conditions": {"op": "and", "items": [{"field": "status", "operator": "any_of", "value": ["customer"]}]},
            "actions": [{"kind": "add_tags", "value": f"Đo {i}"}],
            **triggers[i % len(triggers)],
        }
        rules.save(session, admin, data)
    session.commit()


def p95(values: list[float]) -> float:
    return sorted(values)[int(len(values) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=200)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    path = OUT / "automation_save.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    migrate(url)
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        catalogs.ensure_default_catalogs(session)
        session.commit()
        admin = load_actor(session, _user(session, "quantri", "admin"))
        sales = load_actor(session, _user(session, "sale.do", "sales"))
        ids = [
            customers.create(session, sales, {"full_name": f"Khách Đo {i}", "phones": f"09{i:08d}"}).customer.id
            for i in range(1, 201)
        ]
        session.commit()
        _saves(session, sales, ids, 20)  # warm-up
        without = _saves(session, sales, ids, args.saves, start=1_000)
        _rules(session, admin)
        with_rules = _saves(session, sales, ids, args.saves, start=2_000)
    engine.dispose()
    result = {}
    for label, times in (("without_rules", without), ("with_rules", with_rules)):
        print(
            f"save {label:14} p50 {statistics.median(times):7.2f} ms   p95 {p95(times):7.2f} ms   ({args.saves} saves)"
        )
        result[f"save_{label}_p95_ms"] = round(p95(times), 2)
    print(json.dumps(result))


if __name__ == "__main__":
    main()

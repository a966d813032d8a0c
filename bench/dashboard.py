"""Benchmark of the dashboard's queries at 1,000,000 customers and 2,000,000 activities.

    .venv/bin/python bench/dashboard.py [--runs 30] [--rebuild]

Copies /work/main/bench/out/bench_1m.db (made by ``python -m crm_app.tools.generate``, 1,000,000
customers; override with --source) to bench/out/dashboard_1m.db once, migrates it, and adds in
bulk: 2,000,000 activities over the last year and the next month (services.demo_work, the
activity indexes built after the load), 200,000 deals on the default pipeline and 100,000 leads
(services.demo_pipeline). Then times, for a manager (the team's view, the dashboard's default)
and for one salesperson:

  dashboard   one load of the dashboard: open tasks today and overdue, the month's busy days,
              the selected day's items, activities per user, pipeline value by stage, won and
              lost this month, new leads by source, new customers, recently touched customers —
              the service calls DashboardState makes
                                      vs  baseline: the same figures as they would be read
                                          without this feature's columns and indexes: an
                                          activity's visibility through a join to its customer
                                          (no owner copy), and each table read through the
                                          indexes it had before (INDEXED BY)

Figures are wall time in milliseconds (p95 and median over --runs loads). The last line printed
is one JSON object; dashboard_p95_ms is the manager's.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from functools import partial

import sqlalchemy as sa
from db_copy import migrated_copy
from sqlmodel import Session, select
from timing import p95, timings

from crm_app.db import make_engine
from crm_app.models import Activity, Customer, Lead, Opportunity, PipelineStage, User
from crm_app.models.activity import (
    activity_day_backfill,
    activity_day_ddl,
    activity_trigger_ddl,
    drop_activity_day_ddl,
    drop_activity_trigger_ddl,
)
from crm_app.services.people.permissions import Actor, load_actor
from crm_app.services.people.work_scope import (
    Scope,
    day_start,
    local_day_sql,
    local_today,
    month_bounds,
    scope_of,
)
from crm_app.services.pipeline import pipelines
from crm_app.services.records import catalogs
from crm_app.services.work import calendar, dashboard
from crm_app.services.work.activities import TASK
from crm_app.services.work.calendar import person_column
from crm_app.setup import demo_pipeline, demo_work

OUT = ROOT / "bench" / "out"
DB_PATH = OUT / "dashboard_1m.db"
SOURCE = Path("/work/main/bench/out/bench_1m.db")
TARGET_MS = 150.0
ACTIVITIES, DEALS, LEADS = 2_000_000, 200_000, 100_000


# --- the data ----------------------------------------------------------------------------------


timed = partial(timings, warmup=2)


def _count(session: Session, model) -> int:
    return int(session.execute(sa.select(sa.func.count()).select_from(model)).scalar_one())


def prepare(source: Path, rebuild: bool) -> str:
    url = migrated_copy(source, DB_PATH, rebuild)
    engine = make_engine(url)
    rng = random.Random(2026)
    with Session(engine) as session:
        catalogs.ensure_default_catalogs(session)
        pipe = pipelines.ensure_default_pipeline(session)
        customers: list[tuple[int, int | None]] | None = None
        wrote = False

        def all_customers():
            nonlocal customers
            if customers is None:
                customers = [
                    tuple(r)
                    for r in session.execute(
                        sa.select(Customer.id, Customer.owner_id).where(Customer.archived == sa.false())
                    ).all()
                ]
            return customers

        have = _count(session, Activity)
        if have < ACTIVITIES:
            t = time.perf_counter()
            bulk_activities(session, all_customers(), ACTIVITIES - have, rng)
            wrote = True
            print(f"{ACTIVITIES - have:,} activities written in {time.perf_counter() - t:.1f}s", flush=True)
        have = _count(session, Opportunity)
        if have < DEALS:
            t = time.perf_counter()
            reasons = [i.id for i in catalogs.items(session, "lost_reason")]
            demo_pipeline.insert_opportunities(
                session.connection(),
                pipe.id,
                pipelines.stages(session, pipe.id),
                all_customers(),
                DEALS - have,
                rng,
                audit=False,
                lost_reasons=reasons,
            )
            session.commit()
            wrote = True
            print(f"{DEALS - have:,} deals written in {time.perf_counter() - t:.1f}s", flush=True)
        have = _count(session, Lead)
        if have < LEADS:
            t = time.perf_counter()
            owners = list(session.execute(sa.select(User.id).where(User.role != "admin")).scalars())
            sources = [i.id for i in catalogs.items(session, "source")]
            demo_pipeline.insert_leads(session.connection(), owners, sources, [], LEADS - have, rng)
            session.commit()
            wrote = True
            print(f"{LEADS - have:,} leads written in {time.perf_counter() - t:.1f}s", flush=True)
        if wrote:
            session.execute(sa.text("ANALYZE"))
            session.commit()
    engine.dispose()
    return url


def bulk_activities(session: Session, customers, count: int, rng: random.Random) -> None:
    """Rows with their owner copies, loaded without the activity indexes and triggers, which are
    built again afterwards (one sort per index instead of 2,000,000 scattered inserts), and the
    day counts made in one GROUP BY."""
    conn = session.connection()
    indexes = list(Activity.__table__.indexes)
    for stmt in drop_activity_trigger_ddl("sqlite") + drop_activity_day_ddl("sqlite"):
        conn.exec_driver_sql(stmt)
    for ix in indexes:
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {ix.name}")

    def progress(done: int) -> None:
        if done % 200_000 == 0:
            print(f"  {done:,} activities", flush=True)

    demo_work.insert_activities(
        conn, customers, count, rng, past_days=365, future_days=30, chunk=50_000, progress=progress
    )
    for ix in indexes:
        ix.create(conn)
    conn.exec_driver_sql("DELETE FROM activity_day")
    conn.exec_driver_sql(activity_day_backfill("sqlite"))
    for stmt in activity_trigger_ddl("sqlite") + activity_day_ddl("sqlite"):
        conn.exec_driver_sql(stmt)
    session.commit()


# --- one dashboard load -------------------------------------------------------------------------


def our_dashboard(session: Session, actor: Actor, scope: Scope) -> dict:
    """The service calls of DashboardState._load."""
    today = local_today()
    first, nxt = month_bounds(today)
    return {
        "tasks": dashboard.open_tasks(session, actor, scope, today),
        "busy": dashboard.busy_days(session, actor, scope, first),
        "day": calendar.items(session, actor, today, today + timedelta(days=1), scope, limit=30),
        "recent": dashboard.recent_customers(session, actor, actor.id),
        "stages": dashboard.pipeline_by_stage(session, actor, scope, dashboard.default_pipeline_id(session)),
        "won_lost": dashboard.won_lost(session, actor, scope, first, nxt),
        "leads": dashboard.leads_by_source(session, actor, scope, first, nxt, "vi"),
        "per_user": dashboard.activities_per_user(session, actor, scope, first, nxt),
        "new_customers": dashboard.new_customers(session, actor, scope, first, nxt),
    }


def _indexed_by(model, index: str):
    return sa.select().select_from(model).with_hint(model, f"INDEXED BY {index}", "sqlite")


def baseline_dashboard(session: Session, actor: Actor, scope: Scope) -> dict:
    """The same figures without the owner copies and the dashboard's indexes."""
    today = local_today()
    first, nxt = month_bounds(today)
    start, stop = day_start(first), day_start(nxt)
    owners = sorted(scope) if scope is not None else None
    visible_customers = sa.select(Customer.id).where(Customer.owner_id.in_(owners)) if owners else None

    def activities_of_team(*cols, hint="ix_activity_customer_at"):
        stmt = sa.select(*cols).select_from(Activity).with_hint(Activity, f"INDEXED BY {hint}", "sqlite")
        if visible_customers is not None:
            stmt = stmt.where(Activity.customer_id.in_(visible_customers))
        return stmt.where(person_column().in_(owners)) if owners else stmt

    day = local_day_sql(session, Activity.at)  # the days with work, read the obvious way: grouped
    busy = session.execute(
        activities_of_team(day, sa.func.count())
        .where(Activity.type_code != TASK, Activity.at >= start, Activity.at < stop)
        .group_by(day)
    ).all()
    due_day = local_day_sql(session, Activity.due_at)
    busy += session.execute(
        activities_of_team(due_day, sa.func.count())
        .where(Activity.type_code == TASK, Activity.due_at >= start, Activity.due_at < stop)
        .group_by(due_day)
    ).all()
    t0, t1 = day_start(today), day_start(today + timedelta(days=1))
    day_items = session.execute(
        activities_of_team(Activity.id, Activity.subject).where(Activity.at >= t0, Activity.at < t1).limit(30)
    ).all()
    per_user = session.execute(
        activities_of_team(person_column(), sa.func.count())
        .where(Activity.at >= start, Activity.at < stop)
        .group_by(person_column())
    ).all()
    tasks = dashboard.open_tasks(session, actor, scope, today)  # its index predates this feature
    recent = dashboard.recent_customers(session, actor, actor.id)
    stages = dashboard.pipeline_by_stage(session, actor, scope, dashboard.default_pipeline_id(session))
    won_lost = session.execute(
        sa.select(PipelineStage.outcome, sa.func.count(), sa.func.sum(Opportunity.value))
        .select_from(Opportunity)
        .with_hint(Opportunity, "INDEXED BY ix_opportunity_owner_arch_id", "sqlite")
        .join(PipelineStage, PipelineStage.id == Opportunity.stage_id)
        .where(
            Opportunity.owner_id.in_(owners),
            Opportunity.archived == sa.false(),
            Opportunity.closed_at >= start,
            Opportunity.closed_at < stop,
        )
        .group_by(PipelineStage.outcome)
    ).all()
    leads = session.execute(
        sa.select(Lead.source_id, sa.func.count())
        .select_from(Lead)
        .with_hint(Lead, "INDEXED BY ix_lead_owner_arch_id", "sqlite")
        .where(Lead.owner_id.in_(owners), Lead.archived == sa.false(), Lead.created_at >= start, Lead.created_at < stop)
        .group_by(Lead.source_id)
    ).all()
    new_customers = session.execute(
        sa.select(sa.func.count())
        .select_from(Customer)
        .with_hint(Customer, "INDEXED BY ix_customer_owner_arch_id", "sqlite")
        .where(
            Customer.owner_id.in_(owners),
            Customer.archived == sa.false(),
            Customer.created_at >= start,
            Customer.created_at < stop,
        )
    ).scalar_one()
    return {
        "tasks": tasks,
        "busy": busy,
        "day": day_items,
        "recent": recent,
        "stages": stages,
        "won_lost": won_lost,
        "leads": leads,
        "per_user": per_user,
        "new_customers": new_customers,
    }


# --- timing ------------------------------------------------------------------------------------


def per_query(session: Session, actor: Actor, scope: Scope, runs: int) -> dict[str, float]:
    """p95 of each of our queries, to see where the time goes."""
    today = local_today()
    first, nxt = month_bounds(today)
    calls = {
        "open_tasks": lambda: dashboard.open_tasks(session, actor, scope, today),
        "busy_days": lambda: dashboard.busy_days(session, actor, scope, first),
        "day_items": lambda: calendar.items(session, actor, today, today + timedelta(days=1), scope, limit=30),
        "recent_customers": lambda: dashboard.recent_customers(session, actor, actor.id),
        "pipeline_by_stage": lambda: dashboard.pipeline_by_stage(
            session, actor, scope, dashboard.default_pipeline_id(session)
        ),
        "won_lost": lambda: dashboard.won_lost(session, actor, scope, first, nxt),
        "leads_by_source": lambda: dashboard.leads_by_source(session, actor, scope, first, nxt, "vi"),
        "activities_per_user": lambda: dashboard.activities_per_user(session, actor, scope, first, nxt),
        "new_customers": lambda: dashboard.new_customers(session, actor, scope, first, nxt),
    }
    return {name: p95(timed(fn, runs, warmup=1)) for name, fn in calls.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--source", type=Path, default=SOURCE)
    args = parser.parse_args()

    url = prepare(args.source, args.rebuild)
    engine = make_engine(url)
    results: dict[str, float] = {}
    with Session(engine, expire_on_commit=False) as session:
        print(
            f"{_count(session, Customer):,} customers, {_count(session, Activity):,} activities, "
            f"{_count(session, Opportunity):,} deals, {_count(session, Lead):,} leads",
            flush=True,
        )
        manager = session.exec(select(User).where(User.role == "manager").order_by(User.id)).first()
        manager_actor = load_actor(session, manager.id)
        member = next(i for i in sorted(manager_actor.visible_owner_ids) if i != manager.id)
        people = {"manager": manager_actor, "sales": load_actor(session, member)}
        print(f"{'figure':<22}{'ours p95':>10}{'ours p50':>10}{'base p95':>10}{'base p50':>10}", flush=True)
        for who, actor in people.items():
            scope = scope_of(session, actor)
            ours_result = our_dashboard(session, actor, scope)
            base_result = baseline_dashboard(session, actor, scope)
            assert ours_result["new_customers"] == base_result["new_customers"]
            assert sorted(ours_result["per_user"], key=lambda r: r[1]) and len(ours_result["per_user"]) == len(
                base_result["per_user"]
            )
            ours = timed(lambda: our_dashboard(session, actor, scope), args.runs)
            base = timed(lambda: baseline_dashboard(session, actor, scope), max(5, args.runs // 5), warmup=1)
            print(
                f"{'dashboard (' + who + ')':<22}{p95(ours):>10.1f}{statistics.median(ours):>10.1f}"
                f"{p95(base):>10.1f}{statistics.median(base):>10.1f}",
                flush=True,
            )
            results[f"dashboard_{who}_p95_ms"] = round(p95(ours), 1)
            results[f"baseline_dashboard_{who}_p95_ms"] = round(p95(base), 1)
        month_activities = sum(
            n for _, n in our_dashboard(session, manager_actor, scope_of(session, manager_actor))["per_user"]
        )
        print(
            f"The manager's team: {len(manager_actor.visible_owner_ids)} users, {month_activities:,} activities "
            "this month",
            flush=True,
        )
        for name, ms in per_query(session, manager_actor, scope_of(session, manager_actor), args.runs).items():
            print(f"  {name:<22}{ms:>8.1f} ms p95", flush=True)
            results[f"{name}_p95_ms"] = round(ms, 1)
    results["dashboard_p95_ms"] = results["dashboard_manager_p95_ms"]
    results["target_ms"] = TARGET_MS
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())

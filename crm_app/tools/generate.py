"""Fill a database with N generated customers for benchmarks.

    python -m crm_app.tools.generate --customers 1000000 [--database-url URL]

Migrates the database first, creates the catalogs, the admin (when missing),
4 teams of 5 users (1 manager + 4 sales, password ``BENCH_PASSWORD``), then
appends N customers with their phones, tags, history and a contact for about
1 in 5, built by the same row factory as the demo data
(crm_app.setup.demo_data) and written with Core executemany in chunks, one
transaction per chunk. Large loads drop the written tables' secondary indexes
and search triggers first and rebuild them (and every search key) at the end:
meant for benchmark databases, not for one the app is using meanwhile.
"""

from __future__ import annotations

import argparse
import random
import sys
import time

import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from crm_app.db import make_engine, migrate
from crm_app.models.search_keys import backfill_sql, drop_trigger_ddl, trigger_ddl
from crm_app.services.records import catalogs
from crm_app.settings import settings
from crm_app.setup import bootstrap
from crm_app.setup.demo_data import CustomerFactory, Owner, SeedContext, ensure_team, ensure_user, insert_customers

BENCH_PASSWORD = "Bench@2026"
# (team, home province, region, username slug)
BENCH_TEAMS = (
    ("Kinh doanh Miền Bắc", "Hà Nội", "north", "bac"),
    ("Kinh doanh Miền Trung", "Đà Nẵng", "central", "trung"),
    ("Kinh doanh Miền Nam", "TP. Hồ Chí Minh", "south", "nam"),
    ("Khách hàng Doanh nghiệp", "Hà Nội", "", "dn"),
)
SALES_PER_TEAM = 4
# From this many customers on, the load drops the secondary indexes and search triggers of
# the tables it writes and rebuilds them afterwards (with every search key).
BULK_THRESHOLD = 50_000
BULK_TABLES = (
    "customer",
    "customerphone",
    "customertag",
    "contact",
    "auditlog",
    "customer_name_key",
    "contact_name_key",
)


def ensure_bench_users(session: Session, rng: random.Random) -> list[Owner]:
    """The 20 benchmark owners (created when missing): a manager and 4 sales per team."""
    owners = []
    namer = CustomerFactory(SeedContext(owners=[Owner(0, 1, "", "")], categories={}, sources={}, tags={}), rng, 1)
    for team_name, home, region, slug in BENCH_TEAMS:
        team = ensure_team(session, team_name)
        people = [(f"quanly.{slug}", "manager")] + [(f"sale.{slug}{k}", "sales") for k in range(1, SALES_PER_TEAM + 1)]
        for username, role in people:
            full_name = namer.person_name()[0]
            user = ensure_user(
                session, username, full_name, role, team, BENCH_PASSWORD, email=f"{username}@bench.crm.local"
            )
            owners.append(Owner(user.id, 1.0 if role == "manager" else 2.0, home, region))
    return owners


def _unindex(conn) -> list[sa.Index]:
    """Before a bulk load: drop the search triggers and the secondary indexes of the tables
    written (rebuilding an index from sorted rows is several times faster than keeping it
    up to date row by row). ``_reindex`` puts everything back, keys included."""
    for stmt in drop_trigger_ddl(conn.dialect.name):
        conn.exec_driver_sql(stmt)
    dropped = [index for name in BULK_TABLES for index in SQLModel.metadata.tables[name].indexes]
    for index in dropped:
        index.drop(conn)
    conn.commit()
    return dropped


def _reindex(conn, dropped: list[sa.Index]) -> None:
    conn.rollback()
    dialect = conn.dialect.name
    for stmt in backfill_sql(dialect):
        conn.exec_driver_sql(stmt)
    for index in dropped:
        index.create(conn)
    for stmt in trigger_ddl(dialect):
        conn.exec_driver_sql(stmt)
    conn.commit()


def generate(url: str, customers: int, *, chunk: int = 20_000, seed: int = 2026, quiet: bool = False) -> None:
    def say(msg: str, end: str = "\n") -> None:
        if not quiet:
            print(msg, end=end, file=sys.stderr, flush=True)

    t0 = time.perf_counter()
    say(f"Migrating {url} ...")
    migrate(url)
    engine = make_engine(url)
    rng = random.Random(seed)
    with Session(engine) as session:
        catalogs.ensure_default_catalogs(session)
        generated = bootstrap.ensure_admin(session)
        if generated:
            say(f"Admin account 'admin' created with password: {generated}")
        owners = ensure_bench_users(session, rng)
        ctx = SeedContext.load(session, owners)
        session.commit()
    say(
        f"{len(owners)} users in {len(BENCH_TEAMS)} teams (password {BENCH_PASSWORD}); "
        f"writing {customers:,} customers in chunks of {chunk:,} ..."
    )

    factory = CustomerFactory(ctx, rng, customers, org_contacts=(1, 1), individual_contact_rate=0.0)
    t1 = time.perf_counter()

    def progress(done: int, total: int) -> None:
        dt = time.perf_counter() - t1
        say(f"\r  {done:>11,} / {total:,} customers  {dt:7.1f} s  {done / max(dt, 1e-9):9,.0f} /s", end="")

    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            conn.exec_driver_sql("PRAGMA synchronous=OFF")
        unindexed = _unindex(conn) if customers >= BULK_THRESHOLD else []
        try:
            insert_customers(conn, factory, customers, chunk=chunk, commit_each=True, progress=progress)
        finally:
            if customers >= BULK_THRESHOLD:
                say("")
                say("Writing the search keys, rebuilding the indexes and triggers ...")
                _reindex(conn, unindexed)
            if sqlite:
                conn.exec_driver_sql("PRAGMA synchronous=NORMAL")
        say("")
        if sqlite:
            # No ANALYZE: the app's own databases have no sqlite_stat1 either, and the list
            # queries are written to be planned well without it.
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            say("Updating planner statistics ...")
            conn.exec_driver_sql("ANALYZE")
        conn.commit()
    engine.dispose()
    say(f"Done: {customers:,} customers in {time.perf_counter() - t0:.1f} s (rows {time.perf_counter() - t1:.1f} s).")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crm_app.tools.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=1_000_000, help="how many customers to add (1,000,000)")
    parser.add_argument(
        "--database-url",
        default=settings.database_url,
        help="SQLAlchemy URL (default: DATABASE_URL or the app's SQLite file)",
    )
    parser.add_argument("--chunk", type=int, default=20_000, help="rows per transaction (20,000)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (2026)")
    parser.add_argument("--quiet", action="store_true", help="no progress output")
    args = parser.parse_args(argv)
    if args.customers < 0 or args.chunk < 1:
        parser.error("--customers must be >= 0 and --chunk >= 1")
    generate(args.database_url, args.customers, chunk=args.chunk, seed=args.seed, quiet=args.quiet)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

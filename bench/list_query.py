"""Benchmark of the customer list queries at 1,000,000 rows.

    .venv/bin/python bench/list_query.py [--customers 1000000] [--runs 30] [--rebuild]
                                         [--database-url postgresql+psycopg://...]

Builds bench/out/bench_1m.db with crm_app.tools.generate (or reuses it when it
already holds the right number of customers, after migrating it); with
--database-url, uses that database instead (filled by the same generator when
it is empty; on PostgreSQL "NOT INDEXED" baselines turn the planner's index
scans off for the statement instead), then times
the list queries of crm_app.services.lists.query for an admin and a sales user, each
against a baseline run in the same process on the same data:

  page1        first page, default sort (code desc)        vs the same SQL with the secondary
                                                             indexes disabled (NOT INDEXED)
  deep_page    keyset page ~500,000 rows deep (sales: the   vs OFFSET paging to the same depth
               middle of their ~55,000 rows)
  sorted       first page sorted by full name asc          vs the same SQL, NOT INDEXED
  search_name  "nguyen van" (no diacritics typed)          vs the search before this work: a
  search_rare  a full name that matches a handful of rows      substring LIKE on the name_norm
  search_phone a "0912 345"-style prefix and a full            shadow column OR the phone
  search_full  +84 number                                      subquery (no word index)
  search_suffix a phone's last digits ("345 678")               the same
  search_sorted "nguyen van" sorted by full name asc       vs the old LIKE search, same order
  count        total of the unfiltered list                vs count(*) NOT INDEXED (table scan)
  count_search total for "nguyen van" as the list shows it  vs count with the old search clause
               (count_upto: exact up to 10,000, else "10,000+")
  count_search_exact  the same, exact (query.count)        (shown in the table only: lists use count_upto)
  count_huyen_minh, count_thu_nguyen  count_upto of        vs count with the old search clause
               two searches of words in any order (a list shows the page and this count)
  list_huyen_minh, list_thu_nguyen, list_nguyen_tran  what a list loads for a search of common
               words: count_upto and the first page in one transaction    vs the old search's
                                                             count and page

Each call of ours ends its transaction, as each event of the app does.

Every figure is wall time of the whole service call (SQL + display rows) in
milliseconds; the last line printed is one JSON object (p95 of ours: the worse
of the two users; baselines prefixed ``baseline_``).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from functools import partial

import sqlalchemy as sa
from sqlmodel import Session, select
from timing import p95
from timing import timed as _timed

from crm_app.db import make_engine, migrate
from crm_app.models import Customer, CustomerPhone, User
from crm_app.services.customer import customers
from crm_app.services.lists import query
from crm_app.services.normalize import normalize_phone, search_terms
from crm_app.services.people.permissions import Actor, load_actor, visibility_clause
from crm_app.services.records.fields import CUSTOMER

timed = partial(_timed, budget_s=8.0)  # give up on a slow baseline after that many seconds

OUT = ROOT / "bench" / "out"
DB_PATH = OUT / "bench_1m.db"
TARGET_MS = 20.0


# ---------------------------------------------------------------------------------------------
# The database
# ---------------------------------------------------------------------------------------------


def prepare(url: str, customers: int, rebuild: bool) -> None:
    from crm_app.tools.generate import generate

    if not url.startswith("sqlite"):
        migrate(url)
        eng = make_engine(url)
        with eng.connect() as conn:
            have = conn.execute(sa.select(sa.func.count()).select_from(Customer)).scalar_one()
        eng.dispose()
        if have == 0:
            generate(url, customers)
            with make_engine(url).connect() as conn:
                conn.execute(sa.text("ANALYZE"))
        elif have != customers:
            raise SystemExit(f"{url} holds {have:,} customers, not {customers:,}: give an empty database")
        return
    if DB_PATH.exists() and not rebuild:
        migrate(url)
        eng = make_engine(url)
        with eng.connect() as conn:
            have = conn.execute(sa.select(sa.func.count()).select_from(Customer)).scalar_one()
        eng.dispose()
        if have == customers:
            print(f"Reusing {DB_PATH} ({have:,} customers).", flush=True)
            return
        print(f"{DB_PATH} holds {have:,} customers, not {customers:,}: rebuilding.", flush=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB_PATH}{suffix}").unlink(missing_ok=True)
    OUT.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    generate(url, customers)
    print(f"Built {DB_PATH} in {time.perf_counter() - t:.0f} s.", flush=True)


# ---------------------------------------------------------------------------------------------
# Baselines
# ---------------------------------------------------------------------------------------------


def legacy_search_clause(text: str):
    """The customer search as it was before the search keys: substring LIKE on name_norm, OR the
    phone / e-mail prefixes as LIKE 'x%' (which SQLite cannot read from an index), OR the code."""
    terms = search_terms(text)
    parts = [Customer.name_norm.contains(terms["name"], autoescape=True)]
    if "phone" in terms:
        parts.append(
            Customer.id.in_(
                sa.select(CustomerPhone.customer_id).where(
                    CustomerPhone.number_norm.startswith(terms["phone"], autoescape=True)
                )
            )
        )
    if "email" in terms:
        parts.append(Customer.email_norm.startswith(terms["email"], autoescape=True))
    if "code" in terms:
        parts.append(Customer.code == terms["code"])
    return sa.or_(*parts)


def base_where(actor: Actor, search: str = "") -> list:
    clauses = [Customer.archived == sa.false()]
    vis = visibility_clause(actor, Customer.owner_id)
    if vis is not None:
        clauses.append(vis)
    if search:
        clauses.append(legacy_search_clause(search))
    return clauses


def without_indexes(session: Session, sql: str) -> str:
    """The statement with the customer table's secondary indexes out of the planner's reach:
    SQLite's NOT INDEXED; on PostgreSQL, index scans off for the rest of the transaction."""
    if session.get_bind().dialect.name == "sqlite":
        return re.sub(r"\bFROM customer\b", "FROM customer NOT INDEXED", sql, count=1)
    for setting in ("enable_indexscan", "enable_indexonlyscan", "enable_bitmapscan"):
        session.execute(sa.text(f"SET LOCAL {setting} = off"))
    return sql


def run_sql(session: Session, stmt, not_indexed: bool = False) -> list:
    """Run a Core select of Customer rows, optionally with the secondary indexes disabled."""
    sql = str(stmt.compile(dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True}))
    if not_indexed:
        sql = without_indexes(session, sql)
    rows = list(session.exec(select(Customer).from_statement(sa.text(sql))).scalars().all())
    if not_indexed and session.get_bind().dialect.name != "sqlite":
        session.rollback()  # ends SET LOCAL
    return rows


# Searches timed as a list shows them: its count and its page together.
LIST_TEXTS = ("huyen minh", "thu nguyen", "nguyen tran")


def one_transaction(session: Session, fn):
    """``fn`` ending its transaction, as each event of the app does (a session per event): what
    the service keeps for one transaction (a search's key scan) is not reused by the next run."""

    def run():
        try:
            return fn()
        finally:
            session.rollback()

    return run


def page_rows(session: Session, records: list, spec: query.ListSpec) -> list:
    return query.display_rows(session, CUSTOMER, records[: spec.page_size], spec.columns, "vi")


# ---------------------------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--rebuild", action="store_true", help="regenerate the database")
    parser.add_argument("--database-url", default="", help="another database than bench/out/bench_1m.db")
    args = parser.parse_args()

    url = args.database_url or f"sqlite:///{DB_PATH}"
    prepare(url, args.customers, args.rebuild)
    engine = make_engine(url)
    session = Session(engine)

    admin_id = session.exec(select(User.id).where(User.role == "admin").order_by(User.id)).first()
    sales_id = (
        session.exec(select(User.id).where(User.username == "sale.bac1")).first()
        or session.exec(select(User.id).where(User.role == "sales").order_by(User.id)).first()
    )
    actors = {"admin": load_actor(session, admin_id), "sales": load_actor(session, sales_id)}

    # Search inputs taken from the data, so that they hit rows of the sales user too.
    sales = actors["sales"]
    phone_row = session.exec(
        sa.select(CustomerPhone.number_norm)
        .join(Customer, Customer.id == CustomerPhone.customer_id)
        .where(Customer.owner_id == sales.id)
        .order_by(CustomerPhone.id)
        .offset(1234)
        .limit(1)
    ).scalar_one()
    prefix = phone_row[:7]
    phone_prefix = f"{prefix[:4]} {prefix[4:]}"  # e.g. "0912 345"
    phone_full = f"+84 {phone_row[1:4]} {phone_row[4:7]} {phone_row[7:]}"
    phone_suffix = f"{phone_row[-6:-3]} {phone_row[-3:]}"  # the last digits, e.g. "345 678"
    rare_name = session.exec(
        sa.select(Customer.full_name)
        .where(Customer.owner_id == sales.id, Customer.kind == "individual", Customer.full_name.like("% % % %"))
        .order_by(Customer.id)
        .offset(777)
        .limit(1)
    ).scalar_one()
    assert normalize_phone(phone_full) == phone_row

    cases: list[tuple[str, str, str]] = [
        ("page1", "code desc, page 1", "NOT INDEXED"),
        ("deep_page", "keyset page ~500k deep", "OFFSET paging"),
        ("sorted", "full_name asc, page 1", "NOT INDEXED"),
        ("search_name", 'search "nguyen van"', "old LIKE search"),
        ("search_rare", f'search "{rare_name}"', "old LIKE search"),
        ("search_phone", f'search "{phone_prefix}"', "old LIKE search"),
        ("search_full", f'search "{phone_full}"', "old LIKE search"),
        ("search_suffix", f'search "{phone_suffix}" (last digits)', "old LIKE search"),
        ("search_sorted", 'search "nguyen van", full_name asc', "old LIKE search"),
        ("search_nguyen_thu", 'search "nguyen thu" (any order)', "old LIKE search"),
        ("search_thu_nguyen", 'search "thu nguyen" (any order)', "old LIKE search"),
        ("search_huyen_minh", 'search "huyen minh" (any order)', "old LIKE search"),
        ("search_thi", 'search "thi"', "old LIKE search"),
        ("count", "count, no filter", "count NOT INDEXED"),
        ("count_search", 'count_upto "nguyen van" (cap 10,000)', "count, old search"),
        ("count_search_exact", 'count "nguyen van" exact', "count, old search"),
        ("count_huyen_minh", 'count_upto "huyen minh" (any order)', "count, old search"),
        ("count_thu_nguyen", 'count_upto "thu nguyen" (any order)', "count, old search"),
        ("picker", 'picker "nguyen van" (assigned to)', "substring scan"),
        ("list_huyen_minh", 'list "huyen minh": count + page', "old search: count + page"),
        ("list_thu_nguyen", 'list "thu nguyen": count + page', "old search: count + page"),
        ("list_nguyen_tran", 'list "nguyen tran": count + page', "old search: count + page"),
    ]
    info_only = {"count_search_exact"}
    results: dict[tuple[str, str], dict] = {}

    for actor_name, actor in actors.items():
        spec = query.ListSpec("customer", columns=list(CUSTOMER.default_columns))
        by_name = query.ListSpec("customer", columns=list(CUSTOMER.default_columns), sort="full_name", descending=False)
        total = query.count(session, actor, spec)
        depth = 500_000 if total > 1_000_000 * 0.6 else total // 2
        depth = min(depth, max(total - 1, 0))
        key_row = session.execute(
            sa.select(Customer.id).where(*base_where(actor)).order_by(Customer.id.desc()).offset(depth - 1).limit(1)
        ).scalar_one()
        deep_key = (key_row, key_row)
        print(f"\n{actor_name}: {total:,} visible customers; deep page after row {depth:,} (id {key_row})", flush=True)

        def ours_search(text: str, actor=actor):
            return lambda: query.fetch_page(
                session, actor, query.ListSpec("customer", columns=list(CUSTOMER.default_columns), search=text)
            )

        def ours_list(text: str, actor=actor):
            def run():  # what a list page loads in one event: the count, then the page
                spec = query.ListSpec("customer", columns=list(CUSTOMER.default_columns), search=text)
                total = query.count_upto(session, actor, spec)
                query.fetch_page(session, actor, spec)
                return total

            return run

        def base_list(text: str, actor=actor):
            count_stmt = sa.select(sa.func.count()).select_from(Customer).where(*base_where(actor, text))
            page = base_search(text)
            return lambda: (session.execute(count_stmt).scalar_one(), page())[0]

        def base_search(text: str, actor=actor, by_name=False):
            order = (Customer.name_norm, Customer.id) if by_name else (Customer.id.desc(),)
            stmt = sa.select(Customer).where(*base_where(actor, text)).order_by(*order).limit(51)
            return lambda: page_rows(session, run_sql(session, stmt), spec)

        base_page1 = sa.select(Customer).where(*base_where(actor)).order_by(Customer.id.desc()).limit(51)
        base_deep = sa.select(Customer).where(*base_where(actor)).order_by(Customer.id.desc()).offset(depth).limit(51)
        base_sorted = (
            sa.select(Customer)
            .where(*base_where(actor))
            .order_by(Customer.name_norm.asc(), Customer.id.asc())
            .limit(51)
        )
        base_count = sa.select(sa.func.count()).select_from(Customer).where(*base_where(actor))
        base_count_search = sa.select(sa.func.count()).select_from(Customer).where(*base_where(actor, "nguyen van"))
        # the record pickers before they used the search keys: a substring test of the folded name
        base_picker = (
            sa.select(Customer.id, Customer.code, Customer.full_name)
            .where(
                *base_where(actor),
                Customer.kind != "individual",
                Customer.name_norm.contains("nguyen van", autoescape=True),
            )
            .order_by(Customer.name_norm)
            .limit(20)
        )

        def count_sql(stmt, not_indexed=False):
            sql = str(stmt.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))

            def run():
                result = session.execute(sa.text(without_indexes(session, sql) if not_indexed else sql)).scalar_one()
                if not_indexed:
                    session.rollback()
                return result

            return run

        plan = {
            "page1": (
                lambda: query.fetch_page(session, actor, spec),
                lambda: page_rows(session, run_sql(session, base_page1, True), spec),
            ),
            "deep_page": (
                lambda: query.fetch_page(session, actor, spec, after=deep_key),
                lambda: page_rows(session, run_sql(session, base_deep), spec),
            ),
            "sorted": (
                lambda: query.fetch_page(session, actor, by_name),
                lambda: page_rows(session, run_sql(session, base_sorted, True), by_name),
            ),
            "search_name": (ours_search("nguyen van"), base_search("nguyen van")),
            "search_rare": (ours_search(rare_name), base_search(rare_name)),
            "search_nguyen_thu": (ours_search("nguyen thu"), base_search("nguyen thu")),
            "search_thu_nguyen": (ours_search("thu nguyen"), base_search("thu nguyen")),
            "search_huyen_minh": (ours_search("huyen minh"), base_search("huyen minh")),
            "search_thi": (ours_search("thi"), base_search("thi")),
            "search_phone": (ours_search(phone_prefix), base_search(phone_prefix)),
            "search_full": (ours_search(phone_full), base_search(phone_full)),
            "search_suffix": (ours_search(phone_suffix), base_search(phone_suffix)),
            "search_sorted": (
                lambda: query.fetch_page(
                    session,
                    actor,
                    query.ListSpec(
                        "customer",
                        columns=list(CUSTOMER.default_columns),
                        search="nguyen van",
                        sort="full_name",
                        descending=False,
                    ),
                ),
                base_search("nguyen van", by_name=True),
            ),
            "count": (lambda: query.count(session, actor, spec), count_sql(base_count, True)),
            "count_search": (
                lambda: query.count_upto(session, actor, query.ListSpec("customer", search="nguyen van")),
                count_sql(base_count_search),
            ),
            "count_search_exact": (
                lambda: query.count(session, actor, query.ListSpec("customer", search="nguyen van")),
                count_sql(base_count_search),
            ),
            "count_huyen_minh": (
                lambda: query.count_upto(session, actor, query.ListSpec("customer", search="huyen minh")),
                count_sql(sa.select(sa.func.count()).select_from(Customer).where(*base_where(actor, "huyen minh"))),
            ),
            "count_thu_nguyen": (
                lambda: query.count_upto(session, actor, query.ListSpec("customer", search="thu nguyen")),
                count_sql(sa.select(sa.func.count()).select_from(Customer).where(*base_where(actor, "thu nguyen"))),
            ),
            "picker": (
                lambda: customers.pick(session, actor, "nguyen van", other_than_kind="individual"),
                lambda: session.execute(base_picker).all(),
            ),
            **{f"list_{text.replace(' ', '_')}": (ours_list(text), base_list(text)) for text in LIST_TEXTS},
        }
        for key, label, _base_label in cases:
            ours_fn, base_fn = plan[key]
            ours, ours_result = timed(one_transaction(session, ours_fn), args.runs)
            base, base_result = timed(base_fn, args.runs)
            if isinstance(ours_result, tuple):  # count_upto
                hits = f"{ours_result[0]}{'+' if ours_result[1] else ''}"
            else:
                hits = ours_result if isinstance(ours_result, int) else len(getattr(ours_result, "rows", ours_result))
            base_hits = base_result if isinstance(base_result, int) else len(base_result)
            results[(key, actor_name)] = {"ours": ours, "base": base, "hits": hits, "base_hits": base_hits}
            print(
                f"  {label:<34} ours p95 {p95(ours):8.2f} ms   baseline p95 {p95(base):9.2f} ms   "
                f"rows {hits} / {base_hits}",
                flush=True,
            )
        session.rollback()

    # ----------------------------------------------------------------------------------------
    version = session.execute(
        sa.text("select sqlite_version()" if engine.dialect.name == "sqlite" else "show server_version")
    ).scalar_one()
    print(
        f"\nCustomer list at {args.customers:,} rows, {engine.dialect.name} {version} (ms; wall time of the service call)"
    )
    head = (
        f"{'query':<40} {'user':<6} {'ours med':>9} {'ours p95':>9} {'base med':>9} {'base p95':>9} "
        f"{'runs':>9} {'rows':>15}  baseline"
    )
    print(head)
    print("-" * len(head))
    summary: dict[str, float] = {}
    for key, label, base_label in cases:
        for actor_name in actors:
            r = results[(key, actor_name)]
            o, b = r["ours"], r["base"]
            flag = "" if p95(o) <= TARGET_MS else "  <-- over target"
            if key in info_only:
                flag += "  (info: lists use count_upto)"
            print(
                f"{label[:40]:<40} {actor_name:<6} {statistics.median(o):9.2f} {p95(o):9.2f} "
                f"{statistics.median(b):9.2f} {p95(b):9.2f} {len(o):>4}/{len(b):<4} "
                f"{r['hits']:>7}/{r['base_hits']:<7}  {base_label}{flag}"
            )
            if key in info_only:
                continue
            summary[f"{key}_p95_ms"] = round(max(summary.get(f"{key}_p95_ms", 0.0), p95(o)), 2)
            summary[f"baseline_{key}_p95_ms"] = round(max(summary.get(f"baseline_{key}_p95_ms", 0.0), p95(b)), 2)
    print(f"\nrows: page rows (or the count) of ours / baseline. Target: every list query <= {TARGET_MS:.0f} ms p95.")
    session.close()
    engine.dispose()
    ordered = {k: v for k, v in summary.items() if not k.startswith("baseline_")}
    ordered.update({k: v for k, v in summary.items() if k.startswith("baseline_")})
    print(json.dumps(ordered))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

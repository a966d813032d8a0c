"""Benchmark of saved list views at 1,000,000 customers.

    .venv/bin/python bench/list_views.py [--runs 30] [--bulk 100000]

Copies bench/out/bench_1m.db (made by bench/list_query.py / crm_app.tools.generate) to
bench/out/bench_views.db at every run, so that each run starts from the same data (the bulk
update below changes 100,000 rows), migrates the copy, adds a custom choice field "Phân khúc"
(segment A..J, one per tenth of the customers) and saves a company-wide view. Then, each beside
a baseline in the same run:

  view      first page of the saved view: the view read and merged with the user's override,
            three filters (status any of lead/potential AND (province any of Hà Nội OR rating > 3)),
            the custom-field filter (segment is A), sorted by last update, newest first
                                              vs the same query with the customer table's indexes
                                              disabled (NOT INDEXED: a scan and a sort)
  count     the view's total as the list shows it (count_upto: exact up to 10,000, else "10,000+";
            for an admin read from the custom field's value index)
                                              vs an exact count(*) of the same filter walking the
                                              table (each custom condition an EXISTS per row)
  bulk      a bulk update (replace the country) of the 100,000 customers of one segment, through
            services.bulk (rights per record, history rows, chunks of 1,000 committed)
                                              vs the per-record service path (customers.update for
                                              each record) timed on 500 records, scaled to 100,000
  view after bulk  the view again, after the bulk update made 100,000 customers of another
            segment the most recently updated ones: the sort index now starts with 100,000 rows
            that the view's filter rejects (shown, not part of the target figure)

Times are wall time of the service calls for an admin and for a sales user (p95 in ms; the
worse of the two is reported). The last line printed is one JSON object.
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
from db_copy import migrated_copy
from sqlmodel import Session, select
from timing import p95
from timing import timed as _timed

from crm_app.db import make_engine
from crm_app.models import Customer, CustomField, CustomFieldValue, ListView, User
from crm_app.services.customer import customers
from crm_app.services.lists import bulk, query, views
from crm_app.services.people.permissions import load_actor

timed = partial(_timed, budget_s=10.0)  # give up on a slow baseline after that many seconds

OUT = ROOT / "bench" / "out"
SOURCE_DB = OUT / "bench_1m.db"
DB_PATH = OUT / "bench_views.db"
VIEW_NAME = "Bench: tiềm năng Hà Nội / hạng cao, phân khúc A"
SEGMENTS = tuple("ABCDEFGHIJ")
TARGET_VIEW_MS = 50.0
TARGET_BULK_S = 20.0


def view_spec() -> dict:
    return {
        "columns": ["code", "full_name", "status", "province", "rating", "owner_id", "cf_phan_khuc", "updated_at"],
        "widths": {"full_name": 240},
        "sort": "updated_at",
        "descending": True,
        "page_size": 50,
        "display_type": "table",
        "filter": {
            "op": "and",
            "items": [
                {"field": "status", "operator": "any_of", "value": ["lead", "potential"]},
                {
                    "op": "or",
                    "items": [
                        {"field": "province", "operator": "any_of", "value": ["01"]},
                        {"field": "rating", "operator": "gt", "value": 3},
                    ],
                },
                {"field": "cf_phan_khuc", "operator": "any_of", "value": ["A"]},
            ],
        },
    }


def prepare(session: Session, admin) -> int:
    """The custom field with a value for every customer, and the saved view; returns the view id."""
    field = session.exec(
        select(CustomField).where(CustomField.entity == "customer", CustomField.key == "phan_khuc")
    ).first()
    if field is None:
        from crm_app.services.records import custom_fields

        field = custom_fields.create(
            session, admin, "customer", {"label": "Phân khúc", "type": "choice", "options": list(SEGMENTS)}
        )
    have = session.execute(
        sa.select(sa.func.count()).select_from(CustomFieldValue).where(CustomFieldValue.field_id == field.id)
    ).scalar_one()
    if not have:
        t = time.perf_counter()
        segment = sa.case(*[(Customer.id % 10 == i, s) for i, s in enumerate(SEGMENTS)])
        session.execute(
            sa.insert(CustomFieldValue).from_select(
                ["field_id", "record_id", "text_value"], sa.select(sa.literal(field.id), Customer.id, segment)
            )
        )
        session.commit()
        session.execute(sa.text("ANALYZE customfieldvalue"))
        session.commit()
        print(f"Wrote the segment of every customer in {time.perf_counter() - t:.0f} s.", flush=True)
    view = session.exec(select(ListView).where(ListView.name == VIEW_NAME)).first()
    if view is None:
        view = views.create(session, admin, "customer", {"name": VIEW_NAME, "scope": "company"}, view_spec())
        session.commit()  # as the handler's session does
    return view.id


def not_indexed_page(session: Session, actor, spec: query.ListSpec) -> list:
    """The baseline page: the same WHERE and ORDER BY, the customer table read without its indexes."""
    clauses = query.where_clauses(actor, spec, session)
    stmt = (
        sa.select(Customer.id)
        .where(*clauses)
        .order_by(Customer.updated_at.desc(), Customer.id.desc())
        .limit(spec.page_size + 1)
    )
    sql = str(stmt.compile(dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True}))
    sql = re.sub(r"\bFROM customer\b", "FROM customer NOT INDEXED", sql, count=1)
    ids = list(session.execute(sa.text(sql)).scalars().all())
    by_id = {r.id: r for r in session.exec(select(Customer).where(Customer.id.in_(ids))).all()}
    return query.display_rows(session, spec.checked(session)[0], [by_id[i] for i in ids], spec.columns, "vi")


def walked_count(session: Session, actor, spec: query.ListSpec) -> int:
    """The baseline count: exact, every custom condition an EXISTS test on each row walked."""
    spec.checked(session)
    return query._count_rows(session, Customer, query._base_clauses(actor, Customer, spec), None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--bulk", type=int, default=100_000)
    args = parser.parse_args()
    if not SOURCE_DB.exists():
        print(f"{SOURCE_DB} is missing: run bench/list_query.py first (it builds it).", flush=True)
        return 1
    url = migrated_copy(SOURCE_DB, DB_PATH)
    engine = make_engine(url)
    session = Session(engine, expire_on_commit=False)
    admin_id = session.exec(select(User.id).where(User.role == "admin").order_by(User.id)).first()
    sales_id = (
        session.exec(select(User.id).where(User.username == "sale.bac1")).first()
        or session.exec(select(User.id).where(User.role == "sales").order_by(User.id)).first()
    )
    actors = {"admin": load_actor(session, admin_id), "sales": load_actor(session, sales_id)}
    view_id = prepare(session, actors["admin"])

    def spec_of(actor) -> query.ListSpec:
        view = views.get(session, actor, view_id)
        s = views.effective(session, actor, view)
        return query.ListSpec(
            entity="customer",
            columns=s["columns"],
            sort=s["sort"],
            descending=s["descending"],
            page_size=s["page_size"],
            filter=s["filter"],
        )

    figures: dict[str, dict[str, float]] = {}
    for name, actor in actors.items():
        ours, page = timed(lambda: query.fetch_page(session, actor, spec_of(actor)), args.runs)
        base, base_rows = timed(
            lambda: not_indexed_page(session, actor, spec_of(actor)), max(5, args.runs // 3), warmup=1
        )
        assert [r["id"] for r in page.rows] == [r["id"] for r in base_rows][: len(page.rows)]
        c_ours, counted = timed(lambda: query.count_upto(session, actor, spec_of(actor)), args.runs)
        c_base, exact = timed(lambda: walked_count(session, actor, spec_of(actor)), max(5, args.runs // 3), warmup=1)
        figures[name] = {
            "view": p95(ours),
            "view_base": p95(base),
            "count": p95(c_ours),
            "count_base": p95(c_base),
            "view_median": statistics.median(ours),
            "rows": len(page.rows),
            "counted": counted,
            "exact": exact,
        }
        print(
            f"{name:<6} view p95 {p95(ours):7.2f} ms (median {statistics.median(ours):.2f}; {len(page.rows)} rows)"
            f"  baseline {p95(base):8.2f} ms | count p95 {p95(c_ours):7.2f} ms -> {counted}"
            f"  baseline exact walk {p95(c_base):8.2f} ms -> {exact:,}",
            flush=True,
        )

    # Bulk update of the customers of one segment (100,000 of the million).
    admin = actors["admin"]
    field_id = session.exec(select(CustomField.id).where(CustomField.key == "phan_khuc")).first()
    target = "B"
    selection = bulk.Selection(
        spec=query.ListSpec(
            entity="customer",
            filter={"op": "and", "items": [{"field": "cf_phan_khuc", "operator": "any_of", "value": [target]}]},
        )
    )
    stamp = f"Việt Nam {int(time.time()) % 100000}"
    if args.bulk < 100_000:  # a smaller run: the first ids of the segment
        ids = (
            session.execute(
                sa.select(CustomFieldValue.record_id)
                .where(CustomFieldValue.field_id == field_id, CustomFieldValue.text_value == target)
                .order_by(CustomFieldValue.record_id)
                .limit(args.bulk)
            )
            .scalars()
            .all()
        )
        selection = bulk.Selection(ids=list(ids))
    t = time.perf_counter()
    result = bulk.run(
        session,
        admin,
        "customer",
        selection,
        bulk.Action(kind="update_field", field="country", mode="replace", value=stamp),
    )
    bulk_s = time.perf_counter() - t
    # Baseline: the per-record service path on 500 records of another segment, scaled.
    sample = (
        session.execute(
            sa.select(CustomFieldValue.record_id)
            .where(CustomFieldValue.field_id == field_id, CustomFieldValue.text_value == "C")
            .order_by(CustomFieldValue.record_id)
            .limit(500)
        )
        .scalars()
        .all()
    )
    t = time.perf_counter()
    for rid in sample:
        customers.update(session, admin, rid, {"country": stamp})
        session.commit()  # as the handler's session does
    per_record_s = (time.perf_counter() - t) / len(sample) * result.total
    print(
        f"bulk   {result.total:,} records: {result.changed:,} changed, {result.unchanged:,} unchanged, "
        f"{result.skipped:,} skipped in {bulk_s:.1f} s  baseline (customers.update per record, "
        f"500 timed, scaled) {per_record_s:.0f} s",
        flush=True,
    )

    after = {}
    for name, actor in actors.items():
        samples, page = timed(lambda actor=actor: query.fetch_page(session, actor, spec_of(actor)), args.runs)
        after[name] = p95(samples)
        print(f"{name:<6} view after the bulk update p95 {after[name]:7.2f} ms ({len(page.rows)} rows)", flush=True)

    worst = max(figures.values(), key=lambda f: f["view"])
    worst_count = max(figures.values(), key=lambda f: f["count"])
    print(
        f"\nSaved view at 1,000,000 customers (SQLite): view p95 {worst['view']:.2f} ms "
        f"(target {TARGET_VIEW_MS:.0f}), count p95 {worst_count['count']:.2f} ms, bulk update "
        f"{bulk_s:.1f} s (target {TARGET_BULK_S:.0f})",
        flush=True,
    )
    print(
        json.dumps(
            {
                "view_p95_ms": round(worst["view"], 2),
                "count_p95_ms": round(worst_count["count"], 2),
                "bulk_update_100k_s": round(bulk_s, 2),
                "baseline_view_p95_ms": round(max(f["view_base"] for f in figures.values()), 2),
                "baseline_count_p95_ms": round(max(f["count_base"] for f in figures.values()), 2),
                "baseline_bulk_update_100k_s": round(per_record_s, 1),
                "bulk_records": result.total,
                "view_after_bulk_p95_ms": round(max(after.values()), 2),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

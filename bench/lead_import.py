"""Benchmark of the lead import against a table of stored leads.

    .venv/bin/python bench/lead_import.py [--stored 200000] [--rows 50000] [--baseline-rows 500]

Uses bench/out/bench_1m.db (a copy of the benchmark database; see bench/import_export.py).
Stores --stored leads first (plain bulk inserts), then builds an .xlsx of --rows leads with
10 columns, 30 % of whose rows repeat a stored lead's phone (typed in a messy way) and
10 % its e-mail, then:

  import      crm_app.services.transfer.importer.run for "lead": read, map, clean (leads.clean), match
              duplicates by phone (phone or mobile) and e-mail against the stored leads, write the
              new rows in one transaction; end to end, from the file's bytes
  baseline    openpyxl reading the file, then for each row one ORM query for a lead with that
              phone or e-mail and one ORM insert: measured on --baseline-rows rows and scaled

The run is undone and the stored leads removed afterwards, so the database is left as found.
The machine is shared: the import's CPU time is printed beside its wall time. The last line
printed is one JSON object of the figures.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa
from sqlmodel import Session, select

from bench.import_export import FAMILY, GIVEN, MIDDLE, messy
from crm_app.db import make_engine, migrate
from crm_app.models import AuditLog, ImportRun, ImportRunItem, Lead, User
from crm_app.models._base import utcnow
from crm_app.services.normalize import normalize_email, normalize_name, normalize_phone
from crm_app.services.people.permissions import load_actor
from crm_app.services.transfer import importer
from crm_app.services.transfer.import_files import read_table
from crm_app.services.transfer.import_mapping import auto_map
from crm_app.services.transfer.import_targets import TARGETS
from crm_app.services.transfer.xlsx_writer import XlsxWriter

DB_PATH = ROOT / "bench" / "out" / "bench_1m.db"
HEADERS = [
    "Họ và tên",
    "Công ty",
    "SĐT",
    "Email",
    "Nguồn",
    "Trạng thái",
    "Đánh giá",
    "Giá trị",
    "Tỉnh/Thành phố",
    "Ghi chú",
]
STATUSES = ("new", "contacted", "qualified")


def name(rng: random.Random, k: int) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)} {k:06d}"


def phone(rng: random.Random) -> str:
    return f"0{rng.choice('3579')}{rng.randrange(10**8):08d}"


def store_leads(session: Session, n: int, owner_id: int, rng: random.Random) -> tuple[int, list[tuple[str, str]]]:
    """n leads in plain bulk inserts; returns the first id and their (phone, email)."""
    first = int(session.execute(sa.select(sa.func.coalesce(sa.func.max(Lead.id), 0))).scalar_one()) + 1
    now = utcnow()
    keys = []
    for start in range(0, n, 10_000):
        rows = []
        for k in range(start, min(n, start + 10_000)):
            full, ph, mail = name(rng, k), phone(rng), f"tn{k}@example.vn"
            keys.append((ph, mail))
            rows.append(
                {
                    "id": first + k,
                    "kind": "person",
                    "full_name": full,
                    "name_norm": normalize_name(full),
                    "company": "",
                    "title": "",
                    "email": mail,
                    "email_norm": mail,
                    "phone": ph,
                    "phone_norm": ph,
                    "mobile": "",
                    "mobile_norm": "",
                    "province": "",
                    "owner_id": owner_id,
                    "status": rng.choice(STATUSES),
                    "rating": 0,
                    "value": 0,
                    "rank": k,
                    "stage_entered_at": now,
                    "description": "",
                    "archived": False,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        session.execute(sa.insert(Lead.__table__), rows)
    session.commit()
    return first, keys


def build_file(rows: int, stored: list[tuple[str, str]], rng: random.Random) -> bytes:
    picks = rng.sample(stored, int(rows * 0.4))
    data = [
        (name(rng, 900_000 + i), ph if i % 4 else phone(rng), "" if i % 4 else mail)
        for i, (ph, mail) in enumerate(picks)
    ]  # 3 in 4 repeat a phone, 1 in 4 an e-mail
    data += [(name(rng, k), phone(rng), f"moi{k}@example.vn" if k % 2 else "") for k in range(rows - len(data))]
    rng.shuffle(data)
    buf = io.BytesIO()

    def lines():
        for k, (full, ph, mail) in enumerate(data):
            yield [
                full,
                rng.choice(("", "Công ty Sao Mai", "Công ty Hoa Sen")),
                messy(ph, rng),
                mail,
                rng.choice(("Website", "Facebook", "")),
                rng.choice(("Mới", "Đã liên hệ", "Đủ điều kiện")),
                rng.randrange(0, 6),
                rng.choice(("15.000.000", "2.500.000 đ", 7_000_000, "")),
                rng.choice(("Hà Nội", "Huế", "")),
                "Hội chợ" if k % 5 == 0 else "",
            ]

    with XlsxWriter(buf) as book:
        book.sheet("Data", HEADERS, lines())
    return buf.getvalue()


def baseline_import(engine, data: bytes, rows: int, owner_id: int) -> tuple[float, float]:
    """openpyxl reads the whole file; per row one ORM query (phone or e-mail) and one insert.
    Returns the wall and CPU seconds for the whole file."""
    from openpyxl import load_workbook

    t, cpu = time.perf_counter(), time.process_time()
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    records = list(sheet.iter_rows(min_row=2, values_only=True))
    read_s, read_cpu = time.perf_counter() - t, time.process_time() - cpu
    t, cpu = time.perf_counter(), time.process_time()
    with Session(engine) as session:
        for rec in records[:rows]:
            ph, mail = normalize_phone(str(rec[2])), normalize_email(str(rec[3] or ""))
            cond = [Lead.phone_norm == ph, Lead.mobile_norm == ph] + ([Lead.email_norm == mail] if mail else [])
            if session.exec(select(Lead.id).where(sa.or_(*cond))).first() is None:
                session.add(
                    Lead(
                        full_name=str(rec[0]),
                        name_norm=normalize_name(str(rec[0])),
                        phone=str(rec[2]),
                        phone_norm=ph,
                        email=mail,
                        email_norm=mail,
                        owner_id=owner_id,
                    )
                )
                session.flush()
        session.rollback()  # the baseline leaves nothing behind
    scale = len(records) / rows
    return read_s + (time.perf_counter() - t) * scale, read_cpu + (time.process_time() - cpu) * scale


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stored", type=int, default=200_000)
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--baseline-rows", type=int, default=500)
    args = ap.parse_args()
    url = f"sqlite:///{DB_PATH}"
    migrate(url)
    engine = make_engine(url)
    rng = random.Random(11)
    with Session(engine) as session:
        admin_id = session.exec(select(User.id).where(User.role == "admin")).first()
        t = time.perf_counter()
        first_stored, stored = store_leads(session, args.stored, admin_id, rng)
        print(f"{args.stored:,} leads stored in {time.perf_counter() - t:.1f} s", flush=True)
    data = build_file(args.rows, stored, rng)
    print(f"file: {args.rows:,} rows, {len(HEADERS)} columns, {len(data) / 1e6:.1f} MB", flush=True)
    try:
        with Session(engine) as session:
            actor = load_actor(session, admin_id)
            t, cpu = time.perf_counter(), time.process_time()
            table = read_table(data, "tiem-nang.xlsx")
            mapping = auto_map(table.headers, TARGETS["lead"])
            run = importer.run(
                session, actor, "lead", table, mapping, importer.ImportOptions(mode="skip"), "tiem-nang.xlsx"
            )
            import_s, import_cpu = time.perf_counter() - t, time.process_time() - cpu
            counts, run_id = (run.created, run.updated, run.skipped, run.errors), run.id
            t = time.perf_counter()
            importer.undo(session, actor, run_id)
            undo_s = time.perf_counter() - t
        print(
            f"import: {import_s:.2f} s ({args.rows / import_s:,.0f} rows/s, {import_cpu:.2f} s of CPU); "
            f"created/updated/skipped/errors = {counts}; mapped {len(mapping)} of {len(HEADERS)} columns; "
            f"undo {undo_s:.2f} s",
            flush=True,
        )
        baseline_s, baseline_cpu = baseline_import(engine, data, args.baseline_rows, admin_id)
        print(
            f"baseline import (openpyxl + ORM per row, scaled from {args.baseline_rows:,} rows): "
            f"{baseline_s:.1f} s ({args.rows / baseline_s:,.0f} rows/s, {baseline_cpu:.1f} s of CPU)",
            flush=True,
        )
    finally:
        with Session(engine) as session:  # leave the database as found
            runs = session.exec(
                select(ImportRun.id).where(ImportRun.entity == "lead", ImportRun.file_name == "tiem-nang.xlsx")
            ).all()
            session.execute(sa.delete(ImportRunItem).where(ImportRunItem.run_id.in_(runs)))
            session.execute(sa.delete(ImportRun).where(ImportRun.id.in_(runs)))
            session.execute(sa.delete(AuditLog).where(AuditLog.entity == "lead", AuditLog.entity_id >= first_stored))
            session.execute(sa.delete(Lead).where(Lead.id >= first_stored))
            session.commit()
    figures = {
        "lead_import_s": round(import_s, 2),
        "lead_import_cpu_s": round(import_cpu, 2),
        "baseline_lead_import_s": round(baseline_s, 1),
        "baseline_lead_import_cpu_s": round(baseline_cpu, 1),
        "lead_undo_s": round(undo_s, 2),
        "rows": args.rows,
        "stored_leads": args.stored,
    }
    print(f"load average of the machine at the end: {os.getloadavg()[0]:.1f} (2 CPUs)", flush=True)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()

"""Benchmark of import and export against 1,000,000 customers.

    .venv/bin/python bench/import_export.py [--rows 100000] [--baseline-rows 2000]

Uses bench/out/bench_1m.db (a copy of the database made by crm_app.tools.generate; it is
migrated first). Builds a 100,000-row .xlsx of 15 columns, 30 % of whose rows repeat a
stored customer (same name and phone, the phone typed in a messy way: spaces, dots,
+84, a number cell without its leading zero), then:

  import_100k      crm_app.services.transfer.importer.run: read, map, clean, match duplicates
                   (name+phone, name+email) against the 1M customers, write the new
                   rows part by part; end to end, from the file's bytes
  baseline_import  pandas.read_excel (openpyxl), then for each row one ORM query for a
                   duplicate and one ORM insert: measured on --baseline-rows rows and
                   scaled to 100,000 (it runs at a few hundred rows per second)
  export_xlsx_100k / export_csv_100k   crm_app.services.transfer.exporter.export of 100,000 rows
                   (a search-free list, 9 columns) to .xlsx and .csv
  baseline_export_xlsx  the same rows through openpyxl's write-only mode
  import_100k_custom_column   the same rows with one more column that fills a choice
                   custom field (made for the run, removed after), timed between two more
                   plain imports (import_100k_warm: their mean, its baseline)

The imported rows are removed afterwards (the run is undone), so the database is left
as found. The machine is shared: wall times move with its load, so the import's CPU time
is printed beside its wall time, with the CPU time of the worker process that checks every
other chunk of rows (importer._RowCheck, row_pool). Peak RSS is the process's high-water mark
(VmHWM), started again once the test files are built and read after our imports and exports,
before the baselines run. The last line printed is one JSON object of the figures, the
import's split among them: analyse_s, write_s (commits and the time between parts included),
commit_s, parts, between_parts_s.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa
from sqlmodel import Session, select

from crm_app.db import make_engine, migrate
from crm_app.models import Customer, CustomerPhone, User
from crm_app.services.lists import query
from crm_app.services.normalize import normalize_name, normalize_phone
from crm_app.services.people.permissions import load_actor
from crm_app.services.transfer import exporter, importer
from crm_app.services.transfer.import_files import read_table
from crm_app.services.transfer.import_mapping import auto_map
from crm_app.services.transfer.import_targets import TARGETS
from crm_app.services.transfer.xlsx_writer import XlsxWriter
from crm_app.setup.demo_data import MOBILE_PREFIXES

DB_PATH = ROOT / "bench" / "out" / "bench_1m.db"
HEADERS = [
    "Họ và tên",
    "Điện thoại",
    "Email",
    "Loại khách hàng",
    "Tỉnh/Thành phố",
    "Địa chỉ",
    "Ngày sinh",
    "Giới tính",
    "Mã số thuế",
    "Website",
    "Nguồn gốc",
    "Thẻ",
    "Đánh giá",
    "Từ chối nhận email",
    "Ghi chú",
]
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương")
MIDDLE = ("Văn", "Thị", "Hữu", "Minh", "Ngọc", "Thanh", "Đức", "Quang", "Thu", "Hải")
CUSTOM_LABEL = "Hạng thành viên"  # a choice custom field, made for the custom-column run and removed after
GIVEN = (
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hiếu",
    "Hoa",
    "Hùng",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Minh",
    "Nam",
    "Nga",
    "Phong",
    "Phương",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Tuấn",
    "Yến",
)


def children_cpu() -> float:
    """CPU seconds of this process's ended child processes (the import's worker)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def rss_mb() -> float:
    """The process's resident-memory high-water mark (since the last reset_peak)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak() -> None:
    """Start the high-water mark again (Linux: clear_refs 5), so that the test files' generation,
    which reads a sample of the million customers, is not counted as the import's memory."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError as exc:
        print(f"could not reset the peak RSS ({exc}); it includes building the test files", flush=True)


class AnonPeak:
    """The highest anonymous resident memory (heap: RssAnon in /proc/self/status) seen, sampled
    every 50 ms. ru_maxrss also counts the pages of the database file that SQLite maps
    (PRAGMA mmap_size = 1 GB) once they are read."""

    def __init__(self) -> None:
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            try:
                with open("/proc/self/status") as status:
                    for line in status:
                        if line.startswith("RssAnon:"):
                            self.peak = max(self.peak, int(line.split()[1]) / 1024)
            except OSError:
                return

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak


def messy(phone: str, rng: random.Random) -> object:
    style = rng.randrange(5)
    if style == 0:
        return f"{phone[:4]} {phone[4:7]} {phone[7:]}"
    if style == 1:
        return f"{phone[:4]}.{phone[4:7]}.{phone[7:]}"
    if style == 2:
        return "+84 " + phone[1:]
    if style == 3:
        return int(phone)  # a number cell: the leading zero is lost
    return phone


def build_file(session: Session, rows: int, rng: random.Random, custom_column: bool = False) -> bytes:
    """``custom_column``: the same rows with one more column, CUSTOM_LABEL, typed messily."""
    max_id = session.execute(sa.select(sa.func.max(Customer.id))).scalar_one()
    picks = sorted(rng.sample(range(1, max_id + 1), int(rows * 0.3)))
    stored = session.execute(
        sa.select(Customer.full_name, CustomerPhone.number_norm)
        .join(CustomerPhone, CustomerPhone.customer_id == Customer.id)
        .where(Customer.id.in_(picks), CustomerPhone.position == 0)
    ).all()
    dup_rows = [[name, phone] for name, phone in stored]
    data = []
    for i in range(rows - len(dup_rows)):
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)} {i:06d}"
        # a mobile number of the numbering plan (one outside it is refused as a wrong number)
        data.append([name, f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**7):07d}"])
    data += dup_rows
    rng.shuffle(data)
    buf = io.BytesIO()
    extra = random.Random(11)  # its own generator: the other cells stay those of the plain file

    def lines():
        for k, (name, phone) in enumerate(data):
            yield [
                name,
                messy(phone, rng),
                f"kh{k}@example.vn" if k % 3 else "",
                rng.choice(("Cá nhân", "Doanh nghiệp")),
                rng.choice(("Hà Nội", "Huế", "TP. Hồ Chí Minh")),
                f"{k % 300} Lê Lợi",
                f"{rng.randrange(1, 29):02d}/{rng.randrange(1, 13):02d}/{rng.randrange(1950, 2005)}",
                rng.choice(("Nam", "Nữ", "")),
                "",
                "",
                rng.choice(("Website", "Facebook", "")),
                rng.choice(("VIP", "Du lịch", "")),
                rng.randrange(0, 6),
                rng.choice(("Có", "Không")),
                "Hội chợ",
                *([extra.choice(("Vàng", "bạc", "DONG", "Kim cương", ""))] if custom_column else []),
            ]

    with XlsxWriter(buf) as book:
        book.sheet("Data", [*HEADERS, *([CUSTOM_LABEL] if custom_column else [])], lines())
    return buf.getvalue()


def baseline_import(engine, data: bytes, rows: int, owner_id: int) -> float:
    """pandas.read_excel (openpyxl) of the whole file, then per row: one ORM query, one insert."""
    import pandas as pd

    t = time.perf_counter()
    frame = pd.read_excel(io.BytesIO(data), engine="openpyxl", dtype=str)
    read_s = time.perf_counter() - t
    t = time.perf_counter()
    with Session(engine) as session:
        for rec in frame.head(rows).itertuples(index=False):
            name, phone = str(rec[0]), normalize_phone(str(rec[1]))
            dup = session.exec(
                select(Customer.id)
                .join(CustomerPhone, CustomerPhone.customer_id == Customer.id)
                .where(CustomerPhone.number_norm == phone, Customer.name_norm == normalize_name(name))
            ).first()
            if dup is None:
                c = Customer(
                    full_name=name,
                    name_norm=normalize_name(name),
                    phone=str(rec[1]),
                    phone_norm=phone,
                    owner_id=owner_id,
                )
                session.add(c)
                session.flush()
                session.add(CustomerPhone(customer_id=c.id, number=str(rec[1]), number_norm=phone))
        session.rollback()  # the baseline leaves nothing behind
    per_row = (time.perf_counter() - t) / rows
    return read_s + per_row * len(frame)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--baseline-rows", type=int, default=2_000)
    args = ap.parse_args()
    url = f"sqlite:///{DB_PATH}"
    migrate(url)
    engine = make_engine(url)
    rng = random.Random(7)
    with Session(engine) as session:
        total = session.execute(sa.select(sa.func.count()).select_from(Customer)).scalar_one()
        admin_id = session.exec(select(User.id).where(User.role == "admin")).first()
        print(f"{total:,} customers in {DB_PATH.name}", flush=True)
        data = build_file(session, args.rows, rng)
        custom_data = build_file(session, args.rows, random.Random(7), custom_column=True)
    print(f"file: {args.rows:,} rows, {len(HEADERS)} columns, {len(data) / 1e6:.1f} MB", flush=True)

    reset_peak()
    anon = AnonPeak()
    # --- ours: import end to end
    with Session(engine) as session:
        actor = load_actor(session, admin_id)
        t, cpu, worker = time.perf_counter(), time.process_time(), children_cpu()
        table = read_table(data, "bench.xlsx")
        mapping = auto_map(table.headers, TARGETS["customer"])
        run = importer.run(
            session, actor, "customer", table, mapping, importer.ImportOptions(mode="skip"), "bench.xlsx"
        )
        import_s, import_cpu = time.perf_counter() - t, time.process_time() - cpu
        time.sleep(0.5)  # the analysis's worker process ends (its time counts once it is gone)
        import_worker_cpu = children_cpu() - worker
        counts, run_id, split = (run.created, run.updated, run.skipped, run.errors), run.id, run.__dict__["timings"]
        del table, run
        t = time.perf_counter()
        importer.undo(session, actor, run_id)
        undo_s = time.perf_counter() - t
    print(
        f"import: {import_s:.2f} s ({args.rows / import_s:,.0f} rows/s, {import_cpu:.2f} s of CPU "
        f"+ {import_worker_cpu:.2f} s in the worker checking half the rows); "
        f"created/updated/skipped/errors = "
        f"{counts}; mapped {len(mapping)} of {len(HEADERS)} columns; undo {undo_s:.2f} s; "
        f"of the run: analyse {split['analyse_s']} s, write {split['write_s']} s in {split['parts']} parts "
        f"(commits {split['commit_s']} s, between parts {split['between_parts_s']} s) "
        f"(the rest: reading the file and mapping)",
        flush=True,
    )
    # the custom column's cost: that import between two more plain ones (the first run above reads a
    # cold database file; these three run warm), each undone
    plain = [timed_import(engine, admin_id, data)]
    custom_s, custom_cpu, custom_values = import_with_custom_column(engine, admin_id, custom_data)
    plain.append(timed_import(engine, admin_id, data))
    plain_s, plain_cpu = (sum(p[i] for p in plain) / len(plain) for i in (0, 1))
    print(
        f"import with a custom choice column mapped: {custom_s:.2f} s wall, {custom_cpu:.2f} s CPU, "
        f"{custom_values:,} custom values written; the plain import just before and after it: "
        f"{plain_s:.2f} s wall, {plain_cpu:.2f} s CPU (mean); difference {custom_s - plain_s:+.2f} s wall, "
        f"{custom_cpu - plain_cpu:+.2f} s CPU",
        flush=True,
    )

    # --- export
    fields = ["code", "full_name", "kind", "status", "phone", "email", "province", "owner_id", "updated_at"]
    with Session(engine) as session:
        actor = load_actor(session, admin_id)
        first_id = session.execute(sa.select(sa.func.max(Customer.id))).scalar_one() - args.rows
        ids_spec = query.ListSpec(entity="customer", sort="code", descending=False)
        out = {}
        for fmt in ("xlsx", "csv"):
            buf = io.BytesIO()
            t = time.perf_counter()
            n = _export_last(session, actor, ids_spec, fields, fmt, buf, first_id)
            out[fmt] = time.perf_counter() - t
            print(
                f"export .{fmt}: {n:,} rows in {out[fmt]:.2f} s ({n / out[fmt]:,.0f} rows/s), "
                f"{buf.tell() / 1e6:.1f} MB",
                flush=True,
            )
        peak = rss_mb()  # ours: before the baselines load their copies of the data
        heap = anon.stop()
        print(
            f"peak RSS (import and exports): {peak:.0f} MB, of which heap (anonymous) at most "
            f"{heap:.0f} MB; the rest is the database file mapped by SQLite",
            flush=True,
        )
        rows = [
            [str(v) for v in r]
            for r in session.execute(
                sa.select(
                    Customer.code,
                    Customer.full_name,
                    Customer.kind,
                    Customer.status,
                    Customer.phone,
                    Customer.email,
                    Customer.province,
                    Customer.owner_id,
                    Customer.updated_at,
                ).where(Customer.id > first_id)
            )
        ]
        from openpyxl import Workbook

        t = time.perf_counter()
        wb = Workbook(write_only=True)
        ws = wb.create_sheet()
        for r in rows:
            ws.append(r)
        wb.save(io.BytesIO())
        base_x = time.perf_counter() - t
        print(f"baseline export .xlsx (openpyxl write-only, rows already in memory): {base_x:.2f} s", flush=True)
    baseline_s = baseline_import(engine, data, args.baseline_rows, admin_id)
    print(
        f"baseline import (pandas.read_excel + ORM per row, scaled from {args.baseline_rows:,} rows): "
        f"{baseline_s:.1f} s ({args.rows / baseline_s:,.0f} rows/s)",
        flush=True,
    )
    figures = {
        "import_100k_s": round(import_s, 2),
        "baseline_import_100k_s": round(baseline_s, 1),
        "export_xlsx_100k_s": round(out["xlsx"], 2),
        "export_csv_100k_s": round(out["csv"], 2),
        "baseline_export_xlsx_100k_s": round(base_x, 2),
        "undo_100k_s": round(undo_s, 2),
        "import_100k_cpu_s": round(import_cpu, 2),
        "import_100k_worker_cpu_s": round(import_worker_cpu, 2),
        "peak_rss_mb": round(peak),
        "peak_heap_mb": round(heap),
        "import_100k_custom_column_s": round(custom_s, 2),
        "import_100k_custom_column_cpu_s": round(custom_cpu, 2),
        "import_100k_warm_s": round(plain_s, 2),
        "import_100k_warm_cpu_s": round(plain_cpu, 2),
        **split,
    }
    print(f"load average of the machine at the end: {os.getloadavg()[0]:.1f} (2 CPUs)", flush=True)
    print(json.dumps(figures))


def timed_import(engine, admin_id: int, data: bytes) -> tuple[float, float]:
    """The plain import once more, undone: wall and CPU seconds."""
    with Session(engine) as session:
        actor = load_actor(session, admin_id)
        t, cpu = time.perf_counter(), time.process_time()
        table = read_table(data, "bench.xlsx")
        run = importer.run(
            session,
            actor,
            "customer",
            table,
            auto_map(table.headers, TARGETS["customer"]),
            importer.ImportOptions(mode="skip"),
            "bench.xlsx",
        )
        wall, used = time.perf_counter() - t, time.process_time() - cpu
        importer.undo(session, actor, run.id)
    return wall, used


def import_with_custom_column(engine, admin_id: int, data: bytes) -> tuple[float, float, int]:
    """The same import with one more column (``data``: build_file(custom_column=True)) that fills
    a choice custom field (made for this run, removed with its values afterwards): wall and CPU
    seconds, values written."""
    from crm_app.models import CustomField, CustomFieldValue
    from crm_app.services.transfer.import_custom import with_custom

    with Session(engine) as session:
        field = CustomField(
            entity="customer",
            key="bench_hang",
            label=CUSTOM_LABEL,
            type="choice",
            options=["Kim cương", "Vàng", "Bạc", "Đồng"],
            position=99,
        )
        session.add(field)
        session.commit()
        try:
            actor = load_actor(session, admin_id)
            t, cpu = time.perf_counter(), time.process_time()
            table = read_table(data, "bench-custom.xlsx")
            mapping = auto_map(table.headers, with_custom(session, TARGETS["customer"]))
            assert mapping.get(len(HEADERS)) == "cf_bench_hang", mapping
            run = importer.run(
                session, actor, "customer", table, mapping, importer.ImportOptions(mode="skip"), "bench-custom.xlsx"
            )
            wall, used = time.perf_counter() - t, time.process_time() - cpu
            written = session.execute(
                sa.select(sa.func.count()).select_from(CustomFieldValue).where(CustomFieldValue.field_id == field.id)
            ).scalar_one()
            importer.undo(session, actor, run.id)
        finally:
            session.rollback()
            session.execute(sa.delete(CustomFieldValue).where(CustomFieldValue.field_id == field.id))
            session.execute(sa.delete(CustomField).where(CustomField.id == field.id))
            session.commit()
    return wall, used, int(written)


def _export_last(session, actor, spec, fields, fmt, out, first_id) -> int:
    """Export the last ``rows`` customers: the list limited by id (a filter the list-view
    builder will express in the spec)."""
    original = query.where_clauses

    def limited(a, s, session=None):
        return [*original(a, s, session), Customer.id > first_id]

    query.where_clauses = limited
    try:
        return exporter.export(session, actor, spec, fields, fmt, out, "vi")
    finally:
        query.where_clauses = original


if __name__ == "__main__":
    main()

"""Benchmark of the .xlsx writer behind exports: our streaming writer against XlsxWriter.

    .venv/bin/python bench/xlsx_writers.py [--rows 100000]

Both write the same typed sheet of ``--rows`` rows x 15 columns, as an export of customers
writes it: text, a money column (VND format), a number, a date (dd/mm/yyyy), a moment
(dd/mm/yyyy hh:mm), names and joined lists. XlsxWriter runs in its ``constant_memory`` mode
(rows streamed to a temporary file, the same shape of work as ours). Each writer's wall time
and peak Python memory (tracemalloc, in a second run) are printed; the last line is one JSON object.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
import tracemalloc
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crm_app.services.transfer.xlsx_writer import DATE, DATETIME, MONEY, PLAIN, XlsxWriter

HEADER = [
    "Mã KH",
    "Họ và tên",
    "Loại hình",
    "Trạng thái",
    "Số điện thoại",
    "Email",
    "Tỉnh/Thành phố",
    "Địa chỉ",
    "Ngày sinh",
    "Nhân viên phụ trách",
    "Thẻ",
    "Đánh giá",
    "Chi tiêu năm",
    "Ngày tạo",
    "Mô tả",
]
STYLES = [PLAIN] * 8 + [DATE, PLAIN, PLAIN, PLAIN, MONEY, DATETIME, PLAIN]


def rows(n: int):
    born, created = date(1980, 1, 1), datetime(2025, 1, 1, 8, 30)
    for i in range(n):
        yield [
            f"KH{i:06d}",
            f"Nguyễn Thị Thu Hà {i}",
            "Cá nhân",
            "Tiềm năng",
            "0912 345 678, 0987 654 321",
            f"khach{i}@example.vn",
            "Hà Nội",
            f"{i} Phố Huế, Hai Bà Trưng",
            born + timedelta(days=i % 9000),
            "Trần Thị Lan",
            "Đại lý, VIP",
            i % 6,
            12_900_000 + i,
            created + timedelta(minutes=i),
            "Khách quen",
        ]


def ours(n: int) -> bytes:
    buf = io.BytesIO()
    with XlsxWriter(buf) as book:
        book.sheet("Khách hàng", HEADER, rows(n), column_styles=STYLES)
    return buf.getvalue()


def theirs(n: int) -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"constant_memory": True, "in_memory": False})
    sheet = book.add_worksheet("Khách hàng")
    bold = book.add_format({"bold": True})
    formats = {
        MONEY: book.add_format({"num_format": '#,##0" ₫"'}),
        DATE: book.add_format({"num_format": "dd/mm/yyyy"}),
        DATETIME: book.add_format({"num_format": "dd/mm/yyyy hh:mm"}),
    }
    sheet.write_row(0, 0, HEADER, bold)
    for r, row in enumerate(rows(n), start=1):
        for c, value in enumerate(row):
            style = formats.get(STYLES[c])
            if isinstance(value, date):
                sheet.write_datetime(r, c, value, style)
            elif isinstance(value, int):
                sheet.write_number(r, c, value, style)
            else:
                sheet.write_string(r, c, value)
    book.close()
    return buf.getvalue()


def measure(fn, n: int) -> tuple[float, float, int]:
    """(seconds of a plain run, peak MB of a second run under tracemalloc, which slows it, file size)."""
    start = time.perf_counter()
    size = len(fn(n))
    seconds = time.perf_counter() - start
    tracemalloc.start()
    fn(n)
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return seconds, peak, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    try:
        import xlsxwriter  # noqa: F401
    except ImportError:
        print("XlsxWriter is not installed: pip install -r requirements-dev.txt", file=sys.stderr)
        raise SystemExit(2) from None
    ours_s, ours_mb, ours_size = measure(ours, args.rows)
    theirs_s, theirs_mb, theirs_size = measure(theirs, args.rows)
    print(f"{args.rows:,} rows x {len(HEADER)} typed columns")
    print(f"{'writer':<32}{'seconds':>10}{'peak MB':>10}{'file MB':>10}")
    print(f"{'ours (streaming zip)':<32}{ours_s:>10.2f}{ours_mb:>10.1f}{ours_size / 1e6:>10.1f}")
    print(f"{'XlsxWriter constant_memory':<32}{theirs_s:>10.2f}{theirs_mb:>10.1f}{theirs_size / 1e6:>10.1f}")
    print(
        json.dumps(
            {
                "rows": args.rows,
                "ours_s": round(ours_s, 2),
                "xlsxwriter_s": round(theirs_s, 2),
                "ours_peak_mb": round(ours_mb, 1),
                "xlsxwriter_peak_mb": round(theirs_mb, 1),
            }
        )
    )


if __name__ == "__main__":
    main()

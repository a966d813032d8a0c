"""What a commit costs with SQLite's synchronous=NORMAL and =FULL (both in WAL mode).

    .venv/bin/python bench/durability.py [--commits 400]

A user's save is one small transaction. In WAL mode, NORMAL writes it to the log without waiting
for the disk; FULL waits (an fsync) until it is on the disk, so an operating-system crash or a
power cut cannot lose it. Each setting commits --commits single-row transactions (a customer-sized
row and two index entries) to a fresh database in bench/out (the disk the app's data lives on)
and reports the time per commit, p50 and p95, in milliseconds. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"


def commits(synchronous: str, n: int) -> list[float]:
    path = OUT / f"durability_{synchronous.lower()}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(f"PRAGMA synchronous={synchronous}")
    db.execute("CREATE TABLE c (id INTEGER PRIMARY KEY, name TEXT, phone TEXT, note TEXT)")
    db.execute("CREATE INDEX ix_name ON c (name)")
    db.execute("CREATE INDEX ix_phone ON c (phone)")
    times = []
    for i in range(n):
        t = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO c (name, phone, note) VALUES (?, ?, ?)", (f"khach {i}", f"09{i:08d}", "x" * 300))
        db.execute("COMMIT")
        times.append((time.perf_counter() - t) * 1000)
    db.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return times


def p95(values: list[float]) -> float:
    return sorted(values)[int(len(values) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--commits", type=int, default=400)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    result = {}
    for setting in ("NORMAL", "FULL"):
        times = commits(setting, args.commits)
        p50, worst = statistics.median(times), p95(times)
        print(f"synchronous={setting:6}  p50 {p50:7.3f} ms   p95 {worst:7.3f} ms   ({args.commits} commits)")
        result[f"{setting.lower()}_p50_ms"], result[f"{setting.lower()}_p95_ms"] = round(p50, 3), round(worst, 3)
    print(json.dumps(result))


if __name__ == "__main__":
    main()

"""The benchmarks' own copy of a generated database (bench_1m.db by default), migrated to the
newest revision, so that a run never changes the source."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from crm_app.db import migrate


def migrated_copy(source: Path, target: Path, rebuild: bool = True) -> str:
    """The URL of ``target``: a fresh copy of ``source`` (kept from an earlier run unless
    ``rebuild``), migrated."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if rebuild or not target.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        t = time.perf_counter()
        shutil.copyfile(source, target)
        print(f"Copied {source} in {time.perf_counter() - t:.1f}s", flush=True)
    url = f"sqlite:///{target}"
    t = time.perf_counter()
    migrate(url)
    print(f"Migrated in {time.perf_counter() - t:.1f}s", flush=True)
    return url

"""Checking a file's rows in two processes: the import's own and one forked worker.

Each row is checked on its own (read, cleaned by the entity's form cleaner): pure Python work
once the import's lookups are read. The rows go in chunks; the worker takes every other chunk
while this process checks the rest, and the results come back in the file's order, the same as
one process gives. The worker is forked, so it starts with the check and the file in memory and
is sent only chunk numbers; it gets no database connection (its engines are disposed of, and its
check is given an unbound session): a check that would read the database fails there and that
chunk is checked here again. A pool that cannot start or a worker that fails or stops answering
changes nothing but the time: its chunks are checked here.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor

import sqlalchemy as sa

log = logging.getLogger(__name__)

CHUNK = 5_000  # rows per chunk: big enough that sending one costs little beside checking it
# A chunk takes well under a second to check: a worker this late is stuck, its chunks are done here.
WAIT_S = 60.0

# What the worker checks with: set before the fork, read by the worker (never sent to it).
_check: Callable[[int], object] | None = None


def _chunk_in_worker(start: int, stop: int) -> list:
    assert _check is not None
    return [_check(i) for i in range(start, stop)]


def _worker_start(engines: Sequence[sa.Engine]) -> None:
    """The forked worker leaves the parent's database connections alone (SQLAlchemy's rule for
    a fork: drop the pool without closing what the parent still uses)."""
    for engine in engines:
        engine.dispose(close=False)


def checked(
    count: int,
    check: Callable[[int], object],
    worker_check: Callable[[int], object] | None = None,
    engines: Sequence[sa.Engine] = (),
    chunk: int | None = None,
) -> Iterator[object]:
    """``check(i)`` for i in 0..count-1, in order. With two chunks or more, every other chunk is
    checked by a forked worker with ``worker_check`` (the same check, without the database)."""
    global _check
    chunk = chunk or CHUNK
    starts = list(range(0, count, chunk))
    pool = None
    futures: dict[int, Future] = {}
    if len(starts) > 1 and worker_check is not None:
        try:
            _check = worker_check
            pool = ProcessPoolExecutor(
                1,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_worker_start,
                initargs=(tuple(engines),),
            )
            futures = {
                n: pool.submit(_chunk_in_worker, s, min(s + chunk, count)) for n, s in enumerate(starts) if n % 2
            }
        except Exception:  # no pool (no fork on this system, no process left): one process
            log.warning("rows checked in one process: the worker did not start", exc_info=True)
            futures = {}
    failed = False
    try:
        for n, start in enumerate(starts):
            stop = min(start + chunk, count)
            results = _from_worker(futures.get(n))
            if results is None and n in futures:  # the worker failed: the chunks left are checked here
                futures, failed = {}, True
            if results is None:
                results = [check(i) for i in range(start, stop)]
            yield from results
    finally:
        _check = None
        if pool is not None:
            if failed:  # a stuck worker would keep the job's process from ending
                for process in list((pool._processes or {}).values()):
                    process.terminate()
            pool.shutdown(wait=False, cancel_futures=True)


def _from_worker(future: Future | None) -> list | None:
    if future is None:
        return None
    try:
        return future.result(timeout=WAIT_S)
    except Exception:  # the chunk is checked here instead
        log.warning("a chunk of rows is checked again in the import's process", exc_info=True)
        return None

"""Timing shared by the benchmarks: wall-clock samples of a call, and their p95."""

from __future__ import annotations

import time


def timed(fn, runs: int, warmup: int = 3, budget_s: float | None = None) -> tuple[list[float], object]:
    """(milliseconds of each run, the last result), after ``warmup`` untimed runs; with
    ``budget_s``, stops after at least five runs once that many seconds have passed."""
    result = None
    for _ in range(warmup):
        result = fn()
    samples = []
    start = time.perf_counter()
    for i in range(runs):
        t = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - t) * 1000)
        if budget_s is not None and i >= 4 and time.perf_counter() - start > budget_s:
            break
    return samples, result


def timings(fn, runs: int, warmup: int = 3, budget_s: float | None = None) -> list[float]:
    """The samples of ``timed`` alone."""
    return timed(fn, runs, warmup, budget_s)[0]


def p95(samples: list[float]) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, max(0, round(0.95 * len(s)) - 1))]

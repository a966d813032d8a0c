"""Pausing Python's cyclic garbage collector while a bulk job (import, undo, export) runs.

An import allocates hundreds of thousands of dicts and lists, none in reference cycles
(reference counting frees them). Each allocation burst makes the cyclic collector walk
every live object of the process again: a third of a 100,000-row import went there.
Pauses nest (an import's run analyses inside its own pause) and are process-wide, so the
collector is back once the last running job is done.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_running = 0


@contextmanager
def paused_gc() -> Iterator[None]:
    global _running
    with _lock:
        _running += 1
        gc.disable()
    try:
        yield
    finally:
        with _lock:
            _running -= 1
            if _running == 0:
                gc.enable()

"""Heavy jobs (an import's analysis and run, its undo) in a process of their own.

In the web worker, a job of a hundred thousand rows held Python's GIL for seconds, so every
other user's click waited behind it, and the memory it touched stayed with the worker after it
ended. A job runs instead in a new Python process started for it (nothing of the web worker's
threads, connections or locks is inherited, and the web server's main module is not run again
as ``multiprocessing`` would); it reports progress on its standard output and exits, and its
memory goes back to the system with it.

The job sees the web worker's environment (its database among the settings) and module path.
``fn`` is a module-level function taking its arguments plus ``progress(done, total)``; its result
and any exception it raises come back to the caller (service errors keep their message key).
Messages are pickles, each after its length (4 bytes, big-endian).
"""

from __future__ import annotations

import asyncio
import os
import pickle
import struct
import sys
from collections.abc import Callable
from typing import Any

from crm_app.settings import ROOT

_LENGTH = struct.Struct(">I")


class JobProcessDied(RuntimeError):
    """The job's process ended without a result (killed, out of memory)."""


def _send(stream, message: tuple) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(data)) + data)
    stream.flush()


# A job process gives way to the web workers when every core is busy (users clicking while an
# import writes); alone on the machine it takes what it needs.
JOB_NICENESS = 10


def child_main() -> None:
    """The job process: read (fn, args) from stdin, run it, send progress and the outcome."""
    os.nice(JOB_NICENESS)
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # whatever the job (or a library below it) prints goes to stderr, not into the messages
    fn, args = pickle.load(sys.stdin.buffer)

    def progress(done: int, total: int) -> None:
        _send(out, ("progress", done, total))

    try:
        _send(out, ("done", fn(*args, progress=progress)))
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the caller
        try:
            _send(out, ("error", exc))
        except Exception:  # noqa: BLE001 - an exception that does not pickle
            _send(out, ("error", RuntimeError(f"{type(exc).__name__}: {exc}")))


async def run_in_process(
    fn: Callable,
    *args: Any,
    on_progress: Callable[[int, int], Any] | None = None,
    on_start: Callable[[int], Any] | None = None,
) -> Any:
    """``fn(*args, progress=...)`` in a new process; awaits its result without blocking the loop.
    ``on_start(pid)``: told the process's id once it runs."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        "from crm_app.services.transfer.job_process import child_main; child_main()",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        cwd=str(ROOT),
        env={**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)},
        limit=1 << 26,
    )
    try:
        if on_start is not None:
            started = on_start(process.pid)
            if asyncio.iscoroutine(started):
                await started
        process.stdin.write(pickle.dumps((fn, args), protocol=pickle.HIGHEST_PROTOCOL))
        await process.stdin.drain()
        process.stdin.close()
        while True:
            try:
                size = _LENGTH.unpack(await process.stdout.readexactly(_LENGTH.size))[0]
                message = pickle.loads(await process.stdout.readexactly(size))
            except asyncio.IncompleteReadError:
                code = await process.wait()
                raise JobProcessDied(f"{fn.__name__} ended with exit code {code}") from None
            if message[0] == "progress":
                if on_progress is not None:
                    result = on_progress(message[1], message[2])
                    if asyncio.iscoroutine(result):
                        await result
            elif message[0] == "done":
                return message[1]
            else:
                raise message[1]
    finally:
        if process.returncode is None:
            try:
                await asyncio.wait_for(process.wait(), 10)
            except TimeoutError:
                process.kill()
                await process.wait()

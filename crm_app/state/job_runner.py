"""A durable job's work in a process of its own (services.jobs, job_process): its process is
recorded so a crash is seen, its progress kept for the jobs panel, and how it ended written."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from crm_app.db import session_scope
from crm_app.i18n import tr
from crm_app.services import jobs
from crm_app.services.errors import ServiceError
from crm_app.services.transfer import import_jobs, importer
from crm_app.services.transfer.job_process import JobProcessDied, run_in_process


def failure_text(exc: BaseException, lang: str) -> str:
    """Why a job failed, as its owner reads it."""
    if isinstance(exc, ServiceError):
        return tr(exc.key, lang, **exc.params)
    return tr("err.unexpected", lang)


def ended_as(exc: BaseException) -> str:
    """A job's status after ``exc``: "refused" when the work said why it cannot be done (a check
    the user must act on first, such as an undo blocked by records linked since: running it again
    changes nothing), else "failed" (it may pass when run again)."""
    return "refused" if isinstance(exc, ServiceError) and not isinstance(exc, importer.ImportFailed) else "failed"


async def run_job(
    job_id: int,
    lang: str,
    fn: Callable,
    *args: Any,
    on_progress: Callable[[int, int], Awaitable[None]] | None = None,
) -> Any:
    """``fn(*args)`` in a job process for the job ``job_id``. Work that marks its job done in its
    own transaction stays so; other work is marked done here; a failure is written with its reason
    and raised, a process that died is "interrupted"."""

    async def started(pid: int) -> None:
        await asyncio.to_thread(jobs.working_in, job_id, pid)

    async def progressed(done: int, total: int) -> None:
        jobs.PROGRESS[job_id] = (done, total)
        if on_progress is not None:
            await on_progress(done, total)

    try:
        result = await run_in_process(fn, *args, on_progress=progressed, on_start=started)
    except JobProcessDied:
        await asyncio.to_thread(jobs.finish, job_id, "interrupted", tr("jobs.interrupted_message", lang))
        await recover_unfinished()  # the user is told once what it wrote is taken back
        raise
    except Exception as exc:
        await asyncio.to_thread(jobs.finish, job_id, ended_as(exc), failure_text(exc, lang))
        raise
    await asyncio.to_thread(jobs.finish, job_id, "done")
    return result


_RECOVERED: set[int] = set()  # runs this worker tried to complete once (a second try waits for a restart)


async def recover_unfinished() -> None:
    """Imports and undos whose process stopped half way are completed or taken back
    (importer.recover), each in a job process. Another worker doing the same at once is harmless."""

    def unfinished() -> list[tuple[int, int]]:
        with session_scope() as session:
            return importer.unfinished_runs(session)

    for run_id, job_id in await asyncio.to_thread(unfinished):
        if run_id in _RECOVERED:
            continue
        _RECOVERED.add(run_id)
        try:
            await run_in_process(import_jobs.recover, run_id, job_id)
        except Exception as exc:  # noqa: BLE001 - written to the log; the run keeps its status
            print(f"import run {run_id} could not be completed: {exc}", flush=True)

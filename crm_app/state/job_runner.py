"""A durable job's work in a process of its own (services.jobs, job_process): its process is
recorded so a crash is seen, its progress kept for the jobs panel, and how it ended written."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from crm_app.i18n import tr
from crm_app.services import jobs
from crm_app.services.errors import ServiceError
from crm_app.services.transfer.job_process import JobProcessDied, run_in_process


def failure_text(exc: BaseException, lang: str) -> str:
    """Why a job failed, as its owner reads it."""
    if isinstance(exc, ServiceError):
        return tr(exc.key, lang, **exc.params)
    return tr("err.unexpected", lang)


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
        raise
    except Exception as exc:
        await asyncio.to_thread(jobs.finish, job_id, "failed", failure_text(exc, lang))
        raise
    await asyncio.to_thread(jobs.finish, job_id, "done")
    return result

"""The jobs panel of the top bar: the user's imports, undos and exports, how far each got and
how it ended; an interrupted or failed one runs again from here."""

from __future__ import annotations

import asyncio

import reflex as rx

from crm_app.db import session_scope
from crm_app.services import jobs
from crm_app.services.formatting import fmt_datetime, fmt_number
from crm_app.services.transfer import import_jobs
from crm_app.services.transfer.importer import ImportOptions
from crm_app.state.job_runner import failure_text, recover_unfinished, run_job
from crm_app.state.session import SessionState

RETRY_KINDS = ("import", "import_undo")


FOLLOW_SECONDS = 1.0  # how often an open panel reads its running jobs' progress again


class JobsState(SessionState):
    items: list[dict[str, str]] = []
    running: int = 0
    watching: bool = False  # the panel is open
    following: bool = False  # a loop reads the progress while jobs run (one at a time)

    @rx.event
    def load(self, is_open: bool = True):
        self.watching = is_open
        if is_open:
            self._read()
            if self.running and not self.following:
                self.following = True
                return JobsState.follow

    @rx.event(background=True)
    async def follow(self):
        """While the panel is open and a job runs, its progress is read again every second, on
        whatever page the user is: the panel shows it move and end."""
        while True:
            await asyncio.sleep(FOLLOW_SECONDS)
            async with self:
                if not self.watching:
                    self.following = False
                    return
                self._read()
                if not self.running:
                    self.following = False
                    return

    def _read(self) -> None:
        with self._service() as (session, actor):
            rows = jobs.of_user(session, actor.id)
            self.running = sum(1 for j in rows if j.status == "running")
        self.items = [self._item(j) for j in rows]

    def _item(self, job) -> dict[str, str]:
        done, total = jobs.PROGRESS.get(job.id, (job.done, job.total))
        progress = (
            self._msg("jobs.progress", done=fmt_number(done), total=fmt_number(total))
            if job.status == "running" and total
            else ""
        )
        return {
            "id": str(job.id),
            "kind": self._msg(f"jobs.kind.{job.kind}"),
            "title": job.title,
            "status": job.status,
            "status_label": self._msg(f"jobs.status.{job.status}"),
            "progress": progress,
            "message": self._outcome(job),
            "at": fmt_datetime(job.finished_at or job.created_at),
            "retry": "1" if job.kind in RETRY_KINDS and job.status in jobs.RETRYABLE else "",
            "download": jobs.download_of(job),
        }

    def _outcome(self, job) -> str:
        """How a job ended, in the reader's language: an import by what it wrote."""
        result = jobs.result_of(job)
        if job.kind == "import" and job.status == "done" and "created" in result:
            return self._msg(
                "jobs.import_result", created=fmt_number(result["created"]), updated=fmt_number(result["updated"])
            )
        return job.message

    @rx.event(background=True)
    async def retry(self, job_id: str):
        """Run an interrupted or failed job again; it cannot apply twice (a done job is not run)."""
        async with self:
            if not str(job_id).isdigit():
                return
            auth_token, lang = self._auth_token(), self.lang
            with self._service() as (session, actor):
                job = jobs.again(session, actor, int(job_id))
                kind, params, title = job.kind, jobs.params_of(job), job.title
            self.running += 1
        try:
            if kind == "import":
                options = params["options"]
                result = await run_job(
                    int(job_id),
                    lang,
                    import_jobs.run,
                    auth_token,
                    int(job_id),
                    params["token"],
                    params["entity"],
                    {int(k): v for k, v in params["mapping"].items()},
                    ImportOptions(**{k: tuple(v) if isinstance(v, list) else v for k, v in options.items()}),
                    params.get("lang", lang),
                )
                done = self._msg("jobs.import_done", file=title, created=result["created"], updated=result["updated"])
            else:
                await run_job(int(job_id), lang, import_jobs.undo, auth_token, int(job_id), params["run_id"])
                done = self._msg("import.undone")
        except Exception as exc:  # noqa: BLE001 - said to the user, and written on the job
            async with self:
                self._read()
            return rx.toast.error(failure_text(exc, lang))
        async with self:
            self._read()
        return rx.toast.success(done)


async def sweep_loop() -> None:
    """Every half minute, the jobs of this machine whose process is gone are marked interrupted
    and what they left half written is completed or taken back (the first sweep at once: a
    restart finds the jobs the last run left)."""
    while True:
        try:

            def sweep() -> int:
                with session_scope() as session:
                    return jobs.sweep(session)

            await asyncio.to_thread(sweep)
            await recover_unfinished()
        except Exception as exc:  # noqa: BLE001 - the next sweep tries again
            print(f"job sweep failed: {exc}", flush=True)
        await asyncio.sleep(30)

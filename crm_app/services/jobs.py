"""Durable jobs: an import, its undo or an export recorded from start to end, across restarts.

A job is written when it starts, in a short transaction of its own committed at once, so a crash
leaves a trace. Work whose effects are all or nothing marks its job done inside its own
transaction (``finish_in``): the job reads "done" exactly when the effects are committed, never
one without the other, and a retry of a job that is not done cannot apply them twice. A job whose
process is gone (killed, a crash, a restart) is marked interrupted by ``sweep``, which every web
worker runs at start and every half minute for the jobs of its machine; an import or an undo it
left half written is then completed or taken back (``importer.recover``, from the parts it
recorded), so its effects are all there or none.

Why no queue library: the work already runs in a process of its own per job
(``job_process.run_in_process``) started by the web worker that the user's page talks to, so a
queue (Celery, RQ, Dramatiq, Procrastinate) would add a broker or a polling worker and a second
deployment unit for what one table and a liveness check give here; it would also not make an
import's parts any more atomic than the run's own record of them does.

Live progress is kept in memory by the worker awaiting the job (``PROGRESS``); work done in parts
also writes it with each part (``progress_in``), where it survives the process.
"""

from __future__ import annotations

import json
import os
import socket
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from crm_app.db import session_scope
from crm_app.i18n import tr
from crm_app.models import ImportRun, Job, User
from crm_app.models._base import utcnow
from crm_app.services.errors import NotAllowed, ServiceError
from crm_app.services.people.permissions import Actor
from crm_app.services.transfer import downloads

HOST = socket.gethostname()[:255]
PROGRESS: dict[int, tuple[int, int]] = {}  # job id -> (done, total), of the jobs this worker awaits
RETRYABLE = ("failed", "interrupted")
PART_BY_PART = ("bulk", "campaign_mail")  # kinds that commit as they go (an interruption keeps what was done)


def start(user_id: int, kind: str, title: str, params: dict | None = None) -> int:
    """Record a job as running (committed at once); its id."""
    with session_scope() as session:
        job = Job(
            kind=kind,
            user_id=user_id,
            title=title[:255],
            params=json.dumps(params or {}, ensure_ascii=False),
            host=HOST,
            pid=os.getpid(),
        )
        session.add(job)
        session.commit()
        PROGRESS[job.id] = (0, 0)
        return job.id


def working_in(job_id: int, pid: int) -> None:
    """The process that does the job's work (what ``sweep`` watches)."""
    with session_scope() as session:
        session.execute(sa.update(Job).where(Job.id == job_id).values(pid=pid))
        session.commit()


def progress_in(session: Session, job_id: int | None, done: int, total: int) -> None:
    """How far a job that commits part by part got, written with the part it commits."""
    if job_id is not None:
        session.execute(sa.update(Job).where(Job.id == job_id).values(done=done, total=total))


def finish_in(session: Session, job_id: int | None, message: str = "", result: dict | None = None) -> None:
    """Mark a job done inside the transaction that commits its effects."""
    if job_id is None:
        return
    session.execute(
        sa.update(Job)
        .where(Job.id == job_id, Job.status == "running")
        .values(
            status="done",
            message=message[:1000],
            result=json.dumps(result or {}, ensure_ascii=False),
            finished_at=utcnow(),
        )
    )


def finish(job_id: int, status: str, message: str = "", result: dict | None = None) -> None:
    """How a job ended when its work did not say so itself (it failed, or its process died);
    a job already marked done by its work stays done."""
    PROGRESS.pop(job_id, None)
    with session_scope() as session:
        values = {"status": status, "message": message[:1000], "finished_at": utcnow()}
        if result is not None:
            values["result"] = json.dumps(result, ensure_ascii=False)
        session.execute(sa.update(Job).where(Job.id == job_id, Job.status == "running").values(values))
        session.commit()


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep(session: Session, now: datetime | None = None) -> list[int]:
    """Mark interrupted the running jobs of this machine whose process is gone; their ids. Each
    is marked by one worker only (the update names the status it expects)."""
    running = session.exec(select(Job).where(Job.status == "running", Job.host == HOST)).all()
    gone = [job for job in running if not _alive(job.pid)]
    if not gone:
        return []
    langs = dict(session.execute(sa.select(User.id, User.language).where(User.id.in_({j.user_id for j in gone}))).all())
    marked = []
    for job in gone:
        # an import or an undo is complete or taken back (importer.recover); a bulk update kept
        # the parts it had committed
        key = "jobs.interrupted_part" if job.kind in PART_BY_PART else "jobs.interrupted_message"
        message = tr(key, langs.get(job.user_id, "vi"), done=job.done, total=job.total)
        values = {"status": "interrupted", "finished_at": now or utcnow(), "message": message}
        if session.execute(sa.update(Job).where(Job.id == job.id, Job.status == "running").values(values)).rowcount:
            marked.append(job.id)
        PROGRESS.pop(job.id, None)
    session.commit()
    return marked


def completed_after_stop(session: Session, job_id: int) -> None:
    """A job whose process stopped but whose work was completed afterwards (an undo): done."""
    lang = session.execute(sa.select(User.language).join(Job, Job.user_id == User.id).where(Job.id == job_id)).scalar()
    session.execute(
        sa.update(Job)
        .where(Job.id == job_id, Job.status.in_(RETRYABLE))
        .values(status="done", message=tr("jobs.completed_after_stop", lang or "vi"))
    )


def of_user(session: Session, user_id: int, limit: int = 10) -> list[Job]:
    return list(session.exec(select(Job).where(Job.user_id == user_id).order_by(Job.id.desc()).limit(limit)).all())


def running_count(session: Session, user_id: int) -> int:
    return session.execute(
        sa.select(sa.func.count()).select_from(Job).where(Job.user_id == user_id, Job.status == "running")
    ).scalar_one()


def for_retry(session: Session, actor: Actor, job_id: int) -> Job:
    """One of the actor's jobs that may run again: failed or interrupted, never one that is done."""
    job = session.get(Job, job_id)
    if job is None or job.user_id != actor.id:
        raise NotAllowed()
    if job.status not in RETRYABLE:
        raise ServiceError("err.job_not_retryable")
    if session.execute(
        sa.select(ImportRun.id).where(ImportRun.job_id == job.id, ImportRun.status.in_(("writing", "undoing")))
    ).first():
        raise ServiceError("err.job_recovering")  # what it wrote is still being taken back
    return job


def again(session: Session, actor: Actor, job_id: int) -> Job:
    """A failed or interrupted job of the actor's, running again (committed), for its retry."""
    job = for_retry(session, actor, job_id)
    claimed = session.execute(  # two clicks at once: one of them runs it
        sa.update(Job)
        .where(Job.id == job.id, Job.status.in_(RETRYABLE))
        .values(status="running", message="", finished_at=None, host=HOST, pid=os.getpid())
    ).rowcount
    session.commit()
    if not claimed:
        raise ServiceError("err.job_not_retryable")
    session.refresh(job)
    PROGRESS[job.id] = (0, 0)
    return job


def params_of(job: Job) -> dict:
    return json.loads(job.params or "{}")


def result_of(job: Job) -> dict:
    return json.loads(job.result or "{}")


def download_of(job: Job, now: datetime | None = None) -> str:
    """The link to the file a done job made (an export) while the file is kept; else ''."""
    link = result_of(job).get("download", "")
    finished = job.finished_at
    if not link or job.status != "done" or finished is None:
        return ""
    if finished.tzinfo is None:
        finished = finished.replace(tzinfo=UTC)
    return link if ((now or utcnow()) - finished).total_seconds() < downloads.KEEP_SECONDS else ""

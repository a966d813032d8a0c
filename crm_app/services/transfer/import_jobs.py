"""The import wizard's heavy steps as job-process functions (``job_process.run_in_process``):
each signs in again from the session token, works on the staged file and returns plain values."""

from __future__ import annotations

from collections.abc import Callable

from crm_app.db import session_scope
from crm_app.services import jobs
from crm_app.services.people.auth import actor_session
from crm_app.services.transfer import import_documents, importer
from crm_app.services.transfer.importer import ImportOptions

Progress = Callable[[int, int], None]


def analyse(
    auth_token: str, token: str, entity: str, mapping: dict[int, str], options: ImportOptions, progress: Progress
) -> tuple[dict[str, int], int]:
    """Every row's verdict, saved beside the staged file: (counts per verdict, rows)."""
    with actor_session(auth_token) as (session, actor):
        table, _name = import_documents.staged(actor, token)
        analysis = importer.analyse(session, actor, entity, table, mapping, options)
        import_documents.save_review(actor, token, analysis.verdicts)
        session.rollback()
        return analysis.counts(), len(analysis.verdicts)


def run(
    auth_token: str,
    job_id: int | None,
    token: str,
    entity: str,
    mapping: dict[int, str],
    options: ImportOptions,
    lang: str,
    progress: Progress,
) -> dict:
    """Write the staged file; its run's figures and the error report's URL ('' without errors)."""
    with actor_session(auth_token) as (session, actor):
        table, name = import_documents.staged(actor, token)
        record = importer.run(session, actor, entity, table, mapping, options, name, progress=progress, job_id=job_id)
        verdicts = importer.verdicts_of(record)
        counts = {v: sum(1 for x in verdicts if x.verdict == v) for v in importer.VERDICTS}
        report_url = ""
        if any(counts[v] for v in importer.REPORTED_VERDICTS):
            import_documents.keep_report(record.id, table, verdicts, lang)
            report_url = import_documents.report_download(actor, record.id, lang)
        import_documents.discard(actor, token)
        return {
            "id": record.id,
            "file": record.file_name,
            "created": record.created,  # the organisations made for the rows included
            "organisations": record.__dict__.get("organisations", 0),
            "updated": record.updated,
            "unchanged": counts["unchanged"],
            "skipped": counts["skip"],
            "warnings": counts["warning"],
            "duplicates": counts["duplicate"] + counts["in_file"],
            "errors": counts["error"],
            "report_url": report_url,
        }


def undo(auth_token: str, job_id: int | None, run_id: int, progress: Progress) -> None:
    with actor_session(auth_token) as (session, actor):
        importer.undo(session, actor, run_id, job_id, progress)


def recover(run_id: int, job_id: int, progress: Progress) -> str:
    """Complete a run or an undo whose process stopped half way (importer.recover); an undo so
    completed makes its job done. The status the run ended in."""
    with session_scope() as session:
        ending = importer.recover(session, run_id, progress)
        if ending == "undone":
            jobs.completed_after_stop(session, job_id)
        return ending

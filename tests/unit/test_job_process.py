"""Heavy jobs in a process of their own: progress, result and errors come back; a dead job is told."""

from __future__ import annotations

import asyncio
import os

import pytest

from crm_app.services.errors import NotAllowed, ValidationFailed
from crm_app.services.transfer.job_process import JOB_NICENESS, JobProcessDied, run_in_process


def counting(n: int, progress) -> dict:
    for i in range(1, n + 1):
        progress(i, n)
    return {"pid": os.getpid(), "rows": n, "niceness": os.nice(0)}


def refusing(progress) -> None:
    raise ValidationFailed({"phone": ("err.invalid_phone", {"value": "0912 abc"})})


def dying(progress) -> None:
    progress(1, 2)
    os._exit(3)


def test_a_job_reports_progress_and_returns_from_another_process():
    seen = []
    result = asyncio.run(run_in_process(counting, 3, on_progress=lambda d, t: seen.append((d, t))))
    assert result["rows"] == 3 and result["pid"] != os.getpid()
    assert seen == [(1, 3), (2, 3), (3, 3)]
    # it gives way to the web workers when the cores are busy
    assert result["niceness"] == min(19, os.nice(0) + JOB_NICENESS)


def test_a_service_error_comes_back_with_its_key_and_field_errors():
    with pytest.raises(ValidationFailed) as raised:
        asyncio.run(run_in_process(refusing))
    assert raised.value.key == "err.form_invalid"
    assert raised.value.errors == {"phone": ("err.invalid_phone", {"value": "0912 abc"})}


def test_a_job_that_dies_is_reported_not_awaited_forever():
    with pytest.raises(JobProcessDied, match="exit code 3"):
        asyncio.run(run_in_process(dying))


def test_the_import_jobs_sign_in_from_the_session_token(db_url, monkeypatch):
    from crm_app.services.transfer import import_jobs

    monkeypatch.setenv("DATABASE_URL", db_url)  # the job reads the app's settings
    with pytest.raises(NotAllowed) as raised:
        asyncio.run(run_in_process(import_jobs.undo, "not-a-session", None, 1))
    assert raised.value.key == "err.session_invalid"

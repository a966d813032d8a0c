"""Durable jobs: recorded when they start, done in the same transaction as their effects,
interrupted when their process is gone, run again only when not done (never applied twice)."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from crm_app.models import Customer, ImportRun, Job
from crm_app.services import jobs
from crm_app.services.errors import NotAllowed, ServiceError, ValidationFailed
from crm_app.services.people import auth
from crm_app.services.people.permissions import load_actor
from crm_app.services.transfer import import_documents, import_jobs
from crm_app.services.transfer.importer import ImportFailed, ImportOptions
from crm_app.state.job_runner import ended_as
from tests.unit.factories import make_org

CSV = "Họ và tên;SĐT\nKhách Một;0912 000 101\nKhách Hai;0912 000 102\nKhách Ba;0912 000 103\n".encode("utf-8-sig")


def _dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(done.stdout)


def _customers(session) -> int:
    return session.execute(sa.select(sa.func.count()).select_from(Customer)).scalar_one()


def _staged_import(session, org):
    token, _table = import_documents.stage(org.sales_a, "khach.csv", CSV)
    mapping = {0: "full_name", 1: "phones"}
    return token, mapping


def test_a_job_is_recorded_when_it_starts(session, engine):
    org = make_org(session)
    job_id = jobs.start(org.sales_a.id, "import", "khach.csv", {"token": "t"})
    session.expire_all()
    job = session.get(Job, job_id)
    assert (job.status, job.title, job.host, jobs.params_of(job)) == ("running", "khach.csv", jobs.HOST, {"token": "t"})
    assert [j.id for j in jobs.of_user(session, org.sales_a.id)] == [job_id]
    assert jobs.running_count(session, org.sales_a.id) == 1 and jobs.of_user(session, org.sales_b.id) == []


def test_a_job_whose_process_is_gone_is_interrupted_and_others_are_left(session, engine):
    org = make_org(session)
    gone = jobs.start(org.sales_a.id, "import", "a.csv")
    alive = jobs.start(org.sales_a.id, "import", "b.csv")  # this process: alive
    elsewhere = jobs.start(org.sales_a.id, "import", "c.csv")
    jobs.working_in(gone, _dead_pid())
    session.execute(sa.update(Job).where(Job.id == elsewhere).values(host="may-khac", pid=_dead_pid()))
    session.commit()
    assert len(jobs.sweep(session)) == 1
    session.expire_all()
    statuses = {j.id: j.status for j in session.exec(sa.select(Job)).scalars()}
    assert statuses == {gone: "interrupted", alive: "running", elsewhere: "running"}
    assert "Bị gián đoạn" in session.get(Job, gone).message


def test_an_interrupted_import_wrote_nothing_and_runs_again_once(session, engine):
    org = make_org(session)
    token, mapping = _staged_import(session, org)
    session_token = auth.start_session(session, org.sales_a.id)
    job_id = jobs.start(org.sales_a.id, "import", "khach.csv")
    jobs.working_in(job_id, _dead_pid())  # its process was killed before it committed
    assert len(jobs.sweep(session)) == 1
    assert _customers(session) == 0
    with pytest.raises(NotAllowed):
        jobs.again(session, org.sales_b, job_id)  # not theirs
    jobs.again(session, org.sales_a, job_id)
    result = import_jobs.run(session_token, job_id, token, "customer", mapping, ImportOptions(), "vi", lambda *_: None)
    assert result["created"] == 3 and _customers(session) == 3
    session.expire_all()
    job = session.get(Job, job_id)
    assert job.status == "done" and jobs.result_of(job) == {"run_id": result["id"], "created": 3, "updated": 0}
    with pytest.raises(ServiceError) as exc:  # done: it cannot run (and apply) again
        jobs.again(session, org.sales_a, job_id)
    assert exc.value.key == "err.job_not_retryable"
    assert _customers(session) == 3


def test_the_job_and_its_effects_are_committed_together(session, engine):
    org = make_org(session)
    token, _mapping = _staged_import(session, org)
    session_token = auth.start_session(session, org.sales_a.id)
    job_id = jobs.start(org.sales_a.id, "import", "khach.csv")
    bad = {0: "full_name", 1: "no_such_field"}
    with pytest.raises(Exception):  # noqa: B017 - whatever refuses the mapping
        import_jobs.run(session_token, job_id, token, "customer", bad, ImportOptions(), "vi", lambda *_: None)
    session.expire_all()
    assert session.get(Job, job_id).status == "running"  # not done: the runner writes the failure
    jobs.finish(job_id, "failed", "sai cột")
    jobs.finish(job_id, "done")  # a late "done" does not overwrite how it ended
    session.expire_all()
    assert (session.get(Job, job_id).status, _customers(session)) == ("failed", 0)
    assert session.execute(sa.select(sa.func.count()).select_from(ImportRun)).scalar_one() <= 1


def test_an_undo_job_is_done_with_the_undo(session, engine):
    org = make_org(session)
    token, mapping = _staged_import(session, org)
    session_token = auth.start_session(session, org.sales_a.id)
    result = import_jobs.run(session_token, None, token, "customer", mapping, ImportOptions(), "vi", lambda *_: None)
    job_id = jobs.start(org.sales_a.id, "import_undo", "undo", {"run_id": result["id"]})
    import_jobs.undo(session_token, job_id, result["id"], lambda *_: None)
    session.expire_all()
    assert session.get(Job, job_id).status == "done" and _customers(session) == 0


def test_a_bulk_update_writes_its_progress_with_each_part_and_says_what_was_kept(session, engine):
    from crm_app.services.lists import bulk
    from tests.unit.factories import make_customer

    org = make_org(session)
    ids = [make_customer(session, org.sales_a, f"Khách Loạt {i}").id for i in range(5)]
    job_id = jobs.start(org.manager.id, "bulk", "Cập nhật trường: Tỉnh/Thành phố")
    steps = bulk.run_steps(
        session,
        org.manager,
        "customer",
        bulk.Selection(ids=ids),
        bulk.Action(kind="update_field", field="province", value="Huế"),
        chunk=2,
        job_id=job_id,
    )
    next(steps), next(steps)  # the totals, then the first part of two records, committed
    session.expire_all()
    job = session.get(Job, job_id)
    assert (job.done, job.total) == (2, 5)
    jobs.working_in(job_id, _dead_pid())  # the worker died here
    session.rollback()  # a fresh look at the database
    assert len(jobs.sweep(session)) == 1
    session.expire_all()
    assert session.get(Job, job_id).message == (
        "Bị gián đoạn sau 2 / 5 bản ghi (đã lưu). Làm lại thao tác cho phần còn lại."
    )
    stored = session.execute(sa.select(Customer.province).where(Customer.id.in_(ids))).scalars().all()
    assert sorted(stored) == ["", "", "", "46", "46"]


def test_a_retry_after_the_upload_was_let_go_says_so(session, engine):
    import os
    import time

    org = make_org(session)
    token, mapping = _staged_import(session, org)
    folder = import_documents.STAGING / token
    week_ago = time.time() - import_documents.KEEP_STAGED_SECONDS - 60
    os.utime(folder, (week_ago, week_ago))
    import_documents.stage(org.sales_a, "khac.csv", CSV)  # a new upload lets the old ones go
    assert not folder.exists()
    session_token = auth.start_session(session, org.sales_a.id)
    with pytest.raises(ServiceError) as exc:
        import_jobs.run(session_token, None, token, "customer", mapping, ImportOptions(), "vi", lambda *_: None)
    assert exc.value.key == "err.import_file_gone"


def test_a_job_refused_for_a_reason_the_user_must_act_on_is_not_offered_again(session):
    assert ended_as(ServiceError("err.undo_blocked", count=1)) == "refused"
    assert ended_as(ValidationFailed({"mapping": ("err.invalid_choice", {})})) == "refused"
    assert ended_as(ImportFailed("err.import_failed")) == "failed"  # a write that failed may pass again
    assert ended_as(RuntimeError("disk")) == "failed"
    org = make_org(session)
    job_id = jobs.start(org.sales_a.id, "import_undo", "khach.csv", {"run_id": 1})
    jobs.finish(job_id, "refused", "Không thể hoàn tác")
    with pytest.raises(ServiceError) as refused:
        jobs.for_retry(session, load_actor(session, org.sales_a.id), job_id)
    assert refused.value.key == "err.job_not_retryable"


def test_a_runs_report_is_kept_for_those_who_see_the_run(session, engine, tmp_path, monkeypatch):
    from crm_app.services.transfer import downloads, importer
    from crm_app.settings import settings

    monkeypatch.setattr(import_documents, "settings", type(settings)(files_dir=tmp_path))
    org = make_org(session)
    data = "Họ và tên;SĐT;Email\nKhách Tốt;0912 000 201;\nKhách Lỗi;0912 000 202;sai-email\n".encode()
    token, _table = import_documents.stage(org.sales_a, "co-loi.csv", data)
    session_token = auth.start_session(session, org.sales_a.id)
    mapping = {0: "full_name", 1: "phones", 2: "email"}
    result = import_jobs.run(session_token, None, token, "customer", mapping, ImportOptions(), "vi", lambda *_: None)
    assert (result["created"], result["errors"]) == (1, 1) and import_documents.has_report(result["id"])
    # the staged upload is gone; the report is still there, for the run's owner and her manager
    for who in (org.sales_a, org.manager):
        run = importer.visible_run(session, who, result["id"])
        url = import_documents.report_download(who, run.id, "vi")
        path, _name = downloads.take(who.id, url.split("/")[2])
        rows = list(load_workbook(io.BytesIO(path.read_bytes())).active.iter_rows(values_only=True))
        assert rows[1][1] == "Khách Lỗi" and "“sai-email”" in rows[1][-1]
    for other in (org.sales_b, org.other_sales):  # another salesperson does not see the run
        with pytest.raises(NotAllowed):
            importer.visible_run(session, other, result["id"])

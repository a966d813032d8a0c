"""An import and its undo write part by part: other users' saves go through meanwhile, and a
process stopped half way leaves work that ``importer.recover`` completes or takes back."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from crm_app.models import AuditLog, Customer, ImportRun, Job
from crm_app.services import jobs
from crm_app.services.customer import customers
from crm_app.services.errors import ServiceError
from crm_app.services.transfer import import_jobs, import_targets, importer
from crm_app.services.transfer.import_files import Table
from crm_app.services.transfer.import_mapping import auto_map
from crm_app.services.transfer.importer import ImportOptions
from tests.unit.factories import make_customer, make_org, stored_counts

ROWS = 12_000  # several parts


def _file(n: int = ROWS) -> tuple[Table, dict[int, str]]:
    rows = [[f"Khách Phần {i:05d}", f"09{i:08d}"] for i in range(n)]
    table = Table(["Họ và tên", "SĐT"], rows, list(range(2, 2 + n)))
    return table, auto_map(table.headers, import_targets.TARGETS["customer"])


@contextmanager
def _stopped_at_call(owner, name: str, call: int) -> Iterator[None]:
    """Inside: ``owner.name`` raises SystemExit at its ``call``-th call (the process stops there)."""
    real = getattr(owner, name)
    calls = {"n": 0}

    def stopping(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == call:
            raise SystemExit(9)
        return real(*args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(owner, name, stopping)
        yield


def _run_status(session: Session, run_id: int | None = None) -> str:
    session.rollback()
    stmt = sa.select(ImportRun.status).order_by(ImportRun.id.desc())
    if run_id is not None:
        stmt = stmt.where(ImportRun.id == run_id)
    return session.execute(stmt).scalars().first()


def _customers(session: Session) -> int:
    session.rollback()
    return session.execute(sa.select(sa.func.count()).select_from(Customer)).scalar_one()


def test_a_save_goes_through_within_a_second_while_an_import_writes(engine):
    with Session(engine) as setup:
        org = make_org(setup)
        mine = make_customer(setup, org.sales_b, "Trần Văn Lưu").id
        setup.commit()
    table, mapping = _file(20_000)
    failure: list[BaseException] = []

    def importing() -> None:
        try:
            with Session(engine) as s:
                importer.run(s, org.admin, "customer", table, mapping, ImportOptions(), "lon.csv")
        except BaseException as exc:  # noqa: BLE001 - the test reads it
            failure.append(exc)

    worker = threading.Thread(target=importing)
    worker.start()
    waits, while_writing = [], 0
    with Session(engine) as other:
        while worker.is_alive():
            writing = _run_status(other) == "writing"
            started = time.perf_counter()
            customers.update(other, org.sales_b, mine, {"address": f"{len(waits)} Tràng Tiền"})
            waits.append(time.perf_counter() - started)
            while_writing += writing
            time.sleep(0.02)
    worker.join()
    assert not failure
    assert while_writing >= 3, "the saves did not meet the import's writing"
    assert max(waits) < 1.0, f"a save waited {max(waits):.2f} s"
    with Session(engine) as s:
        assert _customers(s) == 20_001 and _run_status(s) == "done"


def test_a_run_stopped_half_way_is_taken_back_by_recover(session):
    org = make_org(session)
    before = stored_counts(session)
    table, mapping = _file()
    with _stopped_at_call(import_targets.CustomerTarget, "insert", 3), pytest.raises(SystemExit):
        importer.run(session, org.admin, "customer", table, mapping, ImportOptions(), "dung.csv")
    run_id = session.execute(sa.select(sa.func.max(ImportRun.id))).scalar_one()
    assert _run_status(session, run_id) == "writing" and 0 < _customers(session) < ROWS  # two parts
    assert importer.recover(session, run_id) == "failed"
    assert stored_counts(session) == before
    assert importer.recover(session, run_id) == ""  # nothing left to do


def test_an_undo_stopped_half_way_is_completed_by_recover(session):
    org = make_org(session)
    make_customer(session, org.sales_a, "Khách Có Sẵn")
    table, mapping = _file()
    run = importer.run(session, org.admin, "customer", table, mapping, ImportOptions(), "xong.csv")
    with _stopped_at_call(importer, "_take_back", 2), pytest.raises(SystemExit):
        importer.undo(session, org.admin, run.id)
    assert _run_status(session, run.id) == "undoing" and 1 < _customers(session) < 1 + ROWS
    assert importer.recover(session, run.id) == "undone"
    assert _customers(session) == 1
    removals = session.execute(
        sa.select(sa.func.count())
        .select_from(AuditLog)
        .where(AuditLog.entity == "customer", AuditLog.action == "delete")
    ).scalar_one()
    assert removals == ROWS  # each removal in the history once, the interrupted part's included


def test_a_stopped_import_job_is_taken_back_before_it_runs_again(session):
    org = make_org(session)
    token = jobs.start(org.admin.id, "import", "ngat.csv")
    table, mapping = _file()
    with _stopped_at_call(import_targets.CustomerTarget, "insert", 2), pytest.raises(SystemExit):
        importer.run(session, org.admin, "customer", table, mapping, ImportOptions(), "ngat.csv", job_id=token)
    run_id = session.execute(sa.select(sa.func.max(ImportRun.id))).scalar_one()
    assert importer.unfinished_runs(session) == []  # its job still runs (this process)
    session.execute(sa.update(Job).where(Job.id == token).values(pid=999_999_999))
    session.commit()
    assert jobs.sweep(session) == [token]
    assert importer.unfinished_runs(session) == [(run_id, token)]
    with pytest.raises(ServiceError) as refused:
        jobs.again(session, org.admin, token)
    assert refused.value.key == "err.job_recovering"
    assert import_jobs.recover(run_id, token, lambda *_: None) == "failed"
    assert _customers(session) == 0 and importer.unfinished_runs(session) == []
    assert jobs.again(session, org.admin, token).status == "running"


def test_an_undo_job_completed_after_its_process_stopped_is_done(session):
    org = make_org(session)
    table, mapping = _file(6_000)
    run = importer.run(session, org.admin, "customer", table, mapping, ImportOptions(), "hoan.csv")
    job_id = jobs.start(org.admin.id, "import_undo", "hoàn tác")
    with _stopped_at_call(importer, "_take_back", 2), pytest.raises(SystemExit):
        importer.undo(session, org.admin, run.id, job_id)
    jobs.finish(job_id, "interrupted", "…")
    assert import_jobs.recover(run.id, job_id, lambda *_: None) == "undone"
    session.expire_all()
    job = session.get(Job, job_id)
    assert job.status == "done" and "hoàn tất" in job.message and _customers(session) == 0


def test_the_connection_waits_for_the_disk_again_after_a_run(session):
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("SQLite's settings")
    org = make_org(session)
    session.commit()
    table, mapping = _file(50)
    importer.run(session, org.admin, "customer", table, mapping, ImportOptions(), "nho.csv")
    pragmas = [
        session.execute(sa.text(f"PRAGMA {name}")).scalar_one() for name in ("synchronous", "wal_autocheckpoint")
    ]
    assert pragmas == [2, 1000]  # FULL, SQLite's default


def test_each_part_is_sized_by_how_long_the_last_held_the_lock(session, monkeypatch):
    monkeypatch.setattr(importer, "PART_GAP_S", 0.0)
    sizes = []
    with importer._Parts(session) as parts:
        for _start, chunk in parts.of(list(range(3_000))):
            sizes.append(len(chunk))
            with parts.part():
                time.sleep(0.6 if len(sizes) == 1 else 0.0)  # the first part is slow
    assert sizes == [1_000, 500, 1_500]  # half as many after a part of twice PART_HOLD_S, then the rest

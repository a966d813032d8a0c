"""A file's rows checked in two processes give what one process gives, in the file's order; a
worker that cannot start, fails or reads the database changes nothing but the time."""

from __future__ import annotations

import time

import pytest

from crm_app.services.transfer import import_targets, importer, row_pool
from crm_app.services.transfer.import_files import Table
from crm_app.services.transfer.import_mapping import auto_map
from crm_app.services.transfer.importer import ImportOptions
from tests.unit.factories import make_customer, make_org, stored_counts

HEADERS = ["Họ và tên", "SĐT", "Email", "Ngày sinh", "Giới tính", "Thẻ", "Loại khách hàng", "Công ty"]


def _file() -> Table:
    """Every kind of row, many times: new, duplicate of a stored one, repeated in the file,
    refused (e-mail, date, name, kind), a person of an unknown company, an old number."""
    kinds = [
        ["Nguyen van an", "+84 912 345 678", "an.moi@abc.vn"],
        ["Trần Thị Bình {i}", "0987{i:06d}", "binh{i}@abc.vn", "17/05/1990", "Nữ", "VIP, Du lịch", "Cá nhân"],
        ["Tran Thi Binh {i}", "0987{i:06d}"],
        ["Lê Văn Cường {i}", "0911{i:06d}", "not-an-email"],
        ["Phạm Dũng {i}", "0933{i:06d}", "", "31/02/1990"],
        ["", "0944{i:06d}"],
        ["Đỗ Hà {i}", "0955{i:06d}", "", "", "", "", "Hộ gia đình"],
        ["Vũ Lạ {i}", "0966{i:06d}", "", "", "", "", "", "Công ty Chưa Có {i}"],
        ["Ngô Cũ {i}", "0168 {i:07d}"],
    ]
    rows = [
        [c.format(i=i) if isinstance(c, str) else c for c in r] + [None] * (len(HEADERS) - len(r))
        for i in range(30)
        for r in kinds
    ]
    return Table(list(HEADERS), rows, list(range(2, 2 + len(rows))))


def _analysis(session, actor, table: Table, mode: str) -> tuple:
    m = auto_map(table.headers, import_targets.TARGETS["customer"])
    a = importer.analyse(session, actor, "customer", table, m, ImportOptions(mode=mode))
    return [v.as_list() for v in a.verdicts], a.new_rows, a.updates, a.organisations


@pytest.fixture
def org(session):
    org = make_org(session)
    make_customer(session, org.sales_a, "Nguyễn Văn An", phones=["0912345678"], email="an@abc.vn")
    return org


@pytest.mark.parametrize("mode", ["skip", "update"])
def test_two_processes_give_the_verdicts_and_rows_of_one_in_order(session, org, monkeypatch, caplog, mode):
    table = _file()
    monkeypatch.setattr(row_pool, "CHUNK", 10**9)
    alone = _analysis(session, org.sales_a, table, mode)
    monkeypatch.setattr(row_pool, "CHUNK", 7)  # 39 chunks: every other one in the worker
    before = stored_counts(session)
    assert _analysis(session, org.sales_a, table, mode) == alone
    assert not caplog.records  # the worker checked its chunks: none was checked here again
    assert stored_counts(session) == before
    assert len(alone[0]) == 270 and {v[1] for v in alone[0]} >= {"new", "in_file", "error", mode}


def test_the_chunks_come_back_in_order_from_the_worker_and_here():
    got = list(row_pool.checked(23, lambda i: ("here", i), lambda i: ("worker", i), chunk=5))
    assert [i for _w, i in got] == list(range(23))
    assert {w for w, i in got if (i // 5) % 2} == {"worker"} and {w for w, i in got if not (i // 5) % 2} == {"here"}


def test_a_failing_worker_leaves_its_chunks_to_this_process():
    def failing(i):
        raise RuntimeError("the database is not there")

    assert list(row_pool.checked(12, lambda i: i * 2, failing, chunk=3)) == [i * 2 for i in range(12)]


def test_no_fork_no_worker_one_process(monkeypatch):
    def no_fork(_method):
        raise ValueError("cannot find context for 'fork'")

    monkeypatch.setattr(row_pool.multiprocessing, "get_context", no_fork)
    assert list(row_pool.checked(9, lambda i: i, lambda i: -1, chunk=2)) == list(range(9))


def test_the_worker_reads_no_database(session, org):
    table = _file()
    m = auto_map(table.headers, import_targets.TARGETS["customer"])
    check = importer._RowCheck(
        session,
        org.sales_a,
        import_targets.TARGETS["customer"],
        table,
        ImportOptions().checked(import_targets.TARGETS["customer"]),
        import_targets.Lookups(session),
        [(i, import_targets.TARGETS["customer"].field(n), None, "") for i, n in sorted(m.items())],
        ("name_phone", "phone"),
    )
    unbound = check.without_database()
    assert unbound.session.get_bind  # a session, bound to nothing
    with pytest.raises(Exception, match=r"(?i)bind"):
        unbound.session.get_bind()
    assert check(1) == unbound(1)  # a row checked with what was read before the rows


def test_a_stuck_worker_is_stopped_and_its_chunks_checked_here(monkeypatch):
    monkeypatch.setattr(row_pool, "WAIT_S", 0.5)

    def stuck(i):
        time.sleep(60)

    started = time.perf_counter()
    assert list(row_pool.checked(6, lambda i: i, stuck, chunk=2)) == list(range(6))
    assert time.perf_counter() - started < 5

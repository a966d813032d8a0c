"""An import's job process killed mid-run: the user is told, the jobs panel shows the job
interrupted with nothing written, and "Chạy lại" imports the file once."""

import os
import signal
import time
from pathlib import Path

import sqlalchemy as sa
from playwright.sync_api import Page, expect

from crm_app.models import Customer, Job

ADMIN = ("admin", "Admin@12345")
ROWS = 400


def _is_job_process(pid: int) -> bool:
    try:
        return b"child_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _running_job_pid(app_db, title: str, timeout: float = 30.0) -> tuple[int, int]:
    """(job id, the pid of its own process) once the web worker has started that process (the
    job is first recorded with the web worker's pid)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with app_db.session() as s:
            job = s.exec(sa.select(Job).where(Job.title == title).order_by(Job.id.desc())).scalars().first()
            if job is not None and job.status == "running" and _is_job_process(job.pid):
                return job.id, job.pid
        time.sleep(0.01)
    raise AssertionError("the import's job process did not start")


def _count(app_db, name_like: str) -> int:
    with app_db.session() as s:
        return s.execute(
            sa.select(sa.func.count()).select_from(Customer).where(Customer.name_norm.like(name_like))
        ).scalar_one()


def _import_new_records(page: Page, base_url: str, path) -> None:
    """The wizard as a user goes through it: the file, its columns as guessed, "add new", run."""
    page.goto(f"{base_url}/import")
    page.locator("#import-upload input[type=file]").set_input_files(str(path))
    expect(page.locator("#map-0")).to_have_value("full_name")
    page.click("#mapping-next")
    page.click("#opt-mode-create")
    page.click("#options-next")
    expect(page.locator("#import-run")).to_be_enabled(timeout=60_000)
    page.click("#import-run")


def test_a_killed_import_is_interrupted_and_runs_again_once(page: Page, base_url, login, app_db, shot, tmp_path):
    title = "viec-bi-ngat.csv"
    path = tmp_path / title
    lines = ["Họ và tên;SĐT"] + [f"Khách Gián Đoạn {i:04d};0977 {i:03d} {i % 1000:03d}" for i in range(ROWS)]
    path.write_text("\n".join(lines), encoding="utf-8-sig")
    login(*ADMIN)
    _import_new_records(page, base_url, path)
    job_id, pid = _running_job_pid(app_db, title)
    os.kill(pid, signal.SIGKILL)  # the job's process dies before it commits
    expect(page.get_by_text("Bị gián đoạn (tiến trình xử lý dừng giữa chừng)").first).to_be_visible(timeout=30_000)
    assert _count(app_db, "khach gian doan %") == 0  # nothing half-written
    with app_db.session() as s:
        assert s.get(Job, job_id).status == "interrupted"

    page.click("#jobs-open")
    item = page.locator(f'.job-item[data-job="{job_id}"]')
    expect(item.locator(".job-status")).to_have_text("Bị gián đoạn")
    expect(item.locator(".job-title")).to_have_text(title)
    shot("jobs_interrupted")
    item.locator(".job-retry").click()
    expect(page.get_by_text(f"Đã nhập {title}: {ROWS} thêm mới")).to_be_visible(timeout=60_000)
    assert _count(app_db, "khach gian doan %") == ROWS
    with app_db.session() as s:
        assert s.get(Job, job_id).status == "done"
    page.click("#jobs-open") if not page.locator("#jobs-list").is_visible() else None
    expect(page.locator(f'.job-item[data-job="{job_id}"] .job-status')).to_have_text("Xong")
    expect(page.locator(f'.job-item[data-job="{job_id}"] .job-retry')).to_have_count(0)


def test_the_open_panel_follows_a_running_import_to_its_end(page: Page, base_url, login, app_db, tmp_path):
    title = "theo-doi.csv"
    rows = 20_000
    path = tmp_path / title
    lines = ["Họ và tên;SĐT"] + [f"Khách Theo Dõi {i:05d};0966 {i // 1000:03d} {i % 1000:03d}" for i in range(rows)]
    path.write_text("\n".join(lines), encoding="utf-8-sig")
    login(*ADMIN)
    _import_new_records(page, base_url, path)
    job_id, _pid = _running_job_pid(app_db, title)
    page.goto(f"{base_url}/customers")  # another page: the panel is in every page's top bar
    expect(page.locator("#jobs-count")).to_have_text("1")  # its badge read as the page showed
    page.click("#jobs-open")
    status = page.locator(f'.job-item[data-job="{job_id}"] .job-status')
    expect(status).to_have_text("Đang chạy")
    expect(status).to_have_text("Xong", timeout=90_000)  # read again by itself, no click
    expect(page.locator(f'.job-item[data-job="{job_id}"] .job-message')).to_contain_text(f"{rows:,}".replace(",", "."))
    assert _count(app_db, "khach theo doi %") == rows

"""End-to-end fixtures: the real app in a subprocess, driven by Debian chromium via Playwright.

``app_server`` (session) starts ``reflex run --env prod --single-port`` from the repo root on a
free port with a fresh SQLite database, the admin password ADMIN_PASSWORD and 300 demo
customers, waits until /ping and / answer, yields the base URL and stops the whole process
group afterwards. The app's output goes to a log file, whose tail is printed when the app does
not start (and at the end of a run with failures).

``base_url`` is that URL (pytest-playwright builds ``page`` on it). With ``--base-url URL`` an
already running app is used instead and nothing is started.

``login(username, password)`` signs in on /login through the form and waits to leave /login.

``app_db_url`` is the running app's database URL and ``app_db`` a ``db_helpers.AppDB`` on it (to
set up data and check what was stored). ``shot(name)`` saves a full-page screenshot of ``page``
as screenshots/<name>.png.

Environment knobs: CHROMIUM (default /usr/bin/chromium), E2E_STARTUP_TIMEOUT (seconds, 600),
E2E_SCREENSHOTS (directory, default screenshots/), E2E_APP_DATABASE_URL (an empty database for
the app started here, e.g. PostgreSQL; default a new SQLite file), E2E_DATABASE_URL (the database of the app
given with --base-url).
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

# What a user waits for (an import's analysis, a board after a drag) can take more than Playwright's
# 5 s on a busy 2-CPU machine; a step that passes is not slowed by a longer limit.
expect.set_options(timeout=10_000)

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = ROOT / ".venv" / "bin"

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "Admin@12345"
DEMO_CUSTOMERS = 300

# The app sends mail to a local SMTP server (tests/smtp_sink.py) that the smtp_sink fixture starts.
SMTP_PORT = int(os.environ.get("E2E_SMTP_PORT", "0")) or None
MAX_UPLOAD_MB = 2

STARTUP_TIMEOUT = float(os.environ.get("E2E_STARTUP_TIMEOUT", "600"))
LOG_TAIL_LINES = 120


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        item.add_marker(pytest.mark.e2e)


# --- the app process ----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _smtp_port() -> int:
    global SMTP_PORT
    if SMTP_PORT is None:
        SMTP_PORT = _free_port()
    return SMTP_PORT


def _reflex_command() -> list[str]:
    exe = VENV_BIN / "reflex"
    if exe.exists():
        return [str(exe)]
    found = shutil.which("reflex")
    if found:
        return [found]
    return [sys.executable, "-m", "reflex"]


def _http_status(url: str, timeout: float = 5.0) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            resp.read()
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (OSError, ValueError):
        return None


def _tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return f"(no log: {exc})"
    return "\n".join(text.splitlines()[-lines:])


SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", ROOT / "screenshots"))


class _App:
    def __init__(self, workdir: Path) -> None:
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / "app.log"
        self.db_path = workdir / "e2e.db"
        self.db_url = os.environ.get("E2E_APP_DATABASE_URL", "").strip() or f"sqlite:///{self.db_path}"
        self.proc: subprocess.Popen[bytes] | None = None

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            PATH=f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}",
            VIRTUAL_ENV=str(ROOT / ".venv"),
            REFLEX_USE_NPM="1",
            PORT=str(self.port),
            BACKEND_PORT=str(self.port),
            DATABASE_URL=self.db_url,
            CRM_ADMIN_PASSWORD=ADMIN_PASSWORD,
            CRM_DEMO_DATA="1",
            CRM_DEMO_CUSTOMERS=str(DEMO_CUSTOMERS),
            PYTHONUNBUFFERED="1",
            CRM_FILES_DIR=str(self.db_path.parent / "files"),
            CRM_BACKUP_DIR=str(self.db_path.parent / "backups"),
            CRM_MAX_UPLOAD_MB=str(MAX_UPLOAD_MB),
            CRM_SMTP_HOST="127.0.0.1",
            CRM_SMTP_PORT=str(_smtp_port()),
            CRM_SMTP_TLS="none",
            CRM_SMTP_FROM="crm@e2e.test",
        )
        env.pop("TEST_DATABASE_URL", None)
        return env

    def start(self) -> None:
        cmd = [*_reflex_command(), "run", "--env", "prod", "--single-port"]
        with open(self.log_path, "ab") as log:
            # As scripts/run.sh does: the database is ready before any worker starts (with Redis,
            # REFLEX_REDIS_URL, Reflex starts several).
            subprocess.run(
                [sys.executable, "-m", "crm_app.tools.prepare"],
                cwd=ROOT,
                env=self.env(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                check=True,
            )
            log.write(f"$ {' '.join(cmd)}  (port {self.port}, db {self.db_url})\n".encode())
            log.flush()
            self.proc = subprocess.Popen(
                cmd,
                cwd=ROOT,
                env=self.env(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        atexit.register(self.stop)

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        ping_ok = False
        last = None
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise RuntimeError(f"the app exited with code {self.proc.returncode} before it was ready")
            if not ping_ok:
                ping_ok = _http_status(self.base_url + "/ping") == 200
            if ping_ok:
                last = _http_status(self.base_url + "/", timeout=30)
                if last == 200:
                    return
            time.sleep(1)
        state = f"GET / answered {last}" if ping_ok else "/ping never answered"
        raise RuntimeError(f"the app was not ready after {timeout:.0f}s ({state})")

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None or (proc.poll() is not None and not _group_alive(proc.pid)):
            return
        for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                proc.wait(timeout=wait)
            except subprocess.TimeoutExpired:
                continue
            # The leader is gone; give the rest of the group a moment, then make sure.
            end = time.monotonic() + wait
            while _group_alive(proc.pid) and time.monotonic() < end:
                time.sleep(0.2)
            if not _group_alive(proc.pid):
                break


def _group_alive(pgid: int) -> bool:
    """Whether a process of the group is still running (zombies do not count)."""
    proc = Path("/proc")
    if proc.is_dir():
        for stat in proc.glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            # After "(comm)": state, ppid, pgrp, ...
            if len(fields) > 2 and fields[2] == str(pgid) and fields[0] not in ("Z", "X"):
                return True
        return False
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _sigterm_as_interrupt() -> None:
    """Let a SIGTERM (e.g. from `timeout`) end pytest normally, so the app is stopped."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        return

    def handler(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, handler)


def _print_uncaptured(request: pytest.FixtureRequest, text: str) -> None:
    capman = request.config.pluginmanager.getplugin("capturemanager")
    if capman is None:
        print(text, file=sys.stderr, flush=True)
        return
    with capman.global_and_fixture_disabled():
        print(text, file=sys.stderr, flush=True)


_DB_URL = pytest.StashKey[str]()
_LOG_PATH = pytest.StashKey[Path]()


@pytest.fixture(scope="session")
def app_server(
    pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[str]:
    """Base URL of the running app (started here unless --base-url was given)."""
    given = pytestconfig.getoption("--base-url", default=None)
    if given:
        pytestconfig.stash[_DB_URL] = os.environ.get("E2E_DATABASE_URL", "")
        yield given.rstrip("/")
        return

    _sigterm_as_interrupt()
    app = _App(tmp_path_factory.mktemp("e2e-app"))
    pytestconfig.stash[_DB_URL] = app.db_url
    pytestconfig.stash[_LOG_PATH] = app.log_path
    app.start()
    started = time.monotonic()
    try:
        app.wait_ready(STARTUP_TIMEOUT)
    except (RuntimeError, KeyboardInterrupt) as exc:
        app.stop()
        if isinstance(exc, KeyboardInterrupt):
            raise
        _print_uncaptured(
            request,
            f"\n--- {exc}: last {LOG_TAIL_LINES} lines of {app.log_path} ---\n"
            f"{_tail(app.log_path)}\n--- end of the app log ---",
        )
        pytest.fail(f"{exc} (log: {app.log_path}, tail printed above)", pytrace=False)
    _print_uncaptured(
        request, f"\n[e2e] app ready at {app.base_url} after {time.monotonic() - started:.0f}s (log: {app.log_path})"
    )
    try:
        yield app.base_url
    finally:
        app.stop()
        if request.session.testsfailed:
            _print_uncaptured(
                request,
                f"\n--- last {LOG_TAIL_LINES} lines of the app log {app.log_path} ---\n"
                f"{_tail(app.log_path)}\n--- end of the app log ---",
            )


@pytest.fixture(scope="session")
def smtp_sink(app_server: str):
    """The SMTP server the running app delivers to (started once; keeps every message)."""
    from tests.smtp_sink import SmtpSink

    sink = SmtpSink(_smtp_port()).start()
    yield sink
    sink.stop()


@pytest.fixture(scope="session")
def app_log(app_server: str, pytestconfig: pytest.Config) -> Path | None:
    """The log of the app started here (None when the tests run against a given --base-url)."""
    return pytestconfig.stash.get(_LOG_PATH, None)


@pytest.fixture(scope="session")
def base_url(app_server: str) -> str:
    return app_server


@pytest.fixture(scope="session")
def app_db_url(app_server: str, pytestconfig: pytest.Config) -> str:
    """DATABASE_URL of the running app."""
    url = pytestconfig.stash.get(_DB_URL, "")
    if not url:
        pytest.skip("the app's database is unknown: set E2E_DATABASE_URL along with --base-url")
    return url


@pytest.fixture(scope="session")
def app_db(app_db_url: str):
    from db_helpers import AppDB

    db = AppDB(app_db_url)
    yield db
    db.engine.dispose()


# --- Playwright ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium, or set CHROMIUM)", pytrace=False)
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {
        **browser_context_args,
        "viewport": {"width": 1440, "height": 900},
        "locale": "vi-VN",
    }


@pytest.fixture
def shot(page: Page) -> Callable[[str], Path]:
    """shot(name) -> path of a full-page screenshot of the current page."""

    def _shot(name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot


def _path_of(url: str) -> str:
    return urlparse(url).path.rstrip("/") or "/"


@pytest.fixture
def login(page: Page, base_url: str) -> Callable[..., Page]:
    """login(username="admin", password=ADMIN_PASSWORD) -> page, signed in, opening the page the
    login answers with. The credentials are posted as the login form posts them (the browser
    context keeps the session cookie); signing in through the form itself is test_access's."""

    def _login(username: str = ADMIN_USERNAME, password: str = ADMIN_PASSWORD, timeout: float = 20_000) -> Page:
        answer = page.request.post(
            base_url + "/auth/login",
            form={"username": username, "password": password},
            max_redirects=0,
            timeout=timeout,
        )
        where = answer.headers.get("location", "")
        if answer.status != 303 or _path_of(where) == "/login":
            raise AssertionError(f"login as {username!r} refused: {answer.status} {where}")
        # The next step of a test usually opens another page: start this one, do not wait for it.
        page.goto(base_url + urlparse(where).path, wait_until="commit", timeout=timeout)
        return page

    return _login

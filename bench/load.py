"""Load benchmark: N sales users at once, each its own websocket client and its own session.

    .venv/bin/python bench/load.py [--url http://127.0.0.1:3000] [--start] [--database-url URL]
                                   [--users 1,10,25,50] [--duration 60] [--warmup 5]
                                   [--skip-import] [--import-rows 100000] [--smoke]

No browser: every simulated user is one browser tab speaking the app's own Reflex protocol
(Socket.IO over a websocket on /_event, the client token in the query, the hydrate event in
the CONNECT packet, then "event" packets {name, payload, router_data}). Each user logs in as
the login form does (a POST to /auth/login), keeps the HttpOnly session cookie it sets
(crm_session) and sends it as the browser does: in the websocket's handshake, a new socket
after the login, and with each upload. Each user loops over this mix,
with a random 0.3-0.8 s pause between actions:

  list          open /customers (route change: update_vars_internal + on_load_internal)
  search_name   CustomerListState.set_search("nguyen van" and other names)
  next_page     CustomerListState.next_page (when the page has a next one)
  search_phone  set_search of a phone prefix such as "0912"
  open_record   open /customers/<id>, an id from the rows the list sent this user
  tab           CustomerDetailState.select_tab (a random tab; its loaders run after it)
  edit          CustomerDetailState.start_edit("address")
  type          CustomerDetailState.set_edit_value, three times (a pure in-memory event)
  save          CustomerDetailState.save_edit
  board         open /opportunities/board

An action's latency runs from sending its event(s) until the last update it causes arrives.
Reflex 0.10 marks no end of an event (StateUpdate.final is never set), so each action waits
for the update that carries its expected change: a route change for the delta setting the
root state's is_hydrated to true (sent after the page's on_load chain); a plain event for the
delta of the var it sets; select_tab for the deltas of its tab loaders, which run after it;
save_edit for its delta and then the toast it sends. An error is a timeout (15 s), a socket
error, an error toast or alert in an update's events (the app's own fail() toasts and Reflex's
backend-exception toast), or a redirect to the login page.

Phases: for each N of --users, N users (round robin over the 16 sales users of the benchmark
database, each with its own login session; they log in 5 at a time, unmeasured) run the mix
for --duration seconds after --warmup seconds; then "during import": 10 users run the mix
while a manager (quanly.bac) imports a 100,000-row .xlsx (bench/import_export.py's build_file;
fewer rows on a database too small for its 30 % of repeated customers) through the import
wizard: upload to /_upload with the tab's token, to_options, to_review, run_import, then undo.
The backend's memory is the summed RSS of the process listening on the port and its children
(sampled every second).

--start runs `bash scripts/run.sh` from this repository with DATABASE_URL and PORT (from
--url) and stops it at the end. Its database is --database-url, by default
bench/out/load_1m.db, a copy of bench/out/bench_1m.db (built by bench/list_query.py when
missing); a PostgreSQL URL is used as given. Without --start the app at --url is used as it
runs, and the database (given, or bench/out/bench_1m.db) is only read to build the import
file. --smoke (CI): --start against a freshly generated database of 2,000 customers, N=2 for
10 seconds, and an import of 500 rows.

A table per phase is printed, and as the last line one JSON object: open_record_p50_ms and
save_p50_ms (from the N=10 phase, else the first one run), users_<N>_p50_ms / _p95_ms /
_p99_ms / _actions_per_s / _errors / _type_p95_ms / _backend_rss_mb (peak) for each N,
during_import_p95_ms, during_import_errors, the import's own times and the backend RSS
before, after and after the undo (null for phases not run). Latency figures are of the
actions that succeeded; errors are counted apart.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx
import psutil
from reflex import constants
from reflex.state import State
from reflex_base.constants.state import FIELD_MARKER
from wsproto import ConnectionType, WSConnection
from wsproto.connection import ConnectionState
from wsproto.events import AcceptConnection, CloseConnection, Message, Ping, Request, TextMessage

from crm_app import routes
from crm_app.services.people.session_cookie import COOKIE as SESSION_COOKIE
from crm_app.state.customer_detail import CustomerDetailState
from crm_app.state.customer_list import CustomerListState
from crm_app.state.customer_tabs import TAB_LOADERS
from crm_app.state.import_wizard import ImportState
from crm_app.state.notifications import NotificationState
from crm_app.state.session import SessionState
from crm_app.tools.generate import BENCH_PASSWORD, BENCH_TEAMS, SALES_PER_TEAM

OUT = ROOT / "bench" / "out"
BENCH_DB = OUT / "bench_1m.db"
LOAD_DB = OUT / "load_1m.db"
SMOKE_DB = OUT / "load_smoke.db"
APP_LOG = OUT / "load_app.log"

ACTION_TIMEOUT_S = 15.0
LOGIN_TIMEOUT_S = 60.0  # the unmeasured start of a user: login page, login, customer list
LOGINS_AT_ONCE = 5  # users start this many at a time, as people do not all log in the same second
IMPORT_TIMEOUT_S = 3600.0
APP_START_TIMEOUT_S = 1800.0
PAUSE_S = (0.3, 0.8)
IMPORT_ROWS = 100_000
IMPORT_USERS = 10
IMPORT_MANAGER = "quanly.bac"
HEADLINE_USERS = 10  # the phase open_record_p50_ms and save_p50_ms come from

SALES_USERS = [f"sale.{team[3]}{k}" for team in BENCH_TEAMS for k in range(1, SALES_PER_TEAM + 1)]
SEARCH_NAMES = (
    "nguyen van",
    "tran thi",
    "le van",
    "pham minh",
    "hoang",
    "nguyen thi",
    "vu duc",
    "dang thu",
    "bui thanh",
    "do quang",
    "ngo",
    "duong ngoc",
)
PHONE_PREFIXES = ("0912", "0903", "0988", "0977", "0356", "0868", "0389", "0901", "0934", "0327")
STREETS = ("Lê Lợi", "Trần Hưng Đạo", "Nguyễn Huệ", "Hai Bà Trưng", "Lý Thường Kiệt", "Điện Biên Phủ")
ACTIONS = ("list", "search_name", "next_page", "search_phone", "open_record", "tab", "edit", "type", "save", "board")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# ---------------------------------------------------------------------------------------------
# Names of the app's states and events, as the compiled frontend sends them
# ---------------------------------------------------------------------------------------------

ROOT_STATE = State.get_full_name()
SESSION = SessionState.get_full_name()
LIST = CustomerListState.get_full_name()
DETAIL = CustomerDetailState.get_full_name()
IMPORT = ImportState.get_full_name()
HYDRATE_EVENT = f"{ROOT_STATE}.{constants.CompileVars.HYDRATE_AND_LOAD}"
UPDATE_VARS_EVENT = f"{ROOT_STATE}.{constants.CompileVars.UPDATE_VARS_INTERNAL}"
ON_LOAD_EVENT = f"{ROOT_STATE}.{constants.CompileVars.ON_LOAD_INTERNAL}"
# What a page with the top bar sends when it mounts, beside its on_load (the badges' counts).
BADGES_EVENT = f"{NotificationState.get_full_name()}.refresh_badges"
IS_HYDRATED = constants.CompileVars.IS_HYDRATED + FIELD_MARKER
# The browser-stored vars the frontend keeps and sends back (rx.Cookie / rx.LocalStorage vars
# under their state key): none since the session cookie became HttpOnly.
COOKIE_VARS: set[str] = set()
# The states each tab's loaders write, in the order they run.
TAB_STATES = {tab: [h.state_full_name for h in loaders] for tab, loaders in TAB_LOADERS.items()}


def event_name(state: str, handler: str) -> str:
    return f"{state}.{handler}"


# ---------------------------------------------------------------------------------------------
# A websocket client on asyncio streams (wsproto does the framing)
# ---------------------------------------------------------------------------------------------


class WebSocket:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader, self._writer = reader, writer
        self._conn = WSConnection(ConnectionType.CLIENT)
        self._events: collections.deque = collections.deque()
        self._parts: list[str] = []

    @classmethod
    async def connect(cls, url: str, subprotocols: list[str], cookie: str = "") -> WebSocket:
        parts = urlsplit(url)
        secure = parts.scheme == "wss"
        reader, writer = await asyncio.open_connection(
            parts.hostname, parts.port or (443 if secure else 80), ssl=True if secure else None, limit=1 << 20
        )
        ws = cls(reader, writer)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        extra = [(b"cookie", cookie.encode())] if cookie else []
        await ws._send(Request(host=parts.netloc, target=target, subprotocols=subprotocols, extra_headers=extra))
        answer = await ws._next_event()
        if not isinstance(answer, AcceptConnection):
            writer.close()
            raise ConnectionError(f"websocket refused: {answer}")
        return ws

    async def _send(self, event) -> None:
        self._writer.write(self._conn.send(event))
        await self._writer.drain()

    async def _next_event(self):
        while not self._events:
            data = await self._reader.read(1 << 16)
            if not data:
                raise ConnectionError("connection closed by the server")
            self._conn.receive_data(data)
            self._events.extend(self._conn.events())
        return self._events.popleft()

    async def recv(self) -> str:
        """The next whole text message (answers pings, raises ConnectionError on close)."""
        while True:
            event = await self._next_event()
            if isinstance(event, TextMessage):
                self._parts.append(event.data)
                if event.message_finished:
                    text, self._parts = "".join(self._parts), []
                    return text
            elif isinstance(event, Ping):
                await self._send(event.response())
            elif isinstance(event, CloseConnection):
                if self._conn.state is ConnectionState.REMOTE_CLOSING:
                    await self._send(event.response())
                raise ConnectionError(f"websocket closed ({event.code})")

    async def send(self, text: str) -> None:
        await self._send(Message(data=text))

    async def close(self) -> None:
        try:
            if self._conn.state is ConnectionState.OPEN:
                await self._send(CloseConnection(code=1000))
        except (ConnectionError, OSError):
            pass
        self._writer.close()


# ---------------------------------------------------------------------------------------------
# What ends an action
# ---------------------------------------------------------------------------------------------

Update = dict
Step = Callable[[Update], bool]


def changed(state: str, var: str) -> Step:
    """An update whose delta sets ``var`` of ``state``."""
    return lambda u: var + FIELD_MARKER in (u.get("delta") or {}).get(state, {})


def value_is(state: str, var: str, value: object) -> Step:
    """An update whose delta sets ``var`` of ``state`` to ``value``."""
    unset = object()
    return lambda u: (u.get("delta") or {}).get(state, {}).get(var + FIELD_MARKER, unset) == value


def touched(state: str) -> Step:
    """An update with a delta for ``state``."""
    return lambda u: state in (u.get("delta") or {})


def hydrated(u: Update) -> bool:
    """The delta that sets the root state's is_hydrated to true: the end of a page's on_load chain."""
    return (u.get("delta") or {}).get(ROOT_STATE, {}).get(IS_HYDRATED) is True


def has_events(u: Update) -> bool:
    return bool(u.get("events"))


@dataclass
class Expect:
    """Steps met in order, each by a later update than the one before; ``fail`` ends the wait as an error."""

    steps: list[Step]
    fail: Callable[[Update], str | None] = lambda u: None

    def feed(self, update: Update) -> tuple[bool, str | None]:
        """(done, error)."""
        error = self.fail(update)
        if error:
            return True, error
        if self.steps and self.steps[0](update):
            self.steps.pop(0)
        return not self.steps, None


_TOAST_TEXT = re.compile(r'\["error"\]\("((?:[^"\\]|\\.)*)"')


def _unescape(js_string: str) -> str:
    try:
        return json.loads(f'"{js_string}"')
    except ValueError:
        return js_string


def problem_in(update: Update) -> str | None:
    """An error the update shows the user: an error toast or alert, or a redirect to the login page."""
    for event in update.get("events") or []:
        name, payload = event.get("name", ""), event.get("payload") or {}
        if name in ("_call_function", "_call_script"):
            code = str(payload.get("function") or payload.get("javascript_code") or "")
            if '["error"]' in code or "alert" in code:
                found = _TOAST_TEXT.search(code)
                return "error toast: " + (_unescape(found.group(1)) if found else code)[:120]
        elif name == "_redirect" and str(payload.get("path", "")).startswith(routes.LOGIN):
            return "redirected to the login page"
    return None


# ---------------------------------------------------------------------------------------------
# One browser tab: its token, its socket, the state it was sent, its cookies
# ---------------------------------------------------------------------------------------------


class ReflexClient:
    NAMESPACE = str(constants.Endpoint.EVENT)  # "/_event": both the Engine.IO path and the namespace

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = str(uuid.uuid4())
        self.state: dict[str, dict] = {}
        self.cookies: dict[str, object] = {}
        self.session_cookie = ""  # "crm_session=…", as the login route set it
        self.path, self.params = routes.LOGIN, {}
        self._ws: WebSocket | None = None
        self._reader: asyncio.Task | None = None
        self._waiter: tuple[Expect, asyncio.Future] | None = None
        self._broken: str | None = None  # why the socket ended
        self.stray_problems: list[str] = []

    # --- the socket ----------------------------------------------------------------------------

    async def open(
        self, path: str, params: dict | None = None, timeout: float = ACTION_TIMEOUT_S
    ) -> tuple[float, str | None]:
        """Connect as a page load of ``path`` does: the hydrate event rides in the CONNECT packet."""
        self.path, self.params = path, params or {}
        parts = urlsplit(self.base_url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        query = urlencode({"EIO": 4, "transport": "websocket", "token": self.token})
        self._ws = await WebSocket.connect(
            f"{scheme}://{parts.netloc}{self.NAMESPACE}/?{query}", [constants.Reflex.VERSION], self.session_cookie
        )
        opening = await asyncio.wait_for(self._ws.recv(), timeout)
        if not opening.startswith("0"):
            raise ConnectionError(f"unexpected Engine.IO opening: {opening[:80]}")
        boot = self._event(HYDRATE_EVENT, {"vars": dict(self.cookies)} if self.cookies else {})
        self._broken = None
        self._reader = asyncio.create_task(self._read())
        packet = f"40{self.NAMESPACE}," + json.dumps({"event": boot})
        outcome = await self._await(Expect([hydrated]), lambda: self._ws.send(packet), timeout)
        if path != routes.LOGIN:
            await self._emit([(BADGES_EVENT, {})])  # the top bar mounts as the page shows
        return outcome

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
        if self._ws is not None:
            await self._ws.close()
        self._ws = self._reader = None

    async def reload(self) -> tuple[float, str | None]:
        """A page reload: a new tab token and socket, the cookies kept."""
        await self.close()
        self.token, self.state = str(uuid.uuid4()), {}
        return await self.open(self.path, self.params)

    async def _read(self) -> None:
        try:
            while True:
                text = await self._ws.recv()
                if text == "2":  # Engine.IO ping
                    await self._ws.send("3")
                elif text.startswith("4"):  # Engine.IO message: a Socket.IO packet
                    try:
                        self._on_packet(text[1:])
                    except ValueError as exc:
                        self._finish_waiter(f"unreadable packet: {exc}")
        except (ConnectionError, OSError) as exc:
            self._broken = f"socket error: {exc}"
            self._finish_waiter(self._broken)

    def _on_packet(self, packet: str) -> None:
        kind, body = packet[:1], packet[1:]
        if body.startswith(self.NAMESPACE):
            body = body[len(self.NAMESPACE) :].removeprefix(",")
        if kind == "4":
            self._finish_waiter(f"connect refused: {body[:120]}")
        elif kind == "1":
            self._finish_waiter("disconnected by the server")
        elif kind == "2":
            name, *args = json.loads(body)
            if name == "event" and args:
                self.on_update(args[0])
            elif name == "new_token" and args:
                self.token = args[0]

    def _finish_waiter(self, error: str | None) -> None:
        if self._waiter is not None and not self._waiter[1].done():
            self._waiter[1].set_result(error)

    # --- updates -------------------------------------------------------------------------------

    def on_update(self, update: Update) -> None:
        self._apply(update.get("delta") or {})
        problem = problem_in(update)
        if self._waiter is None or self._waiter[1].done():
            if problem:
                self.stray_problems.append(problem)
            return
        if problem:
            self._finish_waiter(problem)
            return
        done, error = self._waiter[0].feed(update)
        if done:
            self._finish_waiter(error)

    def _apply(self, delta: dict) -> None:
        """Merge a delta into the state, and keep the cookies it sets as the frontend does (not from
        a delta of a page that is not hydrated yet)."""
        root = delta.get(ROOT_STATE, {})
        keep_cookies = root.get(IS_HYDRATED, True) is not False
        for state, values in delta.items():
            self.state.setdefault(state, {}).update(values)
            if keep_cookies:
                for var, value in values.items():
                    if f"{state}.{var}" in COOKIE_VARS:
                        self.cookies[f"{state}.{var}"] = value

    def var(self, state: str, name: str, default: object = None) -> object:
        return self.state.get(state, {}).get(name + FIELD_MARKER, default)

    # --- events --------------------------------------------------------------------------------

    def _event(self, name: str, payload: dict) -> dict:
        """The event as the frontend sends it: with the page's path and its route parameters."""
        router_data = {"pathname": self.path, "asPath": self.path}
        if self.params:
            router_data["query"] = dict(self.params)
        return {"name": name, "payload": payload, "router_data": router_data}

    async def _emit(self, events: list[tuple[str, dict]]) -> None:
        if self._broken:
            raise ConnectionError(self._broken)
        for name, payload in events:
            await self._ws.send(f"42{self.NAMESPACE}," + json.dumps(["event", self._event(name, payload)]))

    async def _await(self, expect: Expect, send: Callable[[], Awaitable], timeout: float) -> tuple[float, str | None]:
        """Milliseconds from ``send`` until ``expect`` is met, and the error if one ended the wait."""
        future = asyncio.get_running_loop().create_future()
        self._waiter = (expect, future)
        start = time.perf_counter()
        try:
            await send()
            error = await asyncio.wait_for(future, timeout)
        except TimeoutError:
            error = f"timeout ({timeout:.0f} s)"
        except (ConnectionError, OSError, httpx.HTTPError) as exc:
            error = f"socket error: {exc}"
        finally:
            self._waiter = None
        return (time.perf_counter() - start) * 1000, error

    async def run(
        self, events: list[tuple[str, dict]], expect: Expect, timeout: float = ACTION_TIMEOUT_S
    ) -> tuple[float, str | None]:
        return await self._await(expect, lambda: self._emit(events), timeout)

    async def navigate(
        self, path: str, params: dict | None = None, timeout: float = ACTION_TIMEOUT_S
    ) -> tuple[float, str | None]:
        """A client-side route change: the cookies, then the new page's on_load chain."""
        self.path, self.params = path, params or {}
        events = [(UPDATE_VARS_EVENT, {"vars": dict(self.cookies)})] if self.cookies else []
        events += [(ON_LOAD_EVENT, {}), (BADGES_EVENT, {})]
        return await self.run(events, Expect([hydrated]), timeout)

    async def login(self, username: str, password: str, timeout: float = ACTION_TIMEOUT_S) -> None:
        """The login form's POST; the session cookie it sets rides on the sockets opened after it
        (the browser loads the next page anew)."""
        async with httpx.AsyncClient(timeout=timeout) as http:
            response = await http.post(
                self.base_url + routes.AUTH_LOGIN, data={"username": username, "password": password}
            )
        token = response.cookies.get(SESSION_COOKIE)
        if response.status_code != 303 or not token:
            where = response.headers.get("location", "")
            raise RuntimeError(f"{username}: login refused ({response.status_code} {where})")
        self.session_cookie = f"{SESSION_COOKIE}={token}"
        await self.close()

    async def upload(
        self, handler: str, file_name: str, data: bytes, content_type: str, expect: Expect, timeout: float
    ) -> tuple[float, str | None]:
        """An rx.upload: the file to /_upload with the tab's token; the handler's deltas come back
        in the response (one JSON update a line), its frontend events over the socket."""

        async def post() -> None:
            headers = {
                "Reflex-Client-Token": self.token,
                "Reflex-Event-Handler": handler,
                "Cookie": self.session_cookie,
            }
            async with (
                httpx.AsyncClient(timeout=timeout) as http,
                http.stream(
                    "POST",
                    self.base_url + str(constants.Endpoint.UPLOAD),
                    headers=headers,
                    files={"files": (file_name, data, content_type)},
                ) as response,
            ):
                if response.status_code >= 300:
                    self._finish_waiter(f"upload refused: HTTP {response.status_code}")
                    return
                async for line in response.aiter_lines():
                    if line.strip():
                        self.on_update(json.loads(line))

        return await self._await(expect, post, timeout)


# ---------------------------------------------------------------------------------------------
# The simulated sales user
# ---------------------------------------------------------------------------------------------


@dataclass
class Sample:
    action: str
    at: float  # time.perf_counter() when the action started
    ms: float
    error: str | None


class SalesUser:
    def __init__(self, base_url: str, username: str, rng: random.Random, samples: list[Sample]) -> None:
        self.username, self.rng, self.samples = username, rng, samples
        self.client = ReflexClient(base_url)
        self.record_ids: list[str] = []
        self._last: Sample | None = None

    async def start(self) -> None:
        """Log in, then open the customer list (not measured)."""
        _ms, error = await self.client.open(routes.LOGIN, timeout=LOGIN_TIMEOUT_S)
        if error:
            raise RuntimeError(f"{self.username}: opening the login page: {error}")
        await self.client.login(self.username, BENCH_PASSWORD, LOGIN_TIMEOUT_S)
        self.client.token = str(uuid.uuid4())  # the page after the login is a new load
        _ms, error = await self.client.open(routes.CUSTOMERS, timeout=LOGIN_TIMEOUT_S)
        if error:
            raise RuntimeError(f"{self.username}: opening the customer list: {error}")
        self._collect_ids()

    async def stop(self) -> None:
        self._blame_late_problems()
        await self.client.close()

    async def loop(self, stop: asyncio.Event) -> None:
        await asyncio.sleep(self.rng.uniform(0, PAUSE_S[1]))  # the users do not start in step
        while not stop.is_set():
            for action in self._mix():
                if stop.is_set():
                    return
                await action()
                await asyncio.sleep(self.rng.uniform(*PAUSE_S))

    def _mix(self) -> list[Callable[[], Awaitable]]:
        return [
            self.open_list,
            self.search_name,
            self.next_page,
            self.search_phone,
            self.open_record,
            self.switch_tab,
            self.edit_and_save,
            self.open_board,
        ]

    async def _measure(self, action: str, outcome: Awaitable[tuple[float, str | None]]) -> str | None:
        self._blame_late_problems()
        at = time.perf_counter()
        ms, error = await outcome
        self._last = Sample(action, at, ms, error)
        self.samples.append(self._last)
        if error and (error.startswith(("timeout", "socket"))):
            await self._recover()
        return error

    def _blame_late_problems(self) -> None:
        """An error toast that came after its action was taken as done counts against that action."""
        if self.client.stray_problems and self._last is not None and self._last.error is None:
            self._last.error = "late " + self.client.stray_problems[0]
        self.client.stray_problems.clear()

    async def _recover(self) -> None:
        """After a timeout or a socket error: reload the page (a new socket; the session cookie stays)."""
        try:
            await self.client.reload()
        except (ConnectionError, OSError, TimeoutError):
            await asyncio.sleep(1)

    def _collect_ids(self) -> None:
        rows = self.client.var(LIST, "rows") or []
        ids = [r["id"] for r in rows if isinstance(r, dict) and str(r.get("id", "")).isdigit()]
        self.record_ids = (self.record_ids + ids)[-200:]

    # --- the actions -------------------------------------------------------------------------

    async def open_list(self) -> None:
        await self._measure("list", self.client.navigate(routes.CUSTOMERS))
        self._collect_ids()

    async def _search(self, action: str, text: str) -> None:
        if self.client.path != routes.CUSTOMERS:
            return
        await self._measure(
            action,
            self.client.run([(event_name(LIST, "set_search"), {"value": text})], Expect([changed(LIST, "rows")])),
        )
        self._collect_ids()

    async def search_name(self) -> None:
        await self._search("search_name", self.rng.choice(SEARCH_NAMES))

    async def search_phone(self) -> None:
        await self._search("search_phone", self.rng.choice(PHONE_PREFIXES))

    async def next_page(self) -> None:
        if self.client.path != routes.CUSTOMERS or not self.client.var(LIST, "has_after"):
            return
        await self._measure(
            "next_page", self.client.run([(event_name(LIST, "next_page"), {})], Expect([changed(LIST, "rows")]))
        )
        self._collect_ids()

    async def open_record(self) -> None:
        if not self.record_ids:
            return
        record_id = self.rng.choice(self.record_ids)
        await self._measure(
            "open_record", self.client.navigate(routes.customer_url(record_id), {"customer_id": record_id})
        )

    def _on_record(self) -> bool:
        return self.client.path.startswith(routes.CUSTOMERS + "/") and bool(self.client.var(DETAIL, "found"))

    async def switch_tab(self) -> None:
        if not self._on_record():
            return
        tab = self.rng.choice(list(TAB_STATES))
        steps = [changed(DETAIL, "tab"), *[touched(state) for state in TAB_STATES[tab]]]
        await self._measure("tab", self.client.run([(event_name(DETAIL, "select_tab"), {"tab": tab})], Expect(steps)))

    async def edit_and_save(self) -> None:
        """Edit the address in place: open the editor, type it in three strokes, save."""
        if not self._on_record():
            return
        if await self._measure(
            "edit",
            self.client.run(
                [(event_name(DETAIL, "start_edit"), {"name": "address"})], Expect([changed(DETAIL, "edit_field")])
            ),
        ):
            return
        address = f"{self.rng.randint(1, 300)} {self.rng.choice(STREETS)}, phường {self.rng.randint(1, 20)}"
        for cut in (len(address) // 3, 2 * len(address) // 3, len(address)):
            await asyncio.sleep(self.rng.uniform(*PAUSE_S))
            if await self._measure(
                "type",
                self.client.run(
                    [(event_name(DETAIL, "set_edit_value"), {"value": address[:cut]})],
                    Expect([changed(DETAIL, "edit_value")]),
                ),
            ):
                return
        await asyncio.sleep(self.rng.uniform(*PAUSE_S))

        def invalid(u: Update) -> str | None:
            error = (u.get("delta") or {}).get(DETAIL, {}).get("edit_error" + FIELD_MARKER)
            return f"not saved: {error}" if error else None

        await self._measure(
            "save",
            self.client.run(
                [(event_name(DETAIL, "save_edit"), {})],
                Expect([changed(DETAIL, "edit_field"), has_events], fail=invalid),
            ),
        )

    async def open_board(self) -> None:
        await self._measure("board", self.client.navigate(routes.OPPORTUNITY_BOARD))


# ---------------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (the way timing.p95 takes the 95th)."""
    if not values:
        return None
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q * len(s)) - 1))]


def stats(samples: list[Sample]) -> dict:
    ok = [s.ms for s in samples if s.error is None]
    return {
        "count": len(samples),
        "errors": sum(1 for s in samples if s.error),
        "p50": percentile(ok, 0.50),
        "p95": percentile(ok, 0.95),
        "p99": percentile(ok, 0.99),
    }


def in_window(samples: list[Sample], start: float, end: float) -> list[Sample]:
    return [s for s in samples if start <= s.at < end]


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def print_table(title: str, samples: list[Sample], seconds: float, extra: str) -> None:
    total = stats(samples)
    print(
        f"\n{title}: {total['count']:,} actions in {seconds:.0f} s = {total['count'] / seconds:.1f} actions/s, "
        f"{total['errors']} errors; {extra}",
        flush=True,
    )
    print(f"  {'action':<14}{'count':>7}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'errors':>8}")
    for action in ACTIONS:
        rows = [s for s in samples if s.action == action]
        if rows:
            st = stats(rows)
            print(
                f"  {action:<14}{st['count']:>7}{_ms(st['p50']):>10}{_ms(st['p95']):>10}{_ms(st['p99']):>10}"
                f"{st['errors']:>8}"
            )
    print(
        f"  {'all':<14}{total['count']:>7}{_ms(total['p50']):>10}{_ms(total['p95']):>10}{_ms(total['p99']):>10}"
        f"{total['errors']:>8}"
    )
    problems = collections.Counter(f"{s.action}: {s.error}" for s in samples if s.error)
    for text, n in problems.most_common(5):
        print(f"  error x{n}: {text}")


# ---------------------------------------------------------------------------------------------
# The backend's memory
# ---------------------------------------------------------------------------------------------


def backend_processes(port: int) -> list[psutil.Process]:
    """The process(es) listening on the port and their children (the backend workers)."""
    pids = set()
    try:
        pids = {
            c.pid
            for c in psutil.net_connections("tcp")
            if c.status == psutil.CONN_LISTEN and c.laddr and c.laddr.port == port and c.pid
        }
    except psutil.AccessDenied:
        for proc in psutil.process_iter():
            try:
                if any(c.status == psutil.CONN_LISTEN and c.laddr.port == port for c in proc.net_connections("tcp")):
                    pids.add(proc.pid)
            except (psutil.AccessDenied, psutil.NoSuchProcess):
                continue
    procs: dict[int, psutil.Process] = {}
    for pid in pids:
        try:
            proc = psutil.Process(pid)
            procs[pid] = proc
            procs.update({child.pid: child for child in proc.children(recursive=True)})
        except psutil.NoSuchProcess:
            continue
    return list(procs.values())


def backend_rss_mb(port: int) -> float | None:
    total = 0
    procs = backend_processes(port)
    for proc in procs:
        try:
            total += proc.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return round(total / 2**20, 1) if procs else None


class RssSampler:
    """The backend RSS every second while it runs: the peak and the last value."""

    def __init__(self, port: int) -> None:
        self.port, self.peak, self.last = port, None, None
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        while True:
            self._sample()
            await asyncio.sleep(1.0)

    def _sample(self) -> None:
        rss = backend_rss_mb(self.port)
        if rss is not None:
            self.last, self.peak = rss, max(rss, self.peak or 0.0)

    async def stop(self) -> None:
        self._task.cancel()
        self._sample()


# ---------------------------------------------------------------------------------------------
# Phases
# ---------------------------------------------------------------------------------------------


@dataclass
class Bench:
    url: str
    port: int
    duration: float
    warmup: float


async def start_users(bench: Bench, n: int, samples: list[Sample], seed: int) -> tuple[list[SalesUser], int]:
    """N users, round robin over the sales users, logged in LOGINS_AT_ONCE at a time: the users that
    started, and how many could not (each counts as an error of the phase)."""
    users = [
        SalesUser(bench.url, SALES_USERS[i % len(SALES_USERS)], random.Random(seed * 1000 + i), samples)
        for i in range(n)
    ]
    gate = asyncio.Semaphore(LOGINS_AT_ONCE)

    async def start(user: SalesUser) -> None:
        async with gate:
            await user.start()

    started = await asyncio.gather(*(start(u) for u in users), return_exceptions=True)
    failed = [(u, r) for u, r in zip(users, started, strict=True) if isinstance(r, Exception)]
    if failed:
        print(f"  {len(failed)} of {n} users could not start, e.g. {failed[0][1]}", flush=True)
        await asyncio.gather(*(u.stop() for u, _r in failed), return_exceptions=True)
    return [u for u, r in zip(users, started, strict=True) if not isinstance(r, Exception)], len(failed)


async def stop_users(users: list[SalesUser], tasks: list[asyncio.Task]) -> None:
    """Let each user finish the action under way, then close the sockets."""
    done, pending = await asyncio.wait(tasks, timeout=ACTION_TIMEOUT_S * 4)
    for task in pending:
        task.cancel()
    for task in done:
        if not task.cancelled() and task.exception() is not None:
            print(f"  a user stopped on {task.exception()!r}", flush=True)
    await asyncio.gather(*(u.stop() for u in users), return_exceptions=True)


async def run_mix_phase(bench: Bench, n: int) -> dict:
    samples: list[Sample] = []
    users, not_started = await start_users(bench, n, samples, seed=n)
    stop = asyncio.Event()
    client_cpu = psutil.Process()
    tasks = [asyncio.create_task(u.loop(stop)) for u in users]
    await asyncio.sleep(bench.warmup)
    sampler, start = RssSampler(bench.port), time.perf_counter()
    client_cpu.cpu_percent()
    await asyncio.sleep(bench.duration)
    stop.set()
    end, cpu = time.perf_counter(), client_cpu.cpu_percent()
    await stop_users(users, tasks)
    await sampler.stop()
    window = in_window(samples, start, end)
    print_table(
        f"N={n} users",
        window,
        end - start,
        f"backend RSS peak {sampler.peak} MB; load client CPU {cpu:.0f} %"
        + (f"; {not_started} users could not start (counted as errors)" if not_started else ""),
    )
    return phase_figures(window, end - start, sampler.peak, not_started)


def phase_figures(samples: list[Sample], seconds: float, rss_peak: float | None, not_started: int) -> dict:
    total = stats(samples)
    by_action = {a: stats([s for s in samples if s.action == a]) for a in ACTIONS}
    return {
        "actions_per_s": round(total["count"] / seconds, 2),
        "p50_ms": _rounded(total["p50"]),
        "p95_ms": _rounded(total["p95"]),
        "p99_ms": _rounded(total["p99"]),
        "errors": total["errors"] + not_started,
        "not_started": not_started,
        "type_p95_ms": _rounded(by_action["type"]["p95"]),
        "backend_rss_mb": rss_peak,
        "open_record_p50_ms": _rounded(by_action["open_record"]["p50"]),
        "save_p50_ms": _rounded(by_action["save"]["p50"]),
    }


class ImportFailed(RuntimeError):
    pass


async def wizard_step(what: str, outcome: Awaitable[tuple[float, str | None]]) -> float:
    ms, error = await outcome
    print(f"  import {what}: {ms / 1000:.2f} s" + (f"  ERROR {error}" if error else ""), flush=True)
    if error:
        raise ImportFailed(f"{what}: {error}")
    return round(ms / 1000, 2)


async def run_import(manager: ReflexClient, data: bytes) -> dict:
    """The import wizard end to end over the manager's tab: upload, mapping (auto), options, review, run."""
    times = {
        "import_upload_s": await wizard_step(
            "upload (read and stage the file)",
            manager.upload(
                event_name(IMPORT, "upload"),
                "load-import.xlsx",
                data,
                XLSX_TYPE,
                Expect([value_is(IMPORT, "step", "mapping")]),
                IMPORT_TIMEOUT_S,
            ),
        )
    }
    await wizard_step(
        "to options",
        manager.run([(event_name(IMPORT, "to_options"), {})], Expect([value_is(IMPORT, "step", "options")])),
    )
    times["import_review_s"] = await wizard_step(
        "review (analyse every row)",
        manager.run(
            [(event_name(IMPORT, "to_review"), {})], Expect([value_is(IMPORT, "step", "review")]), IMPORT_TIMEOUT_S
        ),
    )
    times["import_run_s"] = await wizard_step(
        "run",
        manager.run(
            [(event_name(IMPORT, "run_import"), {})], Expect([value_is(IMPORT, "step", "summary")]), IMPORT_TIMEOUT_S
        ),
    )
    print(f"  import summary: {manager.var(IMPORT, 'summary')}", flush=True)
    return times


async def run_import_phase(bench: Bench, data: bytes, rows: int, users_n: int) -> dict:
    samples: list[Sample] = []
    manager = ReflexClient(bench.url)
    _ms, error = await manager.open(routes.LOGIN, timeout=LOGIN_TIMEOUT_S)
    if error:
        raise RuntimeError(f"{IMPORT_MANAGER}: opening the login page: {error}")
    await manager.login(IMPORT_MANAGER, BENCH_PASSWORD, LOGIN_TIMEOUT_S)
    manager.token = str(uuid.uuid4())
    _ms, error = await manager.open(routes.IMPORT, timeout=LOGIN_TIMEOUT_S)
    if error:
        raise RuntimeError(f"{IMPORT_MANAGER}: opening the import page: {error}")
    users, not_started = await start_users(bench, users_n, samples, seed=7)
    stop = asyncio.Event()
    tasks = [asyncio.create_task(u.loop(stop)) for u in users]
    await asyncio.sleep(bench.warmup)
    print(
        f"\nDuring import: {users_n} users run the mix while {IMPORT_MANAGER} imports {rows:,} rows "
        f"({len(data) / 1e6:.1f} MB .xlsx)",
        flush=True,
    )
    figures: dict = {"backend_rss_before_import_mb": backend_rss_mb(bench.port)}
    sampler, start = RssSampler(bench.port), time.perf_counter()
    failure = None
    try:
        figures.update(await run_import(manager, data))
    except ImportFailed as exc:
        failure = str(exc)
    end = time.perf_counter()
    stop.set()
    await stop_users(users, tasks)
    await sampler.stop()
    figures.update(
        import_s=round(end - start, 2),
        backend_rss_after_import_mb=backend_rss_mb(bench.port),
        backend_rss_peak_during_import_mb=sampler.peak,
        import_error=failure,
    )
    if failure is None:
        figures.update(await undo_import(manager, bench.port))
    await manager.close()
    window = in_window(samples, start, end)
    print_table(
        f"During import ({users_n} users)",
        window,
        end - start,
        f"import {end - start:.1f} s{' FAILED: ' + failure if failure else ''}; backend RSS "
        f"{figures['backend_rss_before_import_mb']} MB before, peak {sampler.peak} MB, "
        f"{figures['backend_rss_after_import_mb']} MB after, "
        f"{figures.get('backend_rss_after_undo_mb')} MB after the undo",
    )
    total = stats(window)
    figures.update(
        during_import_p95_ms=_rounded(total["p95"]),
        during_import_p50_ms=_rounded(total["p50"]),
        during_import_errors=total["errors"] + not_started,
        during_import_actions_per_s=round(total["count"] / (end - start), 2),
    )
    return figures


async def undo_import(manager: ReflexClient, port: int) -> dict:
    try:
        undo_s = await wizard_step(
            "undo",
            manager.run(
                [(event_name(IMPORT, "undo"), {})],
                Expect([value_is(IMPORT, "undone", True), has_events]),
                IMPORT_TIMEOUT_S,
            ),
        )
    except ImportFailed:
        return {"undo_s": None, "backend_rss_after_undo_mb": None}
    return {"undo_s": undo_s, "backend_rss_after_undo_mb": backend_rss_mb(port)}


# ---------------------------------------------------------------------------------------------
# The database, the import file and the app
# ---------------------------------------------------------------------------------------------


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def copy_bench_db() -> str:
    """bench/out/load_1m.db: a new copy of the benchmark database (built first when missing) for
    every run, so the load's edits (saves, the import and its undo) never touch the database the
    other benchmarks read, and every run starts from the same data."""
    if not BENCH_DB.exists():
        from list_query import prepare

        prepare(sqlite_url(BENCH_DB), 1_000_000, False)
    print(f"Copying {BENCH_DB.name} to {LOAD_DB.name} ...", flush=True)
    tmp = LOAD_DB.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    with sqlite3.connect(f"file:{BENCH_DB}?mode=ro", uri=True) as src, sqlite3.connect(tmp) as dst:
        src.backup(dst)
    for suffix in ("-wal", "-shm"):
        Path(f"{LOAD_DB}{suffix}").unlink(missing_ok=True)
    tmp.replace(LOAD_DB)
    return sqlite_url(LOAD_DB)


def fresh_smoke_db() -> str:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{SMOKE_DB}{suffix}").unlink(missing_ok=True)
    OUT.mkdir(parents=True, exist_ok=True)
    url = sqlite_url(SMOKE_DB)
    subprocess.run(
        [sys.executable, "-m", "crm_app.tools.generate", "--customers", "2000", "--database-url", url, "--quiet"],
        cwd=ROOT,
        check=True,
    )
    return url


def database_url(args: argparse.Namespace) -> str | None:
    if args.smoke:
        return fresh_smoke_db()
    if args.database_url:
        return args.database_url
    if args.start:
        return copy_bench_db()
    return sqlite_url(BENCH_DB) if BENCH_DB.exists() else None


def build_import_file(url: str, rows: int) -> tuple[bytes, int]:
    """bench/import_export.py's file and its row count: 30 % of the rows repeat a stored customer
    (name and phone), so a small database caps the rows."""
    import sqlalchemy as sa
    from import_export import build_file
    from sqlmodel import Session

    from crm_app.db import make_engine
    from crm_app.models import Customer

    engine = make_engine(url)
    try:
        with Session(engine) as session:
            max_id = session.execute(sa.select(sa.func.max(Customer.id))).scalar_one() or 0
            if rows * 0.3 > max_id:
                rows = int(max_id / 0.3)
                print(f"The database is small: the import file has {rows:,} rows.", flush=True)
            return build_file(session, rows, random.Random(7)), rows
    finally:
        engine.dispose()


def port_in_use(port: int) -> bool:
    return bool(backend_processes(port))


def start_app(url: str, port: int, db_url: str) -> subprocess.Popen:
    """scripts/run.sh in its own process group, logging to bench/out/load_app.log; waits for /ping."""
    if port_in_use(port):
        raise SystemExit(f"port {port} is in use: stop what listens there or pass another --url")
    OUT.mkdir(parents=True, exist_ok=True)
    # no scheduled backup of the benchmark database while it is measured
    env = {**os.environ, "DATABASE_URL": db_url, "PORT": str(port), "CRM_BACKUP_HOURS": "0"}
    env.pop("BACKEND_PORT", None)
    print(f"Starting the app on port {port} (log: {APP_LOG}) ...", flush=True)
    with open(APP_LOG, "w") as log:
        proc = subprocess.Popen(
            ["bash", "scripts/run.sh"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    t = time.perf_counter()
    while time.perf_counter() - t < APP_START_TIMEOUT_S:
        if proc.poll() is not None:
            raise SystemExit(f"the app exited with {proc.returncode}; see {APP_LOG}")
        try:
            if httpx.get(url + str(constants.Endpoint.PING), timeout=2).status_code == 200:
                print(f"App up after {time.perf_counter() - t:.0f} s.", flush=True)
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(2)
    stop_app(proc)
    raise SystemExit(f"the app did not answer within {APP_START_TIMEOUT_S:.0f} s; see {APP_LOG}")


def stop_app(proc: subprocess.Popen) -> None:
    for sig, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------


async def run_all(args: argparse.Namespace, bench: Bench, import_data: bytes | None) -> dict:
    result: dict = {
        "open_record_p50_ms": None,
        "save_p50_ms": None,
        "users_25_p95_ms": None,
        "users_50_p95_ms": None,
        "users_50_errors": None,
        "during_import_p95_ms": None,
        "during_import_errors": None,
    }
    phases = {}
    for n in args.users:
        try:
            phases[n] = await run_mix_phase(bench, n)
        except (RuntimeError, ConnectionError, OSError, TimeoutError) as exc:
            print(f"\nN={n} users: the phase failed: {exc}", flush=True)
            result[f"users_{n}_failed"] = str(exc)
            continue
        for key, value in phases[n].items():
            if key not in ("open_record_p50_ms", "save_p50_ms"):
                result[f"users_{n}_{key}"] = value
    if phases:
        headline = phases.get(HEADLINE_USERS) or next(iter(phases.values()))
        result.update(open_record_p50_ms=headline["open_record_p50_ms"], save_p50_ms=headline["save_p50_ms"])
    if import_data is not None:
        try:
            result.update(await run_import_phase(bench, import_data, args.import_rows, args.import_users))
        except (RuntimeError, ConnectionError, OSError, TimeoutError) as exc:
            print(f"\nDuring import: the phase failed: {exc}", flush=True)
            result["import_error"] = str(exc)
        result["import_rows"] = args.import_rows
    return result


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", default="http://127.0.0.1:3000", help="the app's base URL")
    ap.add_argument("--start", action="store_true", help="start the app (scripts/run.sh) and stop it at the end")
    ap.add_argument("--database-url", help="the app's database with --start (default: a copy of bench_1m.db)")
    ap.add_argument("--users", default="1,10,25,50", help="simulated users per phase, comma separated")
    ap.add_argument("--duration", type=float, default=60.0, help="measured seconds per phase")
    ap.add_argument("--warmup", type=float, default=5.0, help="unmeasured seconds before each phase")
    ap.add_argument("--skip-import", action="store_true", help="no import phase")
    ap.add_argument("--import-rows", type=int, default=IMPORT_ROWS, help="rows of the imported file")
    ap.add_argument(
        "--smoke",
        action="store_true",
        help="CI smoke: --start on a fresh 2,000-customer database, N=2 for 10 s, a 500-row import",
    )
    args = ap.parse_args()
    args.users = [int(n) for n in args.users.split(",") if n.strip()]
    args.import_users = IMPORT_USERS
    if args.smoke:
        args.start, args.users, args.duration, args.warmup = True, [2], 10.0, 2.0
        args.import_rows, args.import_users = 500, 2
    args.url = args.url.rstrip("/")
    return args


def main() -> int:
    args = parse_args()
    port = urlsplit(args.url).port or (443 if args.url.startswith("https") else 80)
    db_url = database_url(args)
    import_data = None
    if not args.skip_import:
        if db_url is None:
            raise SystemExit("the import file is built from the app's database: pass --database-url (or --skip-import)")
        print(f"Building the {args.import_rows:,}-row import file ...", flush=True)
        import_data, args.import_rows = build_import_file(db_url, args.import_rows)
    proc = start_app(args.url, port, db_url) if args.start else None
    try:
        result = asyncio.run(run_all(args, Bench(args.url, port, args.duration, args.warmup), import_data))
    finally:
        if proc is not None:
            stop_app(proc)
    print(json.dumps(result, ensure_ascii=False))
    # a failed action, a user who could not start or a failed import fails the run (CI's smoke)
    failed = result.get("import_error") or any(
        value for key, value in result.items() if key.endswith(("_errors", "_not_started"))
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

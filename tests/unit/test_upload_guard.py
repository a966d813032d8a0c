"""Uploads are refused before their body is read: signed out (401), or larger than the handler
takes (413), announced or found while reading."""

from __future__ import annotations

import asyncio

from crm_app.services.people import auth
from crm_app.services.people.session_cookie import COOKIE
from crm_app.upload_guard import limit_for, upload_guard
from tests.unit.factories import make_org

IMPORT = "reflex___state____state.crm_app___state___import_wizard____import_state.upload"
FILES = "reflex___state____state.crm_app___state___customer_files____file_state.upload"


class Inner:
    """The app behind the guard: reads the whole body, as Reflex's upload does."""

    def __init__(self) -> None:
        self.called, self.read = False, 0

    async def __call__(self, scope, receive, send):
        self.called = True
        while True:
            message = await receive()
            self.read += len(message.get("body", b""))
            if not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


def _post(handler: str, token: str, chunks: list[bytes], length: int | None) -> tuple[int, Inner, int]:
    inner, sent, pulled = Inner(), [], 0
    headers = [(b"reflex-event-handler", handler.encode())]
    if token:
        headers.append((b"cookie", f"{COOKIE}={token}".encode()))
    if length is not None:
        headers.append((b"content-length", str(length).encode()))
    scope = {"type": "http", "method": "POST", "path": "/_upload", "headers": headers}
    queue = list(chunks)

    async def receive():
        nonlocal pulled
        pulled += 1
        body = queue.pop(0) if queue else b""
        return {"type": "http.request", "body": body, "more_body": bool(queue)}

    async def send(message):
        sent.append(message)

    asyncio.run(upload_guard(inner)(scope, receive, send))
    return sent[0]["status"], inner, pulled


def test_a_signed_out_upload_is_refused_unread(session):
    status, inner, pulled = _post(IMPORT, "", [b"x" * 1000], 1000)
    assert (status, inner.called, pulled) == (401, False, 0)
    assert _post(IMPORT, "forged-token", [b"x"], 1)[0] == 401


def test_a_body_announced_too_big_is_refused_unread(session):
    org = make_org(session)
    token = auth.start_session(session, org.sales_a.id)
    status, inner, pulled = _post(FILES, token, [b""], limit_for(FILES) + 1)
    assert (status, inner.called, pulled) == (413, False, 0)
    assert limit_for(IMPORT) > limit_for(FILES) // 2  # an import file may be larger than one file


def test_a_body_that_runs_past_its_limit_is_cut_off(session):
    org = make_org(session)
    token = auth.start_session(session, org.sales_a.id)
    chunk = b"x" * (1024 * 1024)
    chunks = [chunk] * (limit_for(FILES) // len(chunk) + 2)
    status, inner, pulled = _post(FILES, token, chunks, None)
    assert status == 413 and inner.read <= limit_for(FILES) and pulled < len(chunks)


def test_an_upload_within_its_limit_goes_through(session):
    org = make_org(session)
    token = auth.start_session(session, org.sales_a.id)
    status, inner, _ = _post(IMPORT, token, [b"a" * 10, b"b" * 10], 20)
    assert (status, inner.called, inner.read) == (200, True, 20)

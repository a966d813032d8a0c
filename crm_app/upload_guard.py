"""Uploads are checked before their body is read: a request without a signed-in session is
answered 401, one larger than its handler takes 413, both without reading a byte of it.

Reflex reads an upload (``/_upload``) in full before any handler runs; this ASGI middleware
stands in front of it. The handler is named by the request's ``reflex-event-handler`` header:
an import takes one file of up to ``import_files.MAX_BYTES``, the customer's Files tab up to
``files.FILES_PER_DROP`` files of ``settings.max_upload_bytes`` each. A body without a length, or
that runs past the one it announced, is cut off at the limit.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from crm_app.db import session_scope
from crm_app.i18n import tr
from crm_app.services.customer import files
from crm_app.services.people import auth
from crm_app.services.people.session_cookie import COOKIE
from crm_app.services.transfer.import_files import MAX_BYTES as IMPORT_BYTES
from crm_app.settings import settings

MULTIPART_SLACK = 64 * 1024  # boundaries and part headers around the files

Scope = dict
ASGIApp = Callable[[Scope, Callable, Callable], Awaitable[None]]


def limit_for(handler: str) -> int:
    """The largest body the upload handler named by the request takes."""
    if handler.endswith("import_state.upload"):
        return IMPORT_BYTES + MULTIPART_SLACK
    return files.FILES_PER_DROP * settings.max_upload_bytes + MULTIPART_SLACK


def _signed_in(cookie_header: str) -> bool:
    token = auth.token_in(cookie_header, COOKIE)
    if not token:
        return False
    with session_scope() as session:
        return auth.user_for_token(session, token) is not None


async def _refuse(send: Callable, status: int, key: str, **params: object) -> None:
    lang = settings.default_language
    body = tr(key, lang, **params).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


def upload_guard(app: ASGIApp) -> ASGIApp:
    async def guarded(scope: Scope, receive: Callable, send: Callable) -> None:
        if (
            scope.get("type") != "http"
            or scope.get("method") != "POST"
            or not scope.get("path", "").endswith("/_upload")
        ):
            return await app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        if not await asyncio.to_thread(_signed_in, headers.get("cookie", "")):
            return await _refuse(send, 401, "login.session_expired")
        limit = limit_for(headers.get("reflex-event-handler", ""))
        mb = limit // (1024 * 1024)
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            return await _refuse(send, 413, "err.upload_too_big", mb=mb)
        seen = 0

        async def counted() -> dict:
            nonlocal seen
            message = await receive()
            if message.get("type") == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise UploadTooBig
            return message

        try:
            await app(scope, counted, send)
        except UploadTooBig:
            await _refuse(send, 413, "err.upload_too_big", mb=mb)

    return guarded


class UploadTooBig(Exception):
    """A body that ran past its limit while it was read."""

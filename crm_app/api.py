"""Backend routes beside Reflex's own: signing in and out (the session cookie, HttpOnly), the
download of a customer's file and of generated files (exports, import error reports, templates),
and the unsubscribe link of a campaign's message (public: its signed token is the right to it).

The browser sends the session cookie with the request; each route resolves it on the server before
any byte is read. A customer's file is checked against the user's right to the customer; a
generated file is handed out once, to the user it was made for. Files never come from /_upload
or assets/.
"""

from __future__ import annotations

import asyncio
import html
from urllib.parse import quote, urlencode, urlsplit

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse
from starlette.routing import Route

from crm_app import routes
from crm_app.db import session_scope
from crm_app.i18n import tr
from crm_app.services.campaigns import unsubscribe as unsubscribing
from crm_app.services.customer import files
from crm_app.services.errors import AuthError, NotAllowed, ServiceError
from crm_app.services.people import auth
from crm_app.services.people.permissions import load_actor
from crm_app.services.people.session_cookie import COOKIE, attributes
from crm_app.services.transfer import downloads
from crm_app.settings import settings

MEDIA_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv; charset=utf-8",
}
PRIVATE = {"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"}
LANG = settings.default_language


def refusal(status: int, key: str, lang: str = LANG) -> HTMLResponse:
    """A small page in the user's language saying why the file is not given, with a way back."""
    message, back = html.escape(tr(key, lang)), html.escape(tr("action.back_to_app", lang))
    return HTMLResponse(
        f'<!doctype html><html lang="{lang}"><meta charset="utf-8"><title>CRM</title>'
        f'<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; padding: 0 1rem">'
        f'<p id="refusal">{message}</p><p><a href="{routes.HOME}">{back}</a></p></body></html>',
        status_code=status,
        headers=PRIVATE,
    )


async def download_file(request: Request):
    try:
        file_id = int(request.path_params["file_id"])
    except (KeyError, ValueError):
        return refusal(404, "err.file_not_found")
    with session_scope() as session:
        user = auth.user_for_token(session, request.cookies.get(COOKIE, ""))
        if user is None:
            return refusal(401, "login.session_expired")
        try:
            stored, path = files.for_download(session, load_actor(session, user.id), file_id)
        except NotAllowed:
            # The same answer for "not yours" and "does not exist": ids cannot be probed.
            return refusal(403, "err.not_allowed", user.language)
        except ServiceError:
            return refusal(404, "err.file_not_found", user.language)
    return FileResponse(path, media_type=stored.content_type, filename=stored.name, headers=PRIVATE)


async def download_generated(request: Request):
    token = request.path_params["token"]
    with session_scope() as session:
        user = auth.user_for_token(session, request.cookies.get(COOKIE, ""))
        if user is None:
            return refusal(401, "login.session_expired")
        try:
            path, name = downloads.take(user.id, token)
        except NotAllowed:
            return refusal(404, "err.file_not_found", user.language)
    suffix = name[name.rfind(".") :] if "." in name else ""
    return FileResponse(
        path,
        media_type=MEDIA_TYPES.get(suffix, "application/octet-stream"),
        headers={**PRIVATE, "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
    )


LOGIN_FORM_BYTES = 4096  # a username and a password


def _same_site(request: Request) -> bool:
    """A form posted from the app's own pages (a browser names the page's origin on a POST)."""
    origin = request.headers.get("origin") or request.headers.get("referer") or ""
    return not origin or urlsplit(origin).netloc == request.headers.get("host", "")


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "") == "https"


def _sign_in(username: str, password: str, client: str) -> str:
    with session_scope() as session:
        user = auth.authenticate(session, username, password, client=client)
        return auth.start_session(session, user.id)


async def login(request: Request):
    """The login form's POST: a session cookie and the dashboard, or the login page saying why."""
    length = request.headers.get("content-length", "")
    if not _same_site(request) or not length.isdigit() or int(length) > LOGIN_FORM_BYTES:
        return refusal(403, "err.not_allowed")
    form = await request.form()
    client = request.client.host if request.client else ""
    try:
        token = await asyncio.to_thread(_sign_in, str(form.get("username", "")), str(form.get("password", "")), client)
    except AuthError as exc:
        said = {"error": exc.key, "u": str(form.get("username", ""))[:100]}  # the name stays typed
        query = urlencode({**said, **{k: v for k, v in exc.params.items() if k == "seconds"}})
        return RedirectResponse(f"{routes.LOGIN}?{query}", status_code=303)
    response = RedirectResponse(routes.DASHBOARD, status_code=303)
    response.set_cookie(COOKIE, token, **attributes(_secure(request)))
    return response


async def logout(request: Request):
    """Ends the session the cookie names, and the cookie."""
    if not _same_site(request):
        return refusal(403, "err.not_allowed")
    token = request.cookies.get(COOKIE, "")
    with session_scope() as session:
        auth.end_session(session, token)
    response = RedirectResponse(routes.LOGIN, status_code=303)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax", secure=_secure(request))
    return response


async def _one_click(request: Request) -> bool:
    """A POST whose body is ``List-Unsubscribe=One-Click`` (form encoded or multipart)."""
    form = await request.form(max_files=0, max_fields=5)
    return form.get(ONE_CLICK[0]) == ONE_CLICK[1]


def _page(body: str, status: int = 200) -> HTMLResponse:
    """A plain page of the app's language for someone who is not signed in (a message's addressee)."""
    return HTMLResponse(
        f'<!doctype html><html lang="{LANG}"><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><title>CRM</title>'
        f'<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; padding: 0 1rem">'
        f"{body}</body></html>",
        status_code=status,
        headers=PRIVATE,
    )


def _unsubscribe_step(token: str, confirm: bool) -> tuple[int, str]:
    """(HTTP status, page body): the question, what was done, or why the link changes nothing."""
    with session_scope() as session:
        try:
            if confirm:
                address = unsubscribing.unsubscribe(session, token)
                return 200, f'<p id="unsubscribed">{html.escape(tr("unsub.done", LANG, address=address))}</p>'
            member = unsubscribing.member_of(session, token)
            address = unsubscribing.address_of(session, member)
            if member.status == "unsubscribed":  # the link opened again: nothing left to ask
                return 200, f'<p id="unsubscribed">{html.escape(tr("unsub.already", LANG, address=address))}</p>'
        except ServiceError as exc:
            status = 410 if exc.key == "err.unsubscribe_expired" else 400
            return status, f'<p id="refusal">{html.escape(tr(exc.key, LANG))}</p>'
    question = html.escape(tr("unsub.question", LANG, address=address))
    button = html.escape(tr("unsub.confirm", LANG))
    return 200, (
        f'<h1 style="font-size: 1.3rem">{html.escape(tr("unsub.title", LANG))}</h1><p>{question}</p>'
        f'<form method="post"><button type="submit" id="unsubscribe-confirm" '
        f'style="font-size: 1rem; padding: .5rem 1rem">{button}</button></form>'
    )


ONE_CLICK = ("List-Unsubscribe", "One-Click")


async def unsubscribe(request: Request):
    """The link in a campaign's message: GET asks (a mail scanner opening links changes nothing),
    POST from that page sets the e-mail opt-out, and so does the one-click POST a mail client
    sends from the message's List-Unsubscribe header (RFC 8058: from anywhere, the signed link
    being what it may change)."""
    confirm = request.method == "POST"
    if confirm and not _same_site(request) and not await _one_click(request):
        return refusal(403, "err.not_allowed")
    status, body = await asyncio.to_thread(_unsubscribe_step, request.path_params["token"], confirm)
    return _page(body, status)


api = Starlette(
    routes=[
        Route(routes.AUTH_LOGIN, login, methods=["POST"]),
        Route(routes.AUTH_LOGOUT, logout, methods=["POST"]),
        Route("/api/files/{file_id}", download_file, methods=["GET"]),
        Route("/download/{token}/{name}", download_generated, methods=["GET"]),
        Route(routes.UNSUBSCRIBE + "/{token}", unsubscribe, methods=["GET", "POST"]),
    ]
)

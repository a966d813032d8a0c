"""Backend routes beside Reflex's own: the download of a customer's file and of generated files
(exports, import error reports, templates).

The browser sends the session cookie with the request; each route resolves it on the server before
any byte is read. A customer's file is checked against the user's right to the customer; a
generated file is handed out once, to the user it was made for. Files never come from /_upload
or assets/.
"""

from __future__ import annotations

import html
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse
from starlette.routing import Route

from crm_app import routes
from crm_app.db import session_scope
from crm_app.i18n import tr
from crm_app.services.customer import files
from crm_app.services.errors import NotAllowed, ServiceError
from crm_app.services.people import auth
from crm_app.services.people.permissions import load_actor
from crm_app.services.transfer import downloads
from crm_app.settings import settings
from crm_app.state.session import COOKIE

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


api = Starlette(
    routes=[
        Route("/api/files/{file_id}", download_file, methods=["GET"]),
        Route("/download/{token}/{name}", download_generated, methods=["GET"]),
    ]
)

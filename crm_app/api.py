"""Backend routes beside Reflex's own: the download of a customer's file and of generated files
(exports, import error reports, templates).

The browser sends the session cookie with the request; each route resolves it on the server before
any byte is read. A customer's file is checked against the user's right to the customer; a
generated file is handed out once, to the user it was made for. Files never come from /_upload
or assets/.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse
from starlette.routing import Route

from crm_app.db import session_scope
from crm_app.services import auth, downloads, files
from crm_app.services.errors import NotAllowed, ServiceError
from crm_app.services.permissions import load_actor
from crm_app.state.session import COOKIE

MEDIA_TYPES = {".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               ".csv": "text/csv; charset=utf-8"}
PRIVATE = {"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"}


async def download_file(request: Request):
    try:
        file_id = int(request.path_params["file_id"])
    except (KeyError, ValueError):
        return PlainTextResponse("Not found", status_code=404)
    with session_scope() as session:
        user = auth.user_for_token(session, request.cookies.get(COOKIE, ""))
        if user is None:
            return PlainTextResponse("Sign in first", status_code=401)
        try:
            stored, path = files.for_download(session, load_actor(session, user.id), file_id)
        except NotAllowed:
            # The same answer for "not yours" and "does not exist": ids cannot be probed.
            return PlainTextResponse("Not allowed", status_code=403)
        except ServiceError:
            return PlainTextResponse("Not found", status_code=404)
    return FileResponse(path, media_type=stored.content_type, filename=stored.name, headers=PRIVATE)


async def download_generated(request: Request):
    token = request.path_params["token"]
    with session_scope() as session:
        user = auth.user_for_token(session, request.cookies.get(COOKIE, ""))
        if user is None:
            return PlainTextResponse("Sign in first", status_code=401)
        try:
            path, name = downloads.take(user.id, token)
        except NotAllowed:
            return PlainTextResponse("Not found", status_code=404)
    suffix = name[name.rfind("."):] if "." in name else ""
    return FileResponse(path, media_type=MEDIA_TYPES.get(suffix, "application/octet-stream"),
                        headers={**PRIVATE, "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


api = Starlette(routes=[Route("/api/files/{file_id}", download_file, methods=["GET"]),
                        Route("/download/{token}/{name}", download_generated, methods=["GET"])])

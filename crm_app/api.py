"""Backend routes beside the Reflex app: the authenticated download of generated files."""

from __future__ import annotations

from urllib.parse import quote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse
from starlette.routing import Route

from crm_app.db import session_scope
from crm_app.services import auth, downloads
from crm_app.services.errors import NotAllowed
from crm_app.state.session import COOKIE

MEDIA_TYPES = {".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               ".csv": "text/csv; charset=utf-8"}


async def download(request: Request):
    token = request.path_params["token"]
    with session_scope() as session:
        user = auth.user_for_token(session, request.cookies.get(COOKIE, ""))
        if user is None:
            return PlainTextResponse("Unauthorized", status_code=401)
        try:
            path, name = downloads.take(user.id, token)
        except NotAllowed:
            return PlainTextResponse("Not found", status_code=404)
    suffix = name[name.rfind("."):] if "." in name else ""
    return FileResponse(path, media_type=MEDIA_TYPES.get(suffix, "application/octet-stream"),
                        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


api = Starlette(routes=[Route("/download/{token}/{name}", download)])

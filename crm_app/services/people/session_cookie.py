"""The session cookie: set by the HTTP login route (crm_app.api), sent by the browser with every
request and with the websocket's handshake, never readable by a script of the page."""

from __future__ import annotations

from crm_app.settings import settings

COOKIE = "crm_session"


def attributes(secure: bool) -> dict:
    """HttpOnly: no script reads it; SameSite=Lax: no other site's form or frame sends it;
    Secure under HTTPS."""
    return {
        "max_age": settings.session_hours * 3600,
        "httponly": True,
        "samesite": "lax",
        "secure": secure,
        "path": "/",
    }

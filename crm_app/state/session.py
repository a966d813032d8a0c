"""The logged-in user, the language and the message catalog; the base of every page state.

Every event handler of a page state gets its database session and Actor from
``service()``, which resolves the session cookie on the server each time: a
handler never trusts what the browser says about who the user is. The cookie is
HttpOnly, set by the HTTP login route (crm_app.api): the state reads it from the
headers of the websocket's handshake, and no script of the page can.
"""

from __future__ import annotations

import json
import logging
from urllib.parse import quote

import reflex as rx
from reflex.event import EventHandler
from reflex.istate.proxy import StateProxy
from sqlalchemy.exc import OperationalError

from crm_app import routes
from crm_app.db import session_scope
from crm_app.i18n import messages_for, tr
from crm_app.services.errors import NotAllowed, ServiceError, ValidationFailed
from crm_app.services.lists.query import MAX_SEARCH
from crm_app.services.people import auth, users
from crm_app.services.people.session_cookie import COOKIE
from crm_app.settings import settings
from crm_app.state.off_loop import OffLoopHandler, off_loop

log = logging.getLogger(__name__)


def unexpected_error_key(exc: BaseException) -> str:
    """The catalog message for an error no service turned into one."""
    text = str(exc).lower()
    if isinstance(exc, OperationalError) and ("database is locked" in text or "lock timeout" in text):
        return "err.database_busy"  # SQLite's busy timeout, PostgreSQL's lock_timeout
    return "err.unexpected"


class SessionState(rx.State):
    """Every handler of this state and its substates runs off the event loop (``off_loop``)."""

    user_id: int = 0
    user_name: str = ""
    role: str = ""
    lang: str = settings.default_language

    @rx.var
    def t(self) -> dict[str, str]:
        """The message catalog in the user's language (the UI reads every label here)."""
        return messages_for(self.lang)

    @rx.var
    def is_admin(self) -> bool:
        return self.role == "admin"

    @rx.var
    def is_manager(self) -> bool:
        return self.role in ("admin", "manager")

    def _msg(self, key: str, **params: object) -> str:
        return tr(key, self.lang, **params)

    def _create_event_handler(cls, fn, event_handler_cls=EventHandler):
        """Reflex builds each handler of the state here: the body goes off the loop."""
        if event_handler_cls is EventHandler:
            event_handler_cls = OffLoopHandler
        return super()._create_event_handler(off_loop(fn), event_handler_cls)

    _create_event_handler.__override_base_method__ = True  # Reflex allows this override when marked
    _create_event_handler = classmethod(_create_event_handler)

    def _auth_token(self) -> str:
        """The session token of the browser behind this event (its websocket's Cookie header)."""
        return auth.token_in(self.router.headers.cookie, COOKIE)

    def _service(self):
        """A database session and the current user's Actor, checked on the server."""
        return auth.actor_session(self._auth_token())

    def _refused(self, exc: Exception):
        """A page opened by someone it is not for: why, shown instead of the page (the state's
        ``denied``; no toast saying it again)."""
        if isinstance(exc, NotAllowed) and exc.key != "err.session_invalid":
            self.denied = self._msg(exc.key, **exc.params)
            return None
        return self._fail(exc)

    def _user_counts(self, *counts) -> list[int]:
        """``count(session, user id)`` of each top bar badge, in one session; 0s without a valid
        session (that page redirects on its own)."""
        try:
            with self._service() as (session, actor):
                return [count(session, actor.id) for count in counts]
        except Exception:  # noqa: BLE001
            return [0] * len(counts)

    def _first_error(self, exc: ValidationFailed):
        """A refused value's message (its parameters filled in) as a toast."""
        key, params = next(iter(exc.errors.values()))
        return rx.toast.error(self._msg(key, **params))

    def _fail(self, exc: Exception):
        """The events that tell the user what went wrong."""
        if isinstance(exc, NotAllowed) and exc.key == "err.session_invalid":
            self.user_id = 0
            return rx.redirect(routes.LOGIN)
        if isinstance(exc, ServiceError):
            return rx.toast.error(self._msg(exc.key, **exc.params))
        raise exc

    def _on_error(self, exc: Exception):
        """Any error a handler let through: the service's message, or one saying what happened
        and what to do. The handler's state changes up to the error stay on screen."""
        if isinstance(exc, ServiceError):
            if isinstance(self, StateProxy):  # a background task outside ``async with self``
                if isinstance(exc, NotAllowed) and exc.key == "err.session_invalid":
                    return rx.redirect(routes.LOGIN)
                return rx.toast.error(self._msg(exc.key, **exc.params))
            return self._fail(exc)
        log.exception("unexpected error in an event handler", exc_info=exc)
        return rx.toast.error(self._msg(unexpected_error_key(exc)), duration=15000)

    @rx.event
    def require_login(self):
        """on_load of every signed-in page: who is this, or off to the login page."""
        with session_scope() as session:
            user = auth.user_for_token(session, self._auth_token())
            if user is None:
                self.user_id = 0
                return rx.redirect(routes.LOGIN)
            self._keep(user_id=user.id, user_name=user.full_name, role=user.role, lang=user.language)

    def _keep(self, **values: object) -> None:
        """Set the vars whose value differs: a var set, even to its value, marks every computed
        var depending on it dirty in every page's state (the labels follow the language), and
        this runs on every page load."""
        for name, value in values.items():
            if getattr(self, name) != value:
                setattr(self, name, value)

    @rx.event
    def global_search(self, form: dict):
        """The header search box: opens the customer list filtered by the text."""
        text = str(form.get("q", "")).strip()
        if len(text) > MAX_SEARCH:  # said here; the list stays as it was
            return rx.toast.error(self._msg("err.search_too_long", max=MAX_SEARCH))
        return rx.redirect(f"{routes.CUSTOMERS}?q={quote(text)}")

    @rx.event
    def logout(self):
        """The logout route ends the session and its cookie (no script can touch it). A new tab
        token and a full load: the next person to sign in on this tab starts with empty pages,
        not with the last user's searches, filters and forms."""
        self.user_id = 0
        return [rx.clear_session_storage(), rx.call_script(_POST_LOGOUT)]

    @rx.event
    def set_language(self, lang: str):
        if lang not in ("vi", "en"):
            return
        self.lang = lang
        if self.user_id:
            with session_scope() as session:
                user = auth.user_for_token(session, self._auth_token())
                if user is not None:
                    users.set_language(session, user.id, lang)


class LoginState(SessionState):
    """The login page. Its form posts to the HTTP login route (crm_app.api), which sets the
    session cookie and comes back here with ``?error=`` when it refuses."""

    error: str = ""

    @rx.event
    def open_login(self):
        """on_load of the login page: a valid session goes straight in; a refusal is said."""
        with session_scope() as session:
            if auth.user_for_token(session, self._auth_token()) is not None:
                return rx.redirect(routes.DASHBOARD)
        params = self.router.url.query_parameters
        key, seconds = str(params.get("error", "")), str(params.get("seconds", ""))
        self.error = self._msg(key, seconds=int(seconds) if seconds.isdigit() else 0) if key in LOGIN_ERRORS else ""
        typed = str(params.get("u", ""))[:100] if self.error else ""
        if typed:
            # The name typed before the refusal goes back into an empty field: a field the user
            # has already typed into again keeps what they typed (this event may come late).
            return rx.call_script(
                f"const f = document.getElementById('login-username'); if (f && !f.value) f.value = {json.dumps(typed)};"
            )


# What the login route may send back to say (nothing else reaches the page from the address).
LOGIN_ERRORS = ("err.login_failed", "err.login_required", "err.login_wait")
# The logout route is a POST (another site cannot sign a user out by a link).
_POST_LOGOUT = (
    "const f = document.createElement('form'); f.method = 'post'; "
    f"f.action = '{routes.AUTH_LOGOUT}'; document.body.appendChild(f); f.submit();"
)

"""The last net for an error outside every handler (Reflex's own event machinery): a message
in the app's default language instead of Reflex's generic English toast. Errors inside a
handler are turned into the user's own language by ``SessionState._on_error``."""

import logging

import reflex as rx

from crm_app.i18n import tr
from crm_app.settings import settings
from crm_app.state.session import unexpected_error_key

log = logging.getLogger(__name__)


def server_error_message(exception: Exception):  # Reflex checks this signature by name and type
    log.error("unexpected error while processing an event", exc_info=exception)
    return rx.toast.error(tr(unexpected_error_key(exception), settings.default_language), duration=15000)

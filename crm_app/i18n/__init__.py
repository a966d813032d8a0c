"""The message catalog: every user-visible label, Vietnamese by default, English as a choice."""

from crm_app.i18n.catalog import LANGUAGES, MESSAGES, Message, messages_for, tr

__all__ = ["LANGUAGES", "MESSAGES", "Message", "messages_for", "tr"]

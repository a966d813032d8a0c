"""Lookup helpers over the message tables in messages.py."""

from __future__ import annotations

from functools import lru_cache

from crm_app.i18n.messages import MESSAGES

LANGUAGES = ("vi", "en")


@lru_cache(maxsize=None)
def messages_for(lang: str) -> dict[str, str]:
    index = 1 if lang == "en" else 0
    return {key: pair[index] for key, pair in MESSAGES.items()}


def tr(key: str, lang: str = "vi", **params: object) -> str:
    text = messages_for(lang).get(key, key)
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text

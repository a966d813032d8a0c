"""The one message catalog: messages.py joined with the area tables in i18n/areas/."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from crm_app.i18n import areas
from crm_app.i18n.messages import MESSAGES as CORE_MESSAGES

LANGUAGES = ("vi", "en")


def _join() -> dict[str, tuple[str, str]]:
    joined = dict(CORE_MESSAGES)
    for info in sorted(pkgutil.iter_modules(areas.__path__), key=lambda m: m.name):
        table = importlib.import_module(f"{areas.__name__}.{info.name}").MESSAGES
        twice = joined.keys() & table.keys()
        if twice:
            raise ValueError(f"message keys defined twice ({info.name}): {sorted(twice)}")
        joined.update(table)
    return joined


MESSAGES: dict[str, tuple[str, str]] = _join()


@cache
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

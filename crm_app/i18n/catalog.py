"""The one message catalog: messages.py joined with the area tables in i18n/areas/."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from typing import Protocol, runtime_checkable

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


@runtime_checkable
class Labelled(Protocol):
    """A message parameter named in the reader's language (a field: its label, not its code)."""

    def label_in(self, lang: str) -> str: ...


class Message:
    """A message as the parameter of another ("Dòng 2: {reason}"), said in the reader's language."""

    def __init__(self, key: str, **params: object) -> None:
        self.key, self.params = key, params

    def label_in(self, lang: str) -> str:
        return tr(self.key, lang, **self.params)


def tr(key: str, lang: str = "vi", **params: object) -> str:
    text = messages_for(lang).get(key, key)
    if params:
        params = {k: v.label_in(lang) if isinstance(v, Labelled) else v for k, v in params.items()}
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text

"""The stored words of every name (``name_word``), looked up from inside: text typed from the
middle of a word ("uyen van a", "uyen") is found through the words that end with or contain it.

On PostgreSQL a LIKE over the table. On SQLite the words are kept in the process as one text,
searched with ``str.find``: the table grows with every distinct word ever stored (72,000 in the
benchmark's file, most of them numbers from company names) and its scan cost 4-9 ms on every
search of a name. Words are only ever added (models.search_keys), so the kept copy is current
while the table holds as many words as it does: SQLite counts them from the index pages alone;
a new word makes the next search read them again (10-20 ms at 72,000 words).
"""

from __future__ import annotations

import bisect
import weakref
from dataclasses import dataclass
from itertools import accumulate

import sqlalchemy as sa
from sqlmodel import Session

from crm_app.models import NameWord


@dataclass(frozen=True)
class _Words:
    words: list[str]
    text: str  # "\n".join(words) + "\n"
    starts: list[int]  # where each word starts in ``text``

    @classmethod
    def of(cls, joined: str | None) -> _Words:
        words = joined.split("\n") if joined else []
        starts = list(accumulate((len(w) + 1 for w in words), initial=0))[:-1]
        return cls(words, f"{joined}\n" if joined else "", starts)

    def find(self, part: str, ending: bool, limit: int) -> list[str]:
        needle = f"{part}\n" if ending else part
        found: list[str] = []
        at = self.text.find(needle)
        while at >= 0 and len(found) < limit:
            k = bisect.bisect_right(self.starts, at) - 1
            found.append(self.words[k])
            at = self.text.find(needle, self.starts[k] + len(self.words[k]) + 1)  # from the next word on
        return found


_KEPT: weakref.WeakKeyDictionary[sa.Engine, _Words] = weakref.WeakKeyDictionary()


def matching(session: Session, part: str, ending: bool, limit: int) -> list[str]:
    """Up to ``limit`` stored words holding ``part`` (a text without spaces), or ending with it."""
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        held = (
            NameWord.word.endswith(part, autoescape=True) if ending else NameWord.word.contains(part, autoescape=True)
        )
        stmt = sa.select(NameWord.word).where(held).order_by(NameWord.word).limit(limit)
        return list(session.execute(stmt).scalars().all())
    engine = bind.engine
    kept = _KEPT.get(engine)
    count = session.execute(sa.select(sa.func.count()).select_from(NameWord)).scalar_one()
    if kept is None or len(kept.words) != count:
        # one string of them all: 10-20 ms for 72,000 words, where a row each took 60-90 ms
        joined = session.execute(sa.select(sa.func.group_concat(NameWord.word, "\n"))).scalar_one()
        kept = _KEPT[engine] = _Words.of(joined)
    return kept.find(part, ending, limit)


def starting(session: Session, prefix: str, limit: int) -> list[str]:
    """Up to ``limit`` stored words starting with ``prefix`` (a range of the table's key)."""
    stmt = sa.select(NameWord.word).where(NameWord.word.startswith(prefix, autoescape=True)).limit(limit)
    return list(session.execute(stmt).scalars())

"""One query builder for every list page: a ListSpec in, SQLAlchemy out.

Paging is keyset ("seek") paging: the next page starts after the sort value and
id of the last row shown, so page 20,000 costs what page 1 costs. Every field a
spec names is checked against the entity's registry (services.fields).

Search. A search box value matches a record when (any of):
- it occurs in the record's name, diacritics, case and repeated spaces ignored
  ("nguyen van", "Nguyễn Văn" and "uyen van a" all find "Nguyễn Văn An");
- it is a phone prefix of one of its phones (digits only, +84 / 0 unified);
- it is a prefix of its e-mail; for customers, it is its code (KH000123).
Every kind of match is read from an index: names through the search keys of
models.search_keys (a name contains "uyen van a" exactly when one of its keys
starts with "<a word ending in 'uyen'> van a"; the words come from the word
list), phones, e-mails and codes through their shadow columns; keys and phones
carry copies of owner_id and archived, so a search keeps to what the actor
sees from the index alone. How a page is read depends on how many rows match,
measured first by a probe that stops at ``SEARCH_ID_LIMIT``:
- few matches: their ids drive the query (lookups, then sort);
- many matches: the sort index is walked and each row tested, which finds a
  page within a few hundred rows; when sorting by name, the names that start
  with the text are read as a range of the name index and merged with the
  other matches.
Text found in more than ``SEARCH_WORD_LIMIT`` different words ("an", "n") is
that common: it is searched by walking the list. Counting a search costs what
its matches cost, so lists show ``count_upto``, which stops at a cap.

PostgreSQL reads the same keys through its own covering index (models.search_keys)
and differs where its planner does: a page is first looked for among the next
``SEARCH_WALK_ROWS`` rows of the list, counts of keys are read in windows, and ids
from the keys are listed before they drive a page.

Words in any order ("tran nguyen" for "Nguyễn Văn Trần"): the keys of the typed word with
fewest keys are read, each tested for the other words in its term or its head (the words
before it), on either database (``_Search._meeting``).
"""

from __future__ import annotations

import functools
import itertools
import json
import operator
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql.util import ClauseAdapter
from sqlmodel import Session

from crm_app.db import unindexed
from crm_app.models import (
    Contact,
    ContactNameKey,
    Customer,
    CustomerNameKey,
    CustomerPhone,
    Pipeline,
    PipelineStage,
    Product,
    RecordTally,
    User,
)
from crm_app.models.record_tally import TALLIED
from crm_app.models.search_keys import MASK_CHARS, common_mask, word_bit
from crm_app.services.lists import name_words, record_lists
from crm_app.services.lists.filters import BadSpec, compile_filter, driving_filter
from crm_app.services.normalize import has_plus, search_terms, suffix_key
from crm_app.services.people.permissions import Actor, visibility_clause
from crm_app.services.records import catalogs, field_values
from crm_app.services.records.fields import ENTITIES, EntityDef, FieldDef, entity_def

PAGE_SIZES = (25, 50, 100, 200)
# A search matching at most this many rows is read through the list of their ids.
SEARCH_ID_LIMIT = 5_000
# The rows of a list walked first for a page of a search (see _search_records).
SEARCH_WALK_ROWS = 2_000
# Name text found in more distinct words than this is searched by walking the list.
SEARCH_WORD_LIMIT = 24
# count_upto's default cap: past it, a search total is shown as "10,000+".
SEARCH_COUNT_CAP = 10_000
# The newest names read to tell which of several typed words has fewest keys (_in_sample).
SEARCH_SAMPLE_NAMES = 2_000

# A typed word starting more stored words than this is not read by their common bits (_common_ranges).
COMMON_WORD_LIMIT = 16

# Where a session keeps the searches made in its transaction (_Search.of).
_SEARCHES = "list_searches"


@sa.event.listens_for(sa.orm.Session, "after_transaction_end")  # (every session class)
def _forget_searches(session: Session, _transaction) -> None:
    session.info.pop(_SEARCHES, None)  # what the keys gave may have changed since


# The search keys of each searchable model and the key column naming the record.
_NAME_KEYS = {
    Customer: (CustomerNameKey, CustomerNameKey.customer_id),
    Contact: (ContactNameKey, ContactNameKey.contact_id),
}


@dataclass
class ListSpec:
    entity: str
    columns: list[str] = field(default_factory=list)
    sort: str = ""  # empty: the entity's default sort
    descending: bool | None = None  # None: the entity's default direction
    search: str = ""
    archived: bool = False
    page_size: int = 50
    filter: dict | None = None  # a filter spec (services.filters)
    today: date | None = None  # the day "in the last N days" counts from (None: today)
    # records of one parent only, e.g. ("customer_id", 42): a deal's contact among its customer's
    within: tuple[str, int] | None = None
    # customers: organisations only (every kind but individual), searched in their own key range
    organisations: bool = False
    _where: sa.ColumnElement[bool] | None = field(default=None, init=False, repr=False, compare=False)
    _driving: sa.ColumnElement[bool] | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        entity = ENTITIES.get(self.entity)
        if entity is not None and not self.sort:
            self.sort = entity.default_sort[0]
            if self.descending is None:
                self.descending = entity.default_sort[1]
        if self.descending is None:
            self.descending = False

    def checked(self, session: Session | None = None, actor: Actor | None = None) -> tuple[EntityDef, FieldDef]:
        """The entity (with its custom fields when a session is given) and the sort field;
        also compiles the filter. Raises BadSpec for anything not in the registry, and with an
        actor for a static list the actor does not see."""
        entity = entity_def(session, self.entity) if session is not None else ENTITIES.get(self.entity)
        if entity is None:
            raise BadSpec("err.unknown_entity", name=self.entity)
        unknown = [c for c in self.columns if entity.field(c) is None or not entity.field(c).column]
        if unknown:
            raise BadSpec("err.unknown_field", name=unknown[0])
        sort_field = entity.field(self.sort)
        if sort_field is None or not sort_field.sortable:
            raise BadSpec("err.unknown_field", name=self.sort)
        if self.page_size not in PAGE_SIZES:
            raise BadSpec("err.invalid_choice")
        if len(self.search or "") > MAX_SEARCH:
            raise BadSpec("err.search_too_long", max=MAX_SEARCH)
        self._where = compile_filter(entity, self.filter, self.today)
        if session is not None and actor is not None:
            record_lists.check_filter(session, actor, entity.name, self.filter)
        self._driving = driving_filter(entity, self.filter, self.today) if self._where is not None else None
        if self.within is not None:
            column, parent_id = self.within
            clause = getattr(entity.model, column) == parent_id
            self._where = clause if self._where is None else sa.and_(self._where, clause)
        if self.organisations:
            if entity.model is not Customer:
                raise BadSpec("err.unknown_field", name="kind")
            clause = Customer.kind != "individual"
            self._where = clause if self._where is None else sa.and_(self._where, clause)
        return entity, sort_field


MAX_SEARCH = 200  # characters of a search box: a name, a phone, an e-mail or a code


@dataclass
class Page:
    rows: list[dict[str, Any]]
    first_key: tuple | None
    last_key: tuple | None
    has_before: bool
    has_after: bool


# ---------------------------------------------------------------------------------------------
# Search
# ---------------------------------------------------------------------------------------------


def _after_prefix(prefix: str) -> str | None:
    """The smallest string above every string that starts with ``prefix`` (None: there is none).
    Strings compare by code point, as SQLite's BINARY and PostgreSQL's "C" collations do."""
    chars = list(prefix)
    while chars and ord(chars[-1]) >= 0x10FFFF:
        chars.pop()
    if not chars:
        return None
    code = ord(chars[-1]) + 1
    chars[-1] = chr(0xE000 if 0xD800 <= code <= 0xDFFF else code)  # no surrogates in UTF-8
    return "".join(chars)


def _starts_with(column, prefix: str) -> sa.ColumnElement[bool]:
    """``column`` starts with ``prefix``, as an index range (LIKE 'x%' is not one on SQLite)."""
    after = _after_prefix(prefix)
    return column >= prefix if after is None else sa.and_(column >= prefix, column < after)


def _like_escape(text: str) -> str:
    return text.replace("/", "//").replace("%", "/%").replace("_", "/_")


def _starts_words(column, word: str, words: tuple[str, ...]) -> sa.ColumnElement[bool]:
    """``column`` has a word starting with ``word``: as many of them as typed words start with it
    ("hang h" wants a second word starting with h besides "hang")."""
    tail = f" {_like_escape(word)}%" * (sum(1 for w in words if w.startswith(word)) - 1)
    first = f"{_like_escape(word)}%{tail}"
    return sa.or_(column.like(first, escape="/"), column.like(f"% {first}", escape="/"))


@dataclass
class _Search:
    """A search box value, split into what it can match."""

    model: type
    name: str = ""
    phone: str = ""
    suffix: str = ""  # a phone by its last digits: the typed digits backwards (number_rev, phone_rev ...)
    email: str = ""
    code: str = ""
    # The words of a name of several: each must start a word of the name, in any order ("nguyen
    # thu" and "thu nguyen" find "Nguyễn Văn Thử" as well as "Nguyễn Thu Hà").
    words: tuple[str, ...] = ()
    driver: str = ""  # the word whose search keys are fewest: its keys are read, then tested
    driver_count: int = 0  # its visible names, up to SEARCH_ID_LIMIT + 1 (counted unless apart)
    expected: int = 0  # about how many of every name hold every word, as the newest names tell
    # no typed word starts another: the driver's keys tell alone which names hold every word
    apart: bool = False
    keyed: bool = False  # apart, and the words are the whole search: read once, through meeting_ids
    inside: bool = True  # the text is also found from inside a word (not when its words are searched alone)
    _meeting_ids: list[int] | None = field(default=None, repr=False)
    _meeting_seen: int = field(default=-1, repr=False)  # ids the scan gave (-1: not scanned)
    _meeting_limit: int = field(default=0, repr=False)  # where that scan stopped
    _prefixes: list[str] | None = field(default=None, repr=False)
    _prefixes_known: bool = field(default=False, repr=False)

    @classmethod
    def of(
        cls, entity: EntityDef, text: str, session: Session | None = None, actor: Actor | None = None, spec=None
    ) -> _Search | None:
        """The search of ``text``; with a session, made once per session, list and user: a list
        shows its count and its page from one session, and both then read the keys once."""
        if session is None or actor is None or spec is None:
            return cls._made(entity, text, session, actor, spec)
        key = (
            entity.name,
            text,
            actor.id,
            actor.visible_owner_ids,
            spec.archived,
            spec.organisations,
            repr(spec.filter),
            spec.within,
            spec.today,
        )
        made = session.info.setdefault(_SEARCHES, {})  # emptied when the transaction ends
        if key not in made:
            made[key] = cls._made(entity, text, session, actor, spec)
        return made[key]

    @classmethod
    def _made(cls, entity: EntityDef, text: str, session: Session | None, actor: Actor | None, spec) -> _Search | None:
        terms = search_terms(text)
        if not terms:
            return None
        name = terms.get("name", "")
        words = tuple(dict.fromkeys(name.split()))
        search = cls(
            model=entity.model,
            name=name,
            words=words if len(words) > 1 and session is not None else (),
            phone=terms.get("phone", ""),
            suffix=_phone_suffix(text) if terms.get("phone") else "",
            email=terms.get("email", ""),
            code=terms.get("code", "") if entity.model is Customer else "",
        )
        if search.phone_only:
            search.words = ()  # a phone number typed in groups ("+84 912 345"): no name's words are looked up
        if search.words:
            search._settle(session, actor, spec)
        return search

    def _settle(self, session: Session, actor: Actor, spec) -> None:
        """Each typed word starts a word of the name, in any order ("nguyen thu" finds "Nguyễn
        Văn Thử" beside "Nguyễn Thu Hà"), read from the keys of the word of fewest keys."""
        model = self.model
        if model not in _NAME_KEYS:  # a small table: its rows are tested (row_clause)
            return
        # the text from inside a name's word too ("uyen van a"), unless its first word is inside
        # too many words ("an nguyen": then its words alone)
        prefixes = self.name_prefixes(session)
        self.inside = prefixes is not None
        prefixes = prefixes or []

        def keys_from(prefix: str) -> sa.Select:
            return _key_range(model, spec, session, actor, prefix)

        # names holding the text from inside a word ("nguyen thi" for "yen thi") are found besides
        # the names holding the words in any order ("Hồ Thị Yến"): the ranges that hold any key
        self._prefixes = [p for p in prefixes if p != self.name and session.execute(keys_from(p).limit(1)).first()]
        # the words alone: no phone, e-mail, code, nor text inside words to find besides them
        words_alone = not (self.phone or self.suffix or self.email or self.code or self._prefixes)
        self.apart = not any(a != b and b.startswith(a) for a in self.words for b in self.words)
        self.keyed = self.apart and words_alone
        # the word with fewest keys drives, as the newest names tell ("nguyen tran": 323,386 and
        # 109,285 keys; counting both cost more than reading the fewest)
        sample = _in_sample(session, model, self.words)
        self.driver = min(self.words, key=lambda w: (sample.words[w], -len(w)))
        self.expected = sample.expected()
        if not self.apart:  # its names are read by id when few, each tested (_search_records)
            self.driver_count = _count_ids(session, [keys_from(self.driver)], SEARCH_ID_LIMIT)

    def _meeting(self, session: Session, actor: Actor, spec, driver: str = "", first: bool | None = None) -> sa.Select:
        """The ids of the visible names holding every typed word (``apart``), read from
        the driver's keys alone: a key is its name from one word on (``term``) with the words
        before it (``head``), so the name holds another typed word when either holds it after a
        space ("tran nguyen": the keys starting with "tran", of "Nguyễn Văn Trần" too). Reading
        the names by id instead cost ten times more. A name holding the driver twice is given twice."""
        key = _NAME_KEYS[self.model][0]
        driver = driver or self.driver
        others = [o for o in self.words if o != driver]
        tests = _bits_test(key, others)  # an integer test first, then the text
        tests += [sa.or_(_holds(session, key.term, f" {o}"), _holds(session, key.head, f" {o}")) for o in others]
        if actor.visible_owner_ids is None and first is None:  # (see _common_ranges)
            tests += _common_ranges(session, key, driver, others)
        return _key_range(self.model, spec, session, actor, driver, *tests, first=first)

    def names_in_order(
        self, session: Session, actor: Actor, spec, descending: bool, anchor: tuple | None, limit: int
    ) -> list[int]:
        """The ids among which one page of the names holding every typed word lies, in name order.

        A name either starts with a word starting with a typed word, and its first key (``term``:
        the whole name, ordered as the list orders names, see _keys_sort_as_names) is in that
        word's range, walked in order from the page's anchor (a bit test each, then the text); or
        every typed word is further in, and the name is among the keys past a name's first word of
        the typed word with fewest of them (2,557 of "nguyen" at 1,000,000 customers). Walking the
        list's name index instead tested every name before the first match: 382,276 for "nguyen
        van". When every typed word is further in than that in many names ("van thi"), every
        name's first key is walked in order, a bit test each."""
        with _serial(session):  # (PostgreSQL: short scans, which workers would only slow)
            inner = self._inner_names(session, actor, spec)
            if inner is None:
                return sorted(self._first_names(session, actor, spec, descending, anchor, limit, ("",)))
            return sorted(inner | self._first_names(session, actor, spec, descending, anchor, limit, self.words))

    def _inner_names(self, session: Session, actor: Actor, spec) -> set[int] | None:
        """The names holding every typed word past their first word (and some others), or None
        when each typed word is past the first word of more than SEARCH_ID_LIMIT names."""
        model = self.model
        past_first = [
            (_count_distinct_upto(session, _key_range(model, spec, session, actor, w, first=False), SEARCH_ID_LIMIT), w)
            for w in self.words
        ]
        n, word = min(past_first)
        if n > SEARCH_ID_LIMIT:
            return None
        return set(_id_list(session, self._meeting(session, actor, spec, driver=word, first=False)))

    def _first_names(
        self,
        session: Session,
        actor: Actor,
        spec,
        descending: bool,
        anchor: tuple | None,
        limit: int,
        starts: tuple[str, ...],
    ) -> set[int]:
        """The first ``limit`` names after ``anchor`` starting with each of ``starts`` and holding
        every typed word."""
        key, key_id = _NAME_KEYS[self.model]
        tests = _bits_test(key, self.words)
        tests += [_holds(session, sa.literal(" ") + key.term, f" {w}") for w in self.words]
        if anchor is not None:
            after = sa.tuple_(key.term, key_id)
            bound = key.term <= anchor[0] if descending else key.term >= anchor[0]
            tests += [bound, after < tuple(anchor) if descending else after > tuple(anchor)]
        ids: set[int] = set()
        for word in starts:
            # in the order of the names alone, which an index gives without sorting (by id too,
            # PostgreSQL sorted 45,000 keys); then every name equal to the last one read, by id
            first = _key_range(self.model, spec, session, actor, word, *tests, first=True)
            rows = session.execute(
                first.add_columns(key.term).order_by(key.term.desc() if descending else key.term).limit(limit)
            ).all()
            ids.update(i for i, _term in rows)
            if len(rows) == limit:  # (without the word's range, which SQLite would walk instead)
                same = key.term == rows[-1][1]
                visible = _copy_filters(actor, spec, key)
                ids.update(session.execute(sa.select(key_id).where(key.is_first, same, *tests, *visible)).scalars())
        return ids

    def _scan_meeting(self, session: Session, actor: Actor, spec, limit: int | None) -> None:
        """One scan of _meeting's ids, stopped past ``limit`` (None: every one), kept for the
        page and the count of the same session."""
        with _serial(session):
            ids = _distinct_ids(session, self._meeting(session, actor, spec), limit)
        self._meeting_ids = None if len(ids) > SEARCH_ID_LIMIT else sorted(ids)
        self._meeting_seen, self._meeting_limit = len(ids), limit

    def meeting_ids(self, session: Session, actor: Actor, spec) -> list[int] | None:
        """The ids of _meeting, or None past SEARCH_ID_LIMIT (walking the list finds a page sooner)."""
        if self._meeting_seen < 0:
            self._scan_meeting(session, actor, spec, SEARCH_ID_LIMIT)
        return self._meeting_ids

    def meeting_count(self, session: Session, actor: Actor, spec, cap: int | None) -> int:
        """How many names _meeting gives, up to ``cap`` + 1 (None: all)."""
        stopped = self._meeting_limit is not None and self._meeting_seen > self._meeting_limit
        if self._meeting_seen < 0 or (stopped and (cap is None or self._meeting_limit < cap)):
            self._scan_meeting(session, actor, spec, None if cap is None else max(cap, SEARCH_ID_LIMIT))
        return self._meeting_seen if cap is None else min(self._meeting_seen, cap + 1)

    @property
    def phone_only(self) -> bool:
        """Text without a letter that reads as a phone ("+84 912 345", "586 025")."""
        return bool(self.phone) and not any(ch.isalpha() for ch in self.name)

    def _words_clause(self) -> sa.ColumnElement[bool]:
        """Each typed word starts a word of the name, in any order (tested on the row)."""
        return sa.and_(*[_starts_words(self.model.name_norm, w, self.words) for w in self.words])

    def row_clause(self) -> sa.ColumnElement[bool]:
        """The whole search as a test of each row (for walking a list; needs no index)."""
        model = self.model
        parts = []
        if self.phone_only:  # as name_prefixes reads them: from a word's start
            parts.append(_starts_words(model.name_norm, self.name, (self.name,)))
        elif self.name and self.inside:
            parts.append(model.name_norm.contains(self.name, autoescape=True))
        if self.words:
            parts.append(self._words_clause())
        if self.phone:
            if model is Customer:  # tested per row through the phones of that customer
                phone = _starts_with(CustomerPhone.number_norm, self.phone)
                if self.suffix:
                    phone = sa.or_(phone, _starts_with(CustomerPhone.number_rev, self.suffix))
                parts.append(sa.exists().where(CustomerPhone.customer_id == model.id, phone))
            else:
                parts += [_starts_with(getattr(model, c), self.phone) for c in _phone_columns(model)]
                if self.suffix:
                    parts += [_starts_with(getattr(model, c), self.suffix) for c in _reversed_columns(model)]
        if self.email and hasattr(model, "email_norm"):
            parts.append(_starts_with(model.email_norm, self.email))
        if self.code:
            parts.append(model.code == self.code)
        return sa.or_(*parts) if parts else sa.false()

    def _other_selects(self, filters: list, copies: list) -> list[sa.Select]:
        """The matches by phone, e-mail and code, as SELECTs of ids limited to the list.

        Each is read from its own index. Customer phones carry copies of the customer's
        owner and archive flag (``copies``); the e-mail and code (and contact phone) ranges
        give an IN list of ids that ``filters`` then test, so that the planner never walks
        the less selective archived / owner index instead.
        """
        model = self.model
        selects = []
        if self.phone and model is Customer:
            selects.append(
                sa.select(CustomerPhone.customer_id).where(_starts_with(CustomerPhone.number_norm, self.phone), *copies)
            )
        if self.suffix and model is Customer:
            selects.append(
                sa.select(CustomerPhone.customer_id).where(_starts_with(CustomerPhone.number_rev, self.suffix), *copies)
            )
        clauses = []
        if self.phone and model is not Customer and _phone_columns(model):
            clauses.append(sa.or_(*[_starts_with(getattr(model, c), self.phone) for c in _phone_columns(model)]))
        if self.suffix and model is not Customer and _reversed_columns(model):
            clauses.append(sa.or_(*[_starts_with(getattr(model, c), self.suffix) for c in _reversed_columns(model)]))
        if self.email and hasattr(model, "email_norm"):
            clauses.append(_starts_with(model.email_norm, self.email))
        if self.code:
            clauses.append(model.code == self.code)
        for clause in clauses:
            inner = sa.select(model.id).where(clause)
            selects.append(sa.select(model.id).where(model.id.in_(inner), *filters))
        return selects

    def name_prefixes(self, session: Session) -> list[str] | None:
        """The key prefixes whose keys are exactly those of the names containing the text,
        or None when more than SEARCH_WORD_LIMIT words contain it.

        "uyen van a": a word ending in "uyen", then " van a" (the text after its first space
        starts at a word); "uyen": every word containing it, less those that start with
        another one of them (their keys are already in its range).
        """
        if self._prefixes_known:
            return self._prefixes
        if self.phone_only:
            # digits typed alone are a phone, or a name's number from its start ("586" finds
            # "Cửa hàng 586"): company names may hold them inside tens of thousands of words
            self._prefixes, self._prefixes_known = [self.name], True
            return self._prefixes
        head, space, rest = self.name.partition(" ")
        words = name_words.matching(session, head, ending=bool(space), limit=SEARCH_WORD_LIMIT + 1)
        prefixes: list[str] | None = None
        if len(words) <= SEARCH_WORD_LIMIT:
            prefixes = []
            for word in sorted(words):
                if space:
                    prefixes.append(f"{word} {rest}")
                elif not prefixes or not word.startswith(prefixes[-1]):
                    prefixes.append(word)
        self._prefixes, self._prefixes_known = prefixes, True
        return prefixes

    def id_selects(
        self, session: Session, actor: Actor, spec: ListSpec, mid_words_only: bool = False
    ) -> list[sa.Select] | None:
        """One SELECT of the ids of visible matches per key range, phone, e-mail or code;
        None when the name text is too common to be read from the keys.
        ``mid_words_only``: leave out the names that start with the text."""
        model = self.model
        selects = []
        hidden = _base_clauses(actor, model, spec, hidden=_hides_indexes(session))
        if self.name:
            if model not in _NAME_KEYS:  # no search keys: names are tested row by row
                return None
            prefixes = self.name_prefixes(session)
            if prefixes is None:
                return None
            # the text as typed, from a word's start or inside one: first, as their keys are
            # counted at once (_count_ids stops at the first range past its limit)
            for prefix in prefixes:
                first = False if mid_words_only and prefix.startswith(self.name) else None
                selects.append(_key_range(model, spec, session, actor, prefix, first=first))
            meeting = self.meeting_ids(session, actor, spec) if self.keyed else None
            if meeting is not None:  # the names holding every word, read once
                selects.append(sa.select(model.id).where(_one_of(session, model, meeting)))
            elif self.apart and self.driver:  # the names holding every word, from the keys
                selects.append(self._meeting(session, actor, spec))
            elif self.driver:  # the names with a word starting with the driver, each tested for the rest
                driving = _key_range(model, spec, session, actor, self.driver)
                selects.append(sa.select(model.id).where(model.id.in_(driving), self._words_clause(), *hidden))
        return selects + self._other_selects(hidden, _copy_filters(actor, spec, CustomerPhone))


@dataclass(frozen=True)
class _Sample:
    """What the newest SEARCH_SAMPLE_NAMES names tell of typed words."""

    words: dict[str, int]  # the names with a word starting with each: in proportion to its keys
    every: int  # the names with a word starting with every one
    size: int  # the names read
    newest: int  # the newest name's id: about how many names there are

    def expected(self) -> int:
        """About how many of every name hold every word (0 when the sample is every name)."""
        return self.every * self.newest // self.size if self.size == SEARCH_SAMPLE_NAMES else 0


def _in_sample(session: Session, model, words: tuple[str, ...]) -> _Sample:
    """The newest names, read once: which word's keys are fewest, to read them (any is exact),
    and about how many names hold every word."""
    newest = sa.select(model.id, model.name_norm).order_by(model.id.desc()).limit(SEARCH_SAMPLE_NAMES).subquery()
    spaced = sa.literal(" ") + newest.c.name_norm
    holds = [_holds(session, spaced, f" {w}") for w in words]
    found = session.execute(
        sa.select(
            *[sa.func.count().filter(h) for h in holds],
            sa.func.count().filter(sa.and_(*holds)),
            sa.func.count(),
            sa.func.coalesce(sa.func.max(newest.c.id), 0),
        )
    ).one()
    *each, every, size, top = found
    return _Sample(dict(zip(words, each, strict=True)), every, size, top)


def _bits_test(key, words) -> list[sa.ColumnElement[bool]]:
    """The key's name has the bit of each of ``words`` (models.search_keys.word_bit): one integer
    test, none for words too short to have a bit."""
    bits = functools.reduce(operator.or_, map(word_bit, words), 0)
    return [key.word_mask.op("&")(bits) == bits] if bits else []


def _common_ranges(session: Session, key, driver: str, others: list[str]) -> list[sa.ColumnElement[bool]]:
    """PostgreSQL: the keys of ``driver`` whose name holds the bit of a common word among
    ``others`` ("nguyen" of "tran nguyen"), as a few ranges of the index of keys by their word and
    their common bits (models.search_keys._pg_common_index): the key's word is one of the stored
    words starting with the driver, and its common bits one of the sets holding the others' bits.
    None when no other word is common, or the driver starts more than COMMON_WORD_LIMIT words.
    For keys of every owner and both places in a name: whoever sees fewer owners reads the
    owner index, and the keys past a name's first word are read when few (_inner_names)."""
    wanted = functools.reduce(operator.or_, map(word_bit, others), 0) & common_mask()
    if _hides_indexes(session) or not wanted or len(driver) < MASK_CHARS:
        return []
    words = name_words.starting(session, driver, COMMON_WORD_LIMIT + 1)
    if len(words) > COMMON_WORD_LIMIT:
        return []
    # written as the index's expressions are, its constants inline
    word = sa.func.split_part(key.term, sa.literal_column("' '"), sa.literal_column("1"))
    bits = key.word_mask.op("&")(sa.literal_column(str(common_mask())))
    sets = list(_common_sets(wanted))
    return [
        word == sa.any_(sa.bindparam("key_words", words, type_=postgresql.ARRAY(sa.Text), unique=True)),
        bits == sa.any_(sa.bindparam("common_bits", sets, type_=postgresql.ARRAY(sa.BigInteger), unique=True)),
    ]


@functools.cache
def _common_sets(wanted: int) -> tuple[int, ...]:
    """Every set of the common bits that holds ``wanted``'s."""
    free = [1 << b for b in range(63) if (common_mask() & ~wanted) >> b & 1]
    return tuple(wanted | sum(c) for n in range(len(free) + 1) for c in itertools.combinations(free, n))


def _holds(session: Session, text, part: str) -> sa.ColumnElement[bool]:
    """``text`` holds ``part`` (instr on SQLite, strpos on PostgreSQL: a plain search, half the
    time of a LIKE over hundreds of thousands of keys)."""
    find = sa.func.instr if _hides_indexes(session) else sa.func.strpos
    return find(text, part) > 0


SUFFIX_DIGITS = 4  # the fewest last digits of a phone a search finds it by


def _phone_suffix(text: str) -> str:
    """The key of a search by a phone's last digits ("5678", "345 678"), or "" for too few, or
    for a number typed from its start (a 0 or a +: its first digits, read as before)."""
    digits = re.sub(r"\D", "", text)
    if len(digits) < SUFFIX_DIGITS or digits.startswith("0") or has_plus(text):
        return ""
    return suffix_key(digits)


def _phone_columns(model) -> list[str]:
    return [c for c in ("phone_norm", "mobile_norm") if hasattr(model, c)]


def _reversed_columns(model) -> list[str]:
    """A contact's or lead's numbers backwards (a customer's are in CustomerPhone.number_rev)."""
    return [c for c in ("phone_rev", "mobile_rev") if hasattr(model, c)]


def _key_range(model, spec: ListSpec, session: Session, actor: Actor, prefix: str, *tests, first=None) -> sa.Select:
    """The ids of the visible keys of ``model`` whose term starts with ``prefix`` (and passes
    ``tests``); ``first``: only the keys at a name's first word (True) or past it (False), else
    both, named so that the query keeps to the key index. Organisations only, on SQLite: is_first
    unindexed, so that neither the primary key (is_first, term) nor the owner index (owner_id,
    archived, is_first, term) can serve, and the organisations' partial indexes do: (archived,
    term) for whoever sees every owner, else (owner_id, archived, term)."""
    key, key_id = _NAME_KEYS[model]
    is_first = key.is_first
    if spec.organisations and hasattr(key, "org") and _hides_indexes(session):
        is_first = unindexed(is_first)
    at = is_first.in_((False, True)) if first is None else is_first == first
    return sa.select(key_id).where(at, _starts_with(key.term, prefix), *tests, *_copy_filters(actor, spec, key))


def _copy_filters(actor: Actor, spec: ListSpec, table) -> list[sa.ColumnElement[bool]]:
    """The list's archive and visibility filters on a table holding copies of owner_id and archived."""
    clauses = [table.archived == (sa.true() if spec.archived else sa.false())]
    if spec.organisations and hasattr(table, "org"):
        clauses.append(table.org == sa.true())  # SQLite: "org = 1", as its partial index says
    vis = visibility_clause(actor, table.owner_id)
    if vis is not None:
        clauses.append(vis)
    return clauses


def _base_clauses(
    actor: Actor, model, spec: ListSpec, hidden: bool = False, driving: bool = False
) -> list[sa.ColumnElement[bool]]:
    """Archive, visibility and the list's filter. ``hidden`` (SQLite): written so that no index
    serves them, for queries that a list of ids must drive (see _read). ``driving``: the filter in
    its form read from a custom field's index (filters.driving_filter)."""
    archived = unindexed(model.archived) if hidden else model.archived
    clauses = [archived == (sa.true() if spec.archived else sa.false())]
    assignee = getattr(model, "assignee_id", None)  # an activity is seen by its assignee too
    vis = visibility_clause(actor, unindexed(model.owner_id) if hidden else model.owner_id, assignee)
    if vis is not None:
        clauses.append(vis)
    where = spec._driving if driving and spec._driving is not None else spec._where
    if where is not None:
        clauses.append(where)
    return clauses


@contextmanager
def _serial(session: Session) -> Iterator[None]:
    """PostgreSQL, a scan of one word's keys: without parallel workers, whose start cost 5 ms
    there, more than the scan of an organisations' range itself."""
    if session.get_bind().dialect.name != "postgresql":
        yield
        return
    session.execute(sa.text("SET LOCAL max_parallel_workers_per_gather = 0"))
    try:
        yield
    finally:
        session.execute(sa.text("RESET max_parallel_workers_per_gather"))


_BYTEWISE_COLLATIONS = frozenset({"C", "POSIX", "C.UTF-8", "C.utf8", "ucs_basic"})
_BYTEWISE_DATABASES: dict[str, bool] = {}  # database url: whether its collation compares bytes


def _keys_sort_as_names(session: Session) -> bool:
    """The keys' terms (byte-wise) sort as the list sorts names: on SQLite, and on a PostgreSQL
    database whose collation compares bytes (code points), as made by the set-up and CI."""
    bind = session.get_bind()
    if bind.dialect.name == "sqlite":
        return True
    url = str(bind.engine.url)
    if url not in _BYTEWISE_DATABASES:
        collation = session.execute(
            sa.text("SELECT datcollate FROM pg_database WHERE datname = current_database()")
        ).scalar_one()
        _BYTEWISE_DATABASES[url] = collation in _BYTEWISE_COLLATIONS
    return _BYTEWISE_DATABASES[url]


def _hides_indexes(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _union(selects: list[sa.Select]):
    return selects[0] if len(selects) == 1 else sa.union(*selects)


def _among(session: Session, model, selects: list[sa.Select]) -> sa.ColumnElement[bool]:
    """The record is one of the ids the selects give (a few thousand at most). PostgreSQL sizes
    a subquery of key ranges by the ranges and may walk the sort index past every row to find
    those few: there, the ids are read first and given as one array."""
    if _hides_indexes(session):
        return model.id.in_(_union(selects))
    return _one_of(session, model, sorted(set(_id_list(session, _union(selects)))))


def _one_of(session: Session, model, ids: list[int]) -> sa.ColumnElement[bool]:
    """The record is one of ``ids``, given as one value: on PostgreSQL an array (a list of
    thousands of parameters took it 20 ms to plan), on SQLite a JSON array read by json_each
    (SQLAlchemy took 13 ms to render 3,887 parameters)."""
    if _hides_indexes(session):
        listed = sa.func.json_each(sa.bindparam("among_ids", json.dumps(ids), type_=sa.String, unique=True))
        return model.id.in_(sa.select(listed.table_valued("value").c.value))
    return model.id == sa.any_(sa.bindparam("among_ids", ids, type_=postgresql.ARRAY(sa.Integer), unique=True))


def _count_ids(session: Session, selects: list[sa.Select], limit: int | None) -> int:
    """How many distinct ids the selects give together; past ``limit``, some number above it.

    Each select is counted first, up to ``limit`` + 1: one above the limit answers at once
    (what is broad is seen after ``limit`` rows, not after all of them); when they are all
    below it, the union is counted (it holds at most their sum)."""
    if not selects:
        return 0
    if limit is None:
        inner = _union(selects).subquery() if len(selects) > 1 else selects[0].distinct().subquery()
        return int(session.execute(sa.select(sa.func.count()).select_from(inner)).scalar_one())
    total = 0
    for stmt in selects:
        n = _count_distinct_upto(session, stmt, limit)
        if n > limit:
            return n
        total += n
    if len(selects) == 1 or total == 0:
        return total
    return _count_ids(session, selects, None)


def _count_distinct_upto(session: Session, stmt: sa.Select, limit: int) -> int:
    """How many distinct ids ``stmt`` (a SELECT of one id column) gives, up to ``limit`` + 1.

    SQLite stops its DISTINCT at the limit; PostgreSQL hashes every row first (64,000 keys of
    "nguyen van" for one answer). There, the rows are read in windows, each four times the
    last, until a window holds more than ``limit`` distinct ids or every row (most keys name
    one record, so the first window mostly answers)."""
    if session.get_bind().dialect.name == "sqlite":
        inner = stmt.distinct().limit(limit + 1).subquery()
        return int(session.execute(sa.select(sa.func.count()).select_from(inner)).scalar_one())
    window = 2 * (limit + 1)
    while True:
        rows = stmt.limit(window).subquery()
        read, n = session.execute(
            sa.select(sa.func.count(), sa.func.count(sa.distinct(rows.c[0]))).select_from(rows)
        ).one()
        if n > limit or read < window:
            return int(n)
        window *= 4


def _distinct_ids(session: Session, stmt: sa.Select, limit: int | None) -> list[int]:
    """The distinct ids ``stmt`` (a SELECT of one id column) gives, up to ``limit`` + 1 (None:
    all): a LIMIT stops the scan there. Not on PostgreSQL, which hashes every row of a DISTINCT
    before its first answer: there the rows are read as they come, in windows, made distinct here."""
    if limit is None or _hides_indexes(session):
        return _id_list(session, stmt.distinct() if limit is None else stmt.distinct().limit(limit + 1))
    window = (limit + 1) * 9 // 8  # (a few names hold a word twice: one window mostly answers)
    while True:
        rows = _id_list(session, stmt.limit(window))
        ids = list(dict.fromkeys(rows))
        if len(ids) > limit or len(rows) < window:
            return ids[: limit + 1]
        window *= 2


def _id_list(session: Session, stmt: sa.Select) -> list[int]:
    """The ids a SELECT of one id column gives, in its order, read as one value (SQLite's
    group_concat, PostgreSQL's array_agg): thousands of result rows would each be an object,
    and their allocation starts the cyclic collector, whose full passes pause a process for
    tens of milliseconds."""
    rows = stmt.subquery()
    if _hides_indexes(session):
        text = session.execute(sa.select(sa.func.group_concat(rows.c[0]))).scalar_one()
        return list(map(int, text.split(","))) if text else []
    return session.execute(sa.select(sa.func.array_agg(rows.c[0]))).scalar_one() or []


def _count_rows(session: Session, model, clauses: list, limit: int | None) -> int:
    stmt = sa.select(sa.literal(1)).select_from(model).where(*clauses)
    if limit is not None:
        stmt = stmt.limit(limit + 1)
    return int(session.execute(sa.select(sa.func.count()).select_from(stmt.subquery())).scalar_one())


def where_clauses(actor: Actor, spec: ListSpec, session: Session | None = None) -> list[sa.ColumnElement[bool]]:
    """The filter of a list as WHERE clauses on the entity's model (archived, visibility, filter,
    search); with a session, custom fields may be filtered on."""
    entity, _ = spec.checked(session, actor)
    model = entity.model
    clauses = _base_clauses(actor, model, spec)
    search = _Search.of(entity, spec.search, session, actor, spec)
    if search is not None:
        clauses.append(search.row_clause())
    return clauses


# ---------------------------------------------------------------------------------------------
# Counting
# ---------------------------------------------------------------------------------------------


def count(session: Session, actor: Actor, spec: ListSpec) -> int:
    """The exact number of rows of a list. For a search this costs what its matches cost
    (about 20 ms per 60,000 matches): lists should show ``count_upto`` instead."""
    return count_upto(session, actor, spec, cap=None)[0]


def count_upto(session: Session, actor: Actor, spec: ListSpec, cap: int | None = SEARCH_COUNT_CAP) -> tuple[int, bool]:
    """(rows, more): the number of rows of a list, exact unless a search matches more than
    ``cap`` rows: then (cap, True), to show as "10,000+". Lists without a search are always
    counted exactly. ``cap=None`` counts every match. A filtered list is counted like a search:
    by testing rows, up to the cap."""
    entity, _ = spec.checked(session, actor)
    model = entity.model
    base = _base_clauses(actor, model, spec)
    search = _Search.of(entity, spec.search, session, actor, spec)
    if search is not None:
        if search.keyed and spec._where is None:  # every name holding the words, from the keys
            n = search.meeting_count(session, actor, spec, cap)
            return (cap, True) if cap is not None and n > cap else (n, False)
        selects = search.id_selects(session, actor, spec)
        if selects is None:  # text in too many words: count by testing rows, up to the cap
            n = _count_rows(session, model, [*base, search.row_clause()], cap)
        elif spec._where is not None:  # the keys know nothing of the filter: test the rows
            n = _count_rows(session, model, [*base, model.id.in_(_union(selects))], cap)
        else:
            n = _count_ids(session, selects, cap)
        return (cap, True) if cap is not None and n > cap else (n, False)
    if spec._where is not None:
        if spec._driving is not None and actor.visible_owner_ids is None:
            # read from the custom field's index, the table's hidden (for a user who sees only
            # some owners' records, walking the owner index is cheaper than a whole value's ids)
            base = _base_clauses(actor, model, spec, hidden=_hides_indexes(session), driving=True)
        n = _count_rows(session, model, base, cap)
        return (cap, True) if cap is not None and n > cap else (n, False)
    if session.get_bind().dialect.name == "postgresql" and model.__tablename__ in TALLIED:
        return _tallied(session, actor, model, spec.archived), False
    if actor.visible_owner_ids is None and not spec.archived and session.get_bind().dialect.name == "sqlite":
        # SQLite counts a whole table from its b-tree pages without visiting rows:
        # every row less the archived ones (few, and counted through their index).
        total = session.execute(sa.select(sa.func.count()).select_from(model)).scalar_one()
        archived = session.execute(
            sa.select(sa.func.count()).select_from(model).where(model.archived == sa.true())
        ).scalar_one()
        return int(total - archived), False
    return _count_rows(session, model, base, None), False


def _tallied(session: Session, actor: Actor, model, archived: bool) -> int:
    """PostgreSQL: the rows of a whole list, from the tally its triggers keep (PostgreSQL counts
    by reading every row: 43 ms for an admin's 1,000,000 customers)."""
    clauses = [RecordTally.table_name == model.__tablename__, RecordTally.archived == archived]
    vis = visibility_clause(actor, RecordTally.owner_id)
    if vis is not None:
        clauses.append(vis)
    total = sa.select(sa.func.coalesce(sa.func.sum(RecordTally.n), 0)).where(*clauses)
    return int(session.execute(total).scalar_one())


# ---------------------------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------------------------


def _read(
    session: Session,
    model,
    clauses: list,
    sort_col,
    descending: bool,
    anchor: tuple | None,
    limit: int,
    by_ids: bool = False,
) -> list:
    """The records of one page, in order. The ids are read first (an index walk or a sort of
    narrow rows), then the page's rows by id.

    ``by_ids``: the clauses hold a short list of ids, which must drive the query. SQLite
    takes an equality on any indexed column for a narrow one (archived = 0 is not) and would
    walk that index, or the sort index, past every row to find the few listed ones: the
    caller hides the filters' indexes, and the sort's are hidden here."""
    stmt = _ids_in_order(session, model, clauses, sort_col, descending, anchor, limit, by_ids)
    return _records(session, model, list(session.execute(stmt).scalars().all()))


def _records(session: Session, model, ids: list[int]) -> list:
    """The records of these ids, in their order."""
    if not ids:
        return []
    rows = {r.id: r for r in session.exec(sa.select(model).where(model.id.in_(ids))).scalars().all()}
    return [rows[i] for i in ids if i in rows]


def _ids_in_order(
    session: Session,
    model,
    clauses: list,
    sort_col,
    descending: bool,
    anchor: tuple | None,
    limit: int,
    by_ids: bool = False,
) -> sa.Select:
    """The SELECT of the ids of one page (see _read)."""
    id_col = model.id
    if by_ids and _hides_indexes(session) and not _is_column(sort_col, model.id):
        sort_col, id_col = unindexed(sort_col), unindexed(model.id)
    key = sa.tuple_(sort_col, id_col)
    stmt = sa.select(model.id).where(*clauses)
    if anchor is not None:
        stmt = stmt.where(key < tuple(anchor) if descending else key > tuple(anchor))
    order = (sort_col.desc(), id_col.desc()) if descending else (sort_col.asc(), id_col.asc())
    return stmt.order_by(*order).limit(limit)


def _walk_window(
    session: Session, model, base: list, search: _Search, sort_col, descending: bool, anchor, limit: int
) -> list:
    """The matches among the next SEARCH_WALK_ROWS rows of the list, in order, up to
    ``limit``; the walk stops at the page's last match."""
    window = sa.select(*model.__table__.c).where(*base)
    if anchor is not None:
        key = sa.tuple_(sort_col, model.id)
        window = window.where(key < tuple(anchor) if descending else key > tuple(anchor))
    order = (sort_col.desc(), model.id.desc()) if descending else (sort_col.asc(), model.id.asc())
    rows = window.order_by(*order).limit(SEARCH_WALK_ROWS).subquery()
    on_rows = ClauseAdapter(rows).traverse
    stmt = sa.select(rows.c.id).where(on_rows(search.row_clause())).order_by(*[on_rows(o) for o in order])
    return _records(session, model, list(session.execute(stmt.limit(limit)).scalars().all()))


def _search_records(
    session: Session,
    actor: Actor,
    spec: ListSpec,
    search: _Search,
    sort_col,
    descending: bool,
    anchor: tuple | None,
    limit: int,
) -> list:
    model = search.model
    base = _base_clauses(actor, model, spec)
    id_base = _base_clauses(actor, model, spec, hidden=_hides_indexes(session))

    def few(selects: list[sa.Select] | None) -> bool:
        if selects is not None and len(selects) == 1 and search.driver and not search.apart:  # counted by _settle
            return search.driver_count <= SEARCH_ID_LIMIT
        return selects is not None and _count_ids(session, selects, SEARCH_ID_LIMIT) <= SEARCH_ID_LIMIT

    def read(clauses: list, by_ids: bool = False) -> list:
        return _read(
            session, model, [*(id_base if by_ids else base), *clauses], sort_col, descending, anchor, limit, by_ids
        )

    # (organisations only: their keys hold every name match, of their small range)
    by_name = search.name and _is_column(sort_col, model.name_norm) and not spec.organisations
    # (a phone, an e-mail or a code matches a few rows: no walk for them)
    named = any(ch.isalpha() for ch in search.name) and not (search.email or search.code)
    # (organisations: a few in a window of every kind; words from the keys: a short scan of them)
    walk = not (by_name or spec.organisations or search.keyed)
    if walk and named and session.get_bind().dialect.name == "postgresql":
        # The next SEARCH_WALK_ROWS rows of the list, each tested: a name matching more than a
        # few rows in a hundred fills its page there, before any count of its matches (which
        # PostgreSQL reads from the table's rows, tens of ms for thousands of them).
        page = _walk_window(session, model, base, search, sort_col, descending, anchor, limit)
        if len(page) == limit:
            return page
    if by_name and search.keyed and spec._where is None:
        # every match from the keys: when few, by id; else the names in order from their first keys
        # (not counted first where the newest names tell they are many: 69,000 of "nguyen van")
        many = actor.visible_owner_ids is None and search.expected > 4 * SEARCH_ID_LIMIT
        ids = None if many else search.meeting_ids(session, actor, spec)
        if ids is None and _keys_sort_as_names(session):
            ids = search.names_in_order(session, actor, spec, descending, anchor, limit)
        if ids is not None:
            return read([_one_of(session, model, ids)], by_ids=True) if ids else []
    if not by_name and search.keyed:
        # the ids of every match when few (the search is a name's words alone); else many, and
        # the sort index is walked, each row tested
        ids = search.meeting_ids(session, actor, spec)
        if ids is None:
            return read([search.row_clause()])
        if spec._where is None and _is_column(sort_col, model.id):  # (the keys hold archive and owner)
            return _records(session, model, _page_of_ids(ids, descending, anchor, limit))
        return read([_one_of(session, model, ids), search.row_clause()], by_ids=True) if ids else []
    if not by_name:
        selects = search.id_selects(session, actor, spec)
        if few(selects):  # their ids drive the query
            return read([_among(session, model, selects)], by_ids=True) if selects else []
        # Many matches: walk the sort index, testing each row; a page is found early.
        return read([search.row_clause()])
    # Sorted by name: the names starting with the text are one range of the name index (in
    # order; the LIKE keeps to the text where the database's collation is not byte-wise); the
    # other matches (the text further in, phones, e-mails, codes) are read by id when few, else
    # by walking the name index. The two pages are merged in the database's order.
    text = _like_escape(search.name)
    starting = read([_starts_with(model.name_norm, search.name), model.name_norm.like(f"{text}%", escape="/")])
    others = search.id_selects(session, actor, spec, mid_words_only=True)
    if few(others):
        rest = read([_among(session, model, others)], by_ids=True) if others else []
    else:
        rest = read([search.row_clause()])
    ids = {r.id for r in starting + rest}
    return read([model.id.in_(sorted(ids))], by_ids=True) if ids else []


def _page_of_ids(ids: list[int], descending: bool, anchor: tuple | None, limit: int) -> list[int]:
    """One page of a list sorted by id, from its ids in ascending order."""
    if descending:
        return [i for i in reversed(ids) if anchor is None or i < anchor[1]][:limit]
    return [i for i in ids if anchor is None or i > anchor[1]][:limit]


def change_rights(session: Session, actor: Actor, entity: str, ids: list[int]) -> dict[int, str]:
    """What the actor may change on each of these records: "all", or "status" for an activity
    assigned to them on a customer they may not change; a record they may not change (a
    teammate's shared read-only one) is left out."""
    model = ENTITIES[entity].model
    if not ids or actor.editable_owner_ids is None:
        return dict.fromkeys(ids, "all")
    rows = session.execute(sa.select(model.id, model.owner_id, *_assignee(model)).where(model.id.in_(ids))).all()
    rights = {r[0]: "all" for r in rows if actor.edits_owner(r[1])}
    return {r[0]: "status" for r in rows if len(r) > 2 and r[2] == actor.id} | rights


def _assignee(model) -> list:
    return [model.assignee_id] if hasattr(model, "assignee_id") else []


def fetch_page(
    session: Session,
    actor: Actor,
    spec: ListSpec,
    lang: str = "vi",
    *,
    after: tuple | None = None,
    before: tuple | None = None,
    last: bool = False,
    size: int | None = None,
) -> Page:
    """One page: the first, the one after/before a key, or the last; of ``size`` rows instead of
    the list's page size (the last page of a list holds what the pages before it leave)."""
    entity, sort_field = spec.checked(session, actor)
    size = min(size or spec.page_size, spec.page_size)
    model = entity.model
    sort_col = getattr(model, sort_field.sort_column)
    empty = _null_sorts_as(model, sort_field.sort_column)
    if empty is not None:
        # NULL never compares in a keyset condition: sort empty values as the lowest one instead
        sort_col = sa.func.coalesce(sort_col, sa.literal(empty, type_=sort_col.type))
    backwards = before is not None or last
    descending = spec.descending != backwards  # read in reverse, then flip the rows
    anchor = after if after is not None else before
    search = _Search.of(entity, spec.search, session, actor, spec)
    if search is None:
        records = _read(session, model, _base_clauses(actor, model, spec), sort_col, descending, anchor, size + 1)
    else:
        records = _search_records(session, actor, spec, search, sort_col, descending, anchor, size + 1)
    more = len(records) > size
    records = records[:size]
    if backwards:
        records.reverse()
    keys = [(_or_empty(getattr(r, sort_field.sort_column), empty), r.id) for r in records]
    has_before = (more if backwards else after is not None) and bool(records)
    has_after = (before is not None) if backwards else more
    if last:
        has_after = False
    return Page(
        rows=display_rows(session, entity, records, spec.columns, lang),
        first_key=keys[0] if keys else None,
        last_key=keys[-1] if keys else None,
        has_before=has_before,
        has_after=has_after,
    )


def _is_column(expr, column) -> bool:
    return getattr(expr, "key", None) == column.key and not isinstance(expr, sa.sql.functions.Function)


def _null_sorts_as(model, column_name: str) -> Any:
    """The stand-in value of NULL for a nullable sort column (None: the column is NOT NULL)."""
    column = model.__table__.c[column_name]
    if not column.nullable:
        return None
    kind = getattr(column.type, "impl", column.type).python_type
    if kind is datetime:
        return datetime(1, 1, 1, tzinfo=UTC)
    return {date: date.min, str: ""}.get(kind, 0)


def _or_empty(value: Any, empty: Any) -> Any:
    return empty if value is None and empty is not None else value


def display_rows(
    session: Session, entity: EntityDef, records: list, columns: list[str], lang: str
) -> list[dict[str, Any]]:
    """Rows as display strings for the given columns, with references resolved in bulk."""
    fields = [entity.field(c) for c in columns]
    values, names = field_values.load_named(session, entity, records, fields, lang)
    shown = [(f.name, field_values.formatter(f, lang, names)) for f in fields]
    return [{"id": r.id, **{name: show(v[name]) for name, show in shown}} for r, v in zip(records, values, strict=True)]


def owner_options(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """Users whose records the actor reads: the choices of a filter or a grouping by user."""
    stmt = sa.select(User.id, User.full_name).where(User.active == sa.true())
    if actor.visible_owner_ids is not None:
        stmt = stmt.where(User.id.in_(sorted(actor.visible_owner_ids)))
    return list(session.exec(stmt.order_by(User.full_name)).all())


def assignable_options(session: Session, actor: Actor, keep: object = None) -> list[list[str]]:
    """[id, name] of the users the actor may give a record or a task to, as the services check it
    (permissions.check_owner_assignment): an admin anyone active, a manager their teams, sales
    themselves whatever the team sharing; ``keep``: the record's present owner (or assignee)
    too, so that a form shows it (keeping it is no change)."""
    allowed = User.active == sa.true()
    if not actor.is_admin and actor.assignable_owner_ids is not None:
        allowed = sa.and_(allowed, User.id.in_(sorted(actor.assignable_owner_ids)))
    if str(keep or "").isdigit():
        allowed = sa.or_(allowed, User.id == int(keep))
    rows = session.exec(sa.select(User.id, User.full_name).where(allowed).order_by(User.full_name)).all()
    return [[str(i), n] for i, n in rows]


def pick(
    session: Session,
    actor: Actor,
    entity: str,
    text: str,
    columns: list[str],
    *,
    filter: dict | None = None,
    within: tuple[str, int] | None = None,
    exclude_id: int | None = None,
    limit: int = 20,
    organisations: bool = False,
) -> list[dict[str, Any]]:
    """Rows for a record picker: the list's own search (name words, phone, e-mail, code, from the
    search keys) over the visible, active records (of one parent: ``within``), sorted by name."""
    name = columns[-1]
    spec = ListSpec(
        entity=entity,
        columns=columns,
        search=text,
        sort=name,
        descending=False,
        page_size=PAGE_SIZES[0],
        filter=filter,
        within=within,
        organisations=organisations,
    )
    rows = fetch_page(session, actor, spec).rows
    return [r for r in rows if r["id"] != exclude_id][:limit]


def reference_options(session: Session, field_type: str) -> list[tuple[int, str]]:
    """Choices of a stage, pipeline or product field: every pipeline, every stage as "pipeline ›
    stage", or every product of the catalog (one no longer sold too: it was bought)."""
    if field_type == "product":
        return list(session.exec(sa.select(Product.id, Product.name).order_by(Product.name, Product.id)).all())
    if field_type == "pipeline":
        return list(session.exec(sa.select(Pipeline.id, Pipeline.name).order_by(Pipeline.position, Pipeline.id)).all())
    rows = session.exec(
        sa.select(PipelineStage.id, Pipeline.name, PipelineStage.name)
        .join(Pipeline, Pipeline.id == PipelineStage.pipeline_id)
        .order_by(Pipeline.position, Pipeline.id, PipelineStage.position)
    ).all()
    return [(sid, f"{pipeline} › {stage}") for sid, pipeline, stage in rows]


def catalog_options(session: Session, kind: str, lang: str) -> list[tuple[int, str]]:
    return [(i.id, catalogs.label(i, lang)) for i in catalogs.items(session, kind)]

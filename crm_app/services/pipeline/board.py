"""The kanban board of any entity grouped by one field (a stage, a status, any choice field).

Given a Grouping (which columns, which field groups, which field is the value) and a
ListSpec (the list's filter: archive flag, visibility, search and the saved view's filter),
the board is:
- every column's count, total value and weighted value, one GROUP BY over the whole
  filter (not over the cards loaded);
- the first ``CARDS_PER_COLUMN`` cards of each column in their order (``rank``, then id),
  and further cards on demand, keyset-paged after the last card shown.

Deals by stage and leads by status are two groupings; services/pipeline/view_board.py makes one for
any choice field of a saved view. Card order is kept by gapped integer ranks (models.pipeline.RANK_GAP): a drop between two
cards takes the middle of their ranks, so a move writes one row; when two neighbours have
no room left, the few cards after the drop are spread again (``_make_room``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from crm_app.models._base import utcnow
from crm_app.models.pipeline import RANK_GAP
from crm_app.services.formatting import fmt_vnd
from crm_app.services.lists import query
from crm_app.services.people.permissions import Actor
from crm_app.services.records.fields import ENTITIES, EntityDef

CARDS_PER_COLUMN = 50
COUNT_CAP = query.SEARCH_COUNT_CAP  # boards without values count a column up to this


@dataclass(frozen=True)
class CardNote:
    """Extra text on a card (the next activity); ``late`` marks it (overdue)."""

    text: str
    late: bool = False


# Card notes by entity: f(session, record ids of every card being loaded) -> {id: CardNote}, in one
# query for them all (services.next_activity registers the opportunities').
CARD_NOTES: dict[str, Callable[[Session, list[int]], dict[int, CardNote]]] = {}


@dataclass(frozen=True)
class BoardColumn:
    value: Any  # the group field's value
    label: str
    color: str = "gray"
    probability: int | None = None  # percent, for the weighted value when rows carry none
    outcome: str = "open"  # open / won / lost
    warn_days: int | None = None

    @property
    def key(self) -> str:
        return column_key(self.value)


NO_VALUE = "__none__"  # the key of the column of records without a value (a drop target needs a non-empty id)


def column_key(value: Any) -> str:
    """A column's key on the page: the value as text, NO_VALUE for records without one."""
    return NO_VALUE if value is None or value == "" else str(value)


@dataclass(frozen=True)
class Grouping:
    entity: str  # the EntityDef (and ListSpec) name
    group_field: str
    columns: tuple[BoardColumn, ...]
    title_field: str
    subtitle_field: str | None = None
    value_field: str | None = "value"
    weight_field: str | None = None  # per-row percent; None: the column's probability
    entered_field: str | None = "stage_entered_at"  # when the row entered its column
    rank_field: str | None = "rank"  # None: cards newest first (records without a board order)
    scope: tuple = ()  # extra WHERE clauses, e.g. the pipeline
    group: Any = None  # the SQL expression grouped on when it is not a column (a custom field)

    @property
    def entity_def(self) -> EntityDef:
        return ENTITIES[self.entity]

    def column(self, key: str) -> BoardColumn | None:
        return next((c for c in self.columns if c.key == key), None)

    def attr(self, name: str):
        return getattr(self.entity_def.model, name)

    def group_column(self):
        return self.group if self.group is not None else self.attr(self.group_field)

    def in_columns(self):
        """Records whose group value has a column (NULL is one only when a column holds None)."""
        group = self.group_column()
        keys = [c.value for c in self.columns if c.value is not None]
        clause = group.in_(keys)
        return sa.or_(clause, group.is_(None)) if any(c.value is None for c in self.columns) else clause


def owned_by(grouping: Grouping, owner_id: int | None) -> Grouping:
    """The grouping limited to one owner's records (None: unchanged)."""
    if owner_id is None:
        return grouping
    return replace(grouping, scope=(*grouping.scope, grouping.attr("owner_id") == owner_id))


@dataclass
class Totals:
    count: int = 0
    total: int = 0
    weighted: int | None = 0
    capped: bool = False  # more than COUNT_CAP records: show "10.000+"


@dataclass
class CardPage:
    cards: list[dict[str, Any]]
    last_key: tuple | None
    more: bool


@dataclass
class ColumnView:
    column: BoardColumn
    totals: Totals
    page: CardPage = field(default_factory=lambda: CardPage([], None, False))


def _filter(session: Session, actor: Actor, spec: query.ListSpec, grouping: Grouping) -> list:
    return [*query.where_clauses(actor, spec, session), *grouping.scope]


def totals(session: Session, actor: Actor, spec: query.ListSpec, grouping: Grouping) -> dict[str, Totals]:
    """Count, total and weighted value of every column over the whole filter, in one query.
    A board without values (customers by status...) counts each column up to COUNT_CAP, like a
    list counts a search: a million records are then a few index ranges, not a full pass."""
    if not grouping.value_field:
        return _capped_counts(session, actor, spec, grouping)
    group = grouping.group_column()
    cols = [group, sa.func.count()]
    weighted_known = grouping.weight_field is not None or any(c.probability is not None for c in grouping.columns)
    if grouping.value_field:
        value = grouping.attr(grouping.value_field)
        if grouping.weight_field:
            weight = grouping.attr(grouping.weight_field)
        else:
            weight = sa.case({c.value: c.probability or 0 for c in grouping.columns}, value=group, else_=0)
        cols += [sa.func.coalesce(sa.func.sum(value), 0), sa.func.coalesce(sa.func.sum(value * weight), 0)]
    stmt = sa.select(*cols).where(*_filter(session, actor, spec, grouping), grouping.in_columns()).group_by(group)
    result = {c.key: Totals(weighted=0 if weighted_known else None) for c in grouping.columns}
    for row in session.execute(stmt).all():
        t = result[column_key(row[0])]
        t.count = int(row[1])
        if grouping.value_field:
            t.total = int(row[2])
            t.weighted = int(row[3]) // 100 if weighted_known else None
    return result


def _of_column(group, column: BoardColumn):
    return group.is_(None) if column.value is None else group == column.value


def _capped_counts(session: Session, actor: Actor, spec: query.ListSpec, grouping: Grouping) -> dict[str, Totals]:
    group, base = grouping.group_column(), _filter(session, actor, spec, grouping)
    model = grouping.entity_def.model
    parts = []
    for column in grouping.columns:
        found = sa.select(model.id).where(*base, _of_column(group, column)).limit(COUNT_CAP + 1).subquery()
        parts.append(sa.select(sa.literal(column.key).label("k"), sa.func.count().label("n")).select_from(found))
    rows = session.execute(parts[0] if len(parts) == 1 else sa.union_all(*parts)).all()
    counts = {key: int(n) for key, n in rows}
    return {
        c.key: Totals(
            count=min(counts.get(c.key, 0), COUNT_CAP), weighted=None, capped=counts.get(c.key, 0) > COUNT_CAP
        )
        for c in grouping.columns
    }


def cards(
    session: Session,
    actor: Actor,
    spec: query.ListSpec,
    grouping: Grouping,
    column_key: str,
    lang: str,
    after: tuple | None = None,
    limit: int = CARDS_PER_COLUMN,
) -> CardPage:
    """One column's cards in board order, ``limit`` at a time after the card ``after`` (rank, id)."""
    column = grouping.column(column_key)
    if column is None:
        return CardPage([], None, False)
    return _pages(session, actor, spec, grouping, [column], lang, after, limit)[column.key]


def _pages(
    session: Session,
    actor: Actor,
    spec: query.ListSpec,
    grouping: Grouping,
    columns: list[BoardColumn],
    lang: str,
    after: tuple | None,
    limit: int,
) -> dict[str, CardPage]:
    """The next ``limit`` cards of each of ``columns``: one statement for the ids of every column
    (a UNION ALL of one keyset range per column), one for their records, one display pass."""
    model = grouping.entity_def.model
    group = grouping.group_column()
    base = _filter(session, actor, spec, grouping)
    parts = []
    for column in columns:
        if grouping.rank_field:
            rank = grouping.attr(grouping.rank_field)
            stmt = sa.select(model.id.label("id"), rank.label("rank"), sa.literal(column.key).label("k"))
            later = sa.tuple_(rank, model.id) > tuple(after) if after is not None else None
            order = (rank, model.id)
        else:  # newest first: the rank is minus the id, so the same (rank, id) order and cursor apply
            stmt = sa.select(model.id.label("id"), (-model.id).label("rank"), sa.literal(column.key).label("k"))
            later = model.id < after[1] if after is not None else None
            order = (model.id.desc(),)
        stmt = stmt.where(*base, _of_column(group, column))
        if later is not None:
            stmt = stmt.where(later)
        sub = stmt.order_by(*order).limit(limit + 1).subquery()
        parts.append(sa.select(sub.c.id, sub.c.rank, sub.c.k))
    rows = session.execute(parts[0] if len(parts) == 1 else sa.union_all(*parts)).all()
    by_column: dict[str, list[tuple[int, int]]] = {}
    for rid, rk, key in sorted(rows, key=lambda r: (r[1], r[0])):
        by_column.setdefault(key, []).append((rid, rk))
    ids = [rid for found in by_column.values() for rid, _ in found[:limit]]
    records = session.execute(sa.select(model).where(model.id.in_(ids))).scalars().all() if ids else []
    made = {card["id"]: card for card in _cards(session, grouping, list(records), lang)}
    pages = {}
    for column in columns:
        found = by_column.get(column.key, [])
        shown = found[:limit]
        pages[column.key] = CardPage(
            [_in_column(made[i], column) for i, _ in shown if i in made],
            (shown[-1][1], shown[-1][0]) if shown else after,
            len(found) > limit,
        )
    return pages


def _in_column(card: dict, column: BoardColumn) -> dict:
    """The card marked when it has been in its stage longer than the stage allows."""
    days = card["days"]
    return {
        **card,
        "stale": bool(days is not None and column.warn_days and column.outcome == "open" and days > column.warn_days),
    }


def _cards(session: Session, grouping: Grouping, records: list, lang: str) -> list[dict]:
    shown = [f for f in (grouping.title_field, grouping.subtitle_field, "owner_id") if f]
    rows = query.display_rows(session, grouping.entity_def, records, shown, lang)
    notes = CARD_NOTES.get(grouping.entity, lambda _s, _ids: {})(session, [r.id for r in records])
    now = utcnow()
    out = []
    for record, row in zip(records, rows, strict=True):
        value = getattr(record, grouping.value_field) if grouping.value_field else None
        out.append(
            {
                "id": record.id,
                "title": row[grouping.title_field],
                "subtitle": row.get(grouping.subtitle_field, "") if grouping.subtitle_field else "",
                "owner": row["owner_id"],
                "value": fmt_vnd(value) if value is not None else "",
                "days": _days_since(getattr(record, grouping.entered_field), now) if grouping.entered_field else None,
                "note": notes[record.id].text if record.id in notes else "",
                "note_late": record.id in notes and notes[record.id].late,
            }
        )
    return out


def _days_since(when: datetime | None, now: datetime) -> int | None:
    if when is None:
        return None
    if when.tzinfo is None:  # SQLite hands back naive UTC
        when = when.replace(tzinfo=now.tzinfo)
    return max(0, (now - when).days)


def load(
    session: Session, actor: Actor, spec: query.ListSpec, grouping: Grouping, lang: str, limit: int = CARDS_PER_COLUMN
) -> list[ColumnView]:
    """The whole board: every column's totals and its first cards."""
    sums = totals(session, actor, spec, grouping)
    filled = [c for c in grouping.columns if sums[c.key].count]
    pages = _pages(session, actor, spec, grouping, filled, lang, None, limit) if filled else {}
    return [ColumnView(c, sums[c.key], pages.get(c.key, CardPage([], None, False))) for c in grouping.columns]


# --- placing a card ----------------------------------------------------------------------------


def place(
    session: Session, model, group_field: str, record, to_value: Any, prev_id: int | None, next_id: int | None
) -> None:
    """Give ``record`` the group value ``to_value`` and a rank between the cards ``prev_id``
    (shown above the drop) and ``next_id`` (below it); either may be None. Neighbours that are
    not in that column (stale screens) are ignored."""
    group = getattr(model, group_field)

    def neighbour(rid: int | None):
        if rid is None or rid == record.id:
            return None
        row = session.execute(sa.select(model.rank, model.id).where(model.id == rid, group == to_value)).first()
        return tuple(row) if row else None

    prev, nxt = neighbour(prev_id), neighbour(next_id)
    setattr(record, group_field, to_value)
    rank = _rank_between(session, model, group, to_value, record.id, prev, nxt)
    if rank is None:  # no room between the neighbours: spread the cards after ``prev``, then again
        _make_room(session, model, group, to_value, record.id, prev)
        nxt = neighbour(next_id)
        rank = _rank_between(session, model, group, to_value, record.id, prev, nxt)
    record.rank = rank
    session.add(record)


def _rank_between(
    session: Session, model, group, value, self_id: int, prev: tuple | None, nxt: tuple | None
) -> int | None:
    if prev is None and nxt is None:  # top of the column
        low = session.execute(sa.select(sa.func.min(model.rank)).where(group == value, model.id != self_id)).scalar()
        return 0 if low is None else low - RANK_GAP
    if prev is None:
        return nxt[0] - RANK_GAP
    if nxt is None:
        return prev[0] + RANK_GAP
    if nxt[0] - prev[0] >= 2:
        return (prev[0] + nxt[0]) // 2
    return None


def _make_room(session: Session, model, group, value, skip_id: int, prev: tuple) -> None:
    """Spread the cards that follow ``prev`` (rank, id) so that a gap opens after it, keeping the
    order: the next 64 cards evenly up to the rank of the 64th when it leaves room, else the next
    1,024, else every following card RANK_GAP apart. A drop rewrites a few dozen rows at most,
    except after some thousand drops in the very same spot."""
    key = sa.tuple_(model.rank, model.id)
    for window in (64, 1024, None):
        stmt = (
            sa.select(model.id, model.rank)
            .where(group == value, model.id != skip_id, key > tuple(prev))
            .order_by(model.rank, model.id)
        )
        rows = session.execute(stmt.limit(window) if window else stmt).all()
        if window is None or len(rows) < window:  # up to the end of the column: nothing above to respect
            ranks = [prev[0] + (k + 1) * RANK_GAP for k in range(len(rows))]
        else:  # the last card of the window keeps its rank, the others share the span evenly
            step = (rows[-1][1] - prev[0]) // len(rows)
            if step < 4:
                continue
            ranks = [prev[0] + (k + 1) * step for k in range(len(rows) - 1)] + [rows[-1][1]]
        if rows:
            session.execute(sa.update(model), [{"id": i, "rank": r} for (i, _), r in zip(rows, ranks, strict=True)])
        return


def top_rank(session: Session, model, group_field: str, value: Any) -> int:
    """The rank that puts a new card first in its column."""
    low = session.execute(sa.select(sa.func.min(model.rank)).where(getattr(model, group_field) == value)).scalar()
    return 0 if low is None else low - RANK_GAP

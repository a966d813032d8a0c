"""The state behind a kanban board: the columns with their totals and loaded cards.

A board page mixes this into a SessionState subclass and says which grouping it shows
(``_grouping``) and how a drop is saved (``_save_move``). Only the cards on screen (50 per
column, more on demand) live in the state; totals come from the server over the whole filter.
"""

from __future__ import annotations

import reflex as rx

from crm_app.i18n import tr
from crm_app.services import board, query
from crm_app.services.formatting import fmt_number, fmt_vnd


class BoardStateMixin(rx.State, mixin=True):
    search: str = ""
    columns: list[dict] = []
    version: int = 0  # bumped on every read, so that the board shows it even when nothing changed
    loaded: bool = False
    _cursors: dict[str, tuple | None] = {}
    _grouping_has_value: bool = True
    owner_filter: str = ""  # "" every visible owner, else one user id
    owner_options: list[list[str]] = []

    # --- what a board says about itself ------------------------------------------------------

    def _grouping(self, session, actor) -> board.Grouping | None:
        raise NotImplementedError

    def _spec(self) -> query.ListSpec:
        return query.ListSpec(entity=self._entity(), search=self.search)

    def _entity(self) -> str:
        raise NotImplementedError

    def _save_move(self, session, actor, card_id: int, to_key: str, prev_id: int | None, next_id: int | None):
        """Save a drop; returns the events to send (a toast)."""
        raise NotImplementedError

    def _awaiting_answer(self) -> bool:
        """Whether a drop was held back until the user answers a question."""
        return False

    # --- loading -----------------------------------------------------------------------------

    def _scoped(self, session, actor) -> board.Grouping | None:
        grouping = self._grouping(session, actor)
        owner = int(self.owner_filter) if self.owner_filter.isdigit() else None
        return None if grouping is None else board.owned_by(grouping, owner)

    def _column(self, view: board.ColumnView) -> dict:
        c, t = view.column, view.totals
        return {
            "key": c.key, "label": c.label, "color": c.color, "outcome": c.outcome,
            "count": t.count, "count_label": fmt_number(t.count),
            "total_label": fmt_vnd(t.total) if self._grouping_has_value else "",
            "weighted_label": fmt_vnd(t.weighted) if t.weighted is not None and self._grouping_has_value else "",
            "cards": view.page.cards, "more": view.page.more,
        }

    def _load_board(self):
        try:
            with self.service() as (session, actor):
                self.owner_options = [[str(i), n] for i, n in query.owner_options(session, actor)]
                grouping = self._scoped(session, actor)
                if grouping is None:
                    self.columns, self.loaded = [], True
                    return
                self._grouping_has_value = grouping.value_field is not None
                views = board.load(session, actor, self._spec(), grouping, self.lang)
        except Exception as exc:  # noqa: BLE001 - fail() re-raises what it does not handle
            return self.fail(exc)
        self._cursors = {v.column.key: v.page.last_key for v in views}
        self.columns = [self._column(v) for v in views]
        self.version += 1
        self.loaded = True

    @rx.event
    def set_search(self, value: str):
        self.search = value
        return self._load_board()

    @rx.event
    def set_owner_filter(self, value: str):
        self.owner_filter = value
        return self._load_board()

    @rx.event
    def more(self, key: str):
        """The next cards of one column."""
        try:
            with self.service() as (session, actor):
                page = board.cards(session, actor, self._spec(), self._scoped(session, actor), key, self.lang,
                                   after=self._cursors.get(key))
        except Exception as exc:  # noqa: BLE001
            return self.fail(exc)
        self._cursors[key] = page.last_key
        self.columns = [{**c, "cards": [*c["cards"], *page.cards], "more": page.more} if c["key"] == key else c
                        for c in self.columns]

    @rx.event
    def move(self, card_id: str, to_key: str, prev_id: str, next_id: str):
        """A card was dropped: save it at once; on refusal the board is read again (the card
        goes back) and the user is told why."""
        def as_id(v: str) -> int | None:
            return int(v) if str(v).isdigit() else None

        if as_id(card_id) is None:
            return self._load_board()
        try:
            with self.service() as (session, actor):
                events = self._save_move(session, actor, as_id(card_id), to_key, as_id(prev_id), as_id(next_id))
        except Exception as exc:  # noqa: BLE001
            failed = self.fail(exc)
            self._load_board()
            return failed
        if self._awaiting_answer():  # the drop waits for a question (lost reason): keep it on screen
            return events
        reload = self._load_board()
        return reload or events

    @rx.var
    def board_labels(self) -> dict[str, str]:
        lang = self.lang
        return {name: tr(f"board.{key}", lang) for name, key in (
            ("more", "more"), ("days", "days"), ("stale", "stale"), ("empty", "empty_column"), ("total", "total"),
            ("weighted", "weighted"), ("overdue", "overdue"))}

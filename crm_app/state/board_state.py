"""The state behind a kanban board: the columns with their totals and loaded cards.

``BoardMixin`` is the board itself; a state mixing it in says which grouping it shows
(``_board_grouping``), over which list filter (``_board_spec``) and how a drop is saved
(``_save_move``). The list pages mix it in through ListStateMixin (a saved view whose
display type is kanban); the pipeline boards through ``BoardStateMixin``, which adds their
search, owner filter and the saved view whose filter they apply. Only the cards on screen
(50 per column, more on demand) live in the state; totals come from the server over the
whole filter.
"""

from __future__ import annotations

import reflex as rx

from crm_app.i18n import tr
from crm_app.services.errors import NotAllowed, ValidationFailed
from crm_app.services.formatting import fmt_number, fmt_vnd
from crm_app.services.lists import query, views
from crm_app.services.lists.filters import empty_filter
from crm_app.services.pipeline import board
from crm_app.state.filter_draft import count_conditions


class BoardMixin(rx.State, mixin=True):
    board_columns: list[dict] = []
    board_version: int = 0  # bumped on every read, so that the board shows it even when nothing changed
    _board_cursors: dict[str, tuple | None] = {}
    _board_has_value: bool = True

    # --- what a board says about itself ------------------------------------------------------

    def _board_grouping(self, session, actor) -> board.Grouping | None:
        raise NotImplementedError

    def _board_spec(self) -> query.ListSpec:
        raise NotImplementedError

    def _save_move(self, session, actor, card_id: int, to_key: str, prev_id: int | None, next_id: int | None):
        """Save a drop; returns the events to send (a toast)."""
        raise NotImplementedError

    def _awaiting_answer(self) -> bool:
        """Whether a drop was held back until the user answers a question."""
        return False

    def _before_board(self, session, actor) -> None:
        """Anything else the page reads with the board."""

    # --- loading -----------------------------------------------------------------------------

    def _board_column(self, view: board.ColumnView) -> dict:
        c, t = view.column, view.totals
        return {
            "key": c.key,
            "label": c.label,
            "color": c.color,
            "outcome": c.outcome,
            "count": t.count,
            "count_label": fmt_number(t.count) + ("+" if t.capped else ""),
            "total_label": fmt_vnd(t.total) if self._board_has_value else "",
            "weighted_label": fmt_vnd(t.weighted) if t.weighted is not None and self._board_has_value else "",
            "cards": view.page.cards,
            "more": view.page.more,
        }

    def _load_board(self):
        with self._service() as (session, actor):
            self._before_board(session, actor)
            grouping = self._board_grouping(session, actor)
            if grouping is None:
                self.board_columns = []
                return
            self._board_has_value = grouping.value_field is not None
            columns = board.load(session, actor, self._board_spec(), grouping, self.lang)
        self._board_cursors = {v.column.key: v.page.last_key for v in columns}
        self.board_columns = [self._board_column(v) for v in columns]
        self.board_version += 1

    @rx.event
    def board_more(self, key: str):
        """The next cards of one column."""
        with self._service() as (session, actor):
            page = board.cards(
                session,
                actor,
                self._board_spec(),
                self._board_grouping(session, actor),
                key,
                self.lang,
                after=self._board_cursors.get(key),
            )
        self._board_cursors[key] = page.last_key
        self.board_columns = [
            {**c, "cards": [*c["cards"], *page.cards], "more": page.more} if c["key"] == key else c
            for c in self.board_columns
        ]

    @rx.event
    def board_move(self, card_id: str, to_key: str, prev_id: str, next_id: str):
        """A card was dropped: save it at once; on refusal the board is read again (the card
        goes back) and the user is told why."""

        def as_id(v: str) -> int | None:
            return int(v) if str(v).isdigit() else None

        if as_id(card_id) is None:
            return self._load_board()
        try:
            with self._service() as (session, actor):
                events = self._save_move(session, actor, as_id(card_id), to_key, as_id(prev_id), as_id(next_id))
        except Exception as exc:  # noqa: BLE001
            # the record's own rule, named
            failed = self._first_error(exc) if isinstance(exc, ValidationFailed) else self._fail(exc)
            self._load_board()
            return failed
        if self._awaiting_answer():  # the drop waits for a question (lost reason): keep it on screen
            return events
        reload = self._load_board()
        return reload or events

    def _moved_to(self, to_key: str):
        """The toast of a saved drop, naming the column."""
        column = next((c for c in self.board_columns if c["key"] == to_key), None)
        return rx.toast.success(self._msg("board.moved", stage=column["label"] if column else to_key))

    @rx.var
    def board_labels(self) -> dict[str, str]:
        lang = self.lang
        return {
            name: tr(f"board.{key}", lang)
            for name, key in (
                ("more", "more"),
                ("days", "days"),
                ("stale", "stale"),
                ("empty", "empty_column"),
                ("total", "total"),
                ("weighted", "weighted"),
                ("overdue", "overdue"),
            )
        }


class BoardStateMixin(BoardMixin, mixin=True):
    """A pipeline board page: its search, an owner filter and the filter of a saved view of the
    entity (the one the list shows when the board opens, else the user's default view)."""

    search: str = ""
    loaded: bool = False
    owner_filter: str = ""  # "" every visible owner, else one user id
    owner_options: list[list[str]] = []
    view_options: list[list[str]] = []
    view_id: str = ""
    view_filter_count: int = 0
    _view_filter: dict = {}

    def _grouping(self, session, actor) -> board.Grouping | None:
        raise NotImplementedError

    def _entity(self) -> str:
        raise NotImplementedError

    def _board_spec(self) -> query.ListSpec:
        return query.ListSpec(entity=self._entity(), search=self.search, filter=self._view_filter or None)

    def _board_grouping(self, session, actor) -> board.Grouping | None:
        grouping = self._grouping(session, actor)
        owner = int(self.owner_filter) if self.owner_filter.isdigit() else None
        return None if grouping is None else board.owned_by(grouping, owner)

    def _before_board(self, session, actor) -> None:
        self.owner_options = [[str(i), n] for i, n in query.owner_options(session, actor)]

    def _load_board(self):
        failed = BoardMixin._load_board(self)
        self.loaded = True
        return failed

    def _use_view(self, session, actor, view_id: str) -> None:
        view = views.get(session, actor, int(view_id)) if view_id.isdigit() else None
        if view is not None and view.entity != self._entity():
            raise NotAllowed()
        self.view_id = str(view.id) if view else ""
        self._set_view_filter(views.effective(session, actor, view)["filter"] if view else empty_filter())

    def _set_view_filter(self, spec: dict) -> None:
        self._view_filter = spec
        self.view_filter_count = count_conditions(spec)

    def _take_list_view(self, listed) -> None:
        """Take the list page's view, filter and search (``listed``: that page's state) when it
        was open, else the default view."""
        with self._service() as (session, actor):
            self.view_options = [[str(v.id), v.name] for v in views.visible(session, actor, self._entity())]
            if listed.loaded:
                self.view_id, self.search = listed.view_id, listed.search
                self._set_view_filter(listed._filter or empty_filter())
            else:
                default = views.default_view(session, actor, self._entity())
                self._use_view(session, actor, str(default.id) if default else "")

    @rx.event
    def set_search(self, value: str):
        self.search = value
        return self._load_board()

    @rx.event
    def set_owner_filter(self, value: str):
        self.owner_filter = value
        return self._load_board()

    @rx.event
    def set_board_view(self, view_id: str):
        with self._service() as (session, actor):
            self._use_view(session, actor, view_id)
        return self._load_board()

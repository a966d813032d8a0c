"""The kanban board and the sortable list: @hello-pangea/dnd behind a small JSX glue
(assets/kanban.jsx), wrapped for Reflex. Any state that holds board columns can drive
``kanban_board`` (see state/board_state.py)."""

from __future__ import annotations

import reflex as rx
from reflex.event import passthrough_event_spec

_LIBRARY = "$/public/kanban.jsx"
_DND = "@hello-pangea/dnd@18.0.1"


class KanbanBoard(rx.NoSSRComponent):
    """Columns: [{key, label, color, count_label, total_label, weighted_label, more,
    cards: [{id, title, subtitle, value, owner, days, stale, note, note_late}]}]."""

    library = _LIBRARY
    tag = "KanbanBoard"
    lib_dependencies: list[str] = [_DND]

    columns: rx.Var[list[dict]]
    version: rx.Var[int]  # bumped on every read from the server: the board drops what it showed
    labels: rx.Var[dict]
    # card id, target column key, id of the card above the drop and below it ("" for none)
    on_move: rx.EventHandler[passthrough_event_spec(str, str, str, str)]
    on_more: rx.EventHandler[passthrough_event_spec(str)]
    on_open: rx.EventHandler[passthrough_event_spec(str)]


class SortableList(rx.NoSSRComponent):
    """Items: [{id, label, detail, color}]; on_reorder gets the ids in the new order, comma separated."""

    library = _LIBRARY
    tag = "SortableList"
    lib_dependencies: list[str] = [_DND]

    items: rx.Var[list[dict]]
    on_reorder: rx.EventHandler[passthrough_event_spec(str)]
    on_pick: rx.EventHandler[passthrough_event_spec(str)]


kanban_board = KanbanBoard.create
sortable_list = SortableList.create

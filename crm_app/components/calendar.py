"""The calendar grid: @hello-pangea/dnd behind a small JSX glue (assets/calendar.jsx)."""

from __future__ import annotations

import reflex as rx
from reflex.event import passthrough_event_spec

from crm_app.components.kanban import _DND


class CalendarBoard(rx.NoSSRComponent):
    """Days: [{key (YYYY-MM-DD), label, muted, today, more, items: [{id, time, title, type, status, tooltip, movable}]}]."""

    library = "$/public/calendar.jsx"
    tag = "CalendarBoard"
    lib_dependencies: list[str] = [_DND]

    days: rx.Var[list[dict]]
    version: rx.Var[int]  # bumped on every read from the server: the grid drops what it showed
    weekdays: rx.Var[list[str]]
    labels: rx.Var[dict]
    mode: rx.Var[str]  # month / week
    on_move: rx.EventHandler[passthrough_event_spec(str, str)]  # item id, target day
    on_add: rx.EventHandler[passthrough_event_spec(str)]  # day
    on_open: rx.EventHandler[passthrough_event_spec(str)]  # item id
    on_more: rx.EventHandler[passthrough_event_spec(str)]  # day whose hidden items to show


calendar_board = CalendarBoard.create

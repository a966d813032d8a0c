"""The parts of a board page: list/board switch, search, the board itself."""

from __future__ import annotations

import reflex as rx

from crm_app.components.data_table import search_box
from crm_app.components.form import T
from crm_app.components.kanban import kanban_board


def view_switch(list_href: str, board_href: str, on_board: bool) -> rx.Component:
    def item(icon: str, key: str, href: str, active: bool, item_id: str) -> rx.Component:
        return rx.link(
            rx.button(
                rx.icon(icon, size=14),
                T[key],
                size="2",
                variant="solid" if active else "soft",
                color_scheme="indigo" if active else "gray",
            ),
            href=href,
            id=item_id,
        )

    return rx.hstack(
        item("list", "board.list_view", list_href, not on_board, "view-list"),
        item("kanban", "board.board_view", board_href, on_board, "view-board"),
        gap="4px",
    )


def board_search(state) -> rx.Component:
    return search_box(state, "board-search")


def board(state, on_open) -> rx.Component:
    return rx.box(
        kanban_board(
            columns=state.board_columns,
            version=state.board_version,
            labels=state.board_labels,
            on_move=state.board_move,
            on_more=state.board_more,
            on_open=on_open,
        ),
        id="kanban",
        width="100%",
    )


def board_view_select(state) -> rx.Component:
    """The saved view whose filter the board applies, with the number of its conditions."""
    return rx.hstack(
        rx.icon("layout-list", size=16, color=rx.color("gray", 11)),
        rx.el.select(
            rx.el.option(T["views.default"], value=""),
            rx.foreach(state.view_options, lambda o: rx.el.option(o[1], value=o[0])),
            value=state.view_id,
            on_change=state.set_board_view,
            class_name="native-select",
            aria_label=T["views.view"],
            id="board-view",
            style={"width": "200px"},
        ),
        rx.cond(
            state.view_filter_count > 0,
            rx.badge(
                rx.icon("filter", size=12),
                state.view_filter_count,
                color_scheme="indigo",
                id="board-view-filter",
                title=T["filter.title"],
            ),
            rx.fragment(),
        ),
        align="center",
        gap="6px",
    )


def owner_filter(state) -> rx.Component:
    return rx.el.select(
        rx.el.option(T["board.all_owners"], value=""),
        rx.foreach(state.owner_options, lambda o: rx.el.option(o[1], value=o[0])),
        value=state.owner_filter,
        on_change=state.set_owner_filter,
        class_name="native-select",
        aria_label=T["field.owner_id"],
        id="board-owner",
        style={"width": "200px"},
    )

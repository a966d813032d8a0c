"""The list table: sortable headers, one page of rows from the server, keyset paging."""

from __future__ import annotations

import reflex as rx

from crm_app.components.form import T
from crm_app.services.query import PAGE_SIZES


def _header_cell(state, column: rx.Var) -> rx.Component:
    is_sorted = state.sort == column
    return rx.table.column_header_cell(
        rx.hstack(
            rx.text(T["field." + column.to(str)]),
            rx.cond(is_sorted, rx.icon(rx.cond(state.descending, "arrow-down", "arrow-up"), size=14), rx.fragment()),
            align="center", gap="4px", white_space="nowrap",
        ),
        on_click=state.sort_by(column), cursor="pointer", class_name="sortable-header",
        id="col-" + column.to(str),
    )


def _row(state, row: rx.Var, row_action) -> rx.Component:
    return rx.table.row(
        rx.foreach(state.columns, lambda col: rx.table.cell(
            rx.text(row[col], class_name="cell-text"), white_space="nowrap",
            on_click=state.open_row(row["id"]), cursor="pointer",
        )),
        rx.table.cell(row_action(row)) if row_action else rx.fragment(),
        class_name="data-row", data_id=row["id"],
    )


def pager(state) -> rx.Component:
    return rx.hstack(
        rx.text(state.range_label, size="2", color=rx.color("gray", 11), id="range-label"),
        rx.spacer(),
        rx.text(T["list.page_size"], size="2", color=rx.color("gray", 11)),
        rx.el.select(
            *[rx.el.option(str(n), value=str(n)) for n in PAGE_SIZES],
            value=state.page_size.to(str), on_change=state.set_page_size, class_name="native-select",
            id="page-size", style={"width": "80px"},
        ),
        rx.icon_button(rx.icon("chevrons-left", size=16), on_click=state.first_page, disabled=~state.has_before,
                       variant="soft", title=T["list.first"], id="page-first"),
        rx.icon_button(rx.icon("chevron-left", size=16), on_click=state.prev_page, disabled=~state.has_before,
                       variant="soft", title=T["list.prev"], id="page-prev"),
        rx.icon_button(rx.icon("chevron-right", size=16), on_click=state.next_page, disabled=~state.has_after,
                       variant="soft", title=T["list.next"], id="page-next"),
        rx.icon_button(rx.icon("chevrons-right", size=16), on_click=state.last_page, disabled=~state.has_after | state.total_capped,
                       variant="soft", title=T["list.last"], id="page-last"),
        align="center", gap="8px", width="100%", padding_top="10px",
    )


def data_table(state, empty_key: str = "list.empty", row_action=None) -> rx.Component:
    """``row_action(row)`` adds a last cell with buttons for the row."""
    return rx.vstack(
        rx.box(
            rx.table.root(
                rx.table.header(rx.table.row(
                    rx.foreach(state.columns, lambda c: _header_cell(state, c)),
                    rx.table.column_header_cell("") if row_action else rx.fragment(),
                )),
                rx.table.body(rx.foreach(state.rows, lambda r: _row(state, r, row_action))),
                size="1", variant="surface", width="100%", id="data-table",
            ),
            class_name="table-scroll",
        ),
        rx.cond(
            state.loaded & (state.rows.length() == 0),
            rx.center(rx.text(rx.cond(state.search != "", T["list.no_match"], T[empty_key]),
                              color=rx.color("gray", 10)), padding="32px", width="100%", id="empty-state"),
            rx.fragment(),
        ),
        pager(state),
        width="100%", gap="0",
    )


def search_box(state) -> rx.Component:
    return rx.input(
        rx.input.slot(rx.icon("search", size=16)),
        value=state.search, on_change=state.set_search, debounce_timeout=300,
        placeholder=T["list.search_placeholder"], id="list-search", width="360px",
    )

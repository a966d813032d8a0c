"""The list table: selectable rows, sortable headers with a quick filter, column widths with a
horizontal scroll, one page of rows from the server, keyset paging; or the same rows as cards."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import reflex as rx

from crm_app.components.form import T
from crm_app.services.lists.query import MAX_SEARCH, PAGE_SIZES


@dataclass(frozen=True)
class RowActions:
    """A row's own buttons (edit, restore, delete): a first column of ``width`` beside the checkbox,
    so they are in view in any window however many columns the view shows."""

    render: Callable[[rx.Var], rx.Component]
    width: str


def _header_cell(state, column: rx.Var) -> rx.Component:
    is_sorted = state.sort == column
    return rx.table.column_header_cell(
        rx.hstack(
            rx.hstack(
                rx.text(state.field_labels[column], class_name="header-label"),
                rx.cond(
                    is_sorted, rx.icon(rx.cond(state.descending, "arrow-down", "arrow-up"), size=14), rx.fragment()
                ),
                on_click=state.sort_by(column),
                cursor="pointer",
                align="center",
                gap="4px",
                flex="1",
                min_width="0",
                class_name="sort-handle",
            ),
            rx.icon_button(
                rx.icon("filter", size=12),
                size="1",
                variant="ghost",
                color_scheme="gray",
                on_click=state.quick_filter(column),
                title=T["filter.quick"],
                class_name="quick-filter",
                id="quick-filter-" + column.to(str),
            ),
            align="center",
            gap="4px",
            white_space="nowrap",
        ),
        class_name="sortable-header",
        id="col-" + column.to(str),
        style={"width": state.column_widths[column], "min_width": state.column_widths[column]},
    )


def _select_cell(state, row: rx.Var) -> rx.Component:
    return rx.table.cell(
        rx.checkbox(
            checked=state.selected_ids.contains(row["id"]) | state.all_matching,
            on_change=lambda _v: state.toggle_row(row["id"]),
            aria_label=T["list.select_row"],
            class_name="row-select",
        ),
        width="36px",
    )


def _row(state, row: rx.Var, row_action) -> rx.Component:
    return rx.table.row(
        _select_cell(state, row),
        rx.table.cell(row_action.render(row), white_space="nowrap") if row_action else rx.fragment(),
        rx.foreach(
            state.columns,
            lambda col: rx.table.cell(
                rx.text(row[col], class_name="cell-text"),
                white_space="nowrap",
                on_click=state.open_row(row["id"]),
                cursor="pointer",
            ),
        ),
        class_name="data-row",
        data_id=row["id"],
    )


def pager(state) -> rx.Component:
    return rx.hstack(
        rx.text(state.range_label, size="2", color=rx.color("gray", 11), id="range-label"),
        rx.spacer(),
        rx.text(T["list.page_size"], size="2", color=rx.color("gray", 11)),
        rx.el.select(
            *[rx.el.option(str(n), value=str(n)) for n in PAGE_SIZES],
            value=state.page_size.to(str),
            on_change=state.set_page_size,
            class_name="native-select",
            aria_label=T["list.page_size"],
            id="page-size",
            style={"width": "80px"},
        ),
        rx.icon_button(
            rx.icon("chevrons-left", size=16),
            on_click=state.first_page,
            disabled=~state.has_before,
            variant="soft",
            title=T["list.first"],
            id="page-first",
        ),
        rx.icon_button(
            rx.icon("chevron-left", size=16),
            on_click=state.prev_page,
            disabled=~state.has_before,
            variant="soft",
            title=T["list.prev"],
            id="page-prev",
        ),
        rx.icon_button(
            rx.icon("chevron-right", size=16),
            on_click=state.next_page,
            disabled=~state.has_after,
            variant="soft",
            title=T["list.next"],
            id="page-next",
        ),
        rx.icon_button(
            rx.icon("chevrons-right", size=16),
            on_click=state.last_page,
            disabled=~state.has_after | state.total_capped,
            variant="soft",
            title=T["list.last"],
            id="page-last",
        ),
        align="center",
        gap="8px",
        width="100%",
        padding_top="10px",
    )


def _table(state, row_action) -> rx.Component:
    return rx.box(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell(
                        rx.checkbox(
                            checked=state.page_selected | state.all_matching,
                            on_change=state.toggle_page,
                            aria_label=T["list.select_page"],
                            id="select-page",
                        ),
                        width="36px",
                    ),
                    rx.table.column_header_cell("", width=row_action.width) if row_action else rx.fragment(),
                    rx.foreach(state.columns, lambda c: _header_cell(state, c)),
                )
            ),
            rx.table.body(rx.foreach(state.rows, lambda r: _row(state, r, row_action))),
            size="1",
            variant="surface",
            id="data-table",
            style={
                "table_layout": "fixed",
                "width": "calc(" + state.table_width + f" + {row_action.width})" if row_action else state.table_width,
                "min_width": "100%",
            },
        ),
        class_name="table-scroll",
    )


def _card(state, row: rx.Var) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.checkbox(
                checked=state.selected_ids.contains(row["id"]) | state.all_matching,
                on_change=lambda _v: state.toggle_row(row["id"]),
                aria_label=T["list.select_row"],
                class_name="row-select",
            ),
            rx.text(
                row[state.columns[0]],
                weight="bold",
                size="2",
                class_name="card-title",
                on_click=state.open_row(row["id"]),
                cursor="pointer",
            ),
            align="center",
            gap="8px",
        ),
        rx.vstack(
            rx.foreach(
                state.columns[1:],
                lambda col: rx.hstack(
                    rx.text(state.field_labels[col], size="1", color=rx.color("gray", 11), min_width="110px"),
                    rx.text(rx.cond(row[col] != "", row[col], "—"), size="2", class_name="cell-text"),
                    gap="8px",
                    align="baseline",
                ),
            ),
            gap="2px",
            margin_top="6px",
        ),
        class_name="data-row record-card",
        data_id=row["id"],
    )


def _cards(state) -> rx.Component:
    return rx.grid(
        rx.foreach(state.rows, lambda r: _card(state, r)),
        columns=rx.breakpoints(initial="1", sm="2", lg="3", xl="4"),
        gap="10px",
        width="100%",
        id="data-cards",
    )


def data_table(state, empty_key: str = "list.empty", row_action: RowActions | None = None) -> rx.Component:
    return rx.vstack(
        rx.cond(state.display_type == "cards", _cards(state), _table(state, row_action)),
        rx.cond(
            state.loaded & (state.rows.length() == 0),
            rx.center(
                rx.text(
                    rx.cond((state.search != "") | (state.filter_count > 0), T["list.no_match"], T[empty_key]),
                    color=rx.color("gray", 11),
                ),
                padding="32px",
                width="100%",
                id="empty-state",
            ),
            rx.fragment(),
        ),
        pager(state),
        width="100%",
        gap="0",
    )


def search_box(state, element_id: str = "list-search") -> rx.Component:
    """The list's (or board's) search box; wide enough for its whole hint in both languages."""
    return rx.input(
        rx.input.slot(rx.icon("search", size=16)),
        value=state.search,
        on_change=state.set_search,
        debounce_timeout=300,
        # what the list's search finds (a list of customer products: product names)
        placeholder=T[getattr(state, "search_hint", "list.search_placeholder")],
        id=element_id,
        max_length=MAX_SEARCH,  # the box takes no more than a search reads (the server refuses more)
        width="400px",
        max_width="100%",
    )

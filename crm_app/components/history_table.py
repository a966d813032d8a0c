"""The history of records as a table: a record's History tab, the history card of a lead, a
deal and a contact, and the system history page (with the record of each row)."""

from __future__ import annotations

import reflex as rx

from crm_app import routes
from crm_app.components.dialogs import empty_state
from crm_app.components.form import T


def _value(text: rx.Var, color: str, class_name: str) -> rx.Component:
    """A value before or after a change; ∅ for none."""
    return rx.text(
        rx.cond(text != "", text, "∅"),
        color=rx.color(color, 11),
        size="2",
        class_name=class_name,
        max_width="260px",
        overflow="hidden",
        text_overflow="ellipsis",
    )


def history_table(rows: rx.Var, table_id: str, with_record: bool = False) -> rx.Component:
    return rx.table.root(
        rx.table.header(
            rx.table.row(
                rx.table.column_header_cell(T["history.when"]),
                rx.table.column_header_cell(T["history.who"]),
                rx.table.column_header_cell(T["history.record"]) if with_record else rx.fragment(),
                rx.table.column_header_cell(T["history.field"]),
                rx.table.column_header_cell(T["history.change"]),
            )
        ),
        rx.table.body(
            rx.foreach(
                rows,
                lambda r: rx.table.row(
                    rx.table.cell(r["at"], white_space="nowrap"),
                    rx.table.cell(r["who"]),
                    rx.table.cell(
                        rx.cond(
                            r["record_url"] != "",
                            rx.link(r["record"], href=r["record_url"], class_name="history-record"),
                            rx.text(r["record"]),
                        )
                    )
                    if with_record
                    else rx.fragment(),
                    rx.table.cell(
                        rx.hstack(
                            rx.badge(r["entity"], variant="soft", color_scheme="gray"),
                            rx.cond(
                                r["child"] != "",
                                rx.text("“" + r["child"] + "”", size="1", class_name="history-child"),
                                rx.fragment(),
                            ),
                            rx.text(r["action"], size="1", color=rx.color("gray", 11)),
                            rx.text(r["field"], weight="medium", size="2", class_name="history-field"),
                            gap="6px",
                            align="center",
                            wrap="wrap",
                        )
                    ),
                    rx.table.cell(
                        rx.cond(  # an archive or a restore changes no field: no values to show
                            (r["old"] == "") & (r["new"] == ""),
                            rx.fragment(),
                            rx.hstack(
                                _value(r["old"], "red", "history-old"),
                                rx.icon("arrow-right", size=12),
                                _value(r["new"], "green", "history-new"),
                                gap="6px",
                                align="center",
                            ),
                        )
                    ),
                    class_name="history-row",
                ),
            )
        ),
        size="1",
        variant="surface",
        width="100%",
        id=table_id,
    )


def record_history(rows: rx.Var, entity: str, record_id: rx.Var, is_manager: rx.Var) -> rx.Component:
    """A record's history card under its form (a lead, a deal, a contact): the same table as a
    customer's History tab, and for managers the way to the whole of it in the system history."""
    return rx.card(
        rx.text(T["opps.history"], weight="bold", size="2", margin_bottom="8px"),
        rx.cond(rows.length() > 0, history_table(rows, "history"), empty_state("history.empty")),
        rx.cond(
            is_manager,
            rx.link(
                T["history.all_of_record"],
                href=f"{routes.SYSTEM_HISTORY}?entity={entity}&record=" + record_id.to(str),
                size="2",
                id="history-all",
                margin_top="8px",
            ),
            rx.fragment(),
        ),
        width="100%",
    )

"""The Products tab: what the customer bought in its orders, and its services entered by hand,
with the dialog that adds or edits one."""

from __future__ import annotations

import reflex as rx

from crm_app.components.dialog_footer import dialog_footer
from crm_app.components.dialogs import empty_state, icon_button
from crm_app.components.form import T, labelled
from crm_app.pages.customer_tabs.common import muted, status_badge, toolbar
from crm_app.state.customer_products_tab import CustomerProductsState as P


def _header(*keys: str) -> rx.Component:
    return rx.table.header(rx.table.row(*[rx.table.column_header_cell(T[k] if k else "") for k in keys]))


def _bought() -> rx.Component:
    return rx.cond(
        P.bought.length() > 0,
        rx.table.root(
            _header("field.product_id", "field.quantity", "field.first_purchase", "field.last_purchase", "field.total"),
            rx.table.body(
                rx.foreach(
                    P.bought,
                    lambda r: rx.table.row(
                        rx.table.cell(rx.text(r["product"], weight="medium")),
                        rx.table.cell(r["quantity"], text_align="right"),
                        rx.table.cell(r["first"]),
                        rx.table.cell(r["last"]),
                        rx.table.cell(r["total"], text_align="right", white_space="nowrap"),
                        class_name="bought-row",
                    ),
                )
            ),
            size="1",
            variant="surface",
            width="100%",
            id="bought-table",
        ),
        rx.card(empty_state("cp.no_bought"), width="100%"),
    )


def _services() -> rx.Component:
    return rx.cond(
        P.services.length() > 0,
        rx.table.root(
            _header("field.product_id", "cp.period", "cp.status", "field.note", ""),
            rx.table.body(
                rx.foreach(
                    P.services,
                    lambda r: rx.table.row(
                        rx.table.cell(rx.text(r["product"], weight="medium")),
                        rx.table.cell(r["start"], " – ", r["end"], white_space="nowrap"),
                        rx.table.cell(status_badge(r["status"], r["status_label"])),
                        rx.table.cell(rx.text(r["note"], size="2"), max_width="320px"),
                        rx.table.cell(
                            rx.hstack(
                                icon_button("pencil", P.open_edit(r["id"]), "action.edit", class_name="service-edit"),
                                icon_button(
                                    "trash-2",
                                    P.ask_delete(r["id"]),
                                    "common.delete",
                                    "red",
                                    class_name="service-delete",
                                ),
                                gap="4px",
                            )
                        ),
                        class_name="service-row",
                    ),
                )
            ),
            size="1",
            variant="surface",
            width="100%",
            id="services-table",
        ),
        rx.card(empty_state("cp.no_services"), width="100%"),
    )


def products_tab() -> rx.Component:
    return rx.vstack(
        rx.text(T["cp.bought"], weight="bold", size="2"),
        muted(T["cp.bought_hint"]),
        _bought(),
        toolbar(
            P,
            rx.text(T["cp.services"], weight="bold", size="2"),
            rx.spacer(),
            rx.button(rx.icon("plus", size=14), T["cp.add"], on_click=P.open_new, id="service-new"),
        ),
        _services(),
        gap="10px",
        width="100%",
    )


def _date_input(name: str) -> rx.Component:
    return labelled(
        f"field.{name}",
        rx.input(
            type="date",
            value=P.draft[name],
            on_change=lambda v: P.set_draft(name, v),
            aria_label=T[f"field.{name}"],
            id=f"service-{name}",
        ),
        P.draft_errors.get(name, ""),
        field_id=f"service-{name}",
    )


def service_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(P.editing_id > 0, T["cp.edit"], T["cp.add"])),
            rx.vstack(
                labelled(
                    "field.product_id",
                    rx.el.select(
                        rx.el.option(T["common.choose"], value=""),
                        rx.foreach(P.product_options, lambda o: rx.el.option(o[1], value=o[0])),
                        value=P.draft["product_id"],
                        on_change=lambda v: P.set_draft("product_id", v),
                        class_name="native-select",
                        aria_label=T["field.product_id"],
                        id="service-product_id",
                        style={"width": "100%"},
                    ),
                    P.draft_errors.get("product_id", ""),
                    required=True,
                    field_id="service-product_id",
                ),
                rx.grid(_date_input("start_date"), _date_input("end_date"), columns="2", gap="12px", width="100%"),
                labelled(
                    "cp.status",
                    rx.el.select(
                        rx.foreach(P.status_options, lambda o: rx.el.option(o[1], value=o[0])),
                        value=P.draft["status"],
                        on_change=lambda v: P.set_draft("status", v),
                        class_name="native-select",
                        aria_label=T["cp.status"],
                        id="service-status",
                        style={"width": "100%"},
                    ),
                    P.draft_errors.get("status", ""),
                    field_id="service-status",
                ),
                labelled(
                    "field.note",
                    rx.text_area(
                        value=P.draft["note"],
                        on_change=lambda v: P.set_draft("note", v),
                        rows="3",
                        width="100%",
                        aria_label=T["field.note"],
                        id="service-note",
                    ),
                    P.draft_errors.get("note", ""),
                    field_id="service-note",
                ),
                gap="10px",
                width="100%",
            ),
            dialog_footer("action.save", P.save, confirm_id="service-save"),
            max_width="560px",
        ),
        open=P.dialog_open,
        on_open_change=P.set_dialog_open,
    )

"""The Quotes and orders tab and its dialog; the customer's deals."""

from __future__ import annotations

import reflex as rx

from crm_app.components.dialog_footer import dialog_footer
from crm_app.components.dialogs import empty_state, icon_button
from crm_app.components.form import T, labelled
from crm_app.pages.customer_opportunities import deals_table
from crm_app.pages.customer_tabs.common import toolbar
from crm_app.state.customer_detail import CustomerDetailState as S
from crm_app.state.customer_opportunities import CustomerOpportunitiesState as D
from crm_app.state.customer_sales import SalesState as Q


def sales_tab() -> rx.Component:
    return rx.vstack(
        toolbar(
            Q,
            rx.button(
                rx.icon("handshake", size=14),
                T["quick.new_opportunity"],
                variant="soft",
                on_click=D.open_new,
                id="deal-new",
            ),
            rx.button(
                rx.icon("file-text", size=14),
                T["quick.new_quote"],
                variant="soft",
                on_click=Q.open_new("quote"),
                id="quote-new",
            ),
            rx.button(
                rx.icon("shopping-cart", size=14), T["quick.new_order"], on_click=Q.open_new("order"), id="order-new"
            ),
            rx.spacer(),
            rx.text(
                T["field.last_purchase_at"],
                ": ",
                rx.text.strong(S.header["last_purchase"]),
                size="2",
                id="last-purchase",
            ),
        ),
        deals_table(),
        rx.text(T["sales.quotes_orders"], weight="bold", size="2", margin_top="8px"),
        rx.cond(
            Q.documents.length() > 0,
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell(T["sales.code"]),
                        rx.table.column_header_cell(T["sales.date"]),
                        rx.table.column_header_cell(T["sales.lines"]),
                        rx.table.column_header_cell(T["sales.total"]),
                        rx.table.column_header_cell(T["field.status"]),
                        rx.table.column_header_cell(""),
                    )
                ),
                rx.table.body(
                    rx.foreach(
                        Q.documents,
                        lambda d: rx.table.row(
                            rx.table.cell(
                                rx.hstack(
                                    rx.badge(
                                        d["kind"],
                                        variant="outline",
                                        color_scheme=rx.cond(d["kind_code"] == "order", "green", "blue"),
                                    ),
                                    rx.text(d["code"], weight="medium"),
                                    gap="6px",
                                    align="center",
                                )
                            ),
                            rx.table.cell(d["date"]),
                            rx.table.cell(rx.text(d["lines"], size="2"), max_width="360px"),
                            rx.table.cell(
                                rx.text(d["total"], weight="medium", class_name="doc-total"),
                                text_align="right",
                                white_space="nowrap",
                            ),
                            rx.table.cell(
                                rx.el.select(
                                    rx.foreach(
                                        Q.status_choices[d["kind_code"]], lambda o: rx.el.option(o[1], value=o[0])
                                    ),
                                    value=d["status_code"],
                                    on_change=lambda x: Q.set_status(d["id"], x),
                                    disabled=~Q.can_edit,  # a teammate's record shared read-only
                                    aria_label=T["field.status"],
                                    class_name="native-select",
                                    style={"width": "130px"},
                                )
                            ),
                            rx.table.cell(
                                rx.cond(
                                    d["kind_code"] == "quote",
                                    icon_button(
                                        "shopping-cart",
                                        Q.order_from_quote(d["id"]),
                                        "sales.to_order",
                                        "green",
                                        class_name="quote-to-order",
                                    ),
                                    rx.fragment(),
                                )
                            ),
                            class_name="doc-row",
                        ),
                    )
                ),
                size="1",
                variant="surface",
                width="100%",
                id="documents-table",
            ),
            rx.card(empty_state("sales.empty"), width="100%"),
        ),
        gap="12px",
        width="100%",
    )


def _line_row(line: rx.Var, index: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.el.select(
                rx.el.option(T["common.none"], value=""),
                rx.foreach(Q.product_options, lambda o: rx.el.option(o[1], value=o[0])),
                value=line["product_id"],
                on_change=lambda x: Q.set_line(index, "product_id", x),
                class_name="native-select line-product",
            )
        ),
        rx.table.cell(
            rx.input(
                value=line["quantity"],
                on_change=lambda x: Q.set_line(index, "quantity", x),
                type="number",
                min="1",
                width="80px",
                class_name="line-quantity",
            )
        ),
        rx.table.cell(
            rx.input(
                value=line["unit_price"],
                on_change=lambda x: Q.set_line(index, "unit_price", x),
                width="130px",
                class_name="line-price",
            )
        ),
        rx.table.cell(rx.text(Q.line_amounts[index], size="2"), text_align="right", white_space="nowrap"),
        rx.table.cell(icon_button("x", Q.remove_line(index), "common.delete", "red")),
    )


def sales_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(Q.kind == "order", T["quick.new_order"], T["quick.new_quote"])),
            rx.cond(
                Q.product_options.length() == 0,
                rx.callout(T["sales.no_products"], icon="info", color_scheme="amber"),
                rx.fragment(),
            ),
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell(T["sales.product"]),
                        rx.table.column_header_cell(T["sales.quantity"]),
                        rx.table.column_header_cell(T["sales.unit_price"]),
                        rx.table.column_header_cell(T["sales.amount"]),
                        rx.table.column_header_cell(""),
                    )
                ),
                rx.table.body(rx.foreach(Q.lines, _line_row)),
                size="1",
                width="100%",
                id="lines-table",
            ),
            rx.hstack(
                rx.button(
                    rx.icon("plus", size=14),
                    T["sales.add_line"],
                    variant="soft",
                    size="1",
                    on_click=Q.add_line,
                    id="line-add",
                ),
                rx.spacer(),
                rx.text(T["sales.total"], ": ", rx.text.strong(Q.form_total, id="form-total"), size="3"),
                width="100%",
                align="center",
                margin_top="8px",
            ),
            rx.grid(
                labelled(
                    "sales.date", rx.input(type="date", value=Q.doc_date, on_change=Q.set_doc_date, id="doc-date")
                ),
                labelled("sales.note", rx.input(value=Q.note, on_change=Q.set_note, id="doc-note")),
                columns="2",
                gap="12px",
                width="100%",
                margin_top="10px",
            ),
            rx.cond(
                Q.form_error != "",
                rx.text(Q.form_error, color=rx.color("red", 11), size="2", id="doc-error"),
                rx.fragment(),
            ),
            dialog_footer("action.save", Q.save, confirm_id="doc-save"),
            max_width="760px",
        ),
        open=Q.dialog_open,
        on_open_change=Q.set_dialog_open,
    )

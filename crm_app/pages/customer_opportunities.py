"""The customer's opportunities on the Deals tab, and the dialog that opens one for the customer."""

import reflex as rx

from crm_app.components.dialog_footer import dialog_footer
from crm_app.components.dialogs import empty_state
from crm_app.components.form import T, labelled, select_options
from crm_app.state.customer_opportunities import CustomerOpportunitiesState as D


def deals_table() -> rx.Component:
    return rx.vstack(
        rx.text(T["deals.title"], weight="bold", size="2"),
        rx.cond(
            D.deals.length() > 0,
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[
                            rx.table.column_header_cell(T[key])
                            for key in (
                                "field.name",
                                "field.stage_id",
                                "field.value",
                                "field.expected_close",
                                "field.owner_id",
                                "field.order_code",
                            )
                        ]
                    )
                ),
                rx.table.body(
                    rx.foreach(
                        D.deals,
                        lambda d: rx.table.row(
                            rx.table.cell(rx.link(d["name"], href=d["url"], weight="medium", class_name="deal-link")),
                            rx.table.cell(rx.badge(d["stage"], color_scheme=d["color"], variant="soft")),
                            rx.table.cell(
                                rx.text(d["value"], class_name="deal-value"), text_align="right", white_space="nowrap"
                            ),
                            rx.table.cell(d["expected_close"]),
                            rx.table.cell(d["owner"]),
                            rx.table.cell(d["order"]),
                            class_name="deal-row",
                            data_id=d["id"],
                        ),
                    )
                ),
                size="1",
                variant="surface",
                width="100%",
                id="deals-table",
            ),
            rx.card(empty_state("deals.empty"), width="100%", id="deals-empty"),
        ),
        gap="6px",
        width="100%",
    )


def _field(name: str, control: rx.Component, required: bool = False) -> rx.Component:
    return labelled(f"field.{name}", control, D.errors[name] | "", required=required, field_id=name)


def _input(name: str, **props) -> rx.Component:
    return rx.input(
        value=D.values[name] | "",
        on_change=lambda x: D.set_value(name, x),
        id=f"field-{name}",
        width="100%",
        color_scheme=rx.cond((D.errors[name] | "") != "", "red", "gray"),
        **props,
    )


def deal_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(T["deals.dialog_title"]),
            rx.dialog.description(D.header["name"], size="2", color=rx.color("gray", 11), margin_bottom="12px"),
            rx.cond(
                D.pipeline_options.length() == 0,
                rx.callout(T["deals.no_pipeline"], icon="info", color_scheme="amber"),
                rx.fragment(),
            ),
            rx.vstack(
                _field("name", _input("name"), required=True),
                rx.grid(
                    _field("value", _input("value", placeholder="0 ₫", input_mode="numeric")),
                    _field("expected_close", _input("expected_close", type="date")),
                    _field(
                        "pipeline_id",
                        select_options(
                            D.pipeline_options,
                            "pipeline_id",
                            D.values["pipeline_id"] | "",
                            D.set_pipeline,
                            D.errors["pipeline_id"] | "",
                        ),
                    ),
                    _field(
                        "stage_id",
                        select_options(
                            D.stage_options,
                            "stage_id",
                            D.values["stage_id"] | "",
                            lambda x: D.set_value("stage_id", x),
                            D.errors["stage_id"] | "",
                        ),
                    ),
                    columns="2",
                    gap="12px",
                    width="100%",
                ),
                dialog_footer("action.save", D.save_deal, confirm_id="deal-save"),
                gap="12px",
                width="100%",
            ),
            max_width="560px",
            id="deal-dialog",
        ),
        open=D.deal_dialog_open,
        on_open_change=D.set_deal_dialog_open,
    )

"""Customer lookup (Tra cứu khách hàng): a value in, whether it is in the CRM and who owns it out."""

import reflex as rx

from crm_app.components.form import T
from crm_app.components.shell import app_shell, page_header
from crm_app.state.lookup import LookupState as S


def _hit(h: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(h["entity"]),
        rx.table.cell(h["by"]),
        rx.table.cell(h["owner"], class_name="lookup-owner"),
        rx.table.cell(h["teams"]),
        rx.table.cell(h["created"]),
        rx.table.cell(
            rx.cond(
                h["url"] != "",
                rx.link(h["label"], href=h["url"], class_name="lookup-open"),
                rx.text(T["lookup.not_yours"], size="1", color=rx.color("gray", 11)),
            )
        ),
        class_name="lookup-hit",
    )


def _answer() -> rx.Component:
    return rx.cond(
        S.looked_up == "",
        rx.fragment(),
        rx.cond(
            S.hits.length() > 0,
            rx.vstack(
                rx.callout(T["lookup.found"], icon="circle-check", color_scheme="orange", id="lookup-found"),
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            *[
                                rx.table.column_header_cell(T[key])
                                for key in (
                                    "lookup.kind",
                                    "lookup.matched",
                                    "field.owner_id",
                                    "lookup.teams",
                                    "field.created_at",
                                    "lookup.record",
                                )
                            ]
                        )
                    ),
                    rx.table.body(rx.foreach(S.hits, _hit)),
                    variant="surface",
                    size="1",
                    width="100%",
                    id="lookup-table",
                ),
                width="100%",
                gap="10px",
            ),
            rx.callout(T["lookup.none"], icon="circle-check", color_scheme="green", id="lookup-none"),
        ),
    )


def lookup_page() -> rx.Component:
    return app_shell(
        page_header("lookup.title"),
        rx.text(T["lookup.hint"], size="2", color=rx.color("gray", 11), margin_bottom="6px"),
        rx.form(
            rx.hstack(
                rx.input(
                    value=S.text,
                    on_change=S.set_text,
                    placeholder=T["lookup.placeholder"],
                    aria_label=T["lookup.placeholder"],
                    id="lookup-text",
                    name="lookup",
                    width="420px",
                    max_length=200,
                ),
                rx.button(rx.icon("search", size=16), T["lookup.run"], type="submit", id="lookup-run"),
                align="center",
                wrap="wrap",
            ),
            on_submit=S.look_up,
            reset_on_submit=False,
            margin_bottom="10px",
        ),
        rx.cond(S.error != "", rx.text(S.error, color=rx.color("red", 11), size="2", id="lookup-error"), rx.fragment()),
        _answer(),
    )

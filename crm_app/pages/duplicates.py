"""Duplicate customers: groups sharing a key, and the merge dialog."""

from __future__ import annotations

import reflex as rx

from crm_app.components.dialog_footer import dialog_footer
from crm_app.components.form import T
from crm_app.components.shell import app_shell, page_header
from crm_app.services.customer.merge import GROUP_KEYS
from crm_app.state.duplicates import DuplicatesState


def _member(m: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link(m["code"], href="/customers/" + m["id"])),
        rx.table.cell(m["name"]),
        rx.table.cell(m["phone"]),
        rx.table.cell(m["email"]),
        rx.table.cell(m["owner"]),
    )


def _group(g: rx.Var) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.text(g.value, weight="bold"),
            rx.badge(g.total.to(str)),
            rx.spacer(),
            rx.button(
                rx.icon("merge", size=14),
                T["dup.merge"],
                size="1",
                on_click=DuplicatesState.open_merge(g.ids),
                class_name="merge-open",
            ),
            align="center",
            width="100%",
            margin_bottom="6px",
        ),
        rx.table.root(rx.table.body(rx.foreach(g.members, _member)), size="1", width="100%"),
        width="100%",
        class_name="dup-group",
    )


def _field_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(row.label, weight="medium", size="2")),
        rx.foreach(
            row.options,
            lambda v: rx.table.cell(
                rx.cond(
                    row.differs,
                    rx.el.label(
                        rx.el.input(
                            type="radio",
                            name="merge-" + row.field,
                            value=v[0],
                            checked=(DuplicatesState.choices.get(row.field, DuplicatesState.survivor)) == v[0],
                            on_change=DuplicatesState.choose(row.field, v[0]),
                            class_name="merge-choice",
                            data_field=row.field,
                            data_record=v[0],
                        ),
                        rx.text.span(" ", v[1], size="2"),
                    ),
                    rx.text(v[1], size="2", color=rx.color("gray", 11)),
                ),
            ),
        ),
    )


def merge_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(T["merge.title"]),
            rx.hstack(
                rx.text(T["merge.survivor"], size="2", weight="medium"),
                rx.el.select(
                    rx.foreach(
                        DuplicatesState.members, lambda m: rx.el.option(m["code"] + " – " + m["name"], value=m["id"])
                    ),
                    value=DuplicatesState.survivor,
                    on_change=DuplicatesState.set_survivor,
                    class_name="native-select",
                    id="merge-survivor",
                    style={"width": "320px"},
                ),
                align="center",
                gap="10px",
                margin_bottom="10px",
            ),
            rx.box(
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            rx.table.column_header_cell(T["merge.field"]),
                            rx.foreach(DuplicatesState.members, lambda m: rx.table.column_header_cell(m["code"])),
                        )
                    ),
                    rx.table.body(rx.foreach(DuplicatesState.field_rows, _field_row)),
                    size="1",
                    width="100%",
                    id="merge-fields",
                ),
                max_height="340px",
                overflow_y="auto",
            ),
            rx.text(T["merge.preview"], weight="bold", size="2", margin_top="12px"),
            rx.box(
                rx.foreach(
                    DuplicatesState.preview,
                    lambda p: rx.hstack(
                        rx.text(p[0], size="1", color=rx.color("gray", 11), width="180px"),
                        rx.text(p[1], size="1"),
                        gap="8px",
                    ),
                ),
                id="merge-preview",
                max_height="180px",
                overflow_y="auto",
            ),
            rx.callout(T["merge.warning"], icon="triangle-alert", color_scheme="red", margin_top="12px"),
            dialog_footer("merge.confirm", DuplicatesState.confirm_merge, color="red", confirm_id="merge-confirm"),
            max_width="980px",
            id="merge-dialog",
        ),
        open=DuplicatesState.merge_open,
        on_open_change=DuplicatesState.set_merge_open,
    )


def duplicates_page() -> rx.Component:
    return app_shell(
        page_header("dup.title", subtitle=rx.text(T["dup.hint"], size="2", color=rx.color("gray", 11))),
        rx.hstack(
            rx.text(T["dup.by"], size="2", weight="medium"),
            rx.el.select(
                *[rx.el.option(T[f"dup.by.{k}"], value=k) for k in GROUP_KEYS],
                value=DuplicatesState.by,
                on_change=DuplicatesState.set_by,
                class_name="native-select",
                id="dup-by",
                style={"width": "240px"},
            ),
            rx.text(T["dup.within"], size="2", weight="medium", margin_left="12px"),
            rx.el.select(
                rx.el.option(T["dup.all_customers"], value=""),
                rx.foreach(DuplicatesState.list_options, lambda o: rx.el.option(o[1], value=o[0])),
                value=DuplicatesState.list_id,
                on_change=DuplicatesState.set_list,
                class_name="native-select",
                id="dup-list",
                style={"width": "240px"},
            ),
            align="center",
            gap="10px",
            margin_bottom="12px",
        ),
        rx.cond(
            DuplicatesState.scanned & (DuplicatesState.groups.length() == 0),
            rx.center(rx.text(T["dup.none"], color=rx.color("gray", 11)), padding="32px", id="dup-empty"),
            rx.vstack(rx.foreach(DuplicatesState.groups, _group), gap="10px", width="100%"),
        ),
        merge_dialog(),
    )

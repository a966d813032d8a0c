"""Lists (Quản lý danh sách): static lists of customers, contacts or activities."""

import reflex as rx

from crm_app.components.dialogs import confirm_dialog
from crm_app.components.form import T
from crm_app.components.list_view import scope_select
from crm_app.components.shell import app_shell, page_header
from crm_app.state.record_lists import RecordListsState as S


def _row(row) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.cond(
                S.editing_id == row[0],
                rx.form(  # Enter saves the new name
                    rx.hstack(
                        rx.input(
                            value=S.editing_name,
                            on_change=S.set_editing_name,
                            size="1",
                            id="list-rename-input",
                            aria_label=T["lists.name"],
                        ),
                        rx.button(T["action.save"], size="1", type="submit", id="list-rename-save"),
                        rx.button(
                            T["action.cancel"], size="1", variant="ghost", type="button", on_click=S.cancel_rename
                        ),
                        gap="6px",
                    ),
                    on_submit=S.rename,
                    reset_on_submit=False,
                ),
                rx.button(row[1], on_click=S.show(row[0]), variant="ghost", class_name="list-name"),
            )
        ),
        rx.table.cell(row[2], class_name="list-members"),
        rx.table.cell(row[3], class_name="list-owner"),
        rx.table.cell(
            rx.cond(
                row[5] != "",
                scope_select(
                    S,
                    row[4],
                    lambda v: S.set_scope(row[0], v),
                    "list-scope-" + row[0],
                    aria_label=T["lists.scope"] + " " + row[1],
                ),
                rx.badge(T["views.scope." + row[4].to(str)], variant="soft", class_name="list-scope"),
            )
        ),
        rx.table.cell(
            rx.hstack(
                rx.button(
                    rx.icon("users", size=12),
                    T["lists.show"],
                    size="1",
                    variant="soft",
                    on_click=S.show(row[0]),
                    class_name="list-show",
                ),
                rx.cond(
                    row[5] != "",
                    rx.hstack(
                        rx.button(
                            rx.icon("pencil", size=12),
                            T["lists.rename"],
                            size="1",
                            variant="soft",
                            color_scheme="gray",
                            on_click=S.start_rename(row[0], row[1]),
                            class_name="list-rename",
                        ),
                        confirm_dialog(
                            "lists.delete",
                            "lists.confirm_delete",
                            "lists.delete",
                            S.delete(row[0]),
                            trigger=rx.button(
                                rx.icon("trash-2", size=12),
                                T["lists.delete"],
                                size="1",
                                variant="soft",
                                color_scheme="red",
                                class_name="list-delete",
                            ),
                            confirm_class="list-delete-ok",
                            question=rx.fragment("“", row[1], "” — ", T["lists.confirm_delete"]),
                        ),
                        gap="6px",
                    ),
                    rx.fragment(),
                ),
                gap="6px",
            )
        ),
        class_name="list-row",
        data_id=row[0],
    )


def lists_page() -> rx.Component:
    return app_shell(
        page_header("lists.title"),
        rx.hstack(
            rx.el.select(
                rx.foreach(S.entity_options, lambda o: rx.el.option(o[1], value=o[0])),
                value=S.list_entity,
                on_change=S.set_list_entity,
                class_name="native-select",
                id="list-entity",
                aria_label=T["lists.kind"],
                style={"width": "180px"},
            ),
            rx.form(
                rx.hstack(
                    rx.input(
                        value=S.new_name,
                        on_change=S.set_new_name,
                        placeholder=T["lists.name"],
                        id="list-new-name",
                        aria_label=T["lists.name"],
                        width="320px",
                    ),
                    scope_select(S, S.new_scope, S.set_new_scope, "list-new-scope", aria_label=T["lists.scope"]),
                    rx.button(rx.icon("plus", size=14), T["lists.new"], type="submit", id="list-create"),
                    gap="8px",
                    wrap="wrap",
                ),
                on_submit=S.create,
                reset_on_submit=False,
            ),
            gap="8px",
            wrap="wrap",
            margin_bottom="12px",
        ),
        rx.cond(
            S.lists.length() > 0,
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell(T["lists.name"]),
                        rx.table.column_header_cell(T["lists.members"]),
                        rx.table.column_header_cell(T["lists.owner"]),
                        rx.table.column_header_cell(T["lists.scope"]),
                        rx.table.column_header_cell(""),
                    )
                ),
                rx.table.body(rx.foreach(S.lists, _row)),
                variant="surface",
                size="1",
                width="100%",
                max_width="900px",
                id="lists-table",
            ),
            rx.callout(T["lists.empty"], icon="info", id="lists-empty", max_width="900px"),
        ),
    )

"""The export dialog of a list page: format and fields (only those the role may export)."""

from __future__ import annotations

import reflex as rx

from crm_app.components.dialog_footer import dialog_footer
from crm_app.components.form import T


def export_dialog(state) -> rx.Component:
    """Shown to the roles that may export the list (the admin's export rights)."""
    return rx.cond(state.may_export, _dialog(state), rx.fragment())


def _dialog(state) -> rx.Component:
    # the button opens the dialog through the state (open_export reads the fields first); a trigger
    # around a button with its own click would be wrapped in a div carrying the dialog's aria state
    return rx.fragment(
        rx.button(
            rx.icon("file-down", size=16),
            T["export.button"],
            variant="soft",
            on_click=state.open_export,
            id="export-open",
        ),
        _content(state),
    )


def _content(state) -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(T["export.title"]),
            rx.text(T["export.scope"], size="2", weight="medium"),
            rx.radio_group.root(
                rx.vstack(
                    rx.radio_group.item(state.export_matching_label, value="all", id="export-scope-all"),
                    rx.radio_group.item(
                        state.export_selected_label,
                        value="selected",
                        id="export-scope-selected",
                        disabled=(state.selected_ids.length() == 0) | state.all_matching,
                    ),
                    gap="6px",
                ),
                value=state.export_scope,
                on_change=state.set_export_scope,
                margin_top="4px",
            ),
            rx.hstack(
                rx.text(T["export.format"], size="2", weight="medium"),
                rx.radio_group.root(
                    rx.hstack(
                        rx.radio_group.item(".xlsx", value="xlsx", id="export-xlsx"),
                        rx.radio_group.item(".csv", value="csv", id="export-csv"),
                        gap="16px",
                    ),
                    value=state.export_format,
                    on_change=state.set_export_format,
                ),
                gap="12px",
                align="center",
                margin_top="10px",
            ),
            rx.text(T["export.fields"], size="2", weight="medium", margin_top="12px"),
            rx.text(T["export.fields_hint"], size="1", color=rx.color("gray", 11)),
            rx.grid(
                rx.foreach(
                    state.exportable,
                    lambda f: rx.checkbox(
                        f[1],
                        checked=state.export_fields.contains(f[0]),
                        on_change=lambda on: state.toggle_export_field(f[0], on),
                        class_name="export-field",
                        data_field=f[0],
                    ),
                ),
                columns="3",
                gap="6px 16px",
                margin_top="6px",
                id="export-fields",
            ),
            dialog_footer(
                "export.download",
                state.run_export,
                loading=state.exporting,
                disabled=state.export_fields.length() == 0,
                confirm_id="export-run",
            ),
            max_width="620px",
            id="export-dialog",
        ),
        open=state.export_open,
        on_open_change=state.set_export_open,
    )

"""The Notes tab and its dialog."""

from __future__ import annotations

import reflex as rx

from crm_app.components.dialog_footer import dialog_footer
from crm_app.components.dialogs import empty_state, icon_button
from crm_app.components.form import T, labelled
from crm_app.pages.customer_tabs.common import for_editors, muted, toolbar


def notes_tab(N) -> rx.Component:
    return rx.vstack(
        toolbar(N, rx.button(rx.icon("plus", size=14), T["notes.add"], on_click=N.open_new, id="note-new")),
        rx.cond(
            N.notes.length() > 0,
            rx.vstack(
                rx.foreach(
                    N.notes,
                    lambda n: rx.card(
                        rx.hstack(
                            rx.vstack(
                                rx.text(n["body"], size="2", white_space="pre-wrap", class_name="note-body"),
                                muted(
                                    n["at"],
                                    " · ",
                                    n["by"],
                                    rx.cond(n["edited"] != "", " · ✎ " + n["edited"].to(str), ""),
                                ),
                                gap="4px",
                                flex="1",
                            ),
                            for_editors(
                                N,
                                icon_button("pencil", N.open_edit(n["id"]), "action.edit", class_name="note-edit"),
                                icon_button(
                                    "trash-2", N.ask_delete(n["id"]), "common.delete", "red", class_name="note-delete"
                                ),
                            ),
                            align="start",
                            gap="6px",
                            width="100%",
                        ),
                        width="100%",
                        class_name="note-card",
                    ),
                ),
                gap="8px",
                width="100%",
                id="notes-list",
            ),
            rx.card(empty_state("notes.empty"), width="100%"),
        ),
        gap="12px",
        width="100%",
    )


def note_dialog(N) -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(N.editing_id > 0, T["notes.edit"], T["notes.add"])),
            labelled(
                "field.body",
                rx.text_area(
                    value=N.draft,
                    on_change=N.set_draft,
                    rows="6",
                    width="100%",
                    placeholder=T["notes.placeholder"],
                    id="note-body",
                ),
                N.draft_error,
                required=True,
                field_id="note-body",
            ),
            dialog_footer("action.save", N.save, confirm_id="note-save"),
            max_width="560px",
        ),
        open=N.dialog_open,
        on_open_change=N.set_dialog_open,
    )

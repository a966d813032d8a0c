"""An Overview field of a record page (state/record_page.py), edited in place: its label, its
value, and on a click the form's kind of control, saved with Enter or ✓."""

from __future__ import annotations

import reflex as rx

from crm_app.components.form import T, select_options


def _inline_editor(S) -> rx.Component:
    """The editor of the Overview field being edited: the form's kind of control, saved with Enter or ✓."""
    control = rx.match(
        S.edit_kind,
        (
            "select",
            select_options(  # the state puts an empty choice first when the field may be empty
                S.edit_options,
                "inline",
                S.edit_value,
                S.set_edit_value,
                S.edit_error,
                blank=False,
                aria_label=S.edit_label,
            ),
        ),
        (
            "bool",
            select_options(
                S.edit_options,
                "inline",
                S.edit_value,
                S.set_edit_value,
                S.edit_error,
                placeholder_key="common.no",
                aria_label=S.edit_label,
            ),
        ),
        (
            "date",
            rx.input(
                type="date",
                value=S.edit_value,
                on_change=S.set_edit_value,
                on_key_down=S.inline_key,
                id="field-inline",
                name="inline",
                aria_label=S.edit_label,
                size="1",
            ),
        ),
        rx.input(
            value=S.edit_value,
            on_change=S.set_edit_value,
            on_key_down=S.inline_key,
            id="field-inline",
            name="inline",
            aria_label=S.edit_label,
            size="1",
            width="100%",
            auto_focus=True,
        ),
    )
    return rx.form(
        rx.vstack(
            rx.hstack(
                rx.box(control, flex="1", min_width="0"),
                rx.icon_button(
                    rx.icon("check", size=14), type="submit", size="1", id="inline-save", aria_label=T["action.save"]
                ),
                rx.icon_button(
                    rx.icon("x", size=14),
                    type="button",
                    size="1",
                    variant="soft",
                    color_scheme="gray",
                    on_click=S.cancel_edit,
                    id="inline-cancel",
                    aria_label=T["action.cancel"],
                ),
                gap="4px",
                align="center",
                width="100%",
            ),
            rx.cond(
                S.edit_error != "",
                rx.text(S.edit_error, size="1", color=rx.color("red", 11), id="inline-error"),
                rx.fragment(),
            ),
            gap="2px",
            width="100%",
        ),
        on_submit=S.save_edit,
        reset_on_submit=False,
        width="100%",
    )


def field_cell(S, name: rx.Var | str, value: rx.Var, editable: rx.Var | bool, label: rx.Var | str) -> rx.Component:
    shown = rx.text(rx.cond(value != "", value, "—"), size="2", id="value-" + name)
    return rx.vstack(
        rx.text(label, size="1", color=rx.color("gray", 11), id="label-" + name),
        rx.cond(
            S.edit_field == name,
            _inline_editor(S),
            rx.cond(
                editable,
                rx.hstack(
                    shown,
                    rx.icon("pencil", size=11, class_name="inline-pencil"),
                    on_click=S.start_edit(name),
                    cursor="pointer",
                    align="center",
                    gap="6px",
                    class_name="inline-editable",
                    id="edit-" + name,
                    role="button",  # "Sửa: Chức danh", a button that edits it
                    aria_label=T["action.edit"] + ": " + label,
                ),
                shown,
            ),
        ),
        gap="1px",
    )

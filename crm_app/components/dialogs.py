"""Small dialogs shared by pages: confirmations (a delete, an undo), the empty state, icon buttons."""

from __future__ import annotations

import reflex as rx

from crm_app.components.dialog_footer import dialog_footer
from crm_app.components.form import T


def confirm_dialog(
    title_key: str,
    question_key: str,
    confirm_key: str,
    on_confirm,
    *,
    trigger=None,
    is_open: rx.Var | None = None,
    on_cancel=None,
    confirm_id: str | None = None,
    confirm_class: str | None = None,
    question: rx.Var | rx.Component | None = None,
    color: str = "red",
) -> rx.Component:
    """A question with Cancel and a red confirming button (``color``: orange for putting a record
    away); opened by ``trigger`` (a button) or by the state (``is_open`` / ``on_cancel``).
    ``question``: the state's own wording (naming what will happen), instead of the catalog's
    ``question_key``."""
    content = rx.alert_dialog.content(
        rx.alert_dialog.title(T[title_key]),
        rx.alert_dialog.description(T[question_key] if question is None else question),
        dialog_footer(
            confirm_key, on_confirm, color=color, confirm_id=confirm_id, confirm_class=confirm_class, alert=True
        ),
        max_width="420px",
    )
    if trigger is not None:
        return rx.alert_dialog.root(rx.alert_dialog.trigger(trigger), content)
    return rx.alert_dialog.root(content, open=is_open, on_open_change=on_cancel)


def confirm_delete(is_open: rx.Var, on_cancel, on_confirm, confirm_id: str) -> rx.Component:
    """ "Delete this item? It cannot be undone." with Cancel and Delete."""
    return confirm_dialog(
        "common.delete",
        "common.delete_confirm",
        "common.delete",
        on_confirm,
        is_open=is_open,
        on_cancel=on_cancel,
        confirm_id=confirm_id,
    )


def empty_state(key: str, element_id: str = "") -> rx.Component:
    return rx.center(
        rx.text(T[key], color=rx.color("gray", 11), size="2"), padding="28px", width="100%", id=element_id or None
    )


def icon_button(
    icon: str, on_click, label_key: str, color: str = "gray", element_id=None, class_name: str = ""
) -> rx.Component:
    return rx.tooltip(
        rx.icon_button(
            rx.icon(icon, size=14),
            on_click=on_click,
            variant="ghost",
            color_scheme=color,
            size="1",
            aria_label=T[label_key],
            id=element_id,
            class_name=class_name,
        ),
        content=T[label_key],
    )

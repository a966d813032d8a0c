"""The foot of every dialog that asks for a choice: Cancel, then the button that does it."""

from __future__ import annotations

import reflex as rx

from crm_app.components.form import T


def dialog_footer(
    confirm_key: str,
    on_confirm=None,
    *,
    submit: bool = False,
    color: str | None = None,
    icon: str | None = None,
    disabled: rx.Var | bool | None = None,
    loading: rx.Var | bool | None = None,
    confirm_id: str | None = None,
    confirm_class: str | None = None,
    confirm_shown: rx.Var | None = None,
    on_cancel=None,
    cancel_id: str | None = None,
    alert: bool = False,
    start: rx.Component | None = None,
) -> rx.Component:
    """Cancel and the confirming button (``confirm_key``), at the right of the dialog's foot.

    The confirming button runs ``on_confirm``, or submits the dialog's form (``submit``); ``color``
    is red for what cannot be undone (orange: a record put away); ``confirm_shown``: when it shows
    at all (a record the user may only read: Cancel alone). Cancel closes the dialog as the
    dialog's own close does (its ``on_open_change`` hears it), or runs ``on_cancel`` where the
    state closes it; it never submits. ``alert``: in an alert dialog, whose two buttons close it.
    ``start``: a control at the left end (the delete of what the dialog edits).
    """
    cancel_props = {"on_click": on_cancel} if on_cancel is not None else {}
    cancel = rx.button(
        T["action.cancel"], variant="soft", color_scheme="gray", type="button", id=cancel_id, **cancel_props
    )
    if on_cancel is None:
        cancel = rx.alert_dialog.cancel(cancel) if alert else rx.dialog.close(cancel)
    given = {"on_click": on_confirm, "color_scheme": color, "disabled": disabled, "loading": loading}
    confirm = rx.button(
        *([rx.icon(icon, size=14)] if icon else []),
        T[confirm_key],
        type="submit" if submit else "button",
        id=confirm_id,
        class_name=confirm_class,
        **{name: value for name, value in given.items() if value is not None},
    )
    if alert:
        confirm = rx.alert_dialog.action(confirm)
    if confirm_shown is not None:
        confirm = rx.cond(confirm_shown, confirm, rx.fragment())
    return rx.hstack(
        *([start, rx.spacer()] if start is not None else []),
        cancel,
        confirm,
        justify="end",
        align="center",
        gap="8px",
        width="100%",
        margin_top="12px",
    )

"""What a record's page shows when the user may read it but not change it (a teammate's record
shared read-only): a badge instead of the controls that change it."""

import reflex as rx

from crm_app.components.form import T


def read_only_badge() -> rx.Component:
    return rx.tooltip(
        rx.badge(rx.icon("eye", size=12), T["record.read_only"], color_scheme="gray", id="read-only-badge"),
        content=T["record.read_only_hint"],
    )


def for_editors(can_edit: rx.Var, *children: rx.Component, badge: bool = False) -> rx.Component:
    """``children`` for those who may change the record; nothing, or the badge, for the others."""
    return rx.cond(can_edit, rx.fragment(*children), read_only_badge() if badge else rx.fragment())

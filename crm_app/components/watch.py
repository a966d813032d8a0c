"""The "Watch" toggle of a record page."""

from __future__ import annotations

import reflex as rx

from crm_app.components.form import T


def watch_button(W) -> rx.Component:
    return rx.button(
        rx.icon(rx.cond(W.watching, "eye-off", "eye"), size=14),
        rx.cond(W.watching, T["watch.unwatch"], T["watch.watch"]),
        variant="soft",
        type="button",
        on_click=W.toggle_watch,
        on_mount=W.load_watch,
        id="record-watch",
    )

"""An icon button of the top bar with a count badge (unread notifications, running jobs): the
trigger of its popover."""

from __future__ import annotations

import reflex as rx

from crm_app.components.form import T


def counted_trigger(
    icon: str, label_key: str, count: rx.Var, color: str, button_id: str, on_mount=None
) -> rx.Component:
    """The button, with ``count`` in a badge while it is above 0 (shown as 99+ beyond 99);
    ``on_mount`` reads the counts when a page shows the top bar (one button reads them all)."""
    return rx.icon_button(  # the trigger itself (a box around it would carry the popover's aria state)
        rx.icon(icon, size=18),
        rx.cond(
            count > 0,
            rx.badge(
                rx.cond(count > 99, "99+", count.to(str)),
                color_scheme=color,
                variant="solid",
                radius="full",
                size="1",
                id=f"{button_id}-count",
                position="absolute",
                top="-6px",
                right="-8px",
                pointer_events="none",
            ),
            rx.fragment(),
        ),
        variant="ghost",
        color_scheme="gray",
        aria_label=T[label_key],
        id=f"{button_id}-open",
        position="relative",
        overflow="visible",
        **({} if on_mount is None else {"on_mount": on_mount}),
    )

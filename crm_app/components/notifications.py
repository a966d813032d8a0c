"""A bell in the top bar that lists the user's unread notifications when opened."""

from __future__ import annotations

import reflex as rx

from crm_app.components.form import T
from crm_app.components.topbar_button import counted_trigger
from crm_app.state.notifications import NotificationState as S


def notification_bell() -> rx.Component:
    return rx.popover.root(
        rx.popover.trigger(
            counted_trigger("bell", "notif.title", S.unread_total, "red", "notifications", S.refresh_badges)
        ),
        rx.popover.content(
            rx.hstack(
                rx.text(T["notif.title"], weight="bold", size="2"),
                rx.spacer(),
                rx.button(T["notif.mark_all"], size="1", variant="ghost", on_click=S.mark_all_read),
                width="100%",
                align="center",
            ),
            rx.cond(
                S.items.length() > 0,
                rx.vstack(
                    rx.foreach(
                        S.items,
                        lambda n: rx.box(
                            rx.text(n["text"], size="2"),
                            rx.text(n["at"], size="1", color=rx.color("gray", 11)),
                            on_click=S.open_item(n["id"]),
                            cursor="pointer",
                            padding="6px",
                            border_radius="var(--radius-2)",
                            _hover={"background": rx.color("gray", 3)},
                            width="100%",
                            class_name="notification-item",
                        ),
                    ),
                    gap="2px",
                    width="100%",
                    margin_top="6px",
                    max_height="360px",
                    overflow_y="auto",
                ),
                rx.text(T["notif.none"], size="2", color=rx.color("gray", 11), padding="8px 0"),
            ),
            width="340px",
        ),
        on_open_change=S.load,
    )

"""The jobs panel of the top bar: the user's imports, undos and exports, with a retry."""

from __future__ import annotations

import reflex as rx

from crm_app.components.form import T
from crm_app.components.topbar_button import counted_trigger
from crm_app.state.jobs import JobsState as S

STATUS_COLORS = {"running": "blue", "done": "green", "failed": "red", "interrupted": "orange", "refused": "amber"}


def _item(job: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text(job["kind"], size="1", color=rx.color("gray", 11)),
            rx.spacer(),
            rx.badge(
                job["status_label"],
                color_scheme=rx.match(job["status"], *STATUS_COLORS.items(), "gray"),
                size="1",
                class_name="job-status",
            ),
            width="100%",
            align="center",
        ),
        rx.text(job["title"], size="2", weight="medium", class_name="job-title"),
        rx.cond(job["progress"] != "", rx.text(job["progress"], size="1", class_name="job-progress"), rx.fragment()),
        rx.cond(
            job["message"] != "",
            rx.text(job["message"], size="1", color=rx.color("gray", 11), class_name="job-message"),
            rx.fragment(),
        ),
        rx.hstack(
            rx.text(job["at"], size="1", color=rx.color("gray", 11)),
            rx.spacer(),
            rx.cond(
                job["download"] != "",
                rx.button(  # the app's download route, on the backend's address (not the page's)
                    rx.icon("download", size=12),
                    T["jobs.download"],
                    size="1",
                    variant="soft",
                    on_click=rx.download(url=job["download"]),
                    class_name="job-download",
                ),
                rx.fragment(),
            ),
            rx.cond(
                job["retry"] == "1",
                rx.button(
                    rx.icon("rotate-ccw", size=12),
                    T["jobs.retry"],
                    size="1",
                    variant="soft",
                    on_click=S.retry(job["id"]),
                    class_name="job-retry",
                ),
                rx.fragment(),
            ),
            width="100%",
            align="center",
        ),
        gap="2px",
        width="100%",
        padding="6px",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        class_name="job-item",
        data_job=job["id"],
    )


def jobs_panel() -> rx.Component:
    return rx.popover.root(
        rx.popover.trigger(counted_trigger("list-todo", "jobs.title", S.running, "blue", "jobs")),
        rx.popover.content(
            rx.hstack(
                rx.text(T["jobs.title"], weight="bold", size="2"),
                rx.spacer(),
                rx.icon_button(rx.icon("refresh-cw", size=14), size="1", variant="ghost", on_click=S.load(True)),
                width="100%",
                align="center",
            ),
            rx.cond(
                S.items.length() > 0,
                rx.vstack(
                    rx.foreach(S.items, _item),
                    gap="0",
                    width="100%",
                    margin_top="6px",
                    max_height="380px",
                    overflow_y="auto",
                    id="jobs-list",
                ),
                rx.text(T["jobs.none"], size="2", color=rx.color("gray", 11), padding="8px 0"),
            ),
            width="360px",
        ),
        on_open_change=S.load,
    )

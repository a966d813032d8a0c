"""The Follow-ups and Tasks tabs, and the activity dialog."""

from __future__ import annotations

import reflex as rx

from crm_app.components.dialogs import empty_state, icon_button
from crm_app.components.form import T
from crm_app.pages.customer_tabs.common import for_editors, muted, status_badge, toolbar, type_icon


def _timeline_item(A, item: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.center(
            type_icon(item["type_code"]),
            width="32px",
            height="32px",
            border_radius="50%",
            background=rx.color("accent", 3),
            color=rx.color("accent", 11),
            flex_shrink="0",
        ),
        rx.vstack(
            rx.hstack(
                rx.text(item["type"], weight="medium", size="2"),
                rx.cond(
                    item["subject"] != "",
                    rx.text("· ", item["subject"], size="2", class_name="activity-subject"),
                    rx.fragment(),
                ),
                status_badge(item["status_code"], item["status"]),
                align="center",
                gap="6px",
                wrap="wrap",
            ),
            rx.cond(
                item["content"] != "",
                rx.text(item["content"], size="2", white_space="pre-wrap", class_name="activity-content"),
                rx.fragment(),
            ),
            muted(
                item["at"],
                " · ",
                item["by"],
                rx.cond(item["contact"] != "", " · " + item["contact"].to(str), ""),
                rx.cond(item["assignee"] != "", " → " + item["assignee"].to(str), ""),
            ),
            gap="2px",
            flex="1",
            min_width="0",
        ),
        for_editors(
            A,
            rx.hstack(
                icon_button("pencil", A.open_edit(item["id"]), "action.edit", class_name="activity-edit"),
                icon_button("trash-2", A.ask_delete(item["id"]), "common.delete", "red", class_name="activity-delete"),
                gap="4px",
            ),
        ),
        align="start",
        gap="12px",
        width="100%",
        padding="10px 4px",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        class_name="timeline-item",
    )


def followups_tab(A, *tools: rx.Component) -> rx.Component:
    """The timeline of ``A`` (an activity tab state), with the page's own ``tools`` by "new"."""
    return rx.vstack(
        toolbar(
            A,
            rx.button(rx.icon("plus", size=14), T["act.new"], on_click=A.open_new("call"), id="activity-new"),
            *tools,
        ),
        rx.card(
            rx.cond(
                A.timeline.length() > 0,
                rx.vstack(
                    rx.foreach(A.timeline, lambda item: _timeline_item(A, item)), gap="0", width="100%", id="timeline"
                ),
                empty_state("act.empty", "timeline-empty"),
            ),
            width="100%",
        ),
        gap="12px",
        width="100%",
    )


def _task_actions(A, t: rx.Var) -> rx.Component:
    """What the user may do on a task (its "access", activities.rights): everything, or as its
    assignee on a customer shared read-only, mark it done and open it to change its status."""
    done = rx.cond(
        t["status_code"] != "done",
        icon_button("check", A.mark_done(t["id"]), "tasks.mark_done", "green", class_name="task-done"),
        rx.fragment(),
    )
    edit = icon_button("pencil", A.open_edit(t["id"]), "action.edit")
    return rx.match(
        t["access"],
        (
            "all",
            rx.hstack(
                done,
                edit,
                icon_button("trash-2", A.ask_delete(t["id"]), "common.delete", "red"),
                gap="4px",
                justify="end",
            ),
        ),
        ("status", rx.hstack(done, edit, gap="4px", justify="end")),
        rx.fragment(),
    )


def tasks_tab(A, empty_key: str = "tasks.empty") -> rx.Component:
    """The tasks of ``A`` (an activity tab state); ``empty_key``: what the tab says without any."""
    return rx.vstack(
        toolbar(A, rx.button(rx.icon("plus", size=14), T["tasks.new"], on_click=A.open_new("task"), id="task-new")),
        rx.cond(
            A.tasks.length() > 0,
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell(T["field.subject"]),
                        rx.table.column_header_cell(T["field.due_at"]),
                        rx.table.column_header_cell(T["field.status"]),
                        rx.table.column_header_cell(T["field.assignee_id"]),
                        rx.table.column_header_cell(""),
                    )
                ),
                rx.table.body(
                    rx.foreach(
                        A.tasks,
                        lambda t: rx.table.row(
                            rx.table.cell(rx.text(t["subject"], weight="medium"), muted(t["content"])),
                            rx.table.cell(t["due"]),
                            rx.table.cell(status_badge(t["status_code"], t["status"])),
                            rx.table.cell(t["assignee"]),
                            rx.table.cell(_task_actions(A, t)),
                            class_name="task-row",
                        ),
                    )
                ),
                size="1",
                variant="surface",
                width="100%",
                id="tasks-table",
            ),
            rx.card(empty_state(empty_key), width="100%"),
        ),
        gap="12px",
        width="100%",
    )

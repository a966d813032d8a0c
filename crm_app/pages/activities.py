"""The activities module: the list (dialog edit, delete with a confirmation) and its chart view."""

from __future__ import annotations

import reflex as rx

from crm_app.components.activity_dialog import editor_dialogs
from crm_app.components.data_table import RowActions, search_box
from crm_app.components.dialogs import icon_button
from crm_app.components.form import T
from crm_app.components.list_view import ACTIVITY_ACTIONS, list_view
from crm_app.components.read_only import for_editors
from crm_app.components.shell import app_shell, page_header
from crm_app.pages.dashboard import CHART_HEIGHT
from crm_app.state.activity_list import ActivityListState as L


def _row_actions(row: rx.Var) -> rx.Component:
    return for_editors(
        row["_can_edit"] != "",
        rx.hstack(
            icon_button("pencil", L.open_edit(row["id"]), "action.edit", class_name="activity-edit"),
            # its assignee ("status") changes its status, and does not delete it
            rx.cond(
                row["_can_edit"] == "all",
                icon_button("trash-2", L.ask_delete(row["id"]), "common.delete", "red", class_name="activity-delete"),
                rx.fragment(),
            ),
            gap="4px",
        ),
    )


def _chart() -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.segmented_control.root(
                rx.segmented_control.item(T["acts.by_type"], value="type"),
                rx.segmented_control.item(T["acts.by_user"], value="user"),
                rx.segmented_control.item(T["acts.by_week"], value="week"),
                value=L.chart_by,
                on_change=L.set_chart_by,
                id="chart-by",
            ),
            rx.text(T["acts.chart_period"], size="1", color=rx.color("gray", 11)),
            align="center",
            gap="12px",
            margin_bottom="10px",
        ),
        rx.cond(
            L.chart_data.length() > 0,
            rx.box(
                rx.recharts.bar_chart(
                    rx.recharts.cartesian_grid(stroke_dasharray="3 3", vertical=False),
                    rx.recharts.x_axis(data_key="name", font_size=11, tick_line=False),
                    rx.recharts.y_axis(width=50, font_size=11, tick_line=False),
                    rx.recharts.graphing_tooltip(),
                    rx.recharts.bar(
                        data_key="count",
                        fill="var(--accent-9)",
                        name=T["dash.count"],
                        radius=3,
                        max_bar_size=48,
                        is_animation_active=False,
                    ),
                    data=L.chart_data,
                    width="100%",
                    height=CHART_HEIGHT + 120,
                ),
                id="activities-chart",
                width="100%",
            ),
            rx.center(rx.text(T["dash.no_data"], color=rx.color("gray", 11)), height="200px"),
        ),
        width="100%",
    )


def activities_page() -> rx.Component:
    return app_shell(
        page_header(
            "acts.title",
            rx.segmented_control.root(
                rx.segmented_control.item(T["acts.table"], value="table"),
                rx.segmented_control.item(T["acts.chart"], value="chart"),
                value=rx.cond(L.show_chart, "chart", "table"),
                on_change=L.set_show_chart,
                id="acts-view",
            ),
            rx.button(rx.icon("plus", size=16), T["act.new"], on_click=L.open_new_today, id="activity-new"),
        ),
        rx.cond(
            L.show_chart,
            rx.fragment(rx.hstack(search_box(L), width="100%", margin_bottom="10px"), _chart()),
            list_view(L, ACTIVITY_ACTIONS, empty_key="acts.empty", row_action=RowActions(_row_actions, "84px")),
        ),
        editor_dialogs(L),
    )

"""The dashboard: figures, my tasks, the month's work, recent customers and four charts."""

from __future__ import annotations

import reflex as rx

from crm_app import routes
from crm_app.components.activity_dialog import editor_dialogs
from crm_app.components.dialogs import icon_button
from crm_app.components.form import T
from crm_app.components.shell import app_shell, page_header
from crm_app.state.dashboard import DashboardState as D

CHART_HEIGHT = 240


def _card(title_key: str, *children: rx.Component, card_id: str, action: rx.Component | None = None) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.text(T[title_key], weight="bold", size="3"),
            rx.spacer(),
            action or rx.fragment(),
            align="center",
            width="100%",
            margin_bottom="8px",
        ),
        *children,
        width="100%",
        id=card_id,
    )


def _muted(*children, **props) -> rx.Component:
    return rx.text(*children, size="1", color=rx.color("gray", 11), **props)


def _kpi(label_key: str, value: rx.Var, kpi_id: str, exact: rx.Var | None = None) -> rx.Component:
    """A figure card; ``exact``: the full figure shown on hover when the card shows it short."""
    return rx.card(
        _muted(T[label_key]),
        rx.text(value, size="6", weight="bold", class_name="kpi-value", id=kpi_id, white_space="nowrap", title=exact),
        width="100%",
    )


def _whose() -> rx.Component:
    return rx.cond(
        D.is_manager,
        rx.hstack(
            rx.text(T["dash.whose"], size="2", color=rx.color("gray", 11)),
            rx.el.select(
                rx.el.option(rx.cond(D.is_admin, T["dash.everyone_admin"], T["dash.everyone"]), value=""),
                rx.foreach(D.user_options, lambda o: rx.el.option(o[1], value=o[0])),
                value=D.pick_user,
                on_change=D.set_pick_user,
                class_name="native-select",
                aria_label=T["dash.whose"],
                id="dash-user",
                style={"width": "220px"},
            ),
            align="center",
            gap="8px",
        ),
        rx.fragment(),
    )


def _task_row(task: rx.Var) -> rx.Component:
    return rx.hstack(
        icon_button("circle-check", D.mark_done(task["id"]), "tasks.mark_done", "green", class_name="task-done"),
        rx.vstack(
            rx.text(
                task["subject"],
                size="2",
                weight="medium",
                on_click=D.open_edit(task["id"]),
                cursor="pointer",
                class_name="task-subject",
            ),
            _muted(
                rx.link(task["customer"], href="/customers/" + task["customer_id"].to(str), underline="always"),
                " · ",
                task["assignee"],
            ),
            gap="0",
            flex="1",
            min_width="0",
        ),
        rx.badge(task["due"], color_scheme=rx.cond(task["overdue"] != "", "red", "blue"), variant="soft"),
        align="center",
        gap="8px",
        width="100%",
        padding="6px 0",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        class_name="dash-task",
        data_id=task["id"],
    )


def _tasks_card() -> rx.Component:
    return _card(
        "dash.my_tasks",
        rx.cond(
            (D.tasks_overdue.length() + D.tasks_today.length()) > 0,
            rx.vstack(
                rx.cond(
                    D.tasks_overdue.length() > 0,
                    rx.vstack(
                        rx.text(T["dash.tasks_overdue"], size="1", weight="bold", color=rx.color("red", 11)),
                        rx.foreach(D.tasks_overdue, _task_row),
                        gap="0",
                        width="100%",
                        id="tasks-overdue",
                    ),
                    rx.fragment(),
                ),
                rx.cond(
                    D.tasks_today.length() > 0,
                    rx.vstack(
                        rx.text(T["dash.tasks_today"], size="1", weight="bold", color=rx.color("accent", 11)),
                        rx.foreach(D.tasks_today, _task_row),
                        gap="0",
                        width="100%",
                        id="tasks-today",
                    ),
                    rx.fragment(),
                ),
                gap="10px",
                width="100%",
                max_height="340px",
                overflow_y="auto",
            ),
            _muted(T["dash.no_tasks"], id="tasks-empty"),
        ),
        card_id="card-tasks",
    )


def _mini_day(day: rx.Var) -> rx.Component:
    classes = (
        "mini-cal-day"
        + rx.cond(day["muted"] != "", " mini-cal-muted", "").to(str)
        + rx.cond(day["busy"] != "", " mini-cal-busy", "").to(str)
        + rx.cond(day["today"] != "", " mini-cal-today", "").to(str)
        + rx.cond(day["key"] == D.selected_day, " mini-cal-selected", "").to(str)
    )
    return rx.box(day["label"], class_name=classes, on_click=D.pick_day(day["key"]), data_day=day["key"])


def _month_card() -> rx.Component:
    return _card(
        "dash.month_work",
        rx.hstack(
            rx.icon_button(
                rx.icon("chevron-left", size=14),
                size="1",
                variant="ghost",
                on_click=D.previous_month,
                aria_label=T["cal.prev"],
                id="mini-prev",
            ),
            rx.text(D.month_title, size="2", weight="medium", id="mini-title"),
            rx.icon_button(
                rx.icon("chevron-right", size=14),
                size="1",
                variant="ghost",
                on_click=D.next_month,
                aria_label=T["cal.next"],
                id="mini-next",
            ),
            justify="between",
            align="center",
            width="100%",
        ),
        rx.box(
            rx.foreach(D.weekdays, lambda w: rx.box(w, class_name="mini-cal-weekday")),
            rx.foreach(D.mini_days, _mini_day),
            class_name="mini-cal",
            id="mini-calendar",
        ),
        rx.separator(size="4", margin="10px 0 6px"),
        _muted(D.selected_day_label),
        rx.cond(
            D.day_items.length() > 0,
            rx.vstack(
                rx.foreach(
                    D.day_items,
                    lambda i: rx.hstack(
                        rx.text(i["time"], size="1", color=rx.color("gray", 11), width="40px", flex_shrink="0"),
                        rx.text(
                            i["title"],
                            size="2",
                            on_click=D.open_edit(i["id"]),
                            cursor="pointer",
                            flex="1",
                            min_width="0",
                            truncate=True,
                        ),
                        _muted(i["customer"], truncate=True, max_width="120px"),
                        gap="6px",
                        align="center",
                        width="100%",
                        class_name="day-item",
                    ),
                ),
                gap="2px",
                width="100%",
                max_height="160px",
                overflow_y="auto",
                tab_index=0,  # scrolled with the keyboard too
                id="day-items",
            ),
            _muted(T["dash.day_empty"]),
        ),
        card_id="card-month",
        action=rx.link(T["dash.open_calendar"], href=routes.CALENDAR, size="2", id="open-calendar"),
    )


def _recent_card() -> rx.Component:
    return _card(
        "dash.recent_customers",
        rx.cond(
            D.recent.length() > 0,
            rx.vstack(
                rx.foreach(
                    D.recent,
                    lambda c: rx.hstack(
                        rx.icon("user", size=14, color=rx.color("gray", 11)),
                        rx.link(c["name"], href=c["url"], size="2", truncate=True, flex="1", min_width="0"),
                        _muted(c["code"]),
                        align="center",
                        gap="8px",
                        width="100%",
                        padding="4px 0",
                        class_name="recent-customer",
                    ),
                ),
                gap="0",
                width="100%",
            ),
            _muted(T["dash.no_recent"]),
        ),
        card_id="card-recent",
    )


def _axis_props() -> dict:
    return {"font_size": 11, "tick_line": False}


def _bar_chart(
    data: rx.Var, x_key: str, bars: list[tuple[str, str, str]], chart_id: str, vertical: bool = False
) -> rx.Component:
    """bars: (data key, colour, legend label)."""
    axes = (
        [
            rx.recharts.x_axis(type_="number", **_axis_props()),
            rx.recharts.y_axis(data_key=x_key, type_="category", width=130, **_axis_props()),
        ]
        if vertical
        else [rx.recharts.x_axis(data_key=x_key, **_axis_props()), rx.recharts.y_axis(width=50, **_axis_props())]
    )
    return rx.cond(
        data.length() > 0,
        rx.box(
            rx.recharts.bar_chart(
                rx.recharts.cartesian_grid(stroke_dasharray="3 3", vertical=False),
                *axes,
                rx.recharts.graphing_tooltip(),
                *[
                    rx.recharts.bar(
                        data_key=key, fill=color, name=label, radius=3, max_bar_size=42, is_animation_active=False
                    )  # drawn at once: no half-grown bars on screen
                    for key, color, label in bars
                ],
                rx.recharts.legend() if len(bars) > 1 else rx.fragment(),
                data=data,
                layout="vertical" if vertical else "horizontal",
                width="100%",
                height=CHART_HEIGHT,
                margin={"top": 6, "right": 12, "left": 0, "bottom": 0},
            ),
            id=chart_id,
            width="100%",
        ),
        rx.center(_muted(T["dash.no_data"]), height=f"{CHART_HEIGHT}px", id=chart_id + "-empty"),
    )


def _charts() -> rx.Component:
    return rx.grid(
        _card(
            "dash.chart_pipeline",
            _bar_chart(D.chart_pipeline, "name", [("value", "var(--accent-9)", "")], "chart-pipeline", vertical=True),
            _muted(T["dash.value_m"]),
            card_id="card-pipeline",
        ),
        _card(
            "dash.chart_leads",
            _bar_chart(D.chart_leads, "name", [("count", "var(--cyan-9)", "")], "chart-leads", vertical=True),
            card_id="card-leads",
        ),
        _card(
            "dash.chart_won_lost",
            _bar_chart(
                D.chart_won_lost,
                "name",
                [("won", "var(--green-9)", T["dash.won"]), ("lost", "var(--red-9)", T["dash.lost"])],
                "chart-won-lost",
            ),
            _muted(T["dash.won"], ": ", D.kpi["won_value"], " · ", T["dash.lost"], ": ", D.kpi["lost_value"]),
            card_id="card-won-lost",
        ),
        _card(
            "dash.chart_per_user",
            _bar_chart(D.chart_users, "name", [("count", "var(--violet-9)", "")], "chart-users", vertical=True),
            card_id="card-users",
        ),
        columns=rx.breakpoints(initial="1", md="2"),
        gap="14px",
        width="100%",
    )


def dashboard_page() -> rx.Component:
    return app_shell(
        page_header("dash.title", _whose()),
        rx.grid(
            _kpi("dash.kpi_new_customers", D.kpi["new_customers"], "kpi-new-customers"),
            _kpi("dash.kpi_activities", D.kpi["activities"], "kpi-activities"),
            _kpi("dash.kpi_pipeline", D.kpi["pipeline"], "kpi-pipeline", D.kpi["pipeline_exact"]),
            _kpi("dash.kpi_win_rate", D.kpi["win_rate"], "kpi-win-rate"),
            columns=rx.breakpoints(initial="2", md="4"),
            gap="14px",
            width="100%",
            margin_bottom="14px",
        ),
        rx.grid(
            _tasks_card(),
            _month_card(),
            _recent_card(),
            columns=rx.breakpoints(initial="1", md="3"),
            gap="14px",
            width="100%",
            margin_bottom="14px",
        ),
        _charts(),
        editor_dialogs(D),
    )

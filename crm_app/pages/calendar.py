"""The calendar page: month and week views, user and team filters, add on a day, drag to reschedule."""

from __future__ import annotations

import reflex as rx

from crm_app.components.activity_dialog import editor_dialogs
from crm_app.components.calendar import calendar_board
from crm_app.components.form import T
from crm_app.components.shell import app_shell, page_header
from crm_app.state.calendar import CalendarState as C


def filter_select(options, value, on_change, all_key: str, element_id: str) -> rx.Component:
    return rx.el.select(
        rx.el.option(T[all_key], value=""),
        rx.foreach(options, lambda o: rx.el.option(o[1], value=o[0])),
        value=value,
        on_change=on_change,
        class_name="native-select",
        aria_label=T[all_key],
        id=element_id,
        style={"width": "190px"},
    )


def _toolbar() -> rx.Component:
    return rx.hstack(
        rx.button(T["cal.today"], variant="soft", on_click=C.go_today, id="cal-today"),
        rx.icon_button(
            rx.icon("chevron-left", size=16), variant="soft", on_click=C.previous, id="cal-prev", title=T["cal.prev"]
        ),
        rx.icon_button(
            rx.icon("chevron-right", size=16), variant="soft", on_click=C.following, id="cal-next", title=T["cal.next"]
        ),
        rx.heading(C.title, size="4", id="cal-title", margin_left="6px"),
        rx.spacer(),
        rx.cond(
            C.is_manager,
            rx.hstack(
                filter_select(C.team_options, C.team_filter, C.set_team_filter, "cal.all_teams", "cal-team"),
                filter_select(C.user_options, C.user_filter, C.set_user_filter, "cal.all_users", "cal-user"),
                gap="8px",
            ),
            rx.fragment(),
        ),
        rx.segmented_control.root(
            rx.segmented_control.item(T["cal.month"], value="month"),
            rx.segmented_control.item(T["cal.week"], value="week"),
            value=C.view,
            on_change=C.set_view,
            id="cal-view",
        ),
        align="center",
        gap="8px",
        width="100%",
        margin_bottom="10px",
        wrap="wrap",
    )


def calendar_page() -> rx.Component:
    return app_shell(
        page_header("cal.title", subtitle=rx.text(T["cal.hint"], size="2", color=rx.color("gray", 11))),
        _toolbar(),
        calendar_board(
            days=C.days,
            version=C.version,
            weekdays=C.weekdays,
            labels=C.board_labels,
            mode=C.view,
            on_move=C.move,
            on_add=C.open_new_on,
            on_open=C.open_edit,
            on_more=C.show_week_of,
        ),
        editor_dialogs(C),
    )

"""The system-wide history: who changed what and when, filtered by user, record and date."""

import reflex as rx

from crm_app.components.dialogs import empty_state
from crm_app.components.form import T, labelled, select_options
from crm_app.components.history_table import history_table
from crm_app.components.shell import app_shell, page_header
from crm_app.services.records import history
from crm_app.state.history import SystemHistoryState as S


def _filters() -> rx.Component:
    f = S.filters
    return rx.card(
        rx.form(  # Enter in the code or name box filters
            rx.grid(
                labelled(
                    "history.who",
                    select_options(
                        S.user_options,
                        "user_id",
                        f["user_id"],
                        lambda v: S.set_filter("user_id", v),
                        "",
                        placeholder_key="history.all_users",
                    ),
                ),
                labelled(
                    "history.record",
                    rx.el.select(
                        rx.el.option("—", value=""),
                        *[rx.el.option(T[f"entity.{e}"], value=e) for e in history.RECORD_KINDS],
                        value=f["entity"],
                        on_change=lambda v: S.set_filter("entity", v),
                        class_name="native-select",
                        id="field-entity",
                    ),
                ),
                labelled(
                    "history.record_name",
                    rx.input(
                        value=f["record"],
                        id="field-record",
                        placeholder=T["history.record_placeholder"],
                        on_change=lambda v: S.set_filter("record", v),
                    ),
                ),
                labelled(
                    "history.from",
                    rx.input(
                        type="date",
                        value=f["date_from"],
                        id="field-date_from",
                        on_change=lambda v: S.set_filter("date_from", v),
                    ),
                ),
                labelled(
                    "history.to",
                    rx.input(
                        type="date",
                        value=f["date_to"],
                        id="field-date_to",
                        on_change=lambda v: S.set_filter("date_to", v),
                    ),
                ),
                rx.box(
                    rx.button(rx.icon("filter", size=14), T["history.filter"], type="submit", id="history-apply"),
                    align_self="end",
                ),
                columns=rx.breakpoints(initial="2", md="3", xl="6"),
                gap="12px",
                width="100%",
            ),
            on_submit=S.apply,
            reset_on_submit=False,
        ),
        rx.cond(S.filter_error != "", rx.text(S.filter_error, color=rx.color("red", 11), size="2"), rx.fragment()),
        width="100%",
    )


def system_history_page() -> rx.Component:
    return app_shell(
        rx.cond(
            S.denied != "",
            rx.callout(S.denied, icon="shield-alert", color_scheme="red", id="access-denied", width="100%"),
            rx.vstack(
                page_header("history.title"),
                _filters(),
                rx.cond(
                    S.rows.length() > 0,
                    history_table(S.rows, "system-history", with_record=True),
                    rx.card(empty_state("history.empty"), width="100%"),
                ),
                rx.hstack(
                    rx.button(
                        T["history.newest"],
                        variant="soft",
                        on_click=S.newest,
                        disabled=S.pages_back.length() == 0,
                        id="history-newest",
                    ),
                    rx.button(
                        T["history.older"], variant="soft", on_click=S.older, disabled=~S.has_more, id="history-older"
                    ),
                    justify="end",
                    gap="8px",
                    width="100%",
                ),
                gap="12px",
                width="100%",
            ),
        ),
    )

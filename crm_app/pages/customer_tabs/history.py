"""The History tab of a customer: its changes and its children's."""

from __future__ import annotations

import reflex as rx

from crm_app import routes
from crm_app.components.dialogs import empty_state
from crm_app.components.form import T
from crm_app.components.history_table import history_table
from crm_app.state.customer_detail import CustomerDetailState as S
from crm_app.state.history import HistoryTabState as H


def history_tab() -> rx.Component:
    return rx.vstack(
        rx.cond(
            H.changes.length() > 0,
            history_table(H.changes, "history-table"),
            rx.card(empty_state("history.empty"), width="100%"),
        ),
        rx.cond(
            S.is_manager,
            rx.link(
                T["history.all_of_record"],
                href=f"{routes.SYSTEM_HISTORY}?entity=customer&record=" + S.customer_id.to(str),
                size="2",
                id="history-all",
            ),
            rx.fragment(),
        ),
        gap="8px",
        width="100%",
    )

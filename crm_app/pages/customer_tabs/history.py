"""The History tab of a customer (its changes and its children's) or of a contact (its own)."""

from __future__ import annotations

import reflex as rx

from crm_app import routes
from crm_app.components.dialogs import empty_state
from crm_app.components.form import T
from crm_app.components.history_table import history_table


def history_tab(H, entity: str, record_id: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.cond(
            H.changes.length() > 0,
            history_table(H.changes, "history-table"),
            rx.card(empty_state("history.empty"), width="100%"),
        ),
        rx.cond(
            H.is_manager,
            rx.link(
                T["history.all_of_record"],
                href=f"{routes.SYSTEM_HISTORY}?entity={entity}&record=" + record_id.to(str),
                size="2",
                id="history-all",
            ),
            rx.fragment(),
        ),
        gap="8px",
        width="100%",
    )

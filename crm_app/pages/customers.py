"""Customer list (view-driven) and the archive list."""

import reflex as rx

from crm_app import routes
from crm_app.components.data_table import RowActions
from crm_app.components.dialogs import confirm_dialog
from crm_app.components.export_dialog import export_dialog
from crm_app.components.form import T
from crm_app.components.generate_form import generate_form
from crm_app.components.list_view import ARCHIVE_ACTIONS, CUSTOMER_ACTIONS, list_view
from crm_app.components.read_only import for_editors
from crm_app.components.rule_run import rule_run_button, rule_run_dialog
from crm_app.components.shell import app_shell, page_header
from crm_app.state.customer_list import CustomerArchiveState, CustomerListState


def customers_page() -> rx.Component:
    return app_shell(
        page_header(
            "customers.title",
            export_dialog(CustomerListState),
            rx.link(
                rx.button(rx.icon("list-checks", size=16), T["lists.title"], variant="soft", color_scheme="gray"),
                href=routes.CUSTOMER_LISTS,
            ),
            rx.link(
                rx.button(rx.icon("archive", size=16), T["nav.archive"], variant="soft", color_scheme="gray"),
                href=routes.CUSTOMER_ARCHIVE,
            ),
            rx.link(
                rx.button(rx.icon("plus", size=16), T["customers.new"], id="customer-new"), href=routes.CUSTOMER_NEW
            ),
        ),
        list_view(
            CustomerListState,
            CUSTOMER_ACTIONS,
            bulk_extra=rx.fragment(_merge_button(), rule_run_button(CustomerListState)),
            bulk_form=generate_form(CustomerListState),
        ),
        # outside the bulk bar: it stays with its report once the run clears the selection
        rule_run_dialog(CustomerListState),
    )


def _merge_button() -> rx.Component:
    """Managers merge the customers they selected (seed 004 §1.6)."""
    return rx.cond(
        CustomerListState.is_manager,
        rx.button(
            rx.icon("merge", size=14),
            T["bulk.merge"],
            size="1",
            variant="soft",
            on_click=CustomerListState.merge_selection,
            id="bulk-merge",
        ),
        rx.fragment(),
    )


def _archive_actions(row) -> rx.Component:
    """Restore; and, for managers, delete for good (after a confirmation naming what goes); none
    on a teammate's record shared read-only."""
    return for_editors(
        row["_can_edit"] != "",
        rx.hstack(
            rx.button(
                rx.icon("archive-restore", size=14),
                T["action.restore"],
                size="1",
                variant="soft",
                on_click=CustomerArchiveState.restore(row["id"]),
                class_name="restore-button",
            ),
            rx.cond(
                CustomerArchiveState.is_manager,
                rx.button(
                    rx.icon("trash-2", size=14),
                    T["customers.erase"],
                    size="1",
                    variant="soft",
                    color_scheme="red",
                    on_click=CustomerArchiveState.ask_erase(row["id"]),
                    class_name="erase-button",
                ),
                rx.fragment(),
            ),
            gap="6px",
            wrap="nowrap",
        ),
    )


def archive_page() -> rx.Component:
    return app_shell(
        page_header(
            "customers.archive_title",
            subtitle=rx.text(T["customers.archive_hint"], size="2", color=rx.color("gray", 11)),
        ),
        list_view(
            CustomerArchiveState,
            ARCHIVE_ACTIONS,
            empty_key="customers.archive_empty",
            row_action=RowActions(_archive_actions, "240px"),
            with_views=False,
        ),
        confirm_dialog(
            "customers.erase",
            "customers.erase",
            "customers.erase",
            CustomerArchiveState.erase,
            is_open=CustomerArchiveState.erase_id > 0,
            on_cancel=CustomerArchiveState.cancel_erase,
            confirm_id="erase-confirm",
            question=CustomerArchiveState.erase_question,
        ),
    )

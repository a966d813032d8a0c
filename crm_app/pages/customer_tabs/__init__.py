"""The detail tabs of a record page (one module per tab): follow-ups, tasks, notes, emails, files,
quotes and orders, products, history; and the dialogs they open (also opened from the header's quick
actions). The customer page and the contact page each list their tabs as (value, label, render)
with their own tab states (state/record_page.py)."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from crm_app.components.activity_dialog import activity_form_dialog
from crm_app.components.dialogs import confirm_delete
from crm_app.components.form import T
from crm_app.components.shell import app_shell
from crm_app.pages.customer_opportunities import deal_dialog
from crm_app.pages.customer_tabs.activities import followups_tab, tasks_tab
from crm_app.pages.customer_tabs.campaigns import campaigns_tab
from crm_app.pages.customer_tabs.emails import emails_tab
from crm_app.pages.customer_tabs.files import files_tab
from crm_app.pages.customer_tabs.history import history_tab
from crm_app.pages.customer_tabs.notes import note_dialog, notes_tab
from crm_app.pages.customer_tabs.products import products_tab, service_dialog
from crm_app.pages.customer_tabs.sales import sales_dialog, sales_tab
from crm_app.state.customer_activities import ActivityState
from crm_app.state.customer_detail import CustomerDetailState as S
from crm_app.state.customer_files import FileState
from crm_app.state.customer_mail import MailState
from crm_app.state.customer_notes import NoteState
from crm_app.state.customer_products_tab import CustomerProductsState as P
from crm_app.state.history import HistoryTabState

Tab = tuple[str, str, Callable[[], rx.Component]]


def _promote() -> rx.Component:
    """A lead's step up, by the follow-ups' "new"."""
    return rx.cond(
        S.status_code == "lead",
        rx.button(
            rx.icon("trending-up", size=14),
            T["quick.promote"],
            variant="soft",
            color_scheme="green",
            on_click=S.change_status("promote"),
            id="promote-lead",
        ),
        rx.fragment(),
    )


CUSTOMER_TABS: tuple[Tab, ...] = (
    ("followups", "tabs.followups", lambda: followups_tab(ActivityState, _promote())),
    ("tasks", "tabs.tasks", lambda: tasks_tab(ActivityState)),
    ("notes", "tabs.notes", lambda: notes_tab(NoteState)),
    ("emails", "tabs.emails", lambda: emails_tab(MailState)),
    ("files", "tabs.files", lambda: files_tab(FileState)),
    ("sales", "tabs.sales", sales_tab),
    ("products", "tabs.products", products_tab),
    ("campaigns", "tabs.campaigns", campaigns_tab),
    ("history", "tabs.history", lambda: history_tab(HistoryTabState, "customer", S.customer_id)),
)


def record_page(
    S,
    back: tuple[str, str],
    header: list[rx.Component],
    overview: rx.Component,
    tabs: tuple[Tab, ...],
    *dialogs: rx.Component,
) -> rx.Component:
    """A record's page (``S``: its state, state/record_page.py): a link back to its list
    (route, label key), the header, the Overview and the other tabs, their dialogs; the reason
    when the record is refused."""
    return app_shell(
        rx.cond(
            S.found,
            rx.vstack(
                rx.link(
                    rx.hstack(rx.icon("arrow-left", size=14), T[back[1]], align="center", gap="4px"),
                    href=back[0],
                    size="2",
                ),
                *header,
                rx.tabs.root(
                    rx.tabs.list(
                        rx.tabs.trigger(T["customers.tab_overview"], value="overview", id="tab-overview"),
                        *[rx.tabs.trigger(T[label], value=value, id=f"tab-{value}") for value, label, _ in tabs],
                    ),
                    rx.tabs.content(overview, value="overview", padding_top="14px"),
                    *[rx.tabs.content(render(), value=value, padding_top="14px") for value, _, render in tabs],
                    value=S.tab,
                    on_change=S.select_tab,
                    width="100%",
                    class_name="customer-tabs",
                ),
                *dialogs,
                gap="12px",
                width="100%",
            ),
            rx.cond(
                S.denied != "",
                rx.callout(S.denied, icon="shield-alert", color_scheme="red", id="access-denied", width="100%"),
                rx.center(rx.text(T["common.loading"], color=rx.color("gray", 11)), padding="40px"),
            ),
        ),
    )


def record_dialogs(A, N, F) -> rx.Component:
    """The dialogs of the follow-ups (``A``), notes (``N``) and files (``F``) of a record page."""
    return rx.fragment(
        activity_form_dialog(A),
        note_dialog(N),
        confirm_delete(A.delete_id > 0, A.cancel_delete, A.delete, "confirm-delete-activity"),
        confirm_delete(N.delete_id > 0, N.cancel_delete, N.delete, "confirm-delete-note"),
        confirm_delete(F.delete_id > 0, F.cancel_delete, F.delete, "confirm-delete-file"),
    )


def dialogs() -> rx.Component:
    return rx.fragment(
        record_dialogs(ActivityState, NoteState, FileState),
        sales_dialog(),
        deal_dialog(),
        service_dialog(),
        confirm_delete(P.delete_id > 0, P.cancel_delete, P.delete, "confirm-delete-service"),
    )

"""The detail tabs of the customer page (one module per tab): follow-ups, tasks, notes, emails,
files, quotes and orders, products, history; and the dialogs they open (also opened from the header's quick
actions)."""

from __future__ import annotations

import reflex as rx

from crm_app.components.dialogs import confirm_delete
from crm_app.components.form import T
from crm_app.pages.customer_opportunities import deal_dialog
from crm_app.pages.customer_tabs.activities import activity_dialog, followups_tab, tasks_tab
from crm_app.pages.customer_tabs.emails import emails_tab
from crm_app.pages.customer_tabs.files import files_tab
from crm_app.pages.customer_tabs.history import history_tab
from crm_app.pages.customer_tabs.notes import note_dialog, notes_tab
from crm_app.pages.customer_tabs.products import products_tab, service_dialog
from crm_app.pages.customer_tabs.sales import sales_dialog, sales_tab
from crm_app.state.customer_activities import ActivityState as A
from crm_app.state.customer_files import FileState as F
from crm_app.state.customer_notes import NoteState as N
from crm_app.state.customer_products_tab import CustomerProductsState as P

TABS = (
    ("followups", "tabs.followups", followups_tab),
    ("tasks", "tabs.tasks", tasks_tab),
    ("notes", "tabs.notes", notes_tab),
    ("emails", "tabs.emails", emails_tab),
    ("files", "tabs.files", files_tab),
    ("sales", "tabs.sales", sales_tab),
    ("products", "tabs.products", products_tab),
    ("history", "tabs.history", history_tab),
)


def tab_triggers() -> list[rx.Component]:
    return [rx.tabs.trigger(T[label], value=value, id=f"tab-{value}") for value, label, _ in TABS]


def tab_contents() -> list[rx.Component]:
    return [rx.tabs.content(render(), value=value, padding_top="14px") for value, _, render in TABS]


def dialogs() -> rx.Component:
    return rx.fragment(
        activity_dialog(),
        note_dialog(),
        sales_dialog(),
        deal_dialog(),
        service_dialog(),
        confirm_delete(A.delete_id > 0, A.cancel_delete, A.delete, "confirm-delete-activity"),
        confirm_delete(N.delete_id > 0, N.cancel_delete, N.delete, "confirm-delete-note"),
        confirm_delete(F.delete_id > 0, F.cancel_delete, F.delete, "confirm-delete-file"),
        confirm_delete(P.delete_id > 0, P.cancel_delete, P.delete, "confirm-delete-service"),
    )

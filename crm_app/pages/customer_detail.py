"""The customer page: header with quick actions, the Overview tab and the detail tabs."""

import reflex as rx

from crm_app import routes
from crm_app.components.dialogs import confirm_dialog
from crm_app.components.form import T
from crm_app.components.inline_fields import field_cell
from crm_app.components.read_only import for_editors, read_only_badge
from crm_app.components.watch import watch_button
from crm_app.pages.customer_tabs import CUSTOMER_TABS, dialogs, record_page
from crm_app.state import customer_tabs  # noqa: F401 - registers the tabs' loaders with the page state
from crm_app.state.customer_activities import ActivityState as A
from crm_app.state.customer_detail import CustomerDetailState as S
from crm_app.state.customer_notes import NoteState as N
from crm_app.state.customer_opportunities import CustomerOpportunitiesState as D
from crm_app.state.customer_sales import SalesState as Q
from crm_app.state.watch import CustomerWatchState as W


def _header() -> rx.Component:
    """The name, code and badges on top, the quick actions on a line of their own under them (so
    the name keeps one line in a 1024 px window)."""
    h = S.header
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.avatar(fallback=h["name"].to(str)[0:1], size="5", radius="full"),
                _title(h),
                align="center",
                gap="16px",
                width="100%",
            ),
            _actions(h),
            gap="12px",
            width="100%",
        ),
        width="100%",
    )


def _title(h) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading(h["name"], size="6", id="customer-name", class_name="record-name", title=h["name"]),
            rx.badge(h["code"], variant="outline", size="2", id="customer-code"),
            rx.cond(
                S.archived,
                rx.badge(T["customers.archived_badge"], color_scheme="orange", id="archived-badge"),
                rx.fragment(),
            ),
            rx.cond(S.can_edit, rx.fragment(), read_only_badge()),
            align="center",
            gap="10px",
            wrap="wrap",
        ),
        rx.hstack(
            rx.badge(h["kind"], color_scheme="blue"),
            rx.badge(h["status"], color_scheme="green"),
            rx.hstack(
                rx.icon("user", size=13),
                rx.text(h["owner"], size="2"),
                align="center",
                gap="4px",
                color=rx.color("gray", 11),
            ),
            rx.foreach(S.tags, lambda tag: rx.badge(tag, variant="soft", color_scheme="gray")),
            align="center",
            gap="8px",
            wrap="wrap",
        ),
        gap="6px",
        min_width="0",
    )


def _actions(h) -> rx.Component:
    """Calling, watching and copying for whoever sees the customer; the rest for those who may
    change it."""
    return rx.hstack(
        rx.cond(
            h["phone"] != "",
            rx.link(
                rx.button(rx.icon("phone", size=14), T["action.call"], variant="soft"),
                href="tel:" + h["phone"].to(str),
            ),
            rx.fragment(),
        ),
        watch_button(W),
        rx.button(rx.icon("copy", size=14), T["action.clone"], on_click=S.clone, variant="soft", id="customer-clone"),
        for_editors(S.can_edit, _changes(h)),
        gap="8px",
        wrap="wrap",
    )


def _changes(h) -> rx.Component:
    return rx.fragment(
        rx.cond(
            h["email"] != "",
            rx.button(
                rx.icon("mail", size=14),
                T["action.email"],
                variant="soft",
                on_click=S.select_tab("emails"),
                id="quick-email",
            ),
            rx.fragment(),
        ),
        rx.button(
            rx.icon("square-check", size=14),
            T["quick.add_task"],
            variant="soft",
            on_click=A.open_new("task"),
            id="quick-task",
        ),
        rx.button(
            rx.icon("sticky-note", size=14),
            T["quick.add_note"],
            variant="soft",
            on_click=N.open_new,
            id="quick-note",
        ),
        rx.button(rx.icon("pencil", size=14), T["action.edit"], on_click=S.edit, id="customer-edit"),
        _more_menu(),
        rx.cond(
            S.archived,
            rx.button(
                rx.icon("archive-restore", size=14),
                T["action.restore"],
                color_scheme="green",
                on_click=S.set_archived(False),
                id="customer-restore",
            ),
            rx.button(
                rx.icon("archive", size=14),
                T["action.archive"],
                color_scheme="orange",
                variant="soft",
                on_click=S.set_confirm_archive(True),
                id="customer-archive",
            ),
        ),
    )


def _more_menu() -> rx.Component:
    """Less frequent quick actions: opportunity, quote, order, convert to an internal customer."""
    return rx.dropdown_menu.root(
        rx.dropdown_menu.trigger(
            rx.button(
                T["quick.more"], rx.icon("chevron-down", size=14), variant="soft", color_scheme="gray", id="quick-more"
            )
        ),
        rx.dropdown_menu.content(
            rx.dropdown_menu.item(
                rx.icon("handshake", size=14), T["quick.new_opportunity"], on_click=D.open_new, id="quick-opportunity"
            ),
            rx.dropdown_menu.item(
                rx.icon("file-text", size=14), T["quick.new_quote"], on_click=Q.open_new("quote"), id="quick-quote"
            ),
            rx.dropdown_menu.item(
                rx.icon("shopping-cart", size=14), T["quick.new_order"], on_click=Q.open_new("order"), id="quick-order"
            ),
            rx.cond(
                S.status_code != "customer",
                rx.dropdown_menu.item(
                    rx.icon("badge-check", size=14),
                    T["quick.convert"],
                    on_click=S.set_confirm_convert(True),
                    id="quick-convert",
                ),
                rx.fragment(),
            ),
        ),
    )


def _similar() -> rx.Component:
    """The duplicate rule's warning: other customers with the same phone or email."""
    return rx.cond(
        S.similar.length() > 0,
        rx.callout.root(
            rx.callout.icon(rx.icon("triangle-alert", size=16)),
            rx.vstack(
                rx.text(T["customers.similar_title"], weight="medium", size="2"),
                rx.foreach(
                    S.similar,
                    lambda m: rx.hstack(
                        rx.text(T["field." + m["by"].to(str)], ":", size="2"),
                        rx.cond(
                            m["visible"] == "True",
                            rx.link(
                                m["code"] + " – " + m["name"],
                                href=routes.CUSTOMERS + "/" + m["id"],
                                size="2",
                                class_name="similar-link",
                            ),
                            rx.text(m["code"] + " – " + m["name"], size="2"),
                        ),
                        rx.text("(", T["field.owner_id"], ": ", m["owner"], ")", size="1", color=rx.color("gray", 11)),
                        gap="6px",
                        align="center",
                        wrap="wrap",
                    ),
                ),
                gap="2px",
            ),
            color_scheme="amber",
            size="1",
            width="100%",
            id="similar-records",
        ),
        rx.fragment(),
    )


def _archive_confirm() -> rx.Component:
    return confirm_dialog(
        "action.archive",
        "customers.archive_confirm",
        "action.archive",
        S.set_archived(True),
        is_open=S.confirm_archive,
        on_cancel=S.set_confirm_archive,
        confirm_id="confirm-archive",
        color="orange",
    )


def _fields() -> rx.Component:
    return rx.card(
        rx.text(T["customers.section_main"], weight="bold", size="2", margin_bottom="10px"),
        rx.grid(
            rx.foreach(S.fields, lambda f: field_cell(S, f[0], f[1], f[2] != "", f[3])),
            field_cell(S, "phones", S.phones.join(", "), S.can_edit, T["field.phones"]),
            columns=rx.breakpoints(initial="2", md="3", lg="4"),
            gap="14px 20px",
            width="100%",
        ),
        width="100%",
    )


def _contacts() -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.text(T["customers.related_contacts"], weight="bold", size="2"),
            rx.spacer(),
            for_editors(
                S.can_edit,
                rx.link(
                    rx.button(rx.icon("plus", size=14), T["customers.add_contact"], size="1", variant="soft"),
                    href=routes.CONTACT_NEW + "?customer=" + S.customer_id.to(str),
                ),
            ),
            width="100%",
            align="center",
            margin_bottom="8px",
        ),
        rx.cond(
            S.related_contacts.length() > 0,
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell(T["field.full_name"]),
                        rx.table.column_header_cell(T["field.title"]),
                        rx.table.column_header_cell(T["field.phone"]),
                        rx.table.column_header_cell(T["field.email"]),
                    )
                ),
                rx.table.body(
                    rx.foreach(
                        S.related_contacts,
                        lambda c: rx.table.row(
                            rx.table.cell(rx.link(c["name"], href=routes.CONTACTS + "/" + c["id"])),
                            rx.table.cell(c["title"]),
                            rx.table.cell(c["phone"]),
                            rx.table.cell(c["email"]),
                        ),
                    )
                ),
                size="1",
                width="100%",
                id="related-contacts",
            ),
            rx.text(T["customers.no_contacts"], size="2", color=rx.color("gray", 11)),
        ),
        width="100%",
    )


def _organisation() -> rx.Component:
    return rx.card(
        rx.text(T["customers.assigned_org"], weight="bold", size="2", margin_bottom="8px"),
        rx.cond(
            S.header["assigned_to_id"] != "",
            rx.link(
                S.header["assigned_to"],
                href=routes.CUSTOMERS + "/" + S.header["assigned_to_id"],
                id="assigned-org-link",
            ),
            rx.text("—", color=rx.color("gray", 11)),
        ),
        rx.cond(
            S.members.length() > 0,
            rx.vstack(
                rx.text(T["customers.members"], weight="bold", size="2", margin_top="12px"),
                rx.foreach(S.members, lambda m: rx.link(m[1], href=routes.CUSTOMERS + "/" + m[0], size="2")),
                gap="4px",
            ),
            rx.fragment(),
        ),
        width="100%",
    )


def customer_detail_page() -> rx.Component:
    return record_page(
        S,
        (routes.CUSTOMERS, "nav.customers"),
        [_header(), _similar()],
        rx.vstack(
            _fields(),
            rx.grid(
                _contacts(),
                _organisation(),
                columns=rx.breakpoints(initial="1", lg="2"),
                gap="14px",
                width="100%",
            ),
            gap="14px",
        ),
        CUSTOMER_TABS,
        _archive_confirm(),
        confirm_dialog(
            "quick.convert",
            "quick.convert",
            "quick.convert_do",
            S.change_status("convert"),
            is_open=S.confirm_convert,
            on_cancel=S.set_confirm_convert,
            confirm_id="confirm-convert",
            question=S.convert_question,
        ),
        dialogs(),
    )

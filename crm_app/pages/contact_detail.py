"""The contact page: header, the Overview edited in place and the tabs of what names the contact."""

import reflex as rx

from crm_app import routes
from crm_app.components.form import T
from crm_app.components.inline_fields import field_cell
from crm_app.components.read_only import for_editors
from crm_app.pages.customer_tabs import record_dialogs, record_page
from crm_app.pages.customer_tabs.activities import followups_tab, tasks_tab
from crm_app.pages.customer_tabs.emails import emails_tab
from crm_app.pages.customer_tabs.files import files_tab
from crm_app.pages.customer_tabs.history import history_tab
from crm_app.pages.customer_tabs.notes import notes_tab
from crm_app.state.contact_detail import ContactActivityState as A
from crm_app.state.contact_detail import ContactDetailState as S
from crm_app.state.contact_detail import ContactFileState as F
from crm_app.state.contact_detail import ContactHistoryState as H
from crm_app.state.contact_detail import ContactMailState as M
from crm_app.state.contact_detail import ContactNoteState as N

TABS = (
    ("followups", "tabs.followups", lambda: followups_tab(A)),
    ("tasks", "tabs.tasks", lambda: tasks_tab(A, "contact_page.tasks_empty")),
    ("notes", "tabs.notes", lambda: notes_tab(N)),
    ("emails", "tabs.emails", lambda: emails_tab(M, "contact_page.mail_empty")),
    ("files", "tabs.files", lambda: files_tab(F)),
    ("history", "tabs.history", lambda: history_tab(H, "contact", S.contact_id)),
)


def _reach(icon: str, text: rx.Var, href: rx.Var, element_id: str) -> rx.Component:
    """A number or an address of the header, as a link that calls or writes (nothing when empty)."""
    return rx.cond(
        text != "",
        rx.link(
            rx.hstack(rx.icon(icon, size=14), rx.text(text, size="2"), align="center", gap="4px"),
            href=href,
            id=element_id,
        ),
        rx.fragment(),
    )


def _company(h) -> rx.Component:
    return rx.cond(
        h["company_url"] != "",
        rx.link(h["company"], href=h["company_url"], size="2", id="contact-company"),
        rx.text(
            rx.cond(h["company"] != "", h["company"], T["contact_page.no_company"]), size="2", id="contact-company"
        ),
    )


def _header() -> rx.Component:
    h = S.header
    return rx.card(
        rx.hstack(
            rx.avatar(fallback=h["name"].to(str)[0:1], size="5", radius="full"),
            rx.vstack(
                rx.hstack(
                    rx.heading(h["name"], size="6", id="contact-name", class_name="record-name", title=h["name"]),
                    rx.cond(
                        S.archived,
                        rx.badge(T["customers.archived_badge"], color_scheme="orange", id="archived-badge"),
                        rx.fragment(),
                    ),
                    align="center",
                    gap="10px",
                    wrap="wrap",
                ),
                rx.hstack(
                    rx.cond(h["title"] != "", rx.text(h["title"], size="2", id="contact-title"), rx.fragment()),
                    rx.icon("building-2", size=14, color=rx.color("gray", 11)),
                    _company(h),
                    align="center",
                    gap="8px",
                    wrap="wrap",
                ),
                rx.hstack(
                    _reach("phone", h["phone"], "tel:" + h["phone"].to(str), "contact-phone"),
                    _reach("smartphone", h["mobile"], "tel:" + h["mobile"].to(str), "contact-mobile"),
                    _reach("mail", h["email"], "mailto:" + h["email"].to(str), "contact-email"),
                    align="center",
                    gap="14px",
                    wrap="wrap",
                ),
                gap="6px",
                min_width="0",
                flex="1",
            ),
            for_editors(
                S.can_edit,
                rx.button(rx.icon("pencil", size=14), T["action.edit"], on_click=S.edit, id="contact-edit"),
                badge=True,
            ),
            align="start",
            gap="16px",
            width="100%",
            wrap="wrap",
        ),
        width="100%",
    )


def _overview() -> rx.Component:
    return rx.card(
        rx.text(T["customers.section_main"], weight="bold", size="2", margin_bottom="10px"),
        rx.grid(
            rx.foreach(S.fields, lambda f: field_cell(S, f[0], f[1], f[2] != "", f[3])),
            columns=rx.breakpoints(initial="2", md="3", lg="4"),
            gap="14px 20px",
            width="100%",
        ),
        width="100%",
    )


def contact_detail_page() -> rx.Component:
    return record_page(S, (routes.CONTACTS, "contacts.title"), [_header()], _overview(), TABS, record_dialogs(A, N, F))

"""The app shell: left sidebar with the modules, top bar with search, quick create,
language and the user menu."""

from __future__ import annotations

import reflex as rx

from crm_app import routes
from crm_app.components.dialog_footer import dialog_footer
from crm_app.components.form import FormKit, T
from crm_app.components.jobs_panel import jobs_panel
from crm_app.components.notifications import notification_bell
from crm_app.components.picker import company_picker
from crm_app.services.records.fields import CONTACT, CUSTOMER
from crm_app.state.quick_create import QuickCreateState
from crm_app.state.session import SessionState


def _nav_item(icon: str, label_key: str, href: str, item_id: str, unless: str = "") -> rx.Component:
    """A sidebar link, marked while its pages are shown (``unless``: a deeper page with its own item)."""
    path = SessionState.router.url.path
    active = path.startswith(href) & ~path.startswith(unless) if unless else path.startswith(href)
    return rx.link(
        rx.hstack(rx.icon(icon, size=18), rx.text(T[label_key], size="2"), align="center", gap="10px"),
        href=href,
        id=item_id,
        underline="none",
        title=T[label_key],  # its name when the sidebar shows icons only (tablet widths)
        class_name=rx.cond(active, "nav-item nav-item-active", "nav-item"),
    )


def sidebar() -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.icon("handshake", size=22, color=rx.color("accent", 9)),
            rx.text(T["app.name"], weight="bold", size="3"),
            align="center",
            gap="8px",
            padding="16px 14px 20px",
        ),
        rx.vstack(
            _nav_item("layout-dashboard", "nav.dashboard", routes.DASHBOARD, "nav-dashboard"),
            _nav_item("calendar-days", "nav.calendar", routes.CALENDAR, "nav-calendar"),
            _nav_item("users", "nav.customers", routes.CUSTOMERS, "nav-customers", unless=routes.CUSTOMER_ARCHIVE),
            _nav_item("package-check", "nav.customer_products", routes.CUSTOMER_PRODUCTS, "nav-customer-products"),
            _nav_item("user-search", "nav.lookup", routes.LOOKUP, "nav-lookup"),
            _nav_item("contact", "nav.contacts", routes.CONTACTS, "nav-contacts"),
            _nav_item("user-plus", "nav.leads", routes.LEADS, "nav-leads"),
            _nav_item("kanban", "nav.opportunities", routes.OPPORTUNITIES, "nav-opportunities"),
            _nav_item("activity", "nav.activities", routes.ACTIVITIES, "nav-activities"),
            _nav_item("megaphone", "nav.campaigns", routes.CAMPAIGNS, "nav-campaigns"),
            _nav_item("archive", "nav.archive", routes.CUSTOMER_ARCHIVE, "nav-archive"),
            rx.cond(
                SessionState.is_manager,
                _nav_item("history", "nav.history", routes.SYSTEM_HISTORY, "nav-history"),
                rx.fragment(),
            ),
            _nav_item("list-checks", "lists.title", routes.CUSTOMER_LISTS, "nav-lists"),
            _nav_item("file-up", "nav.import", routes.IMPORT, "nav-import"),
            rx.cond(
                SessionState.is_manager,
                rx.fragment(
                    _nav_item("copy", "nav.duplicates", routes.DUPLICATES, "nav-duplicates"),
                    # admins keep every rule, managers their team's (services.automation.rules)
                    _nav_item("workflow", "nav.automation", routes.ADMIN_AUTOMATION, "nav-automation"),
                ),
                rx.fragment(),
            ),
            rx.cond(
                SessionState.is_admin,
                rx.vstack(
                    rx.text(
                        T["nav.admin"], size="1", color=rx.color("gray", 11), padding="14px 12px 4px", weight="medium"
                    ),
                    _nav_item("shield", "nav.users", routes.ADMIN_USERS, "nav-admin-users"),
                    _nav_item("package", "nav.templates_products", routes.ADMIN_SALES_MAIL, "nav-admin-sales-mail"),
                    _nav_item("git-branch", "nav.pipelines", routes.ADMIN_PIPELINES, "nav-admin-pipelines"),
                    _nav_item("text-cursor-input", "cf.title", routes.ADMIN_FIELDS, "nav-admin-fields"),
                    _nav_item(
                        "file-lock", "export_rights.title", routes.ADMIN_EXPORT_RIGHTS, "nav-admin-export-rights"
                    ),
                    _nav_item("database-backup", "backup.title", routes.ADMIN_BACKUPS, "nav-admin-backups"),
                    gap="2px",
                    width="100%",
                ),
                rx.fragment(),
            ),
            gap="2px",
            width="100%",
            padding="0 8px",
        ),
        class_name="sidebar",
    )


QC = FormKit(QuickCreateState)
QUICK_CREATE_FIELDS = ("full_name", "kind", "phones", "email")  # the few that matter, drawn from the registry
QUICK_CONTACT_FIELDS = ("full_name", "title", "mobile", "email")


def _quick_contact_fields() -> list[rx.Component]:
    company = company_picker(QuickCreateState, "quick-company", "quick-new-company")
    fields = [QC.field(CONTACT.field(name)) for name in QUICK_CONTACT_FIELDS]
    return [fields[0], company, *fields[1:]]


def quick_create_dialog() -> rx.Component:
    """ "Tạo nhanh": a customer or a contact (chosen at the top) with the fields that matter."""
    return rx.dialog.root(
        rx.dialog.trigger(
            rx.button(rx.icon("plus", size=16), T["nav.quick_create"], id="quick-create-open", size="2"),
        ),
        rx.dialog.content(
            rx.dialog.title(T["nav.quick_create"]),
            rx.segmented_control.root(
                rx.segmented_control.item(T["entity.customer"], value="customer"),
                rx.segmented_control.item(T["entity.contact"], value="contact"),
                value=QuickCreateState.kind_of_record,
                on_change=QuickCreateState.set_kind_of_record,
                id="quick-create-kind",
                margin_bottom="12px",
            ),
            rx.form(
                rx.vstack(
                    rx.cond(
                        QuickCreateState.kind_of_record == "contact",
                        rx.fragment(*_quick_contact_fields()),
                        rx.fragment(*[QC.field(CUSTOMER.field(name)) for name in QUICK_CREATE_FIELDS]),
                    ),
                    dialog_footer("action.save", submit=True, confirm_id="quick-create-save"),
                    gap="12px",
                ),
                on_submit=QuickCreateState.submit,
                reset_on_submit=False,
            ),
            max_width="440px",
            id="quick-create-dialog",
        ),
        open=QuickCreateState.open,
        on_open_change=QuickCreateState.set_open,
    )


def header_search() -> rx.Component:
    return rx.form(
        rx.input(
            rx.input.slot(rx.icon("search", size=16)),
            name="q",
            placeholder=T["nav.search_placeholder"],
            id="global-search",
            width="380px",
            size="2",
        ),
        on_submit=SessionState.global_search,
        reset_on_submit=False,
    )


def user_menu() -> rx.Component:
    return rx.menu.root(
        rx.menu.trigger(
            rx.button(
                rx.icon("circle-user", size=18),
                SessionState.user_name,
                variant="ghost",
                id="user-menu",
                color_scheme="gray",
            ),
        ),
        rx.menu.content(
            rx.text(T["nav.language"], size="1", color=rx.color("gray", 11), padding="4px 8px"),
            rx.menu.item(T["lang.vi"], on_click=SessionState.set_language("vi"), id="lang-vi"),
            rx.menu.item(T["lang.en"], on_click=SessionState.set_language("en"), id="lang-en"),
            rx.menu.separator(),
            rx.menu.item(
                rx.icon("log-out", size=14), T["nav.logout"], on_click=SessionState.logout, id="logout", color="red"
            ),
        ),
    )


def top_bar() -> rx.Component:
    return rx.hstack(
        header_search(),
        rx.spacer(),
        quick_create_dialog(),
        jobs_panel(),
        notification_bell(),
        user_menu(),
        class_name="topbar",
        align="center",
        gap="12px",
    )


def app_shell(*content: rx.Component) -> rx.Component:
    """A signed-in page: sidebar, top bar and the page content."""
    return rx.box(
        sidebar(),
        rx.box(
            top_bar(),
            rx.box(
                rx.cond(SessionState.user_id > 0, rx.fragment(*content), rx.center(rx.spinner(), height="50vh")),
                class_name="page-content",
            ),
            class_name="main-column",
        ),
        class_name="app-layout",
    )


def page_header(title_key: str, *actions: rx.Component, subtitle: rx.Component | None = None) -> rx.Component:
    """The page's title and its buttons; on a narrow window the buttons go to a line of their own
    rather than squeezing the title into two lines."""
    return rx.hstack(
        rx.vstack(
            rx.heading(T[title_key], size="6", id="page-title", white_space="nowrap"),
            subtitle or rx.fragment(),
            gap="2px",
        ),
        rx.spacer(),
        rx.hstack(*actions, align="center", gap="8px", wrap="wrap", justify="end", class_name="page-actions"),
        align="center",
        width="100%",
        margin_bottom="14px",
        wrap="wrap",
        gap="8px",
    )


def refused_or(state, *content: rx.Component) -> rx.Component:
    """A page for some roles only: the reason it is refused (``state.denied``), or the page."""
    return rx.cond(
        state.denied != "",
        rx.callout(state.denied, icon="shield-alert", color_scheme="red", id="access-denied", width="100%"),
        rx.fragment(*content),
    )

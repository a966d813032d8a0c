"""The Reflex app: theme, pages and the start-up task (migrations, admin, demo data)."""

import reflex as rx

from crm_app import routes
from crm_app.api import api
from crm_app.pages.admin import admin_users_page
from crm_app.pages.contacts import contact_form_page, contacts_page
from crm_app.pages.customer_detail import customer_detail_page
from crm_app.pages.customer_form import customer_edit_page, customer_new_page
from crm_app.pages.customers import archive_page, customers_page
from crm_app.pages.duplicates import duplicates_page
from crm_app.pages.import_page import import_page
from crm_app.pages.login import login_page
from crm_app.services.bootstrap import start
from crm_app.state.admin import AdminState
from crm_app.state.contacts import ContactFormState, ContactListState
from crm_app.state.customer_detail import CustomerDetailState
from crm_app.state.customer_form import CustomerFormState
from crm_app.state.customer_list import CustomerArchiveState, CustomerListState
from crm_app.state.duplicates import DuplicatesState
from crm_app.state.import_wizard import ImportState
from crm_app.state.session import LoginState, SessionState

app = rx.App(
    theme=rx.theme(appearance="light", accent_color="indigo", gray_color="slate", radius="medium", scaling="95%"),
    stylesheets=["/styles.css"],
    head_components=[rx.el.link(rel="icon", href="/favicon.svg")],
    api_transformer=api,
)


async def _start_up() -> None:
    start()


app.register_lifespan_task(_start_up)


def _signed_in(on_load):
    """Every signed-in page checks the session on the server before its own loading."""
    return [SessionState.require_login, on_load] if on_load else [SessionState.require_login]


app.add_page(login_page, route=routes.LOGIN, title="CRM", on_load=LoginState.open_login)
app.add_page(lambda: rx.center(rx.spinner(), height="100vh"), route=routes.HOME, title="CRM",
             on_load=[SessionState.require_login, rx.redirect(routes.CUSTOMERS)])
app.add_page(customers_page, route=routes.CUSTOMERS, title="CRM", on_load=_signed_in(CustomerListState.open_page))
app.add_page(archive_page, route=routes.CUSTOMER_ARCHIVE, title="CRM",
             on_load=_signed_in(CustomerArchiveState.open_page))
app.add_page(customer_new_page, route=routes.CUSTOMER_NEW, title="CRM", on_load=_signed_in(CustomerFormState.open_new))
app.add_page(customer_edit_page, route=routes.CUSTOMER_EDIT, title="CRM",
             on_load=_signed_in(CustomerFormState.open_edit))
app.add_page(customer_detail_page, route=routes.CUSTOMER_DETAIL, title="CRM",
             on_load=_signed_in(CustomerDetailState.open))
app.add_page(contacts_page, route=routes.CONTACTS, title="CRM", on_load=_signed_in(ContactListState.open_page))
app.add_page(contact_form_page, route=routes.CONTACT_NEW, title="CRM", on_load=_signed_in(ContactFormState.open))
app.add_page(contact_form_page, route=routes.CONTACT_EDIT, title="CRM", on_load=_signed_in(ContactFormState.open))
app.add_page(admin_users_page, route=routes.ADMIN_USERS, title="CRM", on_load=_signed_in(AdminState.open))
app.add_page(import_page, route=routes.IMPORT, title="CRM", on_load=_signed_in(ImportState.open))
app.add_page(duplicates_page, route=routes.DUPLICATES, title="CRM", on_load=_signed_in(DuplicatesState.open))

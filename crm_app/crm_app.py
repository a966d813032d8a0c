"""The Reflex app: theme, pages and the start-up task (migrations, admin, demo data)."""

import asyncio

import reflex as rx

from crm_app import routes
from crm_app.api import api
from crm_app.pages.activities import activities_page
from crm_app.pages.admin import admin_users_page
from crm_app.pages.admin_sales_mail import admin_sales_mail_page
from crm_app.pages.automation import automation_page
from crm_app.pages.backups import backups_page
from crm_app.pages.calendar import calendar_page
from crm_app.pages.campaign_page import campaign_page
from crm_app.pages.campaigns import campaigns_page
from crm_app.pages.contact_detail import contact_detail_page
from crm_app.pages.contacts import contact_form_page, contacts_page
from crm_app.pages.custom_fields import custom_fields_page
from crm_app.pages.customer_detail import customer_detail_page
from crm_app.pages.customer_form import customer_edit_page, customer_new_page
from crm_app.pages.customer_products import customer_products_page
from crm_app.pages.customers import archive_page, customers_page
from crm_app.pages.dashboard import dashboard_page
from crm_app.pages.duplicates import duplicates_page
from crm_app.pages.export_rights import export_rights_page
from crm_app.pages.import_page import import_page
from crm_app.pages.leads import lead_board_page, lead_form_page, leads_page
from crm_app.pages.login import login_page
from crm_app.pages.lookup import lookup_page
from crm_app.pages.opportunities import opportunities_page, opportunity_board_page, opportunity_form_page
from crm_app.pages.pipeline_admin import pipeline_admin_page
from crm_app.pages.record_lists import lists_page
from crm_app.pages.system_history import system_history_page
from crm_app.services import backup
from crm_app.services.automation import worker as automation_worker
from crm_app.settings import settings
from crm_app.setup.bootstrap import start
from crm_app.state.activity_list import ActivityListState
from crm_app.state.admin import AdminState
from crm_app.state.admin_sales_mail import CatalogAdminState
from crm_app.state.automation import AutomationState
from crm_app.state.backups import BackupState
from crm_app.state.calendar import CalendarState
from crm_app.state.campaigns import CampaignListState, CampaignPageState
from crm_app.state.contact_detail import ContactDetailState
from crm_app.state.contacts import ContactFormState, ContactListState
from crm_app.state.custom_fields import CustomFieldsState
from crm_app.state.customer_detail import CustomerDetailState
from crm_app.state.customer_form import CustomerFormState
from crm_app.state.customer_list import CustomerArchiveState, CustomerListState
from crm_app.state.customer_mail import deliver_now
from crm_app.state.customer_product_list import CustomerProductListState
from crm_app.state.dashboard import DashboardState
from crm_app.state.duplicates import DuplicatesState
from crm_app.state.export_rights import ExportRightsState
from crm_app.state.history import SystemHistoryState
from crm_app.state.import_wizard import ImportState
from crm_app.state.jobs import sweep_loop
from crm_app.state.leads import LeadBoardState, LeadFormState, LeadListState
from crm_app.state.lookup import LookupState
from crm_app.state.opportunities import OpportunityBoardState, OpportunityFormState, OpportunityListState
from crm_app.state.pipeline_admin import PipelineAdminState
from crm_app.state.record_lists import RecordListsState
from crm_app.state.server_error import server_error_message
from crm_app.state.session import LoginState, SessionState
from crm_app.upload_guard import upload_guard

app = rx.App(
    theme=rx.theme(appearance="light", accent_color="indigo", gray_color="slate", radius="medium", scaling="95%"),
    stylesheets=["/styles.css"],
    html_lang=settings.default_language,  # Vietnamese unless the deployment says otherwise
    head_components=[rx.el.link(rel="icon", href="/favicon.svg")],
    # the checked download routes; uploads refused before their body is read when too big or signed out
    api_transformer=[api, upload_guard],
    backend_exception_handler=server_error_message,
)


async def _start_up() -> None:
    start()


app.register_lifespan_task(_start_up)

OUTBOX_INTERVAL_SECONDS = 60


async def _outbox_loop() -> None:
    """With an SMTP server configured, mail left in the outbox (e.g. while the server was down,
    or written before it was configured) goes out within a minute."""
    if not settings.smtp_configured:
        return
    while True:
        await asyncio.sleep(OUTBOX_INTERVAL_SECONDS)
        try:
            await asyncio.to_thread(deliver_now)
        except Exception as exc:  # noqa: BLE001 (a bad round must not stop the loop)
            print(f"outbox delivery failed: {exc}", flush=True)


app.register_lifespan_task(_outbox_loop)

BACKUP_CHECK_SECONDS = 600


async def _backup_loop() -> None:
    """A backup of the database every CRM_BACKUP_HOURS, checked every 10 minutes (the first
    check 10 minutes after the start, not during it); one worker makes it (services.backup)."""
    if settings.backup_hours <= 0:
        return
    while True:
        await asyncio.sleep(BACKUP_CHECK_SECONDS)
        try:
            if backup.due():
                await asyncio.to_thread(backup.backup_now)
        except Exception as exc:  # noqa: BLE001 (a failed backup must not stop the next ones)
            print(f"backup failed: {exc}", flush=True)


app.register_lifespan_task(_backup_loop)
app.register_lifespan_task(sweep_loop)
app.register_lifespan_task(
    automation_worker.run_forever
)  # event rules, after their change committed  # jobs whose process died (a crash, a restart): interrupted


def _signed_in(on_load):
    """Every signed-in page checks the session on the server before its own loading."""
    return [SessionState.require_login, on_load] if on_load else [SessionState.require_login]


app.add_page(login_page, route=routes.LOGIN, title="CRM", on_load=LoginState.open_login)
app.add_page(
    lambda: rx.center(rx.spinner(), height="100vh"),
    route=routes.HOME,
    title="CRM",
    on_load=[SessionState.require_login, rx.redirect(routes.DASHBOARD)],
)
app.add_page(dashboard_page, route=routes.DASHBOARD, title="CRM", on_load=_signed_in(DashboardState.open))
app.add_page(calendar_page, route=routes.CALENDAR, title="CRM", on_load=_signed_in(CalendarState.open))
app.add_page(activities_page, route=routes.ACTIVITIES, title="CRM", on_load=_signed_in(ActivityListState.open_page))
app.add_page(customers_page, route=routes.CUSTOMERS, title="CRM", on_load=_signed_in(CustomerListState.open_page))
app.add_page(
    customer_products_page,
    route=routes.CUSTOMER_PRODUCTS,
    title="CRM",
    on_load=_signed_in(CustomerProductListState.open_page),
)
app.add_page(
    archive_page, route=routes.CUSTOMER_ARCHIVE, title="CRM", on_load=_signed_in(CustomerArchiveState.open_page)
)
app.add_page(customer_new_page, route=routes.CUSTOMER_NEW, title="CRM", on_load=_signed_in(CustomerFormState.open_new))
app.add_page(
    customer_edit_page, route=routes.CUSTOMER_EDIT, title="CRM", on_load=_signed_in(CustomerFormState.open_edit)
)
app.add_page(
    customer_detail_page, route=routes.CUSTOMER_DETAIL, title="CRM", on_load=_signed_in(CustomerDetailState.open)
)
app.add_page(campaigns_page, route=routes.CAMPAIGNS, title="CRM", on_load=_signed_in(CampaignListState.open_page))
app.add_page(campaign_page, route=routes.CAMPAIGN_DETAIL, title="CRM", on_load=_signed_in(CampaignPageState.open))
app.add_page(lookup_page, route=routes.LOOKUP, title="CRM", on_load=_signed_in(LookupState.open))
app.add_page(contacts_page, route=routes.CONTACTS, title="CRM", on_load=_signed_in(ContactListState.open_page))
app.add_page(contact_form_page, route=routes.CONTACT_NEW, title="CRM", on_load=_signed_in(ContactFormState.open))
app.add_page(contact_form_page, route=routes.CONTACT_EDIT, title="CRM", on_load=_signed_in(ContactFormState.open))
app.add_page(contact_detail_page, route=routes.CONTACT_DETAIL, title="CRM", on_load=_signed_in(ContactDetailState.open))
app.add_page(admin_users_page, route=routes.ADMIN_USERS, title="CRM", on_load=_signed_in(AdminState.open))
app.add_page(
    admin_sales_mail_page, route=routes.ADMIN_SALES_MAIL, title="CRM", on_load=_signed_in(CatalogAdminState.open)
)
app.add_page(system_history_page, route=routes.SYSTEM_HISTORY, title="CRM", on_load=_signed_in(SystemHistoryState.open))
app.add_page(leads_page, route=routes.LEADS, title="CRM", on_load=_signed_in(LeadListState.open_page))
app.add_page(lead_board_page, route=routes.LEAD_BOARD, title="CRM", on_load=_signed_in(LeadBoardState.open_board))
app.add_page(lead_form_page, route=routes.LEAD_NEW, title="CRM", on_load=_signed_in(LeadFormState.open))
app.add_page(lead_form_page, route=routes.LEAD_DETAIL, title="CRM", on_load=_signed_in(LeadFormState.open))
app.add_page(
    opportunities_page, route=routes.OPPORTUNITIES, title="CRM", on_load=_signed_in(OpportunityListState.open_page)
)
app.add_page(
    opportunity_board_page,
    route=routes.OPPORTUNITY_BOARD,
    title="CRM",
    on_load=_signed_in(OpportunityBoardState.open_board),
)
app.add_page(
    opportunity_form_page, route=routes.OPPORTUNITY_NEW, title="CRM", on_load=_signed_in(OpportunityFormState.open)
)
app.add_page(
    opportunity_form_page, route=routes.OPPORTUNITY_DETAIL, title="CRM", on_load=_signed_in(OpportunityFormState.open)
)
app.add_page(
    pipeline_admin_page, route=routes.ADMIN_PIPELINES, title="CRM", on_load=_signed_in(PipelineAdminState.open)
)
app.add_page(lists_page, route=routes.CUSTOMER_LISTS, title="CRM", on_load=_signed_in(RecordListsState.open))
app.add_page(custom_fields_page, route=routes.ADMIN_FIELDS, title="CRM", on_load=_signed_in(CustomFieldsState.open))
app.add_page(backups_page, route=routes.ADMIN_BACKUPS, title="CRM", on_load=_signed_in(BackupState.open))
app.add_page(
    export_rights_page, route=routes.ADMIN_EXPORT_RIGHTS, title="CRM", on_load=_signed_in(ExportRightsState.open)
)
app.add_page(automation_page, route=routes.ADMIN_AUTOMATION, title="CRM", on_load=_signed_in(AutomationState.open))
app.add_page(import_page, route=routes.IMPORT, title="CRM", on_load=_signed_in(ImportState.open))
app.add_page(duplicates_page, route=routes.DUPLICATES, title="CRM", on_load=_signed_in(DuplicatesState.open))

"""SQLModel tables, one module per aggregate. Importing this package registers them all."""

from crm_app.models import dialect_indexes  # noqa: F401  (every schema comparison follows it)
from crm_app.models.activity import Activity, ActivityDay, Note, Notification, Watcher
from crm_app.models.app_setting import AppSetting
from crm_app.models.attachment import StoredFile
from crm_app.models.audit import AuditLog
from crm_app.models.automation import AutomationEvent, AutomationRule, AutomationRun
from crm_app.models.campaign import Campaign, CampaignMember
from crm_app.models.catalog import CatalogItem, Tag
from crm_app.models.contact import Contact
from crm_app.models.custom_field import CustomField, CustomFieldValue
from crm_app.models.customer import Customer, CustomerPhone, CustomerTag
from crm_app.models.customer_product import CustomerProduct
from crm_app.models.id_counter import IdCounter
from crm_app.models.import_run import ImportRun, ImportRunItem, SavedMapping
from crm_app.models.job import Job
from crm_app.models.lead import Lead
from crm_app.models.mail import EmailMessage, EmailTemplate
from crm_app.models.pipeline import Opportunity, Pipeline, PipelineStage
from crm_app.models.record_list import RecordList, RecordListMember
from crm_app.models.record_tally import RecordTally
from crm_app.models.sales import Product, SalesDocument, SalesLine
from crm_app.models.search_keys import ContactNameKey, CustomerNameKey, NameWord
from crm_app.models.user import AuthSession, ExportRight, LoginThrottle, Team, TeamMember, User
from crm_app.models.view import ListView, ListViewDefault, ListViewOverride, SavedFilter

__all__ = [
    "Activity",
    "ActivityDay",
    "AppSetting",
    "AuditLog",
    "AuthSession",
    "AutomationEvent",
    "AutomationRule",
    "AutomationRun",
    "Campaign",
    "CampaignMember",
    "CatalogItem",
    "Contact",
    "ContactNameKey",
    "CustomField",
    "CustomFieldValue",
    "Customer",
    "CustomerNameKey",
    "CustomerPhone",
    "CustomerProduct",
    "CustomerTag",
    "EmailMessage",
    "EmailTemplate",
    "ExportRight",
    "IdCounter",
    "ImportRun",
    "ImportRunItem",
    "Job",
    "Lead",
    "ListView",
    "ListViewDefault",
    "ListViewOverride",
    "LoginThrottle",
    "NameWord",
    "Note",
    "Notification",
    "Opportunity",
    "Pipeline",
    "PipelineStage",
    "Product",
    "RecordList",
    "RecordListMember",
    "RecordTally",
    "SalesDocument",
    "SalesLine",
    "SavedFilter",
    "SavedMapping",
    "StoredFile",
    "Tag",
    "Team",
    "TeamMember",
    "User",
    "Watcher",
]

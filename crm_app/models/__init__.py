"""SQLModel tables, one module per aggregate. Importing this package registers them all."""

from crm_app.models.activity import Activity, Note, Notification, Watcher
from crm_app.models.attachment import StoredFile
from crm_app.models.audit import AuditLog
from crm_app.models.catalog import CatalogItem, Tag
from crm_app.models.contact import Contact
from crm_app.models.customer import Customer, CustomerPhone, CustomerTag
from crm_app.models.mail import EmailMessage, EmailTemplate
from crm_app.models.sales import Product, SalesDocument, SalesLine
from crm_app.models.lead import Lead
from crm_app.models.pipeline import Opportunity, Pipeline, PipelineStage
from crm_app.models.search_keys import ContactNameKey, CustomerNameKey, NameWord
from crm_app.models.user import AuthSession, LoginThrottle, Team, TeamMember, User

__all__ = [
    "Activity",
    "EmailMessage",
    "EmailTemplate",
    "Note",
    "Notification",
    "Product",
    "SalesDocument",
    "SalesLine",
    "StoredFile",
    "AuditLog",
    "AuthSession",
    "CatalogItem",
    "Contact",
    "ContactNameKey",
    "Customer",
    "CustomerNameKey",
    "CustomerPhone",
    "CustomerTag",
    "Lead",
    "LoginThrottle",
    "NameWord",
    "Opportunity",
    "Pipeline",
    "PipelineStage",
    "Tag",
    "Team",
    "TeamMember",
    "User",
    "Watcher",
]

"""SQLModel tables, one module per aggregate. Importing this package registers them all."""

from crm_app.models.audit import AuditLog
from crm_app.models.catalog import CatalogItem, Tag
from crm_app.models.contact import Contact
from crm_app.models.customer import Customer, CustomerPhone, CustomerTag
from crm_app.models.import_run import ImportRun, ImportRunItem, SavedMapping
from crm_app.models.search_keys import ContactNameKey, CustomerNameKey, NameWord
from crm_app.models.user import AuthSession, LoginThrottle, Team, TeamMember, User

__all__ = [
    "AuditLog",
    "AuthSession",
    "CatalogItem",
    "Contact",
    "ContactNameKey",
    "Customer",
    "CustomerNameKey",
    "CustomerPhone",
    "CustomerTag",
    "ImportRun",
    "ImportRunItem",
    "LoginThrottle",
    "NameWord",
    "SavedMapping",
    "Tag",
    "Team",
    "TeamMember",
    "User",
]

"""Every route of the app in one place, with URL helpers."""

LOGIN = "/login"
AUTH_LOGIN = "/auth/login"  # the login form's POST (crm_app.api): sets the session cookie
AUTH_LOGOUT = "/auth/logout"
HOME = "/"
CUSTOMERS = "/customers"
CUSTOMER_NEW = "/customers/new"
CUSTOMER_ARCHIVE = "/customers/archive"
CUSTOMER_DETAIL = "/customers/[customer_id]"
CUSTOMER_EDIT = "/customers/[customer_id]/edit"
CUSTOMER_PRODUCTS = "/customer-products"
CONTACTS = "/contacts"
CONTACT_NEW = "/contacts/new"
CONTACT_DETAIL = "/contacts/[contact_id]"
CONTACT_EDIT = "/contacts/[contact_id]/edit"
ADMIN_USERS = "/admin/users"
ADMIN_SALES_MAIL = "/admin/templates-products"
SYSTEM_HISTORY = "/history"
ADMIN_FIELDS = "/admin/fields"
ADMIN_BACKUPS = "/admin/backups"
ADMIN_EXPORT_RIGHTS = "/admin/export-rights"
ADMIN_AUTOMATION = "/admin/automation"
CUSTOMER_LISTS = "/lists"
LOOKUP = "/lookup"
CAMPAIGNS = "/campaigns"
CAMPAIGN_DETAIL = "/campaigns/[campaign_id]"
# the public link in a campaign's message (crm_app.api): /unsubscribe/<signed token>, no sign-in
UNSUBSCRIBE = "/unsubscribe"
IMPORT = "/import"


def import_url(entity: str) -> str:
    """The import wizard with the record type chosen."""
    return f"{IMPORT}?entity={entity}"


DUPLICATES = "/duplicates"


def merge_url(ids: list[str]) -> str:
    """The merge dialog opened on these customers (from a list's selection)."""
    return f"{DUPLICATES}?merge={','.join(ids)}"


def customer_url(customer_id: int | str) -> str:
    return f"{CUSTOMERS}/{customer_id}"


def customer_edit_url(customer_id: int | str) -> str:
    return f"{CUSTOMERS}/{customer_id}/edit"


def contact_url(contact_id: int | str) -> str:
    return f"{CONTACTS}/{contact_id}"


def contact_edit_url(contact_id: int | str) -> str:
    return f"{CONTACTS}/{contact_id}/edit"


OPPORTUNITIES = "/opportunities"
OPPORTUNITY_BOARD = "/opportunities/board"
OPPORTUNITY_NEW = "/opportunities/new"
OPPORTUNITY_DETAIL = "/opportunities/[opportunity_id]"
LEADS = "/leads"
LEAD_BOARD = "/leads/board"
LEAD_NEW = "/leads/new"
LEAD_DETAIL = "/leads/[lead_id]"
ADMIN_PIPELINES = "/admin/pipelines"


def campaign_url(campaign_id: int | str) -> str:
    return f"{CAMPAIGNS}/{campaign_id}"


def opportunity_url(opp_id: int | str) -> str:
    return f"{OPPORTUNITIES}/{opp_id}"


def lead_url(lead_id: int | str) -> str:
    return f"{LEADS}/{lead_id}"


def record_url(entity: str, record_id: int | str) -> str:
    """The page of one customer, contact, lead or deal ("" for a kind of record without one)."""
    pages = {"customer": customer_url, "contact": contact_url, "lead": lead_url, "opportunity": opportunity_url}
    return pages[entity](record_id) if entity in pages else ""


DASHBOARD = "/dashboard"
CALENDAR = "/calendar"
ACTIVITIES = "/activities"


def list_members_url(entity: str, list_id: int | str) -> str:
    """The list page of a kind of record showing the members of one static list."""
    return f"{ {'customer': CUSTOMERS, 'contact': CONTACTS, 'activity': ACTIVITIES}[entity] }?list={list_id}"


def in_app(link: str | None) -> bool:
    """Whether a link stays inside the app: a path of its own, never another site
    ("//evil.example/x", "/\\evil.example", "https://…", "javascript:…")."""
    link = link or ""
    return link.startswith("/") and not link.startswith(("//", "/\\")) and not any(ch in link for ch in "\r\n\t")

"""Every route of the app in one place, with URL helpers."""

LOGIN = "/login"
HOME = "/"
CUSTOMERS = "/customers"
CUSTOMER_NEW = "/customers/new"
CUSTOMER_ARCHIVE = "/customers/archive"
CUSTOMER_DETAIL = "/customers/[customer_id]"
CUSTOMER_EDIT = "/customers/[customer_id]/edit"
CONTACTS = "/contacts"
CONTACT_NEW = "/contacts/new"
CONTACT_EDIT = "/contacts/[contact_id]"
ADMIN_USERS = "/admin/users"
IMPORT = "/import"
DUPLICATES = "/duplicates"


def customer_url(customer_id: int | str) -> str:
    return f"{CUSTOMERS}/{customer_id}"


def customer_edit_url(customer_id: int | str) -> str:
    return f"{CUSTOMERS}/{customer_id}/edit"


def contact_url(contact_id: int | str) -> str:
    return f"{CONTACTS}/{contact_id}"

"""The fields of each list entity: what a column, a sort or (later) a filter may name.

A list spec may only name fields registered here; anything else is refused, so
no user value ever reaches SQL as an identifier.
"""

from __future__ import annotations

from dataclasses import dataclass

from crm_app.models import Activity, Contact, Customer, Lead, Opportunity


@dataclass(frozen=True)
class FieldDef:
    name: str
    type: str  # text, choice, date, datetime, number, money, bool, user, catalog, customer, contact, stage,
    #          pipeline, tags, activity_type (a code of that catalog)
    sort_column: str | None = None  # the model column that orders it (None: not sortable)
    choices: str | None = None  # message-key prefix for choice labels, e.g. "kind."

    @property
    def sortable(self) -> bool:
        return self.sort_column is not None


@dataclass(frozen=True)
class EntityDef:
    name: str
    model: type
    fields: tuple[FieldDef, ...]
    default_columns: tuple[str, ...]
    default_sort: tuple[str, bool]  # (field, descending)

    def field(self, name: str) -> FieldDef | None:
        return next((f for f in self.fields if f.name == name), None)


CUSTOMER = EntityDef(
    name="customer",
    model=Customer,
    fields=(
        FieldDef("code", "text", "id"),
        FieldDef("full_name", "text", "name_norm"),
        FieldDef("kind", "choice", "kind", choices="kind."),
        FieldDef("status", "choice", "status", choices="status."),
        FieldDef("phone", "text", "phone_norm"),
        FieldDef("email", "text", "email_norm"),
        FieldDef("province", "text", "province"),
        FieldDef("country", "text", "country"),
        FieldDef("address", "text"),
        FieldDef("tax_code", "text", "tax_code"),
        FieldDef("website", "text"),
        FieldDef("birthday", "date", "birthday"),
        FieldDef("gender", "choice", "gender", choices="gender."),
        FieldDef("category_id", "catalog", "category_id"),
        FieldDef("source_id", "catalog", "source_id"),
        FieldDef("owner_id", "user", "owner_id"),
        FieldDef("assigned_to_id", "customer"),
        FieldDef("tags", "tags"),
        FieldDef("rating", "number", "rating"),
        FieldDef("email_opt_out", "bool"),
        FieldDef("do_not_call", "bool"),
        FieldDef("last_purchase_at", "date", "last_purchase_at"),
        FieldDef("created_at", "datetime", "created_at"),
        FieldDef("updated_at", "datetime", "updated_at"),
    ),
    default_columns=("code", "full_name", "kind", "status", "phone", "email", "province", "owner_id", "updated_at"),
    default_sort=("code", True),
)

CONTACT = EntityDef(
    name="contact",
    model=Contact,
    fields=(
        FieldDef("full_name", "text", "name_norm"),
        FieldDef("customer_id", "customer"),
        FieldDef("title", "text", "title"),
        FieldDef("email", "text", "email_norm"),
        FieldDef("phone", "text", "phone_norm"),
        FieldDef("mobile", "text", "mobile_norm"),
        FieldDef("owner_id", "user", "owner_id"),
        FieldDef("reports_to_id", "contact"),
        FieldDef("rating", "number", "rating"),
        FieldDef("email_opt_out", "bool"),
        FieldDef("do_not_call", "bool"),
        FieldDef("portal_access", "bool"),
        FieldDef("support_start", "date", "support_start"),
        FieldDef("support_end", "date", "support_end"),
        FieldDef("created_at", "datetime", "created_at"),
        FieldDef("updated_at", "datetime", "updated_at"),
    ),
    default_columns=("full_name", "customer_id", "title", "phone", "mobile", "email", "owner_id", "updated_at"),
    default_sort=("full_name", False),
)

LEAD = EntityDef(
    name="lead",
    model=Lead,
    fields=(
        FieldDef("full_name", "text", "name_norm"),
        FieldDef("kind", "choice", "kind", choices="lead_kind."),
        FieldDef("company", "text", "company"),
        FieldDef("title", "text", "title"),
        FieldDef("phone", "text", "phone_norm"),
        FieldDef("mobile", "text", "mobile_norm"),
        FieldDef("email", "text", "email_norm"),
        FieldDef("province", "text", "province"),
        FieldDef("source_id", "catalog", "source_id"),
        FieldDef("status", "choice", "status", choices="lead_status."),
        FieldDef("rating", "number", "rating"),
        FieldDef("value", "money", "value"),
        FieldDef("owner_id", "user", "owner_id"),
        FieldDef("converted_customer_id", "customer"),
        FieldDef("converted_at", "datetime", "converted_at"),
        FieldDef("created_at", "datetime", "created_at"),
        FieldDef("updated_at", "datetime", "updated_at"),
    ),
    default_columns=("full_name", "company", "phone", "source_id", "status", "value", "owner_id"),
    default_sort=("created_at", True),
)

OPPORTUNITY = EntityDef(
    name="opportunity",
    model=Opportunity,
    fields=(
        FieldDef("name", "text", "name_norm"),
        FieldDef("customer_id", "customer"),
        FieldDef("contact_id", "contact"),
        FieldDef("value", "money", "value"),
        FieldDef("probability", "number", "probability"),
        FieldDef("expected_close", "date", "expected_close"),
        FieldDef("pipeline_id", "pipeline", "pipeline_id"),
        FieldDef("stage_id", "stage", "stage_id"),
        FieldDef("lost_reason_id", "catalog", "lost_reason_id"),
        FieldDef("owner_id", "user", "owner_id"),
        FieldDef("closed_at", "datetime", "closed_at"),
        FieldDef("created_at", "datetime", "created_at"),
        FieldDef("updated_at", "datetime", "updated_at"),
    ),
    default_columns=("name", "customer_id", "value", "probability", "expected_close", "stage_id", "owner_id",
                     "updated_at"),
    default_sort=("updated_at", True),
)

ACTIVITY = EntityDef(
    name="activity",
    model=Activity,
    fields=(
        FieldDef("at", "datetime", "at"),
        FieldDef("type_code", "activity_type"),
        FieldDef("subject", "text", "name_norm"),
        FieldDef("customer_id", "customer"),
        FieldDef("status", "choice", choices="act.status."),
        FieldDef("due_at", "datetime", "due_at"),
        FieldDef("assignee_id", "user"),
        FieldDef("created_by_id", "user"),
        FieldDef("owner_id", "user"),
        FieldDef("content", "text"),
        FieldDef("updated_at", "datetime"),
    ),
    default_columns=("at", "type_code", "subject", "customer_id", "status", "due_at", "assignee_id"),
    default_sort=("at", True),
)

ENTITIES: dict[str, EntityDef] = {e.name: e for e in (CUSTOMER, CONTACT, LEAD, OPPORTUNITY, ACTIVITY)}

"""Where each field of a form sits: the sections of every entity's form, in order.

What a field is — its label, its type and so its control, whether it is required, its hint — is
said once in the registry (fields.py); a form page renders these sections with
``components.form.FormKit.sections``, giving its own control only where one needs the page (a
record picker, the stage of a deal). A section without a title holds the wide fields (a note),
shown under the others and the admin's custom fields.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FormSection:
    title_key: str  # "" for the wide fields under the others
    fields: tuple[str, ...]


FORMS: dict[str, tuple[FormSection, ...]] = {
    "customer": (
        FormSection("customers.section_main", ("full_name", "kind", "status", "birthday", "gender", "tax_code")),
        FormSection(
            "customers.section_contact", ("phones", "email", "website", "country", "province", "ward", "address")
        ),
        FormSection(
            "customers.section_sales", ("category_id", "source_id", "owner_id", "assigned_to_id", "tags", "rating")
        ),
        FormSection("customers.section_prefs", ("email_opt_out", "do_not_call", "notify_on_change")),
        FormSection("", ("description",)),
    ),
    "contact": (
        FormSection(
            "customers.section_main",
            ("full_name", "customer_id", "title", "email", "phone", "mobile", "province", "ward"),
        ),
        FormSection("customers.section_sales", ("owner_id", "reports_to_id", "rating")),
        FormSection("customers.section_prefs", ("email_opt_out", "do_not_call", "reference_only", "notify_on_change")),
        FormSection("contacts.section_portal", ("portal_access", "support_start", "support_end")),
        FormSection("", ("description",)),
    ),
    "lead": (
        FormSection(
            "leads.section_main",
            ("kind", "full_name", "company", "title", "phone", "mobile", "province", "ward", "email"),
        ),
        FormSection("leads.section_sales", ("source_id", "owner_id", "status", "rating", "value")),
        FormSection("", ("description",)),
    ),
    "opportunity": (
        FormSection(
            "leads.section_sales",
            ("name", "customer_id", "contact_id", "value", "probability", "expected_close", "owner_id"),
        ),
        FormSection("field.stage_id", ("pipeline_id", "stage_id", "lost_reason_id")),
        FormSection("", ("description",)),
    ),
}


def form_fields(entity: str) -> tuple[str, ...]:
    """Every field the entity's form shows, in order."""
    return tuple(name for s in FORMS[entity] for name in s.fields)

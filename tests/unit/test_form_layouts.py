"""Forms come from the registry: every field a form sends sits in one section of its entity's
layout, every field of a layout is a registry field, and each one the page does not give its own
control gets one from its type."""

from __future__ import annotations

import pytest

from crm_app.components.form import FormKit
from crm_app.services.customer import contacts, customers
from crm_app.services.pipeline import leads, opportunities
from crm_app.services.records.fields import ENTITIES
from crm_app.services.records.form_layouts import FORMS, form_fields
from crm_app.state.contacts import ContactFormState
from crm_app.state.customer_form import CustomerFormState
from crm_app.state.leads import LeadFormState
from crm_app.state.opportunities import OpportunityFormState

SERVICES = {"customer": customers, "contact": contacts, "lead": leads, "opportunity": opportunities}
STATES = {
    "customer": CustomerFormState,
    "contact": ContactFormState,
    "lead": LeadFormState,
    "opportunity": OpportunityFormState,
}
# Chosen on the page (a record picker, a deal's pipeline and stage, the reason of a lost deal)
PAGE_CONTROLS = {"customer", "contact", "pipeline", "stage"}
STAGE_FIELDS = {"pipeline_id", "stage_id", "lost_reason_id"}  # a deal's own, moved by its stage rules


@pytest.mark.parametrize("entity", sorted(FORMS))
def test_every_form_field_sits_once_in_the_layout_and_the_registry(entity):
    shown = form_fields(entity)
    assert len(shown) == len(set(shown)), "a field in two sections"
    registry = ENTITIES[entity]
    assert [n for n in shown if registry.field(n) is None] == []
    sent = set(SERVICES[entity].FORM_FIELDS)
    assert sent - set(shown) == set(), "a field the form sends but does not show"
    assert set(shown) - sent - STAGE_FIELDS == set(), "a field shown but not saved"


@pytest.mark.parametrize("entity", sorted(FORMS))
def test_each_field_gets_its_control_from_its_type(entity):
    kit = FormKit(STATES[entity])
    registry = ENTITIES[entity]
    for name in form_fields(entity):
        f = registry.field(name)
        if f.type in PAGE_CONTROLS:
            with pytest.raises(ValueError):
                kit.field(f)
            continue
        rendered = str(kit.field(f).render())
        assert f"field-{name}" in rendered, name
        if f.required:
            assert '" *"' in rendered or "*" in rendered, name


def test_required_fields_are_those_the_cleaners_require():
    assert [f.name for f in ENTITIES["customer"].fields if f.required] == ["full_name", "kind", "status", "owner_id"]
    assert [f.name for f in ENTITIES["opportunity"].fields if f.required] == ["name", "owner_id"]

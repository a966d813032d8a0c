"""The choices of a field edited in place on a record's page: the owner lists the users the actor
may give the record to, the present owner chosen, with no empty choice (a field that must have a
value offers none); a field that may be empty offers one first."""

from contextlib import contextmanager

import pytest
from reflex.state import State

from crm_app.services.lists import query
from crm_app.state.customer_detail import CustomerDetailState
from crm_app.state.off_loop import BODY
from crm_app.state.session import SessionState
from tests.unit.factories import default_catalogs, make_customer, make_org


@pytest.fixture
def org(session):
    default_catalogs(session)
    return make_org(session)


def _start_edit(session, actor, monkeypatch, customer_id: int, name: str) -> CustomerDetailState:
    @contextmanager
    def service(_state):
        yield session, actor

    monkeypatch.setattr(SessionState, "_service", service)
    page = State(_reflex_internal_init=True).get_substate(CustomerDetailState.get_full_name().split("."))
    page.customer_id, page.can_edit = customer_id, True
    getattr(type(page).event_handlers["start_edit"].fn, BODY)(page, name)  # the handler's own work
    return page


def test_the_owner_lists_the_assignable_users_and_no_empty_choice(session, org, monkeypatch):
    customer = make_customer(session, org.sales_a, "Khách của A")
    page = _start_edit(session, org.manager, monkeypatch, customer.id, "owner_id")
    assert page.edit_value == str(org.sales_a.id)
    assert page.edit_options == query.assignable_options(session, org.manager, org.sales_a.id)
    assert {int(v) for v, _ in page.edit_options} == {org.manager.id, org.sales_a.id, org.sales_b.id}
    # a salesperson: herself alone
    page = _start_edit(session, org.sales_a, monkeypatch, customer.id, "owner_id")
    assert page.edit_options == [[str(org.sales_a.id), "Sales A"]]


def test_a_required_choice_offers_no_empty_value_and_an_optional_one_does(session, org, monkeypatch):
    customer = make_customer(session, org.sales_a, "Khách của A")
    status = _start_edit(session, org.sales_a, monkeypatch, customer.id, "status")
    assert status.edit_options and "" not in [v for v, _ in status.edit_options]
    gender = _start_edit(session, org.sales_a, monkeypatch, customer.id, "gender")
    assert gender.edit_options[0] == ["", "— Không chọn —"]

"""Forged events on the contact page: a sales user's page state holding another's contact (and
even its company) gets every handler refused, and nothing is written."""

from contextlib import contextmanager

import pytest
from reflex.state import State

from crm_app.models import Activity, AuditLog, EmailMessage, Note
from crm_app.services.errors import NotAllowed, ServiceError
from crm_app.state.contact_detail import (
    ContactActivityState,
    ContactDetailState,
    ContactFileState,
    ContactHistoryState,
    ContactMailState,
    ContactNoteState,
)
from crm_app.state.off_loop import BODY
from crm_app.state.session import SessionState
from tests.unit.factories import count, make_contact, make_customer


@pytest.fixture
def theirs(session, org):
    company = make_customer(session, org.sales_a, "Công ty Du lịch Hải Âu", kind="business", email="a@haiau.vn")
    return make_contact(session, org.sales_a, "Quách Thị Ngân", customer_id=company.id, email="ngan@haiau.vn")


@pytest.fixture
def as_sales_b(session, org, monkeypatch):
    """Handlers run as sales B, with the test's session."""

    @contextmanager
    def service(_state):
        yield session, org.sales_b

    monkeypatch.setattr(SessionState, "_service", service)


def _page(state_cls, contact, with_company: bool):
    """The page state of ``state_cls`` holding the contact, as a forged event would find it."""
    root = State(_reflex_internal_init=True)
    state = root.get_substate(state_cls.get_full_name().split("."))
    page = root.get_substate(ContactDetailState.get_full_name().split("."))
    page.contact_id = contact.id
    if with_company:  # the worst a forged state could hold: the company, and leave to edit
        page.home_customer_id, page.home_contact_id = contact.customer_id, contact.id
        page.can_edit = True
    return state


def _run(state, name: str, *args):
    return getattr(type(state).event_handlers[name].fn, BODY)(state, *args)


@pytest.mark.parametrize("with_company", [False, True])
@pytest.mark.parametrize(
    "state_cls, name, args, prepare",
    [
        (ContactDetailState, "start_edit", ("title",), None),
        (ContactDetailState, "save_edit", (), {"edit_field": "title", "edit_value": "Chen vào"}),
        (ContactNoteState, "load", (), None),
        (ContactNoteState, "save", (), {"draft": "Ghi chú lạ"}),
        (ContactActivityState, "load", (), None),
        (ContactActivityState, "save", (), {"values": {"type_code": "call", "subject": "Gọi lạ"}}),
        (ContactMailState, "load", (), None),
        (ContactMailState, "send", (), {"values": {"template_id": "", "subject": "A", "body": "B"}}),
        (ContactFileState, "load", (), None),
        (ContactHistoryState, "load", (), None),
    ],
)
def test_every_handler_refuses_another_users_contact(
    session, org, theirs, as_sales_b, state_cls, name, args, prepare, with_company
):
    state = _page(state_cls, theirs, with_company)
    for var, value in (prepare or {}).items():
        setattr(state, var, value)
    try:
        _run(state, name, *args)
        # no company held: the dialog asks for one; no leave to edit: the Overview does nothing
        refused = (name == "save" and "customer_id" in state.errors) or (
            name in ("start_edit", "save_edit") and not state.can_edit
        )
    except (NotAllowed, ServiceError):
        refused = True
    assert refused
    session.rollback()
    assert (count(session, Note), count(session, Activity), count(session, EmailMessage)) == (0, 0, 0)
    assert not session.exec(AuditLog.__table__.select().where(AuditLog.user_id == org.sales_b.id)).all()
    assert session.get(type(theirs), theirs.id).title == ""


def test_the_owner_s_note_from_the_contact_page_names_the_contact(session, org, theirs, monkeypatch):
    """The same handler for the contact's owner: the note goes to its company, naming it."""

    @contextmanager
    def service(_state):
        yield session, org.sales_a

    monkeypatch.setattr(SessionState, "_service", service)
    state = _page(ContactNoteState, theirs, with_company=True)
    state.draft = "Chị Ngân thích biển"
    _run(state, "save")
    [note] = session.exec(Note.__table__.select()).all()
    assert (note.customer_id, note.contact_id, note.body) == (theirs.customer_id, theirs.id, "Chị Ngân thích biển")
    assert [n["body"] for n in state.notes] == ["Chị Ngân thích biển"]

"""What the activity dialog and the owner pickers offer agrees with what the services allow: a
task's assignee changes its status and its date alone; a picker lists only the people the user
may give a record to (sales: themselves, whatever the team sharing)."""

from contextlib import contextmanager

import pytest
from reflex.state import State

from crm_app.models import Activity
from crm_app.models._base import utcnow
from crm_app.services.errors import NotAllowed
from crm_app.services.lists import query
from crm_app.services.people import team_sharing
from crm_app.services.people.permissions import check_owner_assignment
from crm_app.services.work import activities
from crm_app.state.customer_activities import ActivityState
from crm_app.state.customer_detail import CustomerDetailState
from crm_app.state.customer_mail import MailState
from crm_app.state.off_loop import BODY
from crm_app.state.session import SessionState
from tests.unit.factories import actor_of, default_catalogs, make_customer, make_org, make_task, reloaded


@pytest.fixture
def org(session):
    default_catalogs(session)
    return make_org(session)


def _share(session, org, mode):
    team_sharing.set_mode(session, org.admin, mode)
    session.commit()
    return actor_of(session, org.sales_a.id)


def test_rights_on_an_activity(session, org):
    theirs = make_customer(session, org.sales_b, "Khách của B")
    task = make_task(session, org.manager, theirs.id, org.sales_a.id)
    assert activities.rights(session, org.sales_a, task) == activities.STATUS  # assigned, customer not hers
    assert activities.rights(session, org.sales_b, task) == activities.ALL  # her customer
    assert activities.rights(session, org.manager, task) == activities.ALL
    assert activities.rights(session, _share(session, org, "edit"), task) == activities.ALL
    other = make_task(session, org.manager, theirs.id, org.sales_b.id, "Gửi hợp đồng")
    assert activities.rights(session, _share(session, org, "read"), other) == activities.NOTHING


def test_the_assignee_changes_no_other_field_and_never_deletes(session, org):
    theirs = make_customer(session, org.sales_b, "Khách của B")
    task = make_task(session, org.manager, theirs.id, org.sales_a.id)
    with pytest.raises(NotAllowed) as refused:
        activities.update(session, org.sales_a, task.id, {"subject": "Đổi tiêu đề"})
    assert refused.value.key == "err.assignee_status_date_only"
    with pytest.raises(NotAllowed):
        activities.delete(session, org.sales_a, task.id)
    session.rollback()
    activities.update(session, org.sales_a, task.id, {"status": "done"})
    session.commit()
    stored = reloaded(session, Activity, task.id)
    assert (stored.status, stored.subject) == ("done", "Gọi lại báo giá")


def test_a_read_only_activity_is_refused_as_read_only(session, org):
    theirs = make_customer(session, org.sales_b, "Khách của B")
    task = make_task(session, org.manager, theirs.id, org.sales_b.id)
    sales_a = _share(session, org, "read")
    with pytest.raises(NotAllowed) as refused:
        activities.update(session, sales_a, task.id, {"status": "done"})
    assert refused.value.key == "err.read_only_record"
    session.rollback()
    assert reloaded(session, Activity, task.id).status == "planned"


@pytest.mark.parametrize("mode", ["off", "read", "edit"])
def test_a_salesperson_is_offered_themselves_only(session, org, mode):
    sales_a = _share(session, org, mode)
    offered = query.assignable_options(session, sales_a)
    assert offered == [[str(sales_a.id), sales_a.full_name]]
    # every other user the picker leaves out is refused by the server too
    for user in (org.sales_b, org.manager, org.admin):
        with pytest.raises(NotAllowed):
            check_owner_assignment(sales_a, user.id)
    # a teammate's editable record keeps its owner on the form (keeping it is no change)
    kept = query.assignable_options(session, sales_a, str(org.sales_b.id))
    assert {i for i, _ in kept} == {str(sales_a.id), str(org.sales_b.id)}


def test_a_manager_is_offered_their_team_and_an_admin_everyone(session, org):
    offered = {int(i) for i, _ in query.assignable_options(session, org.manager)}
    assert offered == {org.manager.id, org.sales_a.id, org.sales_b.id}
    for user_id in offered:
        check_owner_assignment(org.manager, user_id)
    with pytest.raises(NotAllowed):
        check_owner_assignment(org.manager, org.other_sales.id)
    everyone = {int(i) for i, _ in query.assignable_options(session, org.admin)}
    assert {org.other_sales.id, org.other_manager.id, org.sales_a.id} <= everyone


def test_a_task_for_a_teammate_is_refused_to_a_salesperson_even_when_shared(session, org):
    sales_a = _share(session, org, "edit")
    theirs = make_customer(session, org.sales_b, "Khách của B")
    with pytest.raises(NotAllowed) as refused:
        activities.create(
            session,
            sales_a,
            theirs.id,
            {"type_code": "task", "subject": "Gọi", "assignee_id": org.sales_b.id, "due_at": utcnow()},
        )
    assert refused.value.key == "err.owner_not_allowed"


def test_the_assignee_reads_the_customers_name_only(session, org):
    theirs = make_customer(session, org.sales_b, "Khách của B")
    task = make_task(session, org.manager, theirs.id, org.sales_a.id)
    assert activities.customer_label(session, task) == f"Khách của B ({theirs.code})"


@pytest.mark.parametrize(("mode", "editable"), [("read", False), ("edit", True)])
def test_the_follow_ups_and_tasks_of_a_shared_customer_follow_its_rights(session, org, monkeypatch, mode, editable):
    """The tab's state mixes in a form (a can_edit of its own): it takes the page's on loading."""
    theirs = make_customer(session, org.sales_b, "Khách của B")
    task = make_task(session, org.manager, theirs.id, org.sales_a.id)
    sales_a = _share(session, org, mode)

    @contextmanager
    def service(_state):
        yield session, sales_a

    monkeypatch.setattr(SessionState, "_service", service)
    root = State(_reflex_internal_init=True)
    root.get_substate(CustomerDetailState.get_full_name().split(".")).customer_id = theirs.id
    for state_cls in (ActivityState, MailState):
        state = root.get_substate(state_cls.get_full_name().split("."))
        getattr(type(state).event_handlers["load"].fn, BODY)(state)
        assert state.can_edit is editable, state_cls
    tasks = root.get_substate(ActivityState.get_full_name().split(".")).tasks
    assert [(t["id"], t["access"]) for t in tasks] == [(str(task.id), "all" if editable else "status")]

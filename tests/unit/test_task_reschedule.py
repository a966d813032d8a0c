"""The assignee of a task reschedules it (the calendar's drop moves its due time) without owning
the customer, with its history; nothing else of it, and nobody else who may not change it. The
calendar offers a drag exactly on what the server lets the user move."""

from datetime import timedelta

import pytest

from crm_app.models import Activity
from crm_app.models._base import utcnow
from crm_app.services.errors import NotAllowed
from crm_app.services.people import team_sharing
from crm_app.services.people.work_scope import local_date
from crm_app.services.work import activities, calendar
from tests.unit.factories import actor_of, changes, default_catalogs, make_customer, make_org, make_task, reloaded


@pytest.fixture
def org(session):
    default_catalogs(session)
    return make_org(session)


def test_the_assignee_moves_her_task_on_someone_elses_customer(session, org):
    theirs = make_customer(session, org.sales_b, "Khách của B")
    task = make_task(session, org.manager, theirs.id, org.sales_a.id, "Gửi báo giá tour Huế")
    due, at = task.due_at, task.at
    target = local_date(due) + timedelta(days=3)

    activities.reschedule(session, org.sales_a, task.id, target.isoformat())
    session.commit()
    stored = reloaded(session, Activity, task.id)
    assert stored.due_at == due + timedelta(days=3)  # the same time of day, three days on
    assert (stored.at, stored.subject, stored.assignee_id) == (at, "Gửi báo giá tour Huế", org.sales_a.id)
    assert set(changes(session, "activity", task.id, "update")) == {"due_at"}
    # her dialog may set the due time too, not the time it was written
    activities.update(session, org.sales_a, task.id, {"due_at": due + timedelta(days=5)})
    session.commit()
    with pytest.raises(NotAllowed) as refused:
        activities.update(session, org.sales_a, task.id, {"at": at + timedelta(days=1)})
    assert refused.value.key == "err.assignee_status_date_only"
    session.rollback()
    assert reloaded(session, Activity, task.id).at == at


def test_who_is_neither_assignee_nor_allowed_to_change_the_customer_moves_nothing(session, org):
    theirs = make_customer(session, org.sales_b, "Khách của B")
    task = make_task(session, org.manager, theirs.id, org.sales_b.id)
    due = task.due_at
    day = (local_date(due) + timedelta(days=1)).isoformat()
    with pytest.raises(NotAllowed):  # another team's salesperson does not even see it
        activities.reschedule(session, org.other_sales, task.id, day)
    session.rollback()
    team_sharing.set_mode(session, org.admin, "read")
    session.commit()
    teammate = actor_of(session, org.sales_a.id)  # sees the team's records, changes none
    with pytest.raises(NotAllowed) as refused:
        activities.reschedule(session, teammate, task.id, day)
    assert refused.value.key == "err.read_only_record"
    session.rollback()
    assert reloaded(session, Activity, task.id).due_at == due


def test_the_calendar_offers_the_drag_where_the_server_allows_the_move(session, org):
    theirs = make_customer(session, org.sales_b, "Khách của B")
    hers = make_task(session, org.manager, theirs.id, org.sales_a.id, "Việc giao cho A")
    not_hers = make_task(session, org.manager, theirs.id, org.sales_b.id, "Việc của B")
    team_sharing.set_mode(session, org.admin, "read")
    session.commit()
    today = local_date(utcnow())
    first, end = today - timedelta(days=2), today + timedelta(days=2)

    def movable(actor) -> dict[int, bool]:
        return {i.id: i.movable for i in calendar.items(session, actor, first, end)}

    assert movable(actor_of(session, org.sales_a.id)) == {hers.id: True, not_hers.id: False}
    assert movable(org.sales_b) == {hers.id: True, not_hers.id: True}  # her customer
    assert movable(org.manager) == {hers.id: True, not_hers.id: True}

"""Bulk actions on activities: mark done, change the assignee, delete, add to a list — through the
activity service (rights, the customer's History tab), skipping what the user may not change."""

from __future__ import annotations

import pytest
from sqlmodel import select

from crm_app.models import Activity, AuditLog, Notification
from crm_app.services.errors import NotAllowed, ValidationFailed
from crm_app.services.lists import bulk, record_lists
from crm_app.services.lists.bulk import Action, Selection
from crm_app.services.lists.filters import BadSpec
from crm_app.services.lists.query import ListSpec
from crm_app.services.work import activities
from tests.unit.factories import default_catalogs, make_customer, make_org


@pytest.fixture
def org(session):
    default_catalogs(session)
    return make_org(session)


@pytest.fixture
def tasks(session, org):
    """Two open tasks on sales A's customer, one on the other team's."""
    mine = make_customer(session, org.sales_a, "Khách Việc A")
    theirs = make_customer(session, org.other_sales, "Khách Việc X")

    def task(actor, customer, subject):
        data = {"type_code": "task", "subject": subject, "status": "planned", "assignee_id": actor.id}
        return activities.create(session, actor, customer.id, {**data, "due_at": "2026-12-10T09:00"}).id

    made = {
        "a1": task(org.sales_a, mine, "Gọi báo giá"),
        "a2": task(org.sales_a, mine, "Gửi hợp đồng"),
        "x1": task(org.other_sales, theirs, "Việc nhóm khác"),
    }
    session.commit()
    return made, mine.id


def run(session, actor, ids, **action):
    return bulk.run(session, actor, "activity", Selection(ids=list(ids)), Action(**action))


def test_marking_done_changes_the_open_ones_and_skips_another_teams(session, org, tasks):
    ids, customer_id = tasks
    result = run(session, org.sales_a, ids.values(), kind="mark_done")
    assert (result.changed, result.unchanged, result.skipped) == (2, 0, 1)
    status = dict(session.exec(select(Activity.id, Activity.status)).all())
    assert (status[ids["a1"]], status[ids["a2"]], status[ids["x1"]]) == ("done", "done", "planned")
    rows = session.exec(select(AuditLog).where(AuditLog.field == "status", AuditLog.action == "update")).all()
    assert {(r.root_entity, r.root_id) for r in rows} == {("customer", customer_id)}  # on its History tab
    again = run(session, org.sales_a, [ids["a1"]], kind="mark_done")
    assert (again.changed, again.unchanged) == (0, 1)


def test_a_new_assignee_is_told_and_must_be_someone_the_user_may_assign(session, org, tasks):
    ids, _ = tasks
    with pytest.raises(NotAllowed):  # a salesperson gives tasks to no one else (as one by one)
        run(session, org.sales_a, [ids["a1"]], kind="change_assignee", value=str(org.sales_b.id))
    result = run(session, org.manager, [ids["a1"], ids["a2"]], kind="change_assignee", value=str(org.sales_b.id))
    assert result.changed == 2
    assert {a.assignee_id for a in session.exec(select(Activity).where(Activity.id.in_([ids["a1"], ids["a2"]])))} == {
        org.sales_b.id
    }
    assert len(session.exec(select(Notification).where(Notification.user_id == org.sales_b.id)).all()) == 2
    with pytest.raises(ValidationFailed):
        run(session, org.sales_a, [ids["a1"]], kind="change_assignee", value="nobody")


def test_deleting_removes_them_with_their_history(session, org, tasks):
    ids, _ = tasks
    result = run(session, org.sales_a, ids.values(), kind="delete")
    assert (result.changed, result.skipped) == (2, 1)
    left = set(session.exec(select(Activity.id)).all())
    assert left == {ids["x1"]}
    deleted = session.exec(select(AuditLog).where(AuditLog.action == "delete", AuditLog.field == "subject")).all()
    assert {r.old_value for r in deleted} == {"Gọi báo giá", "Gửi hợp đồng"}


def test_every_matching_activity_goes_on_a_list_of_activities(session, org, tasks):
    calls = record_lists.create(session, org.sales_a, "activity", {"name": "Việc tuần này"})
    spec = ListSpec(entity="activity", search="gui hop dong")
    result = bulk.run(session, org.sales_a, "activity", Selection(spec=spec), Action("add_to_list", value=calls.id))
    assert result.total == 1
    listed = ListSpec(entity="activity", filter={"op": "and", "items": [_in_list(calls.id)]})
    assert bulk.query.count(session, org.sales_a, listed) == 1


def _in_list(list_id: int) -> dict:
    return {"field": "lists", "operator": "any_of", "value": [str(list_id)]}


def test_activity_actions_are_for_activities_only(session, org, tasks):
    ids, _ = tasks
    with pytest.raises(BadSpec):
        bulk.run(session, org.manager, "customer", Selection(ids=[1]), Action("delete"))
    with pytest.raises(BadSpec):
        run(session, org.manager, ids.values(), kind="archive")
    with pytest.raises(NotAllowed):  # another's list
        run(session, org.sales_a, ids.values(), kind="add_to_list", value=424242)

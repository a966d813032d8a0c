"""Records shared with the team (off / read-only / editable): who reads and who writes; an activity
seen by its assignee; static lists shared like views."""

from datetime import timedelta

import pytest

from crm_app.models import Activity, AppSetting, Customer, Opportunity, RecordList
from crm_app.models._base import utcnow
from crm_app.services.customer import customers, notes
from crm_app.services.errors import NotAllowed, ValidationFailed
from crm_app.services.lists import bulk, query, record_lists
from crm_app.services.lists.bulk import Action, Selection
from crm_app.services.people import team_sharing
from crm_app.services.people.work_scope import local_today
from crm_app.services.pipeline import opportunities, pipelines
from crm_app.services.transfer import import_targets, importer
from crm_app.services.transfer.import_files import Table
from crm_app.services.transfer.import_mapping import auto_map
from crm_app.services.transfer.importer import ImportOptions
from crm_app.services.work import activities, calendar, dashboard
from tests.unit.factories import (
    actor_of,
    changes,
    count,
    default_catalogs,
    make_customer,
    make_org,
    reloaded,
    stored_counts,
)


@pytest.fixture
def org(session):
    default_catalogs(session)
    return make_org(session)


@pytest.fixture
def b_customer(session, org):
    return make_customer(session, org.sales_b, "Khách của B", phones="0912 345 678")


def _share(session, org, mode):
    """The admin sets the mode; every actor is read again, as each new event of theirs does."""
    team_sharing.set_mode(session, org.admin, mode)
    session.commit()
    return {name: actor_of(session, getattr(org, name).id) for name in ("sales_a", "other_sales", "manager", "admin")}


def _reads(session, actor, customer_id) -> bool:
    spec = query.ListSpec(entity="customer", columns=["full_name"], page_size=50)
    listed = customer_id in {r["id"] for r in query.fetch_page(session, actor, spec).rows}
    try:
        customers.get(session, actor, customer_id)
    except NotAllowed:
        assert not listed
        return False
    assert listed
    return True


def _writes(session, actor, customer_id) -> bool:
    """An in-place edit of the name: True if stored, False if refused with nothing changed."""
    before = session.get(Customer, customer_id).full_name
    try:
        customers.update(session, actor, customer_id, {"full_name": "Đổi tên"})
    except NotAllowed:
        session.rollback()
        assert reloaded(session, Customer, customer_id).full_name == before
        return False
    session.commit()
    customers.update(session, actor, customer_id, {"full_name": before})  # as it was, for the next actor
    session.commit()
    return True


# (mode, actor) -> (reads B's customer, changes it)
EXPECTED = {
    "off": {"sales_a": (False, False), "other_sales": (False, False), "manager": (True, True), "admin": (True, True)},
    "read": {"sales_a": (True, False), "other_sales": (False, False), "manager": (True, True), "admin": (True, True)},
    "edit": {"sales_a": (True, True), "other_sales": (False, False), "manager": (True, True), "admin": (True, True)},
}


@pytest.mark.parametrize("mode", ["off", "read", "edit"])
def test_who_reads_and_who_writes_a_teammates_customer(session, org, b_customer, mode):
    actors = _share(session, org, mode)
    for name, (reads, writes) in EXPECTED[mode].items():
        actor = actors[name]
        assert _reads(session, actor, b_customer.id) is reads, (mode, name)
        assert _writes(session, actor, b_customer.id) is writes, (mode, name)


def test_default_is_off_and_sales_keep_records_to_themselves(session, org, b_customer):
    assert team_sharing.mode(session) == "off"
    sales_a = _share(session, org, "edit")["sales_a"]
    # editable: a teammate's record changes, but is given to no one but oneself
    with pytest.raises(NotAllowed) as exc:
        customers.create(session, sales_a, {"full_name": "Khách mới", "owner_id": org.sales_b.id})
    assert exc.value.key == "err.owner_not_allowed"
    session.rollback()
    with pytest.raises(NotAllowed):
        customers.update(session, sales_a, b_customer.id, {"owner_id": org.other_sales.id})
    session.rollback()
    assert reloaded(session, Customer, b_customer.id).owner_id == org.sales_b.id


def test_read_only_refuses_every_forged_write(session, org, b_customer):
    sales_a = _share(session, org, "read")["sales_a"]
    note = notes.create(session, org.sales_b, b_customer.id, {"body": "Ghi chú của B"})
    session.commit()
    before = stored_counts(session)
    for write in (
        lambda: customers.update(session, sales_a, b_customer.id, {"email": "gia@mao.vn"}),
        lambda: customers.set_archived(session, sales_a, b_customer.id, True),
        lambda: notes.create(session, sales_a, b_customer.id, {"body": "Chen vào"}),
        lambda: notes.update(session, sales_a, note.id, {"body": "Sửa"}),
        lambda: notes.delete(session, sales_a, note.id),
        lambda: activities.create(session, sales_a, b_customer.id, {"type_code": "call", "subject": "Gọi"}),
    ):
        with pytest.raises(NotAllowed) as exc:
            write()
        assert exc.value.key == "err.read_only_record"
        session.rollback()
    assert stored_counts(session) == before
    assert reloaded(session, Customer, b_customer.id).archived is False
    # reading the children stays allowed
    assert [n.body for n in notes.of_customer(session, sales_a, b_customer.id)] == ["Ghi chú của B"]


@pytest.mark.parametrize(("mode", "changed"), [("off", 1), ("read", 1), ("edit", 2)])
def test_bulk_changes_only_what_the_actor_may_change(session, org, b_customer, mode, changed):
    own = make_customer(session, org.sales_a, "Khách của A", phones="0912 345 679")
    hcm = make_customer(session, org.other_sales, "Khách HCM", phones="0912 345 670")
    sales_a = _share(session, org, mode)["sales_a"]
    ids = [own.id, b_customer.id, hcm.id]
    result = bulk.run(
        session,
        sales_a,
        "customer",
        Selection(ids=ids),
        Action(kind="add_tags", value="Gọi lại"),
    )
    session.commit()
    assert (result.skipped, len(ids) - result.skipped) == (len(ids) - changed, changed)
    tags = {cid: customers.tags_of(session, cid) for cid in ids}
    assert tags[own.id] == ["Gọi lại"] and tags[hcm.id] == []
    assert tags[b_customer.id] == (["Gọi lại"] if mode == "edit" else [])
    # a selection by filter: what the list shows, only the changeable ones written
    spec_result = bulk.run(
        session, sales_a, "customer", Selection(spec=query.ListSpec(entity="customer")), Action(kind="archive")
    )
    session.commit()
    assert reloaded(session, Customer, b_customer.id).archived is (mode == "edit")
    assert reloaded(session, Customer, hcm.id).archived is False
    assert spec_result.skipped == (1 if mode == "read" else 0)


def test_the_setting_is_the_admins_checked_and_in_history(session, org):
    for actor in (org.manager, org.sales_a):
        with pytest.raises(NotAllowed):
            team_sharing.set_mode(session, actor, "edit")
    with pytest.raises(ValidationFailed) as exc:
        team_sharing.set_mode(session, org.admin, "everyone")
    assert exc.value.errors["team_sharing"] == ("err.invalid_sharing_mode", {"value": "everyone"})
    assert count(session, AppSetting) == 0
    assert team_sharing.set_mode(session, org.admin, "read") is True
    assert team_sharing.set_mode(session, org.admin, "read") is False
    session.commit()
    row = session.exec(AppSetting.__table__.select()).one()
    assert changes(session, "app_setting", row.id, "update") == {"team_sharing": ("off", "read")}


# --- an activity assigned to someone who does not see the customer ---------------------------------


def test_the_assignee_sees_the_task_and_changes_its_status_only(session, org):
    customer = make_customer(session, org.sales_b, "Khách của B", phones="0912 000 111")
    task = activities.create(
        session,
        org.manager,
        customer.id,
        {
            "type_code": "task",
            "subject": "Gọi lại",
            "assignee_id": org.sales_a.id,
            "due_at": utcnow(),
            "status": "planned",
        },
    )
    session.commit()
    sales_a = actor_of(session, org.sales_a.id)
    # seen: the activity list, the calendar, the dashboard's open tasks; not the customer
    spec = query.ListSpec(entity="activity", columns=["subject"], page_size=50)
    assert [r["id"] for r in query.fetch_page(session, sales_a, spec).rows] == [task.id]
    today = local_today()
    assert [i.id for i in calendar.items(session, sales_a, today - timedelta(days=2), today + timedelta(days=2))] == [
        task.id
    ]
    assert [t.id for t in dashboard.open_tasks(session, sales_a, None, today)] == [task.id]
    assert activities.get(session, sales_a, task.id).id == task.id
    with pytest.raises(NotAllowed):
        customers.get(session, sales_a, customer.id)
    with pytest.raises(NotAllowed):
        activities.of_customer(session, sales_a, customer.id)
    # its status changes; nothing else does
    activities.update(session, sales_a, task.id, {"status": "done"})
    session.commit()
    assert reloaded(session, Activity, task.id).status == "done"
    with pytest.raises(NotAllowed) as exc:
        activities.update(session, sales_a, task.id, {"subject": "Đổi"})
    assert exc.value.key == "err.assignee_status_date_only"
    session.rollback()
    with pytest.raises(NotAllowed):
        activities.delete(session, sales_a, task.id)
    session.rollback()
    assert reloaded(session, Activity, task.id).subject == "Gọi lại"
    # another salesperson neither sees nor changes it
    with pytest.raises(NotAllowed):
        activities.get(session, org.other_sales, task.id)
    with pytest.raises(NotAllowed):
        activities.update(session, org.other_sales, task.id, {"status": "planned"})
    # in bulk as one by one: the assignee reopens and closes it; deleting it stays refused
    activities.update(session, sales_a, task.id, {"status": "planned"})
    session.commit()
    done = bulk.run(session, sales_a, "activity", Selection(ids=[task.id]), Action(kind="mark_done"))
    assert (done.changed, done.skipped) == (1, 0)
    assert reloaded(session, Activity, task.id).status == "done"
    gone = bulk.run(session, sales_a, "activity", Selection(ids=[task.id]), Action(kind="delete"))
    assert (gone.changed, gone.skipped) == (0, 1)
    assert reloaded(session, Activity, task.id) is not None
    theirs = bulk.run(session, org.other_sales, "activity", Selection(ids=[task.id]), Action(kind="mark_done"))
    assert (theirs.changed, theirs.skipped) == (0, 1)


# --- static lists shared like views -----------------------------------------------------------------


def _seen(session, actor):
    return {rl.name for rl, _n in record_lists.visible(session, actor, "customer")}


def test_lists_are_shared_personal_team_or_company(session, org):
    record_lists.create(session, org.manager, "customer", {"name": "Riêng quản lý"})
    team = record_lists.create(session, org.manager, "customer", {"name": "Cả nhóm", "scope": "team"})
    record_lists.create(session, org.admin, "customer", {"name": "Cả công ty", "scope": "company"})
    record_lists.create(session, org.sales_a, "customer", {"name": "Của A"})
    session.commit()
    assert (team.scope, team.team_id) == ("team", org.team1.id)
    assert _seen(session, org.sales_a) == {"Cả nhóm", "Cả công ty", "Của A"}
    assert _seen(session, org.sales_b) == {"Cả nhóm", "Cả công ty"}
    assert _seen(session, org.other_sales) == {"Cả công ty"}
    # personal is its creator's alone: a salesperson's list is not her manager's to see
    assert _seen(session, org.manager) == {"Riêng quản lý", "Cả nhóm", "Cả công ty"}
    assert _seen(session, org.admin) == {"Cả nhóm", "Cả công ty"}
    # a shared list's members: the records each one sees
    own = make_customer(session, org.sales_a, "Khách A", phones="0912 222 001")
    other = make_customer(session, org.other_sales, "Khách HCM", phones="0912 222 002")
    assert record_lists.add_members(session, org.sales_a, team.id, [own.id, other.id]) == 1
    # only the owner (or an admin) renames, reshares, deletes
    for call in (
        lambda: record_lists.rename(session, org.sales_a, team.id, {"name": "Đổi"}),
        lambda: record_lists.set_scope(session, org.sales_a, team.id, "company"),
        lambda: record_lists.delete(session, org.sales_b, team.id),
    ):
        with pytest.raises(NotAllowed) as exc:
            call()
        assert exc.value.params == {"name": "Cả nhóm"}
        session.rollback()
    record_lists.rename(session, org.admin, team.id, {"name": "Đổi bởi quản trị"})
    assert record_lists.set_scope(session, org.manager, team.id, "personal") is True
    session.commit()
    assert _seen(session, org.sales_b) == {"Cả công ty"}
    assert changes(session, "recordlist", team.id, "update")["scope"] == ("team", "personal")
    with pytest.raises(NotAllowed):  # personal again: the admin no longer sees it
        record_lists.get(session, org.admin, team.id)


def test_sales_keep_lists_personal_and_bad_scopes_are_refused(session, org):
    with pytest.raises(NotAllowed) as exc:
        record_lists.create(session, org.sales_a, "customer", {"name": "Chia sẻ", "scope": "team"})
    assert exc.value.key == "err.share_managers_only"
    with pytest.raises(ValidationFailed) as exc:
        record_lists.create(session, org.manager, "customer", {"name": "Lạ", "scope": "world"})
    assert exc.value.errors == {"scope": ("err.invalid_choice", {})}
    session.rollback()
    assert count(session, RecordList) == 0


def test_a_list_name_is_given_once_per_owner_and_kind(session, org):
    first = record_lists.create(session, org.sales_a, "customer", {"name": "Hội chợ Tết"})
    session.commit()
    with pytest.raises(ValidationFailed) as exc:
        record_lists.create(session, org.sales_a, "customer", {"name": "hội chợ tết"})
    assert exc.value.errors == {"name": ("err.list_name_taken", {"name": "hội chợ tết"})}
    session.rollback()
    # another owner, or another kind of record: the same name is fine
    record_lists.create(session, org.sales_b, "customer", {"name": "Hội chợ Tết"})
    record_lists.create(session, org.sales_a, "contact", {"name": "Hội chợ Tết"})
    second = record_lists.create(session, org.sales_a, "customer", {"name": "Hội chợ Hè"})
    session.commit()
    with pytest.raises(ValidationFailed):
        record_lists.rename(session, org.sales_a, second.id, {"name": "Hội chợ Tết"})
    session.rollback()
    record_lists.rename(session, org.sales_a, first.id, {"name": "Hội chợ Tết"})  # its own name: no clash
    assert count(session, RecordList) == 4


# --- other write paths: a board's stage move, an import in update mode -------------------------------


@pytest.mark.parametrize(("mode", "moves"), [("off", False), ("read", False), ("edit", True)])
def test_a_teammates_deal_moves_on_the_board_only_when_editable(session, org, b_customer, mode, moves):
    stages = {s.name: s for s in pipelines.stages(session, pipelines.ensure_default_pipeline(session).id)}
    deal = opportunities.create(
        session,
        org.sales_b,
        {"name": "Tour Đà Lạt", "customer_id": str(b_customer.id), "stage_id": str(stages["Mới"].id)},
    )
    session.commit()
    sales_a = _share(session, org, mode)["sales_a"]
    if moves:
        opportunities.move(session, sales_a, deal.id, stages["Gửi báo giá"].id)
        session.commit()
    else:
        with pytest.raises(NotAllowed):
            opportunities.move(session, sales_a, deal.id, stages["Gửi báo giá"].id)
        session.rollback()
    expected = stages["Gửi báo giá" if moves else "Mới"].id
    assert reloaded(session, Opportunity, deal.id).stage_id == expected


@pytest.mark.parametrize(("mode", "verdict"), [("off", "error"), ("read", "error"), ("edit", "update")])
def test_an_import_updates_a_teammates_customer_only_when_editable(session, org, b_customer, mode, verdict):
    sales_a = _share(session, org, mode)["sales_a"]
    t = Table(["Họ và tên", "SĐT", "Email"], [["Khách của B", "0912 345 678", "moi@congty.vn"]], [2])
    columns = auto_map(t.headers, import_targets.TARGETS["customer"])
    found = importer.analyse(session, sales_a, "customer", t, columns, ImportOptions(mode="update")).verdicts[0]
    assert found.verdict == verdict
    if verdict == "error":
        assert found.key == "err.import_not_yours"
        assert found.match_id == (b_customer.id if mode == "read" else 0)  # named and linked once readable
    importer.run(session, sales_a, "customer", t, columns, ImportOptions(mode="update"), "b.xlsx")
    session.commit()
    assert reloaded(session, Customer, b_customer.id).email == ("moi@congty.vn" if mode == "edit" else "")


def test_a_list_page_knows_which_rows_the_user_may_change(session, org, b_customer):
    own = make_customer(session, org.sales_a, "Khách của A", phones="0912 345 600")
    task = activities.create(
        session,
        org.manager,
        b_customer.id,
        {"type_code": "task", "subject": "Gọi", "assignee_id": org.sales_a.id, "due_at": utcnow(), "status": "planned"},
    )
    session.commit()
    for mode, expected in (("read", {own.id}), ("edit", {own.id, b_customer.id})):
        sales_a = _share(session, org, mode)["sales_a"]
        assert set(query.change_rights(session, sales_a, "customer", [own.id, b_customer.id])) == expected
        # assigned to her: its status alone when the customer is not hers to change
        assert query.change_rights(session, sales_a, "activity", [task.id]) == {
            task.id: "all" if b_customer.id in expected else "status"
        }
    assert query.change_rights(session, org.admin, "customer", [own.id, b_customer.id]) == {
        own.id: "all",
        b_customer.id: "all",
    }

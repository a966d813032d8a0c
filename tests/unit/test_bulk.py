"""Bulk actions: update modes, tags, lists, owner, archive / restore, rights per record, history,
selection by ids or by filter, progress in chunks, wrong input refused before anything changes."""

import pytest
import sqlalchemy as sa
from sqlmodel import select

from crm_app.i18n import messages_for, tr
from crm_app.models import AuditLog, Customer, RecordListMember
from crm_app.services.customer import customers
from crm_app.services.errors import NotAllowed, ValidationFailed
from crm_app.services.lists import bulk, record_lists
from crm_app.services.lists.bulk import Action, Selection
from crm_app.services.lists.filters import BadSpec
from crm_app.services.lists.query import ListSpec
from crm_app.services.records import custom_fields
from tests.unit.factories import changes, default_catalogs, make_customer, make_org, reloaded, stored_counts


@pytest.fixture
def org(session):
    default_catalogs(session)
    return make_org(session)


@pytest.fixture
def team(session, org):
    """Customers of sales A (two), sales B (one) and of the other team (one)."""
    made = {
        "a1": make_customer(session, org.sales_a, "Khách A1", phones="0911 000 001", province="Hà Nội", tags="VIP"),
        "a2": make_customer(session, org.sales_a, "Khách A2", phones="0911 000 002", province=""),
        "b1": make_customer(session, org.sales_b, "Khách B1", phones="0911 000 003", province="Huế", tags="Mới, VIP"),
        "x1": make_customer(session, org.other_sales, "Khách X1", phones="0911 000 004", province=""),
    }
    return {k: v.id for k, v in made.items()}


def run(session, actor, ids, **action):
    return bulk.run(session, actor, "customer", Selection(ids=list(ids)), Action(**action))


def test_replace_sets_the_field_everywhere_and_writes_history(session, org, team):
    result = run(session, org.manager, team.values(), kind="update_field", field="province", value="Đà Nẵng")
    assert (result.total, result.changed, result.unchanged, result.skipped) == (4, 3, 0, 1)
    for key in ("a1", "a2", "b1"):
        assert reloaded(session, Customer, team[key]).province == "48"  # Đà Nẵng
    assert reloaded(session, Customer, team["x1"]).province == ""  # another team: skipped
    assert changes(session, "customer", team["a1"], "update")["province"] == ("01", "48")
    assert reloaded(session, Customer, team["a1"]).updated_by_id == org.manager.id


def test_add_fills_only_empty_values(session, org, team):
    result = run(
        session,
        org.manager,
        [team["a1"], team["a2"], team["b1"]],
        kind="update_field",
        field="province",
        mode="add",
        value="Cần Thơ",
    )
    assert (result.changed, result.unchanged) == (1, 2)
    assert [reloaded(session, Customer, team[k]).province for k in ("a1", "a2", "b1")] == ["01", "92", "46"]


def test_clear_empties_the_field(session, org, team):
    result = run(session, org.manager, [team["a1"], team["a2"]], kind="update_field", field="province", mode="clear")
    assert (result.changed, result.unchanged) == (1, 1)
    assert reloaded(session, Customer, team["a1"]).province == ""
    assert changes(session, "customer", team["a1"], "update")["province"] == ("01", None)


def test_choice_and_catalog_fields(session, org, team):
    cats = default_catalogs(session)
    run(session, org.manager, [team["a1"]], kind="update_field", field="status", value="customer")
    run(session, org.manager, [team["a1"]], kind="update_field", field="category_id", value=cats["category"]["vip"])
    c = reloaded(session, Customer, team["a1"])
    assert (c.status, c.category_id) == ("customer", cats["category"]["vip"])
    with pytest.raises(BadSpec) as exc:
        run(session, org.manager, [team["a1"]], kind="update_field", field="status", mode="clear")
    assert exc.value.key == "err.bulk_cannot_clear"
    # named by its label in the reader's language, not by its code
    assert tr(exc.value.key, "vi", **exc.value.params) == "Trường “Trạng thái” không được để trống"
    assert tr(exc.value.key, "en", **exc.value.params) == "The field “Status” cannot be empty"
    with pytest.raises(BadSpec) as exc:
        run(session, org.manager, [team["a1"]], kind="update_field", field="full_name", value="Một tên")
    assert tr(exc.value.key, "vi", **exc.value.params) == "Không cập nhật hàng loạt được trường “Họ và tên”"


def test_a_person_made_an_organisation_in_bulk_is_listed_by_its_whole_name(session, org, team):
    person = make_customer(session, org.sales_a, "Trần Văn Tổ Chức")
    assert (person.given_name, person.given_norm) == ("Chức", "chuc tran van to")
    run(session, org.manager, [person.id], kind="update_field", field="kind", value="business")
    stored = reloaded(session, Customer, person.id)
    assert (stored.kind, stored.given_name, stored.given_norm) == ("business", "Trần Văn Tổ Chức", "tran van to chuc")


def test_tags_add_remove_replace_clear(session, org, team):
    ids = [team["a1"], team["a2"], team["b1"]]
    result = run(session, org.manager, ids, kind="add_tags", value="Hội chợ, vip")
    assert (result.changed, result.unchanged) == (3, 0)
    tags = {k: customers.tags_of(session, team[k]) for k in ("a1", "a2", "b1")}
    assert tags == {"a1": ["Hội chợ", "VIP"], "a2": ["Hội chợ", "VIP"], "b1": ["Hội chợ", "Mới", "VIP"]}
    assert changes(session, "customer", team["a2"], "update")["tags"] == (None, "Hội chợ, VIP")
    result = run(session, org.manager, ids, kind="remove_tags", value=["VIP"])
    assert result.changed == 3
    assert [customers.tags_of(session, team[k]) for k in ("a1", "b1")] == [["Hội chợ"], ["Hội chợ", "Mới"]]
    run(session, org.manager, ids, kind="update_field", field="tags", mode="replace", value="Khách cũ")
    assert customers.tags_of(session, team["b1"]) == ["Khách cũ"]
    run(session, org.manager, ids, kind="update_field", field="tags", mode="clear")
    assert customers.tags_of(session, team["b1"]) == []


def test_sales_tag_their_own_records_only(session, org, team):
    result = run(session, org.sales_a, team.values(), kind="add_tags", value="Gọi lại")
    assert (result.changed, result.skipped) == (2, 2)
    assert customers.tags_of(session, team["b1"]) == ["Mới", "VIP"]
    assert customers.tags_of(session, team["a2"]) == ["Gọi lại"]


def test_field_updates_and_reassigning_are_for_managers(session, org, team):
    before = stored_counts(session)
    for action in (
        {"kind": "update_field", "field": "province", "value": "Huế"},
        {"kind": "change_owner", "value": org.sales_b.id},
    ):
        with pytest.raises(NotAllowed) as exc:
            run(session, org.sales_a, [team["a1"]], **action)
        assert exc.value.key == "err.bulk_managers_only"
    assert stored_counts(session) == before


def test_change_owner_within_the_team_only(session, org, team):
    result = run(session, org.manager, [team["a1"], team["a2"], team["x1"]], kind="change_owner", value=org.sales_b.id)
    assert (result.changed, result.skipped) == (2, 1)
    assert reloaded(session, Customer, team["a2"]).owner_id == org.sales_b.id
    assert changes(session, "customer", team["a2"], "update")["owner_id"] == (str(org.sales_a.id), str(org.sales_b.id))
    with pytest.raises(NotAllowed):
        run(session, org.manager, [team["a1"]], kind="change_owner", value=org.other_sales.id)
    assert reloaded(session, Customer, team["a1"]).owner_id == org.sales_b.id
    # the new owner sees them now, through the search copies too
    from crm_app.services.lists import query

    page = query.fetch_page(session, org.sales_b, ListSpec(entity="customer", columns=["full_name"], search="khach a"))
    assert sorted(r["full_name"] for r in page.rows) == ["Khách A1", "Khách A2"]


def test_archive_and_restore(session, org, team):
    result = run(session, org.sales_a, [team["a1"], team["b1"]], kind="archive")
    assert (result.changed, result.skipped) == (1, 1)
    assert reloaded(session, Customer, team["a1"]).archived
    assert not reloaded(session, Customer, team["b1"]).archived
    assert [
        h.action
        for h in session.exec(
            select(AuditLog).where(AuditLog.entity_id == team["a1"], AuditLog.entity == "customer")
        ).all()
    ][-1] == "archive"
    again = run(session, org.sales_a, [team["a1"]], kind="archive")
    assert (again.changed, again.unchanged) == (0, 1)
    restored = bulk.run(
        session,
        org.sales_a,
        "customer",
        Selection(spec=ListSpec(entity="customer", archived=True)),
        Action(kind="restore"),
    )
    assert restored.changed == 1
    assert not reloaded(session, Customer, team["a1"]).archived


def test_add_to_a_list(session, org, team):
    target = record_lists.create(session, org.manager, "customer", {"name": "Hội chợ 2026"})
    result = run(session, org.manager, team.values(), kind="add_to_list", value=target.id)
    assert (result.skipped, result.done) == (1, 4)
    members = set(session.exec(select(RecordListMember.record_id).where(RecordListMember.list_id == target.id)).all())
    assert members == {team["a1"], team["a2"], team["b1"]}
    assert (result.changed, result.unchanged) == (3, 0)
    again = run(session, org.manager, [team["a1"]], kind="add_to_list", value=target.id)
    assert (again.changed, again.unchanged) == (0, 1)
    with pytest.raises(NotAllowed):  # the manager's list is not sales A's to change
        run(session, org.sales_a, [team["a1"]], kind="remove_from_list", value=target.id)
    removed = run(session, org.manager, [team["a1"], team["x1"]], kind="remove_from_list", value=target.id)
    assert (removed.changed, removed.skipped) == (1, 1)  # x1 is another team's customer
    members = set(session.exec(select(RecordListMember.record_id).where(RecordListMember.list_id == target.id)).all())
    assert members == {team["a2"], team["b1"]}
    assert changes(session, "customer", team["a1"], "list_remove")["lists"] == ("Hội chợ 2026", None)
    theirs = record_lists.create(session, org.other_manager, "customer", {"name": "Của HCM"})
    with pytest.raises(NotAllowed):
        run(session, org.manager, [team["a1"]], kind="add_to_list", value=theirs.id)


def test_custom_fields_in_bulk(session, org, team):
    custom_fields.create(session, org.admin, "customer", {"label": "Hạng", "type": "choice", "options": "Vàng,Bạc"})
    custom_fields.create(
        session, org.admin, "customer", {"label": "Sở thích", "type": "multichoice", "options": "Golf,Du lịch"}
    )
    custom_fields.create(session, org.admin, "customer", {"label": "Doanh thu", "type": "number"})
    ids = [team["a1"], team["a2"]]
    customers.update(session, org.sales_a, team["a1"], {"cf_hang": "Bạc", "cf_so_thich": "Golf"})
    add = run(session, org.manager, ids, kind="update_field", field="cf_hang", mode="add", value="Vàng")
    assert (add.changed, add.unchanged) == (1, 1)
    snap = {k: custom_fields.snapshot(session, "customer", team[k]) for k in ("a1", "a2")}
    assert (snap["a1"]["cf_hang"], snap["a2"]["cf_hang"]) == ("Bạc", "Vàng")
    run(session, org.manager, ids, kind="update_field", field="cf_so_thich", mode="add", value=["Du lịch"])
    assert custom_fields.snapshot(session, "customer", team["a1"])["cf_so_thich"] == ["Golf", "Du lịch"]
    run(session, org.manager, ids, kind="update_field", field="cf_doanh_thu", value="2500")
    assert custom_fields.snapshot(session, "customer", team["a2"])["cf_doanh_thu"] == 2500
    run(session, org.manager, ids, kind="update_field", field="cf_hang", mode="clear")
    assert custom_fields.snapshot(session, "customer", team["a1"])["cf_hang"] is None
    assert changes(session, "customer", team["a1"], "update")["cf_hang"] == ("Bạc", None)
    with pytest.raises(ValidationFailed):
        run(session, org.manager, ids, kind="update_field", field="cf_hang", value="Kim cương")


def test_every_record_matching_a_filter_in_chunks(session, org, team):
    spec = ListSpec(entity="customer", filter={"op": "and", "items": [{"field": "province", "operator": "empty"}]})
    steps = list(
        bulk.run_steps(
            session,
            org.manager,
            "customer",
            Selection(spec=spec),
            Action(kind="add_tags", value="Thiếu địa chỉ"),
            chunk=1,
        )
    )
    final = steps[-1]
    assert (final.total, final.done, final.changed, final.skipped) == (1, 1, 1, 0)  # x1 is not the manager's
    assert customers.tags_of(session, team["a2"]) == ["Thiếu địa chỉ"]
    assert customers.tags_of(session, team["x1"]) == []
    everything = ListSpec(entity="customer")
    steps = [
        (s.done, s.total)
        for s in bulk.run_steps(
            session, org.admin, "customer", Selection(spec=everything), Action(kind="add_tags", value="2026"), chunk=2
        )
    ]
    assert steps == [(0, 4), (2, 4), (4, 4)]


WRONG = [
    ({"kind": "explode"}, BadSpec),
    ({"kind": "update_field", "field": "full_name", "value": "X"}, BadSpec),
    ({"kind": "update_field", "field": "password_hash", "value": "X"}, BadSpec),
    ({"kind": "update_field", "field": "province", "mode": "append", "value": "X"}, BadSpec),
    ({"kind": "update_field", "field": "province", "value": ""}, ValidationFailed),
    ({"kind": "update_field", "field": "status", "value": "boss"}, ValidationFailed),
    ({"kind": "update_field", "field": "rating", "value": "9"}, ValidationFailed),
    ({"kind": "update_field", "field": "category_id", "value": "99999"}, ValidationFailed),
    ({"kind": "add_tags", "value": ""}, ValidationFailed),
    ({"kind": "change_owner", "value": "nobody"}, ValidationFailed),
    ({"kind": "add_to_list", "value": 424242}, NotAllowed),
]


@pytest.mark.parametrize(("action", "error"), WRONG, ids=[str(i) for i in range(len(WRONG))])
def test_wrong_actions_change_nothing(session, org, team, action, error):
    before = stored_counts(session)
    with pytest.raises(error):
        run(session, org.manager, team.values(), **action)
    assert stored_counts(session) == before
    assert (
        session.execute(
            sa.select(sa.func.count()).select_from(AuditLog).where(AuditLog.user_id == org.manager.id)
        ).scalar_one()
        == 0
    )


def test_every_bulk_action_has_a_label_in_both_languages():
    for lang in ("vi", "en"):
        messages = messages_for(lang)
        assert [a for a in bulk.ACTIONS if f"bulk.{a}" not in messages] == [], lang

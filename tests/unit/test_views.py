"""Saved views: specs checked on save, sharing by role, personal overrides, locks, defaults;
saved filters."""

import pytest

from crm_app.models import ListView, ListViewOverride
from crm_app.services.errors import NotAllowed, ValidationFailed
from crm_app.services.lists import saved_filters, views
from crm_app.services.lists.filters import BadSpec
from tests.unit.factories import count, default_catalogs, history, make_org

OR_FILTER = {
    "op": "and",
    "items": [
        {"field": "status", "operator": "any_of", "value": ["lead", "potential"]},
        {
            "op": "or",
            "items": [
                {"field": "province", "operator": "any_of", "value": ["01"]},
                {"field": "rating", "operator": "gt", "value": 3},
            ],
        },
    ],
}


def spec(**changes):
    return {
        "columns": ["full_name", "phone", "status"],
        "widths": {"full_name": 240},
        "sort": "full_name",
        "descending": False,
        "filter": OR_FILTER,
        "display_type": "table",
        "page_size": 25,
        **changes,
    }


@pytest.fixture
def org(session):
    default_catalogs(session)
    return make_org(session)


def test_a_view_is_stored_as_a_checked_spec(session, org):
    view = views.create(session, org.sales_a, "customer", {"name": "  Khách  Hà Nội "}, spec())
    stored = session.get(ListView, view.id)
    assert stored.name == "Khách Hà Nội" and stored.scope == "personal"
    assert stored.spec == {**spec(), "group_by": ""}
    assert views.effective(session, org.sales_a, stored)["columns"] == ["full_name", "phone", "status"]


BAD_SPECS = [
    (spec(columns=[]), "err.view_columns"),
    (spec(columns=["full_name", "full_name"]), "err.view_columns"),
    (spec(columns=["full_name", "password_hash"]), "err.unknown_field"),
    (spec(columns=["full_name", "lists"]), "err.unknown_field"),
    (spec(sort="address"), "err.unknown_field"),
    (spec(sort="id; DROP TABLE customer"), "err.unknown_field"),
    (spec(widths={"full_name": 5000}), "err.view_widths"),
    (spec(widths={"email": 100}), "err.view_widths"),
    (spec(page_size=7), "err.invalid_choice"),
    (spec(descending="yes"), "err.invalid_choice"),
    (spec(display_type="pie"), "err.invalid_choice"),
    (spec(display_type="kanban"), "err.view_group_by"),
    (spec(display_type="kanban", group_by="full_name"), "err.view_group_by"),
    (spec(filter={"op": "and", "items": [{"field": "secret", "operator": "is", "value": 1}]}), "err.unknown_field"),
]


@pytest.mark.parametrize(("bad", "key"), BAD_SPECS, ids=[k + str(i) for i, (_, k) in enumerate(BAD_SPECS)])
def test_wrong_specs_are_refused_and_nothing_is_stored(session, org, bad, key):
    with pytest.raises(BadSpec) as exc:
        views.create(session, org.manager, "customer", {"name": "V"}, bad)
    assert exc.value.key == key
    session.rollback()
    assert count(session, ListView) == 0


def test_kanban_needs_a_choice_field_to_group_by(session, org):
    view = views.create(
        session, org.manager, "customer", {"name": "Theo trạng thái"}, spec(display_type="kanban", group_by="status")
    )
    assert view.spec["display_type"] == "kanban" and view.spec["group_by"] == "status"
    cards = views.create(session, org.manager, "customer", {"name": "Thẻ"}, spec(display_type="cards"))
    assert cards.spec["display_type"] == "cards"


def test_a_name_is_required(session, org):
    with pytest.raises(ValidationFailed) as exc:
        views.create(session, org.sales_a, "customer", {"name": "  "}, spec())
    assert exc.value.errors["name"][0] == "err.required"


def test_only_managers_and_admins_share(session, org):
    with pytest.raises(NotAllowed) as exc:
        views.create(session, org.sales_a, "customer", {"name": "Chung", "scope": "company"}, spec())
    assert exc.value.key == "err.share_managers_only"
    with pytest.raises(NotAllowed):
        views.create(session, org.sales_a, "customer", {"name": "Nhóm", "scope": "team"}, spec())
    with pytest.raises(ValidationFailed):
        views.create(session, org.manager, "customer", {"name": "X", "scope": "world"}, spec())
    assert count(session, ListView) == 0


def test_who_sees_which_view(session, org):
    team = views.create(session, org.manager, "customer", {"name": "Nhóm HN", "scope": "team"}, spec())
    company = views.create(session, org.admin, "customer", {"name": "Toàn công ty", "scope": "company"}, spec())
    mine = views.create(session, org.sales_a, "customer", {"name": "Của A"}, spec())

    def seen(actor):
        return {v.name for v in views.visible(session, actor, "customer")}

    assert seen(org.sales_a) == {"Nhóm HN", "Toàn công ty", "Của A"}
    assert seen(org.sales_b) == {"Nhóm HN", "Toàn công ty"}
    assert seen(org.other_sales) == {"Toàn công ty"}
    assert views.visible(session, org.sales_a, "contact") == []
    with pytest.raises(NotAllowed):
        views.get(session, org.other_sales, team.id)
    with pytest.raises(NotAllowed):
        views.get(session, org.sales_b, mine.id)
    with pytest.raises(NotAllowed):
        views.save(session, org.sales_b, mine.id, spec(page_size=100))
    assert company.id


def test_a_user_changes_a_shared_view_for_themself_only(session, org):
    shared = views.create(session, org.manager, "customer", {"name": "Nhóm HN", "scope": "team"}, spec())
    mine = spec(columns=["phone", "full_name"], sort="phone", page_size=100)
    assert views.save(session, org.sales_a, shared.id, mine) == "override"
    session.expire_all()
    assert views.effective(session, org.sales_a, session.get(ListView, shared.id))["columns"] == ["phone", "full_name"]
    assert views.effective(session, org.sales_b, session.get(ListView, shared.id))["columns"] == spec()["columns"]
    assert session.get(ListView, shared.id).spec["page_size"] == 25
    # reset to shared drops the override
    views.reset_to_shared(session, org.sales_a, shared.id)
    assert session.get(ListViewOverride, (shared.id, org.sales_a.id)) is None
    assert views.effective(session, org.sales_a, session.get(ListView, shared.id))["columns"] == spec()["columns"]


def test_the_owner_changes_the_shared_view_for_everyone(session, org):
    shared = views.create(session, org.manager, "customer", {"name": "Nhóm HN", "scope": "team"}, spec())
    assert views.save(session, org.manager, shared.id, spec(columns=["code", "full_name"])) == "shared"
    session.expire_all()
    assert views.effective(session, org.sales_b, session.get(ListView, shared.id))["columns"] == ["code", "full_name"]
    with pytest.raises(NotAllowed):
        views.rename(session, org.sales_a, shared.id, {"name": "Đổi"})
    with pytest.raises(NotAllowed):
        views.delete(session, org.sales_a, shared.id)
    assert session.get(ListView, shared.id).name == "Nhóm HN"


def test_locked_columns_stay_shared(session, org):
    shared = views.create(session, org.manager, "customer", {"name": "Chuẩn", "scope": "team"}, spec())
    views.save(session, org.sales_a, shared.id, spec(columns=["phone", "full_name"]))
    with pytest.raises(NotAllowed) as exc:
        views.set_columns_locked(session, org.manager, shared.id, True)
    assert exc.value.key == "err.admin_only"
    views.set_columns_locked(session, org.admin, shared.id, True)
    session.expire_all()
    view = session.get(ListView, shared.id)
    # the earlier override keeps its sort and size, but the columns are the shared ones now
    assert views.effective(session, org.sales_a, view)["columns"] == spec()["columns"]
    with pytest.raises(NotAllowed) as exc:
        views.save(session, org.sales_a, shared.id, spec(columns=["email", "full_name"]))
    assert exc.value.key == "err.view_columns_locked"
    assert views.save(session, org.sales_a, shared.id, spec(sort="phone")) == "override"
    session.expire_all()
    assert views.effective(session, org.sales_a, session.get(ListView, shared.id))["sort"] == "phone"
    personal = views.create(session, org.admin, "customer", {"name": "Riêng"}, spec())
    with pytest.raises(ValidationFailed):
        views.set_columns_locked(session, org.admin, personal.id, True)
    someone_elses = views.create(session, org.sales_a, "customer", {"name": "Của A"}, spec())
    with pytest.raises(NotAllowed):  # personal views stay private, even to admins
        views.set_columns_locked(session, org.admin, someone_elses.id, True)


def test_one_default_view_per_user_and_list(session, org):
    first = views.create(session, org.sales_a, "customer", {"name": "Một"}, spec(), activate=True)
    assert views.default_view(session, org.sales_a, "customer").id == first.id
    second = views.create(session, org.sales_a, "customer", {"name": "Hai"}, spec())
    views.save(session, org.sales_a, second.id, spec(page_size=50), activate=True)
    assert views.default_view(session, org.sales_a, "customer").id == second.id
    assert views.default_view(session, org.sales_b, "customer") is None
    assert views.default_view(session, org.sales_a, "contact") is None
    views.delete(session, org.sales_a, second.id)
    assert views.default_view(session, org.sales_a, "customer") is None
    with pytest.raises(NotAllowed):
        views.set_default(session, org.sales_b, "customer", first.id)


def test_saved_filters_are_checked_and_shared_like_views(session, org):
    shared = saved_filters.create(
        session, org.manager, "customer", {"name": "Tiềm năng HN", "scope": "team"}, OR_FILTER
    )
    saved_filters.create(session, org.sales_a, "customer", {"name": "Của tôi"}, OR_FILTER)
    assert {f.name for f in saved_filters.visible(session, org.sales_b, "customer")} == {"Tiềm năng HN"}
    assert {f.name for f in saved_filters.visible(session, org.sales_a, "customer")} == {"Tiềm năng HN", "Của tôi"}
    assert saved_filters.get(session, org.sales_b, shared.id).filter == OR_FILTER
    with pytest.raises(NotAllowed):
        saved_filters.get(session, org.other_sales, shared.id)
    with pytest.raises(NotAllowed):
        saved_filters.delete(session, org.sales_b, shared.id)
    with pytest.raises(BadSpec):
        saved_filters.create(
            session,
            org.sales_a,
            "customer",
            {"name": "Sai"},
            {"op": "and", "items": [{"field": "x", "operator": "is", "value": "1"}]},
        )
    with pytest.raises(BadSpec):
        saved_filters.create(session, org.sales_a, "customer", {"name": "Rỗng"}, {"op": "and", "items": []})
    with pytest.raises(NotAllowed):
        saved_filters.create(session, org.sales_a, "customer", {"name": "Chung", "scope": "company"}, OR_FILTER)


def test_the_owner_shares_a_view_more_or_less_widely(session, org):
    view = views.create(session, org.manager, "customer", {"name": "Khách lớn"}, spec())
    assert views.visible(session, org.sales_a, "customer") == []
    assert views.set_scope(session, org.manager, view.id, "team")
    assert {v.name for v in views.visible(session, org.sales_a, "customer")} == {"Khách lớn"}
    views.save(session, org.sales_a, view.id, spec(page_size=100), activate=True)  # her own version, her default
    assert views.set_scope(session, org.manager, view.id, "company")
    assert {v.name for v in views.visible(session, org.other_sales, "customer")} == {"Khách lớn"}
    assert not views.set_scope(session, org.manager, view.id, "company")  # the same: no change
    assert views.set_scope(session, org.manager, view.id, "personal")
    session.expire_all()
    assert views.visible(session, org.sales_a, "customer") == []
    assert views.default_view(session, org.sales_a, "customer") is None  # gone with it
    assert session.get(ListViewOverride, (view.id, org.sales_a.id)) is None
    assert [
        (c.field, c.old_value, c.new_value) for c in history(session, "listview", view.id) if c.action == "update"
    ] == [
        ("scope", "personal", "team"),
        ("scope", "team", "company"),
        ("scope", "company", "personal"),
    ]


def test_only_the_owner_changes_a_views_scope_and_sales_keep_theirs_personal(session, org):
    team = views.create(session, org.manager, "customer", {"name": "Nhóm HN", "scope": "team"}, spec())
    with pytest.raises(NotAllowed):
        views.set_scope(session, org.sales_a, team.id, "personal")
    mine = views.create(session, org.sales_a, "customer", {"name": "Của A"}, spec())
    with pytest.raises(NotAllowed) as exc:
        views.set_scope(session, org.sales_a, mine.id, "team")
    assert exc.value.key == "err.share_managers_only"
    with pytest.raises(ValidationFailed):
        views.set_scope(session, org.manager, team.id, "everyone")
    session.expire_all()
    assert (session.get(ListView, team.id).scope, session.get(ListView, mine.id).scope) == ("team", "personal")


def test_a_saved_filter_is_deleted_by_its_owner_only(session, org):
    shared = saved_filters.create(session, org.manager, "customer", {"name": "HN", "scope": "team"}, OR_FILTER)
    with pytest.raises(NotAllowed):
        saved_filters.delete(session, org.sales_a, shared.id)
    saved_filters.delete(session, org.manager, shared.id)
    assert saved_filters.visible(session, org.sales_a, "customer") == []


def test_a_change_of_sharing_reads_as_labels_in_the_history(session, org):
    from crm_app.services.records import history as record_history

    view = views.create(session, org.manager, "customer", {"name": "Chia sẻ"}, spec())
    views.set_scope(session, org.manager, view.id, "team")
    rows = record_history.of_record(session, "listview", view.id, "vi")
    assert ("Phạm vi", "Cá nhân", "Nhóm") in [(r["field"], r["old"], r["new"]) for r in rows]

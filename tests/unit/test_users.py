"""Users and teams, managed by the admin only."""

import pytest
from sqlmodel import select

from crm_app.models import Team, TeamMember, User
from crm_app.services.customer import customers
from crm_app.services.errors import NotAllowed, ValidationFailed
from crm_app.services.people import users
from crm_app.services.people.permissions import load_actor
from tests.unit.factories import (
    PASSWORD,
    actor_of,
    make_customer,
    make_org,
    make_team,
    make_user,
    stored_counts,
    use_cheap_hashing,
)


@pytest.fixture
def org(session):
    return make_org(session)


def _memberships(session, user_id):
    return sorted(session.exec(select(TeamMember.team_id).where(TeamMember.user_id == user_id)).all())


def test_admin_creates_users_and_teams(session, org, monkeypatch):
    use_cheap_hashing(monkeypatch)
    team = users.create_team(session, org.admin, "Kinh doanh Đà Nẵng")
    user = users.create_user(
        session,
        org.admin,
        {
            "username": "nv.danang",
            "email": "danang@congty.vn",
            "full_name": "Nhân viên Đà Nẵng",
            "password": PASSWORD,
            "team_id": team.id,
        },
    )
    session.expire_all()
    assert session.get(User, user.id).role == "sales"
    assert _memberships(session, user.id) == [team.id]
    assert session.get(Team, team.id).name == "Kinh doanh Đà Nẵng"


@pytest.mark.parametrize("who", ["manager", "sales_a"])
def test_only_the_admin_manages_users_and_teams(session, org, who):
    actor = getattr(org, who)
    before = stored_counts(session)
    calls = [
        lambda: users.create_user(
            session, actor, {"username": "nv.moi", "email": "moi@congty.vn", "full_name": "Mới", "password": PASSWORD}
        ),
        lambda: users.create_team(session, actor, "Nhóm mới"),
        lambda: users.set_active(session, actor, org.sales_b.id, False),
        lambda: users.set_team_active(session, actor, org.team1.id, False),
        lambda: users.set_membership(session, actor, org.sales_b.id, [org.team2.id]),
    ]
    for call in calls:
        with pytest.raises(NotAllowed) as exc:
            call()
        assert exc.value.key == "err.admin_only"
    assert stored_counts(session) == before
    session.expire_all()
    assert session.get(User, org.sales_b.id).active is True
    assert session.get(Team, org.team1.id).active is True
    assert _memberships(session, org.sales_b.id) == [org.team1.id]


def test_set_active(session, org):
    user = users.set_active(session, org.admin, org.sales_b.id, False)
    assert user.active is False
    session.expire_all()
    assert session.get(User, org.sales_b.id).active is False
    with pytest.raises(NotAllowed):
        load_actor(session, org.sales_b.id)
    users.set_active(session, org.admin, org.sales_b.id, True)
    assert load_actor(session, org.sales_b.id).id == org.sales_b.id


def test_admin_cannot_deactivate_themself(session, org):
    with pytest.raises(ValidationFailed) as exc:
        users.set_active(session, org.admin, org.admin.id, False)
    assert exc.value.errors == {"user": ("err.cannot_deactivate_self", {})}
    session.expire_all()
    assert session.get(User, org.admin.id).active is True


def test_set_active_of_a_missing_user(session, org):
    with pytest.raises(ValidationFailed) as exc:
        users.set_active(session, org.admin, 987654, False)
    assert exc.value.errors == {"user": ("err.invalid_choice", {})}


def test_set_membership_moves_visibility(session, org):
    record = make_customer(session, org.sales_b, "Khách của B")
    users.set_membership(session, org.admin, org.sales_b.id, [org.team2.id, org.team2.id])
    assert _memberships(session, org.sales_b.id) == [org.team2.id]

    manager = load_actor(session, org.manager.id)
    other_manager = load_actor(session, org.other_manager.id)
    assert org.sales_b.id not in manager.visible_owner_ids
    assert org.sales_b.id in other_manager.visible_owner_ids
    with pytest.raises(NotAllowed):
        customers.get(session, manager, record.id)
    assert customers.get(session, other_manager, record.id).id == record.id


def test_set_membership_in_several_teams_and_none(session, org):
    users.set_membership(session, org.admin, org.sales_a.id, [org.team2.id, org.team1.id])
    assert _memberships(session, org.sales_a.id) == sorted([org.team1.id, org.team2.id])
    assert org.sales_a.id in load_actor(session, org.other_manager.id).visible_owner_ids
    assert org.sales_a.id in load_actor(session, org.manager.id).visible_owner_ids

    users.set_membership(session, org.admin, org.sales_a.id, [])
    assert _memberships(session, org.sales_a.id) == []
    assert org.sales_a.id not in load_actor(session, org.manager.id).visible_owner_ids
    # a sales user without a team still sees their own records
    assert load_actor(session, org.sales_a.id).visible_owner_ids == {org.sales_a.id}


def test_create_team_refuses_a_taken_or_empty_name(session):
    make_team(session, "Kinh doanh Hà Nội")
    before = stored_counts(session)
    for name in ("Kinh doanh Hà Nội", "kinh doanh hà nội", "  Kinh   doanh Hà Nội "):
        with pytest.raises(ValidationFailed) as exc:
            users.create_team(session, None, name)
        assert exc.value.errors == {"name": ("err.team_taken", {})}
    for name in ("", "   "):
        with pytest.raises(ValidationFailed) as exc:
            users.create_team(session, None, name)
        assert exc.value.errors["name"][0] == "err.required"
    with pytest.raises(ValidationFailed) as exc:
        users.create_team(session, None, "N" * 121)
    assert exc.value.errors["name"][0] == "err.too_long"
    assert stored_counts(session) == before


def test_create_team_stores_a_clean_name(session):
    team = make_team(session, "  Kinh   doanh  Cần Thơ ")
    session.expire_all()
    assert session.get(Team, team.id).name == "Kinh doanh Cần Thơ"


def test_set_team_active(session, org):
    users.set_team_active(session, org.admin, org.team2.id, False)
    session.expire_all()
    assert session.get(Team, org.team2.id).active is False
    with pytest.raises(ValidationFailed):
        users.set_team_active(session, org.admin, 4242, False)


def test_set_language(session):
    user = make_user(session, "nv.an")
    users.set_language(session, user.id, "en")
    session.expire_all()
    assert session.get(User, user.id).language == "en"
    with pytest.raises(ValidationFailed) as exc:
        users.set_language(session, user.id, "fr")
    assert exc.value.errors == {"language": ("err.invalid_choice", {})}
    session.expire_all()
    assert session.get(User, user.id).language == "en"


def test_list_users_and_teams(session, org):
    listed = {u["username"]: u for u in users.list_users(session)}
    assert set(listed) == {"sales.a", "sales.b", "manager.hn", "manager.hcm", "sales.hcm", "quantri"}
    assert listed["sales.a"]["teams"] == "Kinh doanh Hà Nội"
    assert listed["quantri"]["teams"] == "" and listed["quantri"]["role"] == "admin"
    assert "password_hash" not in listed["sales.a"]
    teams = {t["name"]: t["members"] for t in users.list_teams(session)}
    assert teams == {"Kinh doanh Hà Nội": 3, "Kinh doanh TP.HCM": 2}


def test_manager_actor_from_a_new_user(session, org):
    newcomer = make_user(session, "nv.moi", "sales", org.team2)
    assert newcomer.id in actor_of(session, org.other_manager.id).visible_owner_ids

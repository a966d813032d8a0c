"""Who sees and changes what: sales own records, managers their team's, admins everything."""

import pytest

from crm_app.models import Contact, Customer
from crm_app.services.customer import contacts, customers
from crm_app.services.errors import NotAllowed, ValidationFailed
from crm_app.services.lists import query
from crm_app.services.people import users
from crm_app.services.people.permissions import load_actor
from tests.unit.factories import history, make_contact, make_customer, make_org, reloaded, stored_counts


@pytest.fixture
def org(session):
    return make_org(session)


@pytest.fixture
def b_customer(session, org):
    return make_customer(session, org.sales_b, "Khách của B", phones=["0912345678"], province="Hà Nội")


def _visible(session, actor, entity="customer", search=""):
    """(count, ids of the first page) of the actor's list."""
    spec = query.ListSpec(
        entity=entity, columns=["full_name", "owner_id"], sort="full_name", search=search, page_size=200
    )
    page = query.fetch_page(session, actor, spec)
    return query.count(session, actor, spec), {r["id"] for r in page.rows}


# --- actors ------------------------------------------------------------------------------------------


def test_actors_see_the_right_owners(org):
    assert org.sales_a.visible_owner_ids == {org.sales_a.id}
    assert org.manager.visible_owner_ids == {org.manager.id, org.sales_a.id, org.sales_b.id}
    assert org.other_manager.visible_owner_ids == {org.other_manager.id, org.other_sales.id}
    assert org.admin.visible_owner_ids is None
    assert org.admin.is_admin and org.manager.is_manager and not org.sales_a.is_manager


def test_inactive_or_missing_user_is_no_actor(session, org):
    users.set_active(session, org.admin, org.sales_a.id, False)
    with pytest.raises(NotAllowed) as exc:
        load_actor(session, org.sales_a.id)
    assert exc.value.key == "err.session_invalid"
    with pytest.raises(NotAllowed):
        load_actor(session, 987654)


# --- customers ---------------------------------------------------------------------------------------


def test_sales_cannot_read_anothers_customer(session, org, b_customer):
    with pytest.raises(NotAllowed) as exc:
        customers.get(session, org.sales_a, b_customer.id)
    assert exc.value.key == "err.not_allowed"
    assert customers.name_of(session, org.sales_a, b_customer.id) == ""
    assert customers.get(session, org.sales_b, b_customer.id).id == b_customer.id


def test_sales_cannot_update_anothers_customer(session, org, b_customer):
    before = stored_counts(session)
    with pytest.raises(NotAllowed):
        customers.update(session, org.sales_a, b_customer.id, {"full_name": "Đã sửa", "province": "Huế"})
    with pytest.raises(NotAllowed):
        customers.update(session, org.sales_a, b_customer.id, {"owner_id": org.sales_a.id})
    assert stored_counts(session) == before
    stored = reloaded(session, Customer, b_customer.id)
    assert (stored.full_name, stored.province, stored.owner_id) == ("Khách của B", "01", org.sales_b.id)


def test_sales_cannot_archive_anothers_customer(session, org, b_customer):
    before = stored_counts(session)
    with pytest.raises(NotAllowed):
        customers.set_archived(session, org.sales_a, b_customer.id, True)
    assert stored_counts(session) == before
    assert reloaded(session, Customer, b_customer.id).archived is False
    assert {r.action for r in history(session, "customer", b_customer.id)} == {"create"}


def test_missing_customer_is_not_allowed_either(session, org):
    with pytest.raises(NotAllowed):
        customers.get(session, org.admin, 123456)


def test_sales_cannot_create_a_customer_owned_by_someone_else(session, org):
    before = stored_counts(session)
    for owner in (org.sales_b.id, org.manager.id, org.other_sales.id):
        with pytest.raises(NotAllowed) as exc:
            customers.create(session, org.sales_a, {"full_name": "Khách mới", "owner_id": owner})
        assert exc.value.key == "err.owner_not_allowed"
    assert stored_counts(session) == before


def test_sales_cannot_hand_their_customer_to_someone_else(session, org):
    mine = make_customer(session, org.sales_a, "Khách của A")
    with pytest.raises(NotAllowed) as exc:
        customers.update(session, org.sales_a, mine.id, {"owner_id": org.sales_b.id})
    assert exc.value.key == "err.owner_not_allowed"
    assert reloaded(session, Customer, mine.id).owner_id == org.sales_a.id


def test_manager_reads_and_reassigns_within_the_team(session, org, b_customer):
    assert customers.get(session, org.manager, b_customer.id).full_name == "Khách của B"
    customers.update(session, org.manager, b_customer.id, {"owner_id": org.sales_a.id})
    session.commit()
    stored = reloaded(session, Customer, b_customer.id)
    assert stored.owner_id == org.sales_a.id and stored.updated_by_id == org.manager.id
    owner_change = [
        r for r in history(session, "customer", b_customer.id) if r.field == "owner_id" and r.action == "update"
    ]
    assert [(r.old_value, r.new_value, r.user_id) for r in owner_change] == [
        (str(org.sales_b.id), str(org.sales_a.id), org.manager.id)
    ]
    # now A sees it and B does not
    assert customers.get(session, org.sales_a, b_customer.id).id == b_customer.id
    with pytest.raises(NotAllowed):
        customers.get(session, org.sales_b, b_customer.id)


def test_manager_creates_for_a_team_member(session, org):
    created = customers.create(session, org.manager, {"full_name": "Khách giao cho B", "owner_id": org.sales_b.id})
    session.commit()
    assert reloaded(session, Customer, created.customer.id).owner_id == org.sales_b.id
    with pytest.raises(NotAllowed) as exc:
        customers.create(session, org.manager, {"full_name": "Khách ngoài nhóm", "owner_id": org.other_sales.id})
    assert exc.value.key == "err.owner_not_allowed"


def test_manager_cannot_reassign_to_another_team(session, org, b_customer):
    before = stored_counts(session)
    for owner in (org.other_sales.id, org.other_manager.id, org.admin.id):
        with pytest.raises(NotAllowed) as exc:
            customers.update(session, org.manager, b_customer.id, {"owner_id": owner})
        assert exc.value.key == "err.owner_not_allowed"
    assert stored_counts(session) == before
    assert reloaded(session, Customer, b_customer.id).owner_id == org.sales_b.id


def test_other_teams_manager_cannot_read_or_change(session, org, b_customer):
    with pytest.raises(NotAllowed):
        customers.get(session, org.other_manager, b_customer.id)
    with pytest.raises(NotAllowed):
        customers.update(session, org.other_manager, b_customer.id, {"province": "Cần Thơ"})
    with pytest.raises(NotAllowed):
        customers.set_archived(session, org.other_manager, b_customer.id, True)
    with pytest.raises(NotAllowed):
        customers.clone_values(session, org.other_manager, b_customer.id)
    stored = reloaded(session, Customer, b_customer.id)
    assert (stored.province, stored.archived) == ("01", False)


def test_admin_reads_changes_and_reassigns_anything(session, org, b_customer):
    assert customers.get(session, org.admin, b_customer.id).id == b_customer.id
    customers.update(session, org.admin, b_customer.id, {"owner_id": org.other_sales.id, "province": "Cần Thơ"})
    session.commit()
    stored = reloaded(session, Customer, b_customer.id)
    assert (stored.owner_id, stored.province) == (org.other_sales.id, "92")
    customers.set_archived(session, org.admin, b_customer.id, True)
    session.commit()
    assert reloaded(session, Customer, b_customer.id).archived is True


def test_list_shows_each_actor_only_their_records(session, org):
    a_ids = {make_customer(session, org.sales_a, f"Khách A {i}").id for i in range(3)}
    b_ids = {make_customer(session, org.sales_b, f"Khách B {i}").id for i in range(2)}
    m_ids = {make_customer(session, org.manager, "Khách của quản lý").id}
    o_ids = {make_customer(session, org.other_sales, f"Khách HCM {i}").id for i in range(2)}

    assert _visible(session, org.sales_a) == (3, a_ids)
    assert _visible(session, org.sales_b) == (2, b_ids)
    assert _visible(session, org.manager) == (6, a_ids | b_ids | m_ids)
    assert _visible(session, org.other_manager) == (2, o_ids)
    assert _visible(session, org.admin) == (8, a_ids | b_ids | m_ids | o_ids)
    # a search does not widen what is visible
    assert _visible(session, org.sales_a, search="khach") == (3, a_ids)
    assert _visible(session, org.sales_a, search="Khách B") == (0, set())
    assert query.owner_options(session, org.sales_a) == [(org.sales_a.id, "Sales A")]
    assert {uid for uid, _ in query.owner_options(session, org.manager)} == {
        org.sales_a.id,
        org.sales_b.id,
        org.manager.id,
    }


def test_pickers_offer_only_visible_customers(session, org):
    a = make_customer(session, org.sales_a, "Công ty An Phát", kind="business")
    make_customer(session, org.sales_b, "Công ty Bình Phát", kind="business")
    assert [cid for cid, _ in customers.pick(session, org.sales_a, "phat")] == [a.id]
    assert len(customers.pick(session, org.manager, "phat")) == 2
    assert customers.pick(session, org.other_manager, "phat") == []


# --- contacts ----------------------------------------------------------------------------------------


@pytest.fixture
def b_contact(session, org, b_customer):
    return make_contact(
        session, org.sales_b, "Lê Thị Hoa", customer_id=b_customer.id, mobile="0987654321", title="Kế toán"
    )


def test_sales_cannot_read_update_or_archive_anothers_contact(session, org, b_contact):
    before = stored_counts(session)
    with pytest.raises(NotAllowed):
        contacts.get(session, org.sales_a, b_contact.id)
    with pytest.raises(NotAllowed):
        contacts.update(session, org.sales_a, b_contact.id, {"title": "Giám đốc"})
    with pytest.raises(NotAllowed):
        contacts.set_archived(session, org.sales_a, b_contact.id, True)
    assert stored_counts(session) == before
    stored = reloaded(session, Contact, b_contact.id)
    assert (stored.title, stored.archived, stored.owner_id) == ("Kế toán", False, org.sales_b.id)


def test_sales_cannot_create_a_contact_for_someone_else_or_their_customer(session, org, b_customer):
    before = stored_counts(session)
    with pytest.raises(NotAllowed) as exc:
        contacts.create(session, org.sales_a, {"full_name": "Người mới", "owner_id": org.sales_b.id})
    assert exc.value.key == "err.owner_not_allowed"
    with pytest.raises(ValidationFailed) as exc:
        contacts.create(session, org.sales_a, {"full_name": "Người mới", "customer_id": b_customer.id})
    assert exc.value.errors == {"customer_id": ("err.invalid_choice", {})}
    assert stored_counts(session) == before


def test_contact_reports_to_an_invisible_contact_is_refused(session, org, b_contact):
    with pytest.raises(ValidationFailed) as exc:
        contacts.create(session, org.sales_a, {"full_name": "Người mới", "reports_to_id": b_contact.id})
    assert exc.value.errors == {"reports_to_id": ("err.invalid_choice", {})}


def test_manager_and_admin_with_contacts(session, org, b_contact):
    assert contacts.get(session, org.manager, b_contact.id).full_name == "Lê Thị Hoa"
    contacts.update(session, org.manager, b_contact.id, {"owner_id": org.sales_a.id})
    session.commit()
    assert reloaded(session, Contact, b_contact.id).owner_id == org.sales_a.id
    with pytest.raises(NotAllowed):
        contacts.update(session, org.manager, b_contact.id, {"owner_id": org.other_sales.id})
    assert reloaded(session, Contact, b_contact.id).owner_id == org.sales_a.id
    with pytest.raises(NotAllowed):
        contacts.get(session, org.other_manager, b_contact.id)
    assert contacts.get(session, org.admin, b_contact.id).id == b_contact.id
    contacts.set_archived(session, org.admin, b_contact.id, True)
    session.commit()
    assert reloaded(session, Contact, b_contact.id).archived is True


def test_contact_list_shows_each_actor_only_their_records(session, org):
    a_ids = {make_contact(session, org.sales_a, f"Liên hệ A {i}").id for i in range(2)}
    b_ids = {make_contact(session, org.sales_b, "Liên hệ B").id}
    o_ids = {make_contact(session, org.other_sales, "Liên hệ HCM").id}
    assert _visible(session, org.sales_a, "contact") == (2, a_ids)
    assert _visible(session, org.sales_b, "contact") == (1, b_ids)
    assert _visible(session, org.manager, "contact") == (3, a_ids | b_ids)
    assert _visible(session, org.other_manager, "contact") == (1, o_ids)
    assert _visible(session, org.admin, "contact") == (4, a_ids | b_ids | o_ids)
    assert _visible(session, org.sales_a, "contact", search="lien he") == (2, a_ids)


def test_contacts_of_a_customer_are_filtered_too(session, org, b_customer, b_contact):
    make_contact(session, org.manager, "Trợ lý của quản lý", customer_id=b_customer.id)
    assert [c.full_name for c in contacts.of_customer(session, org.sales_b, b_customer.id)] == ["Lê Thị Hoa"]
    assert len(contacts.of_customer(session, org.manager, b_customer.id)) == 2
    assert contacts.of_customer(session, org.other_manager, b_customer.id) == []

"""Static lists and custom field definitions: rights, validation, members."""

import pytest
from sqlmodel import select

from crm_app.models import CustomField, RecordList, RecordListMember
from crm_app.services.errors import NotAllowed, ValidationFailed
from crm_app.services.lists import record_lists, saved_filters
from crm_app.services.records import custom_fields
from crm_app.services.records.fields import entity_def
from tests.unit.factories import count, default_catalogs, make_customer, make_org


@pytest.fixture
def org(session):
    default_catalogs(session)
    return make_org(session)


def test_create_rename_delete_a_list(session, org):
    found = record_lists.create(session, org.sales_a, "customer", {"name": " Hội chợ  Tết "})
    assert found.name == "Hội chợ Tết"
    record_lists.rename(session, org.sales_a, found.id, {"name": "Hội chợ 2027"})
    assert session.get(RecordList, found.id).name == "Hội chợ 2027"
    with pytest.raises(ValidationFailed):
        record_lists.rename(session, org.sales_a, found.id, {"name": ""})
    c = make_customer(session, org.sales_a, "Khách Một", phones="0912 111 111")
    assert record_lists.add_members(session, org.sales_a, found.id, [c.id]) == 1
    record_lists.delete(session, org.sales_a, found.id)
    assert count(session, RecordList) == 0 and count(session, RecordListMember) == 0


def test_lists_follow_record_visibility(session, org):
    mine = record_lists.create(session, org.sales_a, "customer", {"name": "Của A"})
    own = make_customer(session, org.sales_a, "Khách A", phones="0912 111 112")
    other = make_customer(session, org.sales_b, "Khách B", phones="0912 111 113")
    assert record_lists.add_members(session, org.sales_a, mine.id, [own.id, other.id, 999999]) == 1
    assert record_lists.add_members(session, org.sales_a, mine.id, [own.id]) == 0
    assert [(rl.name, n) for rl, n in record_lists.visible(session, org.sales_a, "customer")] == [("Của A", 1)]
    assert record_lists.visible(session, org.sales_b, "customer") == []
    # personal: not even her manager or an admin sees it
    for other_eyes in (org.manager, org.admin):
        assert record_lists.visible(session, other_eyes, "customer") == []
        with pytest.raises(NotAllowed):
            record_lists.get(session, other_eyes, mine.id)
    for call in (
        lambda: record_lists.rename(session, org.sales_b, mine.id, {"name": "X"}),
        lambda: record_lists.delete(session, org.other_manager, mine.id),
        lambda: record_lists.add_members(session, org.sales_b, mine.id, [other.id]),
        lambda: record_lists.add_members(session, org.manager, mine.id, [other.id]),
        lambda: record_lists.remove_members(session, org.manager, mine.id, [own.id]),
    ):
        with pytest.raises(NotAllowed):
            call()
    assert record_lists.remove_members(session, org.sales_a, mine.id, [own.id]) == 1
    assert session.exec(select(RecordListMember)).all() == []


def test_custom_fields_are_admin_only_and_checked(session, org):
    with pytest.raises(NotAllowed):
        custom_fields.create(session, org.manager, "customer", {"label": "Hạng", "type": "text"})
    with pytest.raises(ValidationFailed) as exc:
        custom_fields.create(session, org.admin, "customer", {"label": "", "type": "color"})
    assert set(exc.value.errors) == {"label", "type"}
    with pytest.raises(ValidationFailed) as exc:
        custom_fields.create(session, org.admin, "customer", {"label": "Hạng", "type": "choice", "options": " , "})
    assert exc.value.errors["options"][0] == "err.options_required"
    with pytest.raises(ValidationFailed):
        custom_fields.create(session, org.admin, "lead", {"label": "Hạng", "type": "text"})
    assert count(session, CustomField) == 0


def test_custom_fields_join_the_registry(session, org):
    first = custom_fields.create(
        session, org.admin, "customer", {"label": "Hạng thành viên", "type": "choice", "options": "Vàng, Bạc, Vàng"}
    )
    # another label with the same key: the key gets a number (the same label is refused)
    second = custom_fields.create(session, org.admin, "customer", {"label": "Hạng-thành-viên!", "type": "text"})
    assert (first.key, second.key) == ("hang_thanh_vien", "hang_thanh_vien_2")
    assert first.options == ["Vàng", "Bạc"]
    entity = entity_def(session, "customer")
    f = entity.field("cf_hang_thanh_vien")
    assert (f.type, f.values, f.bulk, f.label, f.sortable) == (
        "choice",
        ("Vàng", "Bạc"),
        True,
        "Hạng thành viên",
        False,
    )
    assert "any_of" in f.operators
    assert entity_def(session, "contact").field("cf_hang_thanh_vien") is None
    custom_fields.set_active(session, org.admin, first.id, False)
    assert entity_def(session, "customer").field("cf_hang_thanh_vien") is None


def test_contact_custom_fields_are_saved_with_history(session, org):
    from crm_app.services.customer import contacts
    from tests.unit.factories import changes, make_contact

    custom_fields.create(session, org.admin, "contact", {"label": "Sinh nhật công ty", "type": "date"})
    custom_fields.create(
        session,
        org.admin,
        "contact",
        {"label": "Kênh ưa thích", "type": "multichoice", "options": "Zalo, Email, Điện thoại"},
    )
    person = make_contact(session, org.sales_a, "Phạm Minh", cf_sinh_nhat_cong_ty="2020-03-15", cf_kenh_ua_thich="Zalo")
    assert custom_fields.snapshot(session, "contact", person.id) == {
        "cf_sinh_nhat_cong_ty": __import__("datetime").date(2020, 3, 15),
        "cf_kenh_ua_thich": ["Zalo"],
    }
    contacts.update(session, org.sales_a, person.id, {"cf_kenh_ua_thich": ["Email", "Zalo"]})
    assert changes(session, "contact", person.id, "update") == {"cf_kenh_ua_thich": ("Zalo", "Zalo, Email")}
    with pytest.raises(ValidationFailed) as exc:
        contacts.update(session, org.sales_a, person.id, {"cf_kenh_ua_thich": "Fax"})
    assert exc.value.errors == {"cf_kenh_ua_thich": ("err.invalid_choice", {})}
    assert custom_fields.snapshot(session, "contact", person.id)["cf_kenh_ua_thich"] == ["Zalo", "Email"]


def test_a_personal_saved_filter_is_its_creators_alone(session, org):

    spec = {"op": "and", "items": [{"field": "full_name", "operator": "contains", "value": "An"}]}
    mine = saved_filters.create(session, org.sales_a, "customer", {"name": "Khách tên An"}, spec)
    session.commit()
    assert [f.name for f in saved_filters.visible(session, org.sales_a, "customer")] == ["Khách tên An"]
    for other_eyes in (org.sales_b, org.manager, org.admin):
        assert saved_filters.visible(session, other_eyes, "customer") == []
        with pytest.raises(NotAllowed):
            saved_filters.get(session, other_eyes, mine.id)
        with pytest.raises(NotAllowed):
            saved_filters.delete(session, other_eyes, mine.id)

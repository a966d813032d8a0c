"""Customers: create with every field, the duplicate rule, "assigned to", clone, archive, history."""

from datetime import date

import pytest
from sqlmodel import select

from crm_app.models import Customer, CustomerPhone
from crm_app.services.customer import customers
from crm_app.services.errors import NotAllowed, ValidationFailed
from crm_app.services.lists import query
from tests.unit.factories import (
    changes,
    default_catalogs,
    history,
    make_customer,
    make_org,
    make_sales,
    reloaded,
    stored_counts,
)


@pytest.fixture
def cat(session):
    return default_catalogs(session)


@pytest.fixture
def sales(session):
    return make_sales(session, "nv.an")


def _count(session, actor, archived=False, search=""):
    return query.count(session, actor, query.ListSpec(entity="customer", archived=archived, search=search))


# --- create ------------------------------------------------------------------------------------------


def test_create_with_every_field(session, sales, cat):
    company = make_customer(session, sales, "Công ty TNHH Ánh Dương", kind="business", status="customer")
    data = {
        "full_name": "  Nguyễn   Văn An ",
        "kind": "individual",
        "status": "potential",
        "email": " An.Nguyen@AnhDuong.VN ",
        "phones": ["+84 912 345 678", "(028) 3822 1234"],
        "country": "Việt Nam",
        "province": "Hà Nội",
        "address": "12 Phố Huế, Hai Bà Trưng",
        "tax_code": "0101234567-001",
        "website": "https://anhduong.vn",
        "birthday": "15/08/1990",
        "gender": "male",
        "category_id": str(cat["category"]["vip"]),
        "source_id": cat["source"]["referral"],
        "owner_id": sales.id,
        "assigned_to_id": company.id,
        "tags": ["Khách VIP", "Hội chợ 2024"],
        "rating": "4",
        "email_opt_out": "on",
        "do_not_call": True,
        "notify_on_change": "1",
        "description": "Dòng 1\nDòng 2",
    }
    result = customers.create(session, sales, data)
    session.commit()
    assert result.warnings == []
    stored = reloaded(session, Customer, result.customer.id)

    assert stored.code == f"KH{stored.id:06d}"
    assert stored.full_name == "Nguyễn Văn An"
    assert stored.name_norm == "nguyen van an"
    assert (stored.kind, stored.status) == ("individual", "potential")
    assert stored.email == stored.email_norm == "an.nguyen@anhduong.vn"
    assert stored.phone == "+84 912 345 678"
    assert stored.phone_norm == "0912345678"
    assert (stored.country, stored.province, stored.address) == ("Việt Nam", "01", "12 Phố Huế, Hai Bà Trưng")
    assert stored.tax_code == "0101234567-001"
    assert stored.website == "https://anhduong.vn"
    assert stored.birthday == date(1990, 8, 15)
    assert stored.gender == "male"
    assert stored.category_id == cat["category"]["vip"]
    assert stored.source_id == cat["source"]["referral"]
    assert stored.owner_id == stored.created_by_id == stored.updated_by_id == sales.id
    assert stored.assigned_to_id == company.id
    assert stored.rating == 4
    assert stored.email_opt_out is True and stored.do_not_call is True and stored.notify_on_change is True
    assert stored.description == "Dòng 1\nDòng 2"
    assert stored.archived is False and stored.archived_at is None

    phones = session.exec(
        select(CustomerPhone).where(CustomerPhone.customer_id == stored.id).order_by(CustomerPhone.position)
    ).all()
    assert [(p.number, p.number_norm, p.position) for p in phones] == [
        ("+84 912 345 678", "0912345678", 0),
        ("(028) 3822 1234", "02838221234", 1),
    ]
    assert customers.tags_of(session, stored.id) == ["Hội chợ 2024", "Khách VIP"]

    created = changes(session, "customer", stored.id, "create")
    assert created["code"] == (None, stored.code)
    assert created["full_name"] == (None, "Nguyễn Văn An")
    assert created["email"] == (None, "an.nguyen@anhduong.vn")
    assert created["phones"] == (None, "+84 912 345 678, (028) 3822 1234")
    assert created["birthday"] == (None, "1990-08-15")
    assert created["do_not_call"] == (None, "1")
    assert created["assigned_to_id"] == (None, str(company.id))
    assert all(row.user_id == sales.id for row in history(session, "customer", stored.id))


def test_create_minimal_uses_defaults(session, sales):
    customer = make_customer(session, sales, "Lê Thị Hoa")
    stored = reloaded(session, Customer, customer.id)
    assert (stored.kind, stored.status, stored.rating) == ("individual", "lead", 0)
    assert stored.owner_id == sales.id
    assert stored.phone == stored.phone_norm == stored.email == ""
    assert customers.phones_of(session, stored.id) == []


def test_codes_follow_ids(session, sales):
    first = make_customer(session, sales, "Khách một")
    second = make_customer(session, sales, "Khách hai")
    assert first.code == f"KH{first.id:06d}"
    assert second.code == f"KH{second.id:06d}"
    assert first.code != second.code


def test_full_name_is_required_at_the_field(session, sales):
    before = stored_counts(session)
    with pytest.raises(ValidationFailed) as exc:
        customers.create(session, sales, {"full_name": "", "email": "an@congty.vn"})
    assert exc.value.key == "err.form_invalid"
    assert exc.value.errors["full_name"][0] == "err.required"
    assert set(exc.value.errors) == {"full_name"}
    assert stored_counts(session) == before


def test_tags_are_shared_by_normalised_name(session, sales):
    one = make_customer(session, sales, "Khách một", tags=["Khách VIP"])
    two = make_customer(session, sales, "Khách hai", tags=["khach vip", "Mới"])
    assert customers.tags_of(session, one.id) == ["Khách VIP"]
    assert customers.tags_of(session, two.id) == ["Khách VIP", "Mới"]


# --- the duplicate rule ------------------------------------------------------------------------------


def test_same_name_and_same_phone_is_refused_and_nothing_saved(session, sales):
    first = make_customer(session, sales, "Nguyễn Văn An", phones=["+84 912 345 678"])
    before = stored_counts(session)

    with pytest.raises(ValidationFailed) as exc:
        customers.create(
            session,
            sales,
            {"full_name": "nguyen  van AN", "phones": ["0912.345.678"], "email": "khac@congty.vn", "tags": ["Mới"]},
        )
    errors = exc.value.errors
    key, params = errors["full_name"]
    assert key == "err.duplicate_customer"
    assert params["code"] == first.code
    assert params["id"] == first.id
    assert params["name"] == "Nguyễn Văn An"
    assert params["owner"] == "Nv An"
    assert errors["phones"] == ("err.duplicate_customer_field", {"code": first.code})

    after = stored_counts(session)
    assert after == before
    assert after["Customer"] == 1 and after["CustomerPhone"] == 1


def test_same_name_and_same_email_in_another_case_is_refused(session, sales):
    first = make_customer(session, sales, "Trần Thị Bình", email="binh.tran@congty.vn")
    before = stored_counts(session)
    with pytest.raises(ValidationFailed) as exc:
        customers.create(session, sales, {"full_name": "TRAN THI BINH", "email": "  Binh.Tran@CongTy.VN "})
    assert exc.value.errors["full_name"][0] == "err.duplicate_customer"
    assert exc.value.errors["full_name"][1]["code"] == first.code
    assert exc.value.errors["email"] == ("err.duplicate_customer_field", {"code": first.code})
    assert "phones" not in exc.value.errors
    assert stored_counts(session) == before


def test_duplicate_of_an_archived_or_invisible_customer_is_refused_too(session):
    org = make_org(session)
    other = make_customer(session, org.sales_b, "Phạm Minh Tuấn", phones=["0987654321"])
    customers.set_archived(session, org.sales_b, other.id, True)
    before = stored_counts(session)
    with pytest.raises(ValidationFailed) as exc:
        customers.create(session, org.sales_a, {"full_name": "Phạm Minh Tuấn", "phones": ["+84987654321"]})
    assert exc.value.errors["full_name"][1]["code"] == other.code
    assert stored_counts(session) == before


def test_duplicate_is_found_among_many_sharing_a_phone(session, sales):
    """A switchboard number shared by many customers must not hide the one with the same name."""
    for i in range(22):
        make_customer(session, sales, f"Nhân viên Sao Mai {i:02d}", phones=["028 3822 1234"])
    last = session.exec(select(Customer).order_by(Customer.id.desc())).first()
    before = stored_counts(session)
    with pytest.raises(ValidationFailed) as exc:
        customers.create(session, sales, {"full_name": "Nhân viên Sao Mai 21", "phones": ["(028) 3822-1234"]})
    assert exc.value.errors["full_name"][1]["code"] == last.code
    assert stored_counts(session) == before
    result = customers.create(session, sales, {"full_name": "Nhân viên Sao Mai 22", "phones": ["02838221234"]})
    assert len(result.warnings) == 20 and not any(m.same_name for m in result.warnings)


def test_same_phone_under_another_name_is_saved_with_a_warning(session, sales):
    first = make_customer(session, sales, "Nguyễn Văn An", phones=["0912 345 678"], email="an@congty.vn")
    result = customers.create(session, sales, {"full_name": "Nguyễn Văn Anh", "phones": ["+84912345678"]})
    session.commit()
    assert result.customer.id is not None and result.customer.id != first.id
    assert len(result.warnings) == 1
    match = result.warnings[0]
    assert (match.id, match.code, match.full_name, match.by, match.same_name) == (
        first.id,
        first.code,
        "Nguyễn Văn An",
        "phone",
        False,
    )
    assert stored_counts(session)["Customer"] == 2


def test_same_email_under_another_name_is_a_warning(session, sales):
    first = make_customer(session, sales, "Công ty Hoa Sen", email="lienhe@hoasen.vn", kind="business")
    result = customers.create(session, sales, {"full_name": "Lê Văn Sen", "email": "LienHe@HoaSen.vn"})
    session.commit()
    assert [(m.id, m.by, m.same_name) for m in result.warnings] == [(first.id, "email", False)]
    assert reloaded(session, Customer, result.customer.id).email_norm == "lienhe@hoasen.vn"


def test_same_name_alone_is_not_a_duplicate(session, sales):
    make_customer(session, sales, "Nguyễn Văn An", phones=["0912345678"])
    result = customers.create(session, sales, {"full_name": "Nguyễn Văn An", "phones": ["0987654321"]})
    session.commit()
    assert result.warnings == []
    assert stored_counts(session)["Customer"] == 2


def test_update_that_would_duplicate_is_refused_and_the_record_unchanged(session, sales):
    make_customer(session, sales, "Nguyễn Văn An", phones=["0912345678"])
    second = customers.create(
        session, sales, {"full_name": "Trần Văn Bảo", "phones": ["0912 345 678"], "province": "Huế"}
    )
    session.commit()
    assert [m.by for m in second.warnings] == ["phone"]
    second_id = second.customer.id
    before = stored_counts(session)

    with pytest.raises(ValidationFailed) as exc:
        customers.update(session, sales, second_id, {"full_name": "Nguyen Van An", "province": "Đà Nẵng"})
    assert exc.value.errors["full_name"][0] == "err.duplicate_customer"

    assert stored_counts(session) == before
    stored = reloaded(session, Customer, second_id)
    assert (stored.full_name, stored.name_norm, stored.province) == ("Trần Văn Bảo", "tran van bao", "46")
    assert customers.phones_of(session, second_id) == ["0912 345 678"]


def test_update_of_itself_is_not_a_duplicate(session, sales):
    customer = make_customer(session, sales, "Nguyễn Văn An", phones=["0912345678"], email="an@congty.vn")
    result = customers.update(session, sales, customer.id, {"province": "Hà Nội"})
    session.commit()
    assert result.warnings == []
    assert reloaded(session, Customer, customer.id).province == "01"


# --- assigned to -------------------------------------------------------------------------------------


def test_assigned_to_a_customer_of_another_kind(session, sales):
    company = make_customer(session, sales, "Công ty Cổ phần Sao Mai", kind="business")
    person = make_customer(session, sales, "Đỗ Thị Mai", kind="individual", assigned_to_id=company.id)
    assert reloaded(session, Customer, person.id).assigned_to_id == company.id
    assert customers.pick(session, sales, other_than_kind="individual") == [
        (company.id, f"Công ty Cổ phần Sao Mai ({company.code})")
    ]


def test_assigned_to_the_same_kind_is_refused(session, sales):
    company = make_customer(session, sales, "Công ty Sao Mai", kind="business")
    before = stored_counts(session)
    with pytest.raises(ValidationFailed) as exc:
        customers.create(
            session, sales, {"full_name": "Công ty Bình Minh", "kind": "business", "assigned_to_id": company.id}
        )
    assert exc.value.errors == {"assigned_to_id": ("err.assigned_same_kind", {})}
    assert stored_counts(session) == before


def test_assigned_to_the_same_kind_on_update_is_refused(session, sales):
    company = make_customer(session, sales, "Công ty Sao Mai", kind="business")
    person = make_customer(session, sales, "Đỗ Thị Mai", assigned_to_id=company.id)
    before = stored_counts(session)
    with pytest.raises(ValidationFailed) as exc:
        customers.update(session, sales, person.id, {"kind": "business"})
    assert exc.value.errors["assigned_to_id"][0] == "err.assigned_same_kind"
    assert stored_counts(session) == before
    stored = reloaded(session, Customer, person.id)
    assert (stored.kind, stored.assigned_to_id) == ("individual", company.id)


def test_assigned_to_itself_or_a_missing_customer_is_refused(session, sales):
    company = make_customer(session, sales, "Công ty Sao Mai", kind="business")
    with pytest.raises(ValidationFailed) as exc:
        customers.update(session, sales, company.id, {"assigned_to_id": company.id, "kind": "public"})
    assert exc.value.errors["assigned_to_id"][0] == "err.invalid_choice"
    with pytest.raises(ValidationFailed) as exc:
        customers.create(session, sales, {"full_name": "Đỗ Thị Mai", "assigned_to_id": 999999})
    assert exc.value.errors["assigned_to_id"][0] == "err.invalid_choice"
    assert stored_counts(session)["Customer"] == 1


def test_assigned_to_an_invisible_customer_is_refused(session):
    org = make_org(session)
    hidden = make_customer(session, org.sales_b, "Công ty của B", kind="business")
    before = stored_counts(session)
    with pytest.raises(ValidationFailed) as exc:
        customers.create(session, org.sales_a, {"full_name": "Khách của A", "assigned_to_id": hidden.id})
    assert exc.value.errors["assigned_to_id"][0] == "err.invalid_choice"
    assert stored_counts(session) == before
    assert customers.pick(session, org.sales_a, other_than_kind="individual") == []


# --- clone -------------------------------------------------------------------------------------------


def test_clone_values(session, sales, cat):
    original = make_customer(
        session,
        sales,
        "Công ty Hải Âu",
        kind="business",
        status="customer",
        email="info@haiau.vn",
        phones=["02438261234", "0912345678"],
        province="Hải Phòng",
        category_id=cat["category"]["vip"],
        tags=["Đối tác"],
        rating=5,
        birthday="2001-02-03",
        do_not_call=True,
    )
    values = customers.clone_values(session, sales, original.id)
    assert set(values) == set(customers.FORM_FIELDS)
    assert "code" not in values and "id" not in values
    assert values["full_name"] == "Công ty Hải Âu"
    assert values["phones"] == ["02438261234", "0912345678"]
    assert values["tags"] == ["Đối tác"]
    assert values["category_id"] == cat["category"]["vip"]
    assert values["birthday"] == date(2001, 2, 3)
    assert values["owner_id"] == sales.id
    assert values["do_not_call"] is True and values["rating"] == 5

    # saved unchanged, the copy is a duplicate; with another name it is a new record with its own code
    with pytest.raises(ValidationFailed):
        customers.create(session, sales, values)
    copy = customers.create(session, sales, {**values, "full_name": "Công ty Hải Âu Miền Nam"})
    assert copy.customer.id != original.id and copy.customer.code != original.code
    assert {m.id for m in copy.warnings} == {original.id}
    assert customers.phones_of(session, copy.customer.id) == ["02438261234", "0912345678"]
    assert customers.tags_of(session, copy.customer.id) == ["Đối tác"]


def test_clone_of_an_invisible_customer_is_refused(session):
    org = make_org(session)
    hidden = make_customer(session, org.sales_b, "Khách của B")
    with pytest.raises(NotAllowed):
        customers.clone_values(session, org.sales_a, hidden.id)


# --- archive / restore -------------------------------------------------------------------------------


def test_archive_and_restore_write_history_and_move_the_record(session, sales):
    keep = make_customer(session, sales, "Khách ở lại")
    gone = make_customer(session, sales, "Khách lưu trữ")
    assert (_count(session, sales), _count(session, sales, archived=True)) == (2, 0)

    customers.set_archived(session, sales, gone.id, True)
    session.commit()
    stored = reloaded(session, Customer, gone.id)
    assert stored.archived is True and stored.archived_at is not None
    assert (_count(session, sales), _count(session, sales, archived=True)) == (1, 1)
    page = query.fetch_page(session, sales, query.ListSpec(entity="customer", columns=["full_name"]))
    assert [r["id"] for r in page.rows] == [keep.id]
    archive = query.fetch_page(session, sales, query.ListSpec(entity="customer", columns=["full_name"], archived=True))
    assert [r["full_name"] for r in archive.rows] == ["Khách lưu trữ"]

    # archiving twice writes nothing more
    customers.set_archived(session, sales, gone.id, True)
    assert [r.action for r in history(session, "customer", gone.id) if r.action != "create"] == ["archive"]

    customers.set_archived(session, sales, gone.id, False)
    session.commit()
    stored = reloaded(session, Customer, gone.id)
    assert stored.archived is False and stored.archived_at is None
    assert (_count(session, sales), _count(session, sales, archived=True)) == (2, 0)
    rows = [r for r in history(session, "customer", gone.id) if r.action != "create"]
    assert [(r.action, r.user_id) for r in rows] == [("archive", sales.id), ("restore", sales.id)]
    assert {r.action for r in history(session, "customer", keep.id)} == {"create"}


def test_archived_customer_is_left_out_of_pickers(session, sales):
    company = make_customer(session, sales, "Công ty Sao Mai", kind="business")
    customers.set_archived(session, sales, company.id, True)
    assert customers.pick(session, sales, "sao mai") == []


# --- history -----------------------------------------------------------------------------------------


def test_every_change_is_in_history_with_old_and_new_values(session, sales, cat):
    customer = make_customer(
        session, sales, "Nguyễn Văn An", email="an@congty.vn", phones=["0912345678"], rating=2, tags=["Mới"]
    )
    customers.update(
        session,
        sales,
        customer.id,
        {
            "full_name": "Nguyễn Văn An Khang",
            "email": "AnKhang@CongTy.vn",
            "phones": ["0912345678", "028 3822 1234"],
            "rating": "5",
            "birthday": "01/12/1985",
            "do_not_call": True,
            "category_id": cat["category"]["potential"],
            "tags": ["Mới", "VIP"],
        },
    )
    session.commit()
    updated = changes(session, "customer", customer.id, "update")
    assert updated == {
        "full_name": ("Nguyễn Văn An", "Nguyễn Văn An Khang"),
        "email": ("an@congty.vn", "ankhang@congty.vn"),
        "phones": ("0912345678", "0912345678, 028 3822 1234"),
        "rating": ("2", "5"),
        "birthday": (None, "1985-12-01"),
        "do_not_call": ("0", "1"),
        "category_id": (None, str(cat["category"]["potential"])),
        "tags": ("Mới", "Mới, VIP"),
    }
    rows = [r for r in history(session, "customer", customer.id) if r.action == "update"]
    assert all(r.user_id == sales.id for r in rows)
    stored = reloaded(session, Customer, customer.id)
    assert stored.full_name == "Nguyễn Văn An Khang" and stored.name_norm == "nguyen van an khang"
    assert stored.email_norm == "ankhang@congty.vn"
    assert stored.updated_by_id == sales.id

    # clearing a value is a change to None; saving without a change writes nothing
    customers.update(session, sales, customer.id, {"birthday": ""})
    assert changes(session, "customer", customer.id, "update")["birthday"] == ("1985-12-01", None)
    total = len(history(session, "customer", customer.id))
    customers.update(session, sales, customer.id, {})
    assert len(history(session, "customer", customer.id)) == total


def test_history_of_a_change_by_another_user(session):
    org = make_org(session)
    customer = make_customer(session, org.sales_a, "Khách của A", province="Hà Nội")
    customers.update(session, org.manager, customer.id, {"province": "Hải Dương"})
    session.commit()
    rows = [r for r in history(session, "customer", customer.id) if r.action == "update"]
    assert [(r.field, r.old_value, r.new_value, r.user_id) for r in rows] == [
        ("province", "01", "31", org.manager.id)  # Hải Dương is part of Hải Phòng since 2025
    ]
    assert reloaded(session, Customer, customer.id).updated_by_id == org.manager.id


def test_similar_to_lists_records_sharing_a_phone_with_links_only_when_visible(session):
    from crm_app.services.customer.customers import similar_to
    from tests.unit.factories import actor_of, make_user

    owner = actor_of(session, make_user(session, "sim.owner"))
    other = actor_of(session, make_user(session, "sim.other"))
    first = customers.create(session, owner, {"full_name": "Lý Thị Sim", "phones": "0901 234 567"}).customer
    second = customers.create(session, other, {"full_name": "Ngô Văn Khác", "phones": "+84901234567"})
    assert [w.id for w in second.warnings] == [first.id]
    seen_by_other = similar_to(session, other, second.customer)
    assert [(m["id"], m["by"], m["visible"]) for m in seen_by_other] == [(first.id, "phone", False)]
    assert [(m["id"], m["visible"]) for m in similar_to(session, owner, first)] == [(second.customer.id, False)]


@pytest.mark.parametrize("name", ["status", "kind"])
def test_emptying_a_required_choice_is_refused_and_changes_nothing(session, sales, name):
    cust = customers.create(
        session, sales, {"full_name": "Hồ Văn Tiềm", "status": "potential", "kind": "business"}
    ).customer
    with pytest.raises(ValidationFailed) as raised:
        customers.update(session, sales, cust.id, {name: ""})
    assert raised.value.errors == {name: ("err.required", {})}
    session.expire_all()
    stored = session.get(Customer, cust.id)
    assert (stored.status, stored.kind) == ("potential", "business")

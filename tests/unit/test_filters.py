"""The filter part of the query builder: every operator of every field type, AND / OR groups,
custom fields, and refused specs (unknown fields, wrong operators or values, injections)."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from crm_app.models import Customer
from crm_app.services.lists import query, record_lists
from crm_app.services.lists.filters import BadSpec
from crm_app.services.lists.query import ListSpec
from crm_app.services.records import custom_fields
from crm_app.services.work import activities
from tests.unit.factories import default_catalogs, make_admin, make_contact, make_customer, stored_counts

TODAY = date(2026, 11, 23)  # a Monday


@pytest.fixture
def world(session):
    cats = default_catalogs(session)
    admin = make_admin(session)
    rows = {
        "an": make_customer(
            session,
            admin,
            "Nguyễn Văn An",
            phones="0901 000 001",
            email="an@abc.vn",
            province="Hà Nội",
            status="lead",
            kind="individual",
            rating=5,
            tags="VIP, Hà Nội",
            category_id=cats["category"]["vip"],
            birthday="1990-05-01",
            do_not_call="1",
        ),
        "binh": make_customer(
            session,
            admin,
            "Trần Thị Bình",
            phones="0902 000 002",
            email="binh@xyz.vn",
            province="Đà Nẵng",
            status="customer",
            kind="business",
            rating=3,
            tags="Đối tác",
            birthday="2026-11-20",
        ),
        "cuong": make_customer(
            session,
            admin,
            "Lê Cường",
            phones="0903 000 003",
            province="",
            status="potential",
            rating=0,
            birthday="2026-11-28",
        ),
    }
    # created_at of Bình: 3 days ago; of Cường: last month
    session.execute(
        sa.update(Customer)
        .where(Customer.id == rows["binh"].id)
        .values(created_at=datetime(2026, 11, 20, 10, tzinfo=UTC))
    )
    session.execute(
        sa.update(Customer)
        .where(Customer.id == rows["cuong"].id)
        .values(created_at=datetime(2026, 10, 5, 10, tzinfo=UTC))
    )
    session.execute(
        sa.update(Customer).where(Customer.id == rows["an"].id).values(created_at=datetime(2026, 11, 23, 1, tzinfo=UTC))
    )
    session.commit()
    return admin, {k: v.id for k, v in rows.items()}, cats


def names(session, actor, ids, flt, **extra):
    spec = ListSpec(entity="customer", columns=["full_name"], filter=flt, today=TODAY, **extra)
    page = query.fetch_page(session, actor, spec)
    found = {k for k, v in ids.items() if any(int(r["id"]) == v for r in page.rows)}
    total, _ = query.count_upto(session, actor, spec)
    assert total == len(page.rows)
    return found


def one(field, operator, value=None):
    return {"op": "and", "items": [{"field": field, "operator": operator, "value": value}]}


CASES = [
    # text (normalised name column)
    ("full_name", "contains", "van an", {"an"}),
    ("full_name", "contains", "THỊ", {"binh"}),
    ("full_name", "starts_with", "le", {"cuong"}),
    ("full_name", "is", "lê cường", {"cuong"}),
    ("full_name", "is_not", "Lê Cường", {"an", "binh"}),
    ("email", "contains", "@ABC", {"an"}),
    ("email", "is_empty" if False else "empty", None, {"cuong"}),
    ("email", "not_empty", None, {"an", "binh"}),
    ("phone", "contains", "000 002", {"binh"}),
    ("phone", "starts_with", "+84 903", {"cuong"}),
    # text (plain column)
    # a province of the 2025 catalog (its code)
    ("province", "any_of", ["48"], {"binh"}),
    ("province", "none_of", ["01"], {"binh", "cuong"}),
    ("province", "empty", None, {"cuong"}),
    ("province", "not_empty", None, {"an", "binh"}),
    ("code", "contains", "KH", {"an", "binh", "cuong"}),
    # number
    ("rating", "eq", 3, {"binh"}),
    ("rating", "lt", "3", {"cuong"}),
    ("rating", "gt", 3, {"an"}),
    ("rating", "between", [3, 5], {"an", "binh"}),
    # date
    ("birthday", "eq", "2026-11-20", {"binh"}),
    ("birthday", "lt", "20/11/2026", {"an"}),
    ("birthday", "gt", "2026-11-20", {"cuong"}),
    ("birthday", "between", ["2026-11-01", "2026-11-30"], {"binh", "cuong"}),
    ("birthday", "last_days", 5, {"binh"}),
    ("birthday", "next_days", 7, {"cuong"}),
    ("birthday", "this_week", None, {"cuong"}),
    ("birthday", "this_month", None, {"binh", "cuong"}),
    ("birthday", "empty", None, set()),
    ("birthday", "not_empty", None, {"an", "binh", "cuong"}),
    # datetime
    ("created_at", "eq", "2026-11-23", {"an"}),
    ("created_at", "last_days", 7, {"an", "binh"}),
    ("created_at", "this_week", None, {"an"}),
    ("created_at", "this_month", None, {"an", "binh"}),
    ("created_at", "lt", "2026-11-01", {"cuong"}),
    # choice
    ("status", "any_of", ["lead", "customer"], {"an", "binh"}),
    ("status", "none_of", ["lead"], {"binh", "cuong"}),
    ("kind", "any_of", ["business"], {"binh"}),
    ("gender", "empty", None, {"an", "binh", "cuong"}),
    # bool
    ("do_not_call", "is_true", None, {"an"}),
    ("do_not_call", "is_false", None, {"binh", "cuong"}),
    # tags
    ("tags", "any_of", ["vip", "Doi tac"], {"an", "binh"}),
    ("tags", "none_of", ["VIP"], {"binh", "cuong"}),
    ("tags", "empty", None, {"cuong"}),
    ("tags", "not_empty", None, {"an", "binh"}),
]


@pytest.mark.parametrize(("field", "operator", "value", "expected"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_every_operator_of_every_builtin_type(session, world, field, operator, value, expected):
    admin, ids, _ = world
    assert names(session, admin, ids, one(field, operator, value)) == expected


def test_catalog_and_owner_any_of_none_of_empty(session, world):
    admin, ids, cats = world
    vip = cats["category"]["vip"]
    assert names(session, admin, ids, one("category_id", "any_of", [vip])) == {"an"}
    assert names(session, admin, ids, one("category_id", "none_of", [str(vip)])) == {"binh", "cuong"}
    assert names(session, admin, ids, one("category_id", "empty")) == {"binh", "cuong"}
    assert names(session, admin, ids, one("owner_id", "any_of", [admin.id])) == {"an", "binh", "cuong"}
    assert names(session, admin, ids, one("owner_id", "none_of", [admin.id])) == set()


def test_and_or_and_nested_groups(session, world):
    admin, ids, _ = world
    either = {
        "op": "or",
        "items": [
            {"field": "province", "operator": "any_of", "value": ["01"]},
            {"field": "rating", "operator": "eq", "value": 0},
        ],
    }
    assert names(session, admin, ids, either) == {"an", "cuong"}
    both = {"op": "and", "items": [either, {"field": "status", "operator": "any_of", "value": ["potential"]}]}
    assert names(session, admin, ids, both) == {"cuong"}
    deeper = {
        "op": "or",
        "items": [
            both,
            {
                "op": "and",
                "items": [
                    {"field": "kind", "operator": "any_of", "value": ["business"]},
                    {"field": "rating", "operator": "gt", "value": 1},
                ],
            },
        ],
    }
    assert names(session, admin, ids, deeper) == {"cuong", "binh"}
    assert names(session, admin, ids, {"op": "or", "items": []}) == {"an", "binh", "cuong"}


def test_filter_combines_with_search_and_paging(session, world):
    admin, ids, _ = world
    flt = one("status", "any_of", ["lead", "customer"])
    assert names(session, admin, ids, flt, search="tran thi") == {"binh"}
    spec = ListSpec(entity="customer", columns=["full_name"], filter=flt, page_size=25, sort="full_name")
    page = query.fetch_page(session, admin, spec)
    assert [r["full_name"] for r in page.rows] == ["Nguyễn Văn An", "Trần Thị Bình"]


def test_list_membership_is_a_filter(session, world):
    admin, ids, _ = world
    vips = record_lists.create(session, admin, "customer", {"name": "Khách VIP"})
    record_lists.add_members(session, admin, vips.id, [ids["an"], ids["cuong"]])
    assert names(session, admin, ids, one("lists", "any_of", [vips.id])) == {"an", "cuong"}
    assert names(session, admin, ids, one("lists", "none_of", [vips.id])) == {"binh"}


def test_a_contacts_filter_uses_the_contact_fields(session, world):
    admin, _ids, _ = world
    make_contact(session, admin, "Phạm Minh", title="Giám đốc", portal_access="1")
    make_contact(session, admin, "Võ Lan", title="Kế toán")
    spec = ListSpec(
        entity="contact",
        columns=["full_name", "title"],
        filter={"op": "and", "items": [{"field": "portal_access", "operator": "is_true"}]},
    )
    assert [r["full_name"] for r in query.fetch_page(session, admin, spec).rows] == ["Phạm Minh"]
    with pytest.raises(BadSpec):
        query.fetch_page(session, admin, ListSpec(entity="contact", filter=one("tags", "any_of", ["x"])))


def test_contacts_filter_by_their_companys_name(session, world):
    admin, ids, _ = world
    make_contact(session, admin, "Phạm Minh", customer_id=ids["binh"])
    make_contact(session, admin, "Võ Lan", customer_id=ids["an"])
    make_contact(session, admin, "Đỗ Hà")

    def contacts(operator, value=None):
        spec = ListSpec(entity="contact", columns=["full_name"], filter=one("customer_id", operator, value))
        return sorted(r["full_name"] for r in query.fetch_page(session, admin, spec).rows)

    assert contacts("contains", "thi binh") == ["Phạm Minh"]  # diacritics and case left out
    assert contacts("starts_with", "Nguyễn") == ["Võ Lan"]
    assert contacts("is", "tran thi binh") == ["Phạm Minh"]
    assert contacts("contains", "không có") == []
    assert contacts("empty") == ["Đỗ Hà"]
    with pytest.raises(BadSpec) as exc:
        contacts("contains", "")
    assert exc.value.key == "err.filter_value"


def test_activities_filter_by_type(session, world):
    admin, ids, _ = world
    for code, subject in (("call", "Gọi lại"), ("meeting", "Gặp tại văn phòng"), ("email", "Gửi báo giá")):
        activities.create(session, admin, ids["an"], {"type_code": code, "subject": subject, "at": "2026-12-01T09:00"})
    session.commit()

    def subjects(operator, value):
        spec = ListSpec(entity="activity", columns=["subject"], filter=one("type_code", operator, value))
        return sorted(r["subject"] for r in query.fetch_page(session, admin, spec).rows)

    assert subjects("any_of", ["call", "meeting"]) == ["Gặp tại văn phòng", "Gọi lại"]
    assert subjects("none_of", ["call", "meeting"]) == ["Gửi báo giá"]
    assert subjects("any_of", ["task"]) == []  # a code no activity has
    for bad in (["call' OR 1=1"], [], "call", [7]):
        with pytest.raises(BadSpec) as exc:
            subjects("any_of", bad)
        assert exc.value.key == "err.filter_value"


# --- custom fields -------------------------------------------------------------------------------


@pytest.fixture
def custom(session, world):
    admin, ids, _ = world
    made = {
        kind: custom_fields.create(session, admin, "customer", {"label": label, "type": kind, "options": options})
        for kind, label, options in [
            ("text", "Ghi chú nội bộ", ""),
            ("number", "Doanh thu", ""),
            ("date", "Ngày hẹn", ""),
            ("choice", "Hạng", "Vàng, Bạc, Đồng"),
            ("multichoice", "Sở thích", "Du lịch, Golf, Ẩm thực"),
            ("bool", "Đã gặp", ""),
        ]
    }
    from crm_app.services.customer import customers

    customers.update(
        session,
        admin,
        ids["an"],
        {
            "cf_ghi_chu_noi_bo": "Khách quen",
            "cf_doanh_thu": "1500000",
            "cf_ngay_hen": "2026-11-25",
            "cf_hang": "Vàng",
            "cf_so_thich": ["Golf", "Du lịch"],
            "cf_da_gap": "1",
        },
    )
    customers.update(session, admin, ids["binh"], {"cf_doanh_thu": "200", "cf_hang": "Bạc", "cf_so_thich": "Ẩm thực"})
    return made


CUSTOM_CASES = [
    ("cf_ghi_chu_noi_bo", "contains", "quen", {"an"}),
    ("cf_ghi_chu_noi_bo", "starts_with", "khách", {"an"}),
    ("cf_ghi_chu_noi_bo", "is", "khách quen", {"an"}),
    ("cf_ghi_chu_noi_bo", "is_not", "Khách quen", {"binh", "cuong"}),
    ("cf_ghi_chu_noi_bo", "empty", None, {"binh", "cuong"}),
    ("cf_ghi_chu_noi_bo", "not_empty", None, {"an"}),
    ("cf_doanh_thu", "eq", 200, {"binh"}),
    ("cf_doanh_thu", "lt", "1000", {"binh"}),
    ("cf_doanh_thu", "gt", 1000, {"an"}),
    ("cf_doanh_thu", "between", [100, 2_000_000], {"an", "binh"}),
    ("cf_doanh_thu", "empty", None, {"cuong"}),
    ("cf_ngay_hen", "eq", "2026-11-25", {"an"}),
    ("cf_ngay_hen", "next_days", 3, {"an"}),
    ("cf_ngay_hen", "last_days", 3, set()),
    ("cf_ngay_hen", "this_week", None, {"an"}),
    ("cf_ngay_hen", "this_month", None, {"an"}),
    ("cf_ngay_hen", "between", ["2026-11-01", "2026-11-24"], set()),
    ("cf_hang", "any_of", ["Vàng", "Bạc"], {"an", "binh"}),
    ("cf_hang", "none_of", ["Vàng"], {"binh", "cuong"}),
    ("cf_so_thich", "any_of", ["Golf"], {"an"}),
    ("cf_so_thich", "none_of", ["Golf"], {"binh", "cuong"}),
    ("cf_so_thich", "not_empty", None, {"an", "binh"}),
    ("cf_da_gap", "is_true", None, {"an"}),
    ("cf_da_gap", "is_false", None, {"binh", "cuong"}),
]


@pytest.mark.parametrize(
    ("field", "operator", "value", "expected"), CUSTOM_CASES, ids=[f"{c[0]}-{c[1]}" for c in CUSTOM_CASES]
)
def test_every_operator_of_every_custom_type(session, world, custom, field, operator, value, expected):
    admin, ids, _ = world
    assert names(session, admin, ids, one(field, operator, value)) == expected


def test_custom_values_show_as_columns(session, world, custom):
    admin, _ids, _ = world
    spec = ListSpec(
        entity="customer",
        columns=["full_name", "cf_doanh_thu", "cf_so_thich", "cf_da_gap", "cf_ngay_hen"],
        sort="full_name",
    )
    rows = {r["full_name"]: r for r in query.fetch_page(session, admin, spec).rows}
    assert rows["Nguyễn Văn An"]["cf_doanh_thu"] == "1.500.000"
    assert rows["Nguyễn Văn An"]["cf_so_thich"] == "Du lịch, Golf"
    assert rows["Nguyễn Văn An"]["cf_da_gap"] == "Có"
    assert rows["Nguyễn Văn An"]["cf_ngay_hen"] == "25/11/2026"
    assert rows["Lê Cường"]["cf_doanh_thu"] == ""


def test_custom_values_are_validated_at_the_field(session, world, custom):
    from crm_app.services.customer import customers
    from crm_app.services.errors import ValidationFailed

    admin, ids, _ = world
    with pytest.raises(ValidationFailed) as exc:
        customers.update(
            session,
            admin,
            ids["cuong"],
            {"cf_doanh_thu": "nhiều", "cf_hang": "Kim cương", "cf_ngay_hen": "32/13/2026", "cf_so_thich": "Bơi"},
        )
    assert {k: v[0] for k, v in exc.value.errors.items()} == {
        "cf_doanh_thu": "err.invalid_number",
        "cf_hang": "err.invalid_choice",
        "cf_ngay_hen": "err.invalid_date",
        "cf_so_thich": "err.invalid_choice",
    }
    assert names(session, admin, ids, one("cf_hang", "not_empty")) == {"an", "binh"}


def test_hidden_custom_field_is_unknown_to_filters(session, world, custom):
    from crm_app.services.lists import views

    admin, ids, _ = world
    view = views.create(
        session,
        admin,
        "customer",
        {"name": "Hạng vàng"},
        {"columns": ["full_name", "cf_hang"], "filter": one("cf_hang", "any_of", ["Vàng"])},
    )
    custom_fields.set_active(session, admin, custom["choice"].id, False)
    with pytest.raises(BadSpec) as exc:
        names(session, admin, ids, one("cf_hang", "any_of", ["Vàng"]))
    assert exc.value.key == "err.unknown_field"
    # a saved view that used it still opens, without that column and condition
    spec = views.effective(session, admin, view)
    assert spec["columns"] == ["full_name"] and spec["filter"] == {"op": "and", "items": []}


# --- refused specs ---------------------------------------------------------------------------------

BAD = [
    (one("password_hash", "is", "x"), "err.unknown_field"),
    (one("full_name; DROP TABLE customer", "is", "x"), "err.unknown_field"),
    (one("name_norm", "contains", "x"), "err.unknown_field"),
    (one("cf_khong_co", "contains", "x"), "err.unknown_field"),
    (one("full_name", "any_of", ["x"]), "err.filter_operator"),
    (one("rating", "contains", "1"), "err.filter_operator"),
    (one("status", "contains", "lead"), "err.filter_operator"),
    (one("full_name", "LIKE '%' OR 1=1 --", "x"), "err.filter_operator"),
    (one("rating", "eq", "1 OR 1=1"), "err.filter_value"),
    (one("rating", "eq", True), "err.filter_value"),
    (one("rating", "between", [5, 1]), "err.filter_value"),
    (one("rating", "between", [1]), "err.filter_value"),
    (one("birthday", "eq", "2026-02-30"), "err.filter_value"),
    (one("birthday", "last_days", 0), "err.filter_value"),
    (one("birthday", "last_days", "7; DELETE"), "err.filter_value"),
    (one("status", "any_of", ["lead' OR '1'='1"]), "err.filter_value"),
    (one("status", "any_of", []), "err.filter_value"),
    (one("status", "any_of", "lead"), "err.filter_value"),
    (one("owner_id", "any_of", ["1 OR 1=1"]), "err.filter_value"),
    (one("full_name", "contains", ""), "err.filter_value"),
    (one("full_name", "contains", "x" * 201), "err.filter_value"),
    (one("full_name", "contains", {"$ne": 1}), "err.filter_value"),
    ({"op": "xor", "items": []}, "err.filter_shape"),
    ({"op": "and", "items": "full_name"}, "err.filter_shape"),
    ({"op": "and", "items": [["full_name", "is", "x"]]}, "err.filter_shape"),
    (
        {"op": "and", "items": [{"op": "or", "items": [{"op": "and", "items": [{"op": "or", "items": []}]}]}]},
        "err.filter_too_deep",
    ),
    ({"op": "or", "items": [{"field": "rating", "operator": "eq", "value": 1}] * 41}, "err.filter_too_big"),
]


@pytest.mark.parametrize(("flt", "key"), BAD, ids=[f"{i}-{b[1]}" for i, b in enumerate(BAD)])
def test_wrong_filters_are_refused_with_a_clear_error(session, world, flt, key):
    admin, _ids, _ = world
    before = stored_counts(session)
    spec = ListSpec(entity="customer", filter=flt)
    with pytest.raises(BadSpec) as exc:
        query.fetch_page(session, admin, spec)
    assert exc.value.key == key
    with pytest.raises(BadSpec):
        query.count_upto(session, admin, spec)
    assert stored_counts(session) == before


def test_a_filter_never_widens_what_a_user_sees(session, world):
    from tests.unit.factories import make_sales

    admin, _ids, _ = world
    sales = make_sales(session, "nv.khac")
    make_customer(session, sales, "Khách Của Khác", phones="0909 999 999", status="lead")
    everything = {
        "op": "or",
        "items": [
            {"field": "status", "operator": "any_of", "value": ["lead"]},
            {"field": "status", "operator": "none_of", "value": ["lead"]},
        ],
    }
    spec = ListSpec(entity="customer", columns=["full_name"], filter=everything)
    assert [r["full_name"] for r in query.fetch_page(session, sales, spec).rows] == ["Khách Của Khác"]
    assert query.count_upto(session, sales, spec) == (1, False)
    assert query.count_upto(session, admin, spec) == (4, False)


def test_count_of_a_wide_filter_stops_at_the_cap(session, world):
    admin, _ids, _ = world
    spec = ListSpec(entity="customer", filter=one("rating", "lt", 10))
    assert query.count_upto(session, admin, spec, cap=2) == (2, True)
    assert query.count(session, admin, spec) == 3


def test_date_ranges_for_last_and_next_days():
    from crm_app.services.lists.filters import day_range

    assert day_range("last_days", 7, TODAY) == (TODAY - timedelta(days=7), TODAY + timedelta(days=1))
    assert day_range("next_days", 2, TODAY) == (TODAY, TODAY + timedelta(days=3))
    assert day_range("this_week", None, date(2026, 11, 29)) == (TODAY, TODAY + timedelta(days=7))
    assert day_range("this_month", None, date(2026, 2, 10)) == (date(2026, 2, 1), date(2026, 3, 1))

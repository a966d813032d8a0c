"""Customer products: rows derived from orders (several lines, two orders, changed, deleted, not
counted, merged), services entered by hand (validation naming the value, history), rights, the
list on the list machinery, and the customer filters "has bought X" / "has not bought X since"."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from alembic import command
from sqlmodel import Session, select

from crm_app.db import alembic_config, make_engine
from crm_app.i18n import tr
from crm_app.models import AuditLog, Customer, CustomerProduct
from crm_app.services.customer import customer_products, customers, merge
from crm_app.services.errors import NotAllowed, ValidationFailed
from crm_app.services.lists import query, saved_filters, views
from crm_app.services.lists.filters import BadSpec
from crm_app.services.lists.query import ListSpec
from crm_app.services.people.work_scope import local_today
from crm_app.services.pipeline import sales
from crm_app.services.records import history
from crm_app.services.transfer import exporter
from crm_app.state.filter_draft import from_spec, to_spec
from tests.unit.factories import committed, count, default_catalogs, make_customer, make_org, reloaded

TODAY = local_today()


@pytest.fixture
def cust(session, org):
    return make_customer(session, org.sales_a, "Nguyễn Văn An")


@pytest.fixture
def products(session, org):
    tour = sales.save_product(
        session, org.admin, {"code": "TOUR", "name": "Tour Đà Nẵng 3N2Đ", "unit_price": 4_000_000}
    )
    visa = sales.save_product(session, org.admin, {"code": "VISA", "name": "Dịch vụ visa", "unit_price": 1_000_000})
    return committed(session, (tour, visa))


def _order(session, actor, customer_id, lines, days_ago=0, kind="order"):
    data = {
        "doc_date": (TODAY - timedelta(days=days_ago)).isoformat(),
        "lines": [{"product_id": p.id, "quantity": q} for p, q in lines],
    }
    return committed(session, sales.create_document(session, actor, customer_id, kind, data))


def _rows(session, customer_id, source="order") -> dict[int, tuple]:
    session.rollback()
    rows = session.exec(
        select(CustomerProduct).where(CustomerProduct.customer_id == customer_id, CustomerProduct.source == source)
    ).all()
    return {r.product_id: (r.quantity, r.total, r.first_purchase, r.last_purchase) for r in rows}


# --- derivation ----------------------------------------------------------------------------------


def test_an_order_of_several_lines_gives_one_row_per_product(session, org, cust, products):
    tour, visa = products
    _order(session, org.sales_a, cust.id, [(tour, 2), (visa, 1), (tour, 1)])
    assert _rows(session, cust.id) == {
        tour.id: (3, 12_000_000, TODAY, TODAY),
        visa.id: (1, 1_000_000, TODAY, TODAY),
    }


def test_two_orders_of_one_product_add_up_with_first_and_last_purchase(session, org, cust, products):
    tour, _visa = products
    _order(session, org.sales_a, cust.id, [(tour, 1)], days_ago=40)
    _order(session, org.sales_a, cust.id, [(tour, 2)], days_ago=3)
    assert _rows(session, cust.id) == {tour.id: (3, 12_000_000, TODAY - timedelta(days=40), TODAY - timedelta(days=3))}
    assert count(session, CustomerProduct) == 1


def test_an_order_changed_or_deleted_is_counted_out(session, org, cust, products):
    tour, visa = products
    old = _order(session, org.sales_a, cust.id, [(tour, 1)], days_ago=40)
    new = _order(session, org.sales_a, cust.id, [(tour, 2), (visa, 1)], days_ago=3)
    committed(session, sales.set_status(session, org.sales_a, new.id, "cancelled"))
    assert _rows(session, cust.id) == {tour.id: (1, 4_000_000, TODAY - timedelta(days=40), TODAY - timedelta(days=40))}
    committed(session, sales.set_status(session, org.sales_a, new.id, "delivered"))
    assert _rows(session, cust.id)[tour.id] == (3, 12_000_000, TODAY - timedelta(days=40), TODAY - timedelta(days=3))
    sales.delete_document(session, org.sales_a, old.id)
    session.commit()
    assert _rows(session, cust.id) == {
        tour.id: (2, 8_000_000, TODAY - timedelta(days=3), TODAY - timedelta(days=3)),
        visa.id: (1, 1_000_000, TODAY - timedelta(days=3), TODAY - timedelta(days=3)),
    }
    sales.delete_document(session, org.sales_a, new.id)
    session.commit()
    assert _rows(session, cust.id) == {} and count(session, CustomerProduct) == 0


def test_quotes_and_cancelled_orders_are_not_purchases(session, org, cust, products):
    tour, _visa = products
    _order(session, org.sales_a, cust.id, [(tour, 5)], kind="quote")
    cancelled = _order(session, org.sales_a, cust.id, [(tour, 1)])
    committed(session, sales.set_status(session, org.sales_a, cancelled.id, "cancelled"))
    assert _rows(session, cust.id) == {}


def test_deriving_again_changes_nothing(session, org, cust, products):
    tour, _visa = products
    _order(session, org.sales_a, cust.id, [(tour, 1)])
    before = session.exec(select(CustomerProduct)).one()
    stamp, row_id = before.updated_at, before.id
    customer_products.derive(session, cust.id)
    session.commit()
    after = session.exec(select(CustomerProduct)).one()
    assert (after.id, after.updated_at, after.quantity) == (row_id, stamp, 1)


def test_a_merge_adds_up_the_orders_and_keeps_the_services(session, org, cust, products):
    tour, visa = products
    other = make_customer(session, org.sales_a, "Nguyễn Văn An (trùng)")
    _order(session, org.sales_a, cust.id, [(tour, 1)], days_ago=10)
    _order(session, org.sales_a, other.id, [(tour, 2)], days_ago=2)
    committed(session, customer_products.create_service(session, org.sales_a, other.id, {"product_id": visa.id}))
    merge.merge(session, org.manager, [cust.id, other.id], cust.id, {})
    session.commit()
    assert _rows(session, cust.id) == {tour.id: (3, 12_000_000, TODAY - timedelta(days=10), TODAY - timedelta(days=2))}
    assert list(_rows(session, cust.id, "service")) == [visa.id]
    assert count(session, CustomerProduct) == 2


def test_rows_follow_their_customer_owner_and_archive(session, org, cust, products):
    _order(session, org.sales_a, cust.id, [(products[0], 1)])
    committed(session, customers.update(session, org.manager, cust.id, {"owner_id": org.sales_b.id}))
    row = session.exec(select(CustomerProduct)).one()
    assert row.owner_id == org.sales_b.id and row.archived is False
    committed(session, customers.set_archived(session, org.manager, cust.id, True))
    assert reloaded(session, CustomerProduct, row.id).archived is True


def test_a_renamed_product_is_searched_by_its_new_name(session, org, cust, products):
    tour, _visa = products
    _order(session, org.sales_a, cust.id, [(tour, 1)])
    committed(session, sales.save_product(session, org.admin, {"code": "TOUR", "name": "Tour Hội An"}, tour.id))
    spec = ListSpec(entity="customer_product", columns=["product_id"], search="hoi an")
    assert [r["product_id"] for r in query.fetch_page(session, org.admin, spec).rows] == ["Tour Hội An"]


# --- services entered by hand --------------------------------------------------------------------


def test_a_service_is_added_changed_and_deleted_with_history(session, org, cust, products):
    _tour, visa = products
    data = {"product_id": str(visa.id), "start_date": "2026-01-01", "end_date": "31/12/2030", "note": "Visa 5 năm"}
    row = committed(session, customer_products.create_service(session, org.sales_a, cust.id, data))
    assert (row.source, row.status, row.start_date, row.end_date) == (
        "service",
        "active",
        date(2026, 1, 1),
        date(2030, 12, 31),
    )
    assert row.owner_id == org.sales_a.id and row.name_norm == "dich vu visa"
    committed(session, customer_products.update_service(session, org.sales_a, row.id, {**data, "status": "ended"}))
    assert reloaded(session, CustomerProduct, row.id).status == "ended"
    customer_products.delete_service(session, org.sales_a, row.id)
    session.commit()
    assert count(session, CustomerProduct) == 0
    actions = session.exec(
        select(AuditLog.action).where(
            AuditLog.entity == "customer_product", AuditLog.root_entity == "customer", AuditLog.root_id == cust.id
        )
    ).all()
    assert {"create", "update", "delete"} <= set(actions)


@pytest.mark.parametrize(
    ("data", "field", "says"),
    [
        ({}, "product_id", "Vui lòng chọn sản phẩm"),
        ({"product_id": "999"}, "product_id", "Sản phẩm “999” không có trong danh mục đang bán"),
        ({"product_id": "abc"}, "product_id", "Sản phẩm “abc” không có trong danh mục đang bán"),
        ({"start_date": "31/02/2026"}, "start_date", "“31/02/2026” không phải là ngày (dd/mm/yyyy)"),
        (
            {"start_date": "2026-05-10", "end_date": "2026-05-01"},
            "end_date",
            "Ngày kết thúc 01/05/2026 trước ngày bắt đầu 10/05/2026",
        ),
        ({"status": "xyz"}, "status", "Trạng thái “xyz” không hợp lệ"),
        (
            {"start_date": "2020-01-01", "end_date": "2021-01-31", "status": "active"},
            "end_date",
            "Ngày kết thúc 31/01/2021 đã qua",
        ),
        ({"end_date": "2021-01-31"}, "end_date", "Ngày kết thúc 31/01/2021 đã qua"),  # active unless said
        ({"note": "x" * 1001}, "note", "1000"),
    ],
)
def test_a_wrong_service_is_refused_naming_the_value(session, org, cust, products, data, field, says):
    if data and "product_id" not in data:  # a right product, and the wrong value named
        data = {"product_id": str(products[1].id), **data}
    with pytest.raises(ValidationFailed) as err:
        customer_products.create_service(session, org.sales_a, cust.id, data)
    key, params = err.value.errors[field]
    assert says in tr(key, "vi", **params)
    session.rollback()
    assert count(session, CustomerProduct) == 0


def test_a_service_keeps_its_product_no_longer_sold(session, org, cust, products):
    _tour, visa = products
    row = committed(session, customer_products.create_service(session, org.sales_a, cust.id, {"product_id": visa.id}))
    committed(
        session, sales.save_product(session, org.admin, {"code": "VISA", "name": "Dịch vụ visa", "active": ""}, visa.id)
    )
    data = {"product_id": visa.id, "status": "ended"}
    committed(session, customer_products.update_service(session, org.sales_a, row.id, data))
    assert reloaded(session, CustomerProduct, row.id).status == "ended"
    with pytest.raises(ValidationFailed):  # a new service needs a product on sale
        customer_products.create_service(session, org.sales_a, cust.id, {"product_id": visa.id})


def test_a_wrong_edit_changes_nothing(session, org, cust, products):
    row = committed(
        session, customer_products.create_service(session, org.sales_a, cust.id, {"product_id": products[1].id})
    )
    with pytest.raises(ValidationFailed):
        customer_products.update_service(
            session,
            org.sales_a,
            row.id,
            {"product_id": products[1].id, "start_date": "2026-02-02", "end_date": "2026-02-01"},
        )
    stored = reloaded(session, CustomerProduct, row.id)
    assert (stored.start_date, stored.end_date) == (None, None)


# --- rights --------------------------------------------------------------------------------------


def test_sales_cannot_see_or_change_anothers_customer_products(session, org, cust, products):
    tour, visa = products
    _order(session, org.sales_a, cust.id, [(tour, 1)])
    service = committed(
        session, customer_products.create_service(session, org.sales_a, cust.id, {"product_id": visa.id})
    )
    bought = session.exec(select(CustomerProduct).where(CustomerProduct.source == "order")).one()
    for call in (
        lambda: customer_products.of_customer(session, org.sales_b, cust.id),
        lambda: customer_products.create_service(session, org.sales_b, cust.id, {"product_id": visa.id}),
        lambda: customer_products.update_service(session, org.sales_b, service.id, {"product_id": tour.id}),
        lambda: customer_products.delete_service(session, org.other_manager, service.id),
        lambda: customer_products.customer_of(session, org.sales_b, bought.id),
    ):
        with pytest.raises(NotAllowed):
            call()
    # a row derived from orders is changed by its orders only, even by its owner
    with pytest.raises(NotAllowed):
        customer_products.update_service(session, org.sales_a, bought.id, {"product_id": visa.id})
    with pytest.raises(NotAllowed):
        customer_products.delete_service(session, org.sales_a, bought.id)
    session.rollback()
    assert count(session, CustomerProduct) == 2 and reloaded(session, CustomerProduct, service.id).product_id == visa.id
    spec = ListSpec(entity="customer_product", columns=["customer_id", "product_id"])
    assert query.fetch_page(session, org.sales_b, spec).rows == []
    assert query.count_upto(session, org.sales_b, spec) == (0, False)
    assert len(query.fetch_page(session, org.manager, spec).rows) == 2
    assert len(query.fetch_page(session, org.sales_a, spec).rows) == 2


# --- the list ------------------------------------------------------------------------------------


def test_the_list_shows_filters_and_searches_customer_products(session, org, cust, products):
    tour, visa = products
    other = make_customer(session, org.sales_a, "Trần Thị Bình")
    _order(session, org.sales_a, cust.id, [(tour, 2)], days_ago=5)
    _order(session, org.sales_a, other.id, [(visa, 1)], days_ago=1)
    columns = ["customer_id", "product_id", "source", "quantity", "total", "last_purchase"]
    rows = query.fetch_page(session, org.sales_a, ListSpec(entity="customer_product", columns=columns)).rows
    assert {(r["customer_id"], r["product_id"], r["source"], r["quantity"], r["total"]) for r in rows} == {
        ("Nguyễn Văn An", "Tour Đà Nẵng 3N2Đ", "Từ đơn hàng", "2", "8.000.000 ₫"),
        ("Trần Thị Bình", "Dịch vụ visa", "Từ đơn hàng", "1", "1.000.000 ₫"),
    }
    flt = {"op": "and", "items": [{"field": "product_id", "operator": "any_of", "value": [str(visa.id)]}]}
    spec = ListSpec(entity="customer_product", columns=columns, filter=flt)
    assert [r["customer_id"] for r in query.fetch_page(session, org.sales_a, spec).rows] == ["Trần Thị Bình"]
    spec = ListSpec(entity="customer_product", columns=columns, search="da nang", sort="product_id", descending=False)
    assert [r["customer_id"] for r in query.fetch_page(session, org.sales_a, spec).rows] == ["Nguyễn Văn An"]
    fields = [f.name for f in exporter.exportable(session, org.admin, "customer_product")]
    assert "product_id" in fields and "total" in fields
    assert "bought_products" not in [f.name for f in exporter.exportable(session, org.admin, "customer")]


# --- the customer filters ------------------------------------------------------------------------


def _customers(session, actor, op, value):
    flt = {"op": "and", "items": [{"field": "bought_products", "operator": op, "value": value}]}
    spec = ListSpec(entity="customer", columns=["full_name"], filter=flt, sort="full_name", descending=False)
    names = [r["full_name"] for r in query.fetch_page(session, actor, spec).rows]
    assert query.count_upto(session, actor, spec)[0] == len(names)
    return names


def test_customers_who_bought_or_not_since(session, org, cust, products):
    tour, visa = products
    binh = make_customer(session, org.sales_a, "Trần Thị Bình")
    make_customer(session, org.sales_a, "Lê Văn Cường")
    _order(session, org.sales_a, cust.id, [(tour, 1)], days_ago=200)
    _order(session, org.sales_a, binh.id, [(tour, 1), (visa, 1)], days_ago=10)
    cancelled = _order(session, org.sales_a, cust.id, [(visa, 1)], days_ago=1)
    committed(session, sales.set_status(session, org.sales_a, cancelled.id, "cancelled"))
    assert _customers(session, org.sales_a, "bought", [str(tour.id)]) == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert _customers(session, org.sales_a, "bought", [str(visa.id)]) == ["Trần Thị Bình"]
    assert _customers(session, org.sales_a, "not_bought", [str(visa.id)]) == ["Lê Văn Cường", "Nguyễn Văn An"]
    since = (TODAY - timedelta(days=90)).isoformat()
    not_since = {"products": [str(tour.id)], "since": since}
    assert _customers(session, org.sales_a, "not_bought_since", not_since) == ["Lê Văn Cường", "Nguyễn Văn An"]
    # another salesperson's customers stay out whatever they bought
    assert _customers(session, org.sales_b, "bought", [str(tour.id)]) == []


@pytest.mark.parametrize(
    ("op", "value"),
    [
        ("bought", []),
        ("bought", ["abc"]),
        ("not_bought_since", ["1"]),
        ("not_bought_since", {"products": ["1"], "since": "hôm qua"}),
        ("not_bought_since", {"products": [], "since": "2026-01-01"}),
        ("any_of", ["1"]),
    ],
)
def test_a_wrong_purchase_filter_is_refused(session, org, op, value):
    flt = {"op": "and", "items": [{"field": "bought_products", "operator": op, "value": value}]}
    with pytest.raises(BadSpec):
        query.fetch_page(session, org.admin, ListSpec(entity="customer", columns=["full_name"], filter=flt))


def test_the_filter_builder_keeps_a_not_bought_since_condition():
    item = {
        "field": "bought_products",
        "operator": "not_bought_since",
        "value": {"products": ["3"], "since": "2026-01-31"},
    }
    spec = {"op": "and", "items": [item]}
    root_op, groups = from_spec(spec, {"bought_products": "purchases"})
    assert groups[0].rows[0].kind == "choices_date" and groups[0].rows[0].selected == ["3"]
    assert to_spec(root_op, groups) == spec


def test_the_customer_record_has_no_purchases_column(session, org, cust):
    with pytest.raises(BadSpec):
        query.fetch_page(session, org.admin, ListSpec(entity="customer", columns=["bought_products"]))
    assert session.execute(sa.select(Customer.id)).scalar_one() == cust.id


# --- the migration -------------------------------------------------------------------------------


def test_the_migration_fills_the_rows_of_existing_orders(blank_db_url):
    cfg = alembic_config(blank_db_url)
    command.upgrade(cfg, "heads")
    engine = make_engine(blank_db_url)
    with Session(engine) as session:
        default_catalogs(session)
        org = make_org(session)
        tour = sales.save_product(session, org.admin, {"code": "TOUR", "name": "Tour Đà Nẵng", "unit_price": 4_000_000})
        visa = sales.save_product(session, org.admin, {"code": "VISA", "name": "Dịch vụ visa", "unit_price": 1_000_000})
        session.commit()
        an = make_customer(session, org.sales_a, "Nguyễn Văn An")
        _order(session, org.sales_a, an.id, [(tour, 2), (visa, 1)], days_ago=30)
        _order(session, org.sales_a, an.id, [(tour, 1)], days_ago=2)
        cancelled = _order(session, org.sales_a, an.id, [(visa, 4)])
        committed(session, sales.set_status(session, org.sales_a, cancelled.id, "cancelled"))
        derived = _rows(session, an.id)
        ids = (an.id, tour.id, visa.id, org.sales_a.id)
    command.downgrade(cfg, "d1f3a5c7e9b2")  # as a database of before this feature: orders only
    command.upgrade(cfg, "heads")
    an_id, tour_id, visa_id, seller_id = ids
    with Session(engine) as session:
        assert (
            _rows(session, an_id)
            == derived
            == {
                tour_id: (3, 12_000_000, TODAY - timedelta(days=30), TODAY - timedelta(days=2)),
                visa_id: (1, 1_000_000, TODAY - timedelta(days=30), TODAY - timedelta(days=30)),
            }
        )
        row = session.exec(select(CustomerProduct).where(CustomerProduct.product_id == tour_id)).one()
        assert (row.owner_id, row.archived, row.name_norm) == (seller_id, False, "tour da nang")
        # the copies are kept by the triggers the migration made
        committed(session, customers.update(session, org.manager, an_id, {"owner_id": org.sales_b.id}))
        assert reloaded(session, CustomerProduct, row.id).owner_id == org.sales_b.id
    engine.dispose()


def test_a_services_history_reads_with_labels(session, org, cust, products):
    _tour, visa = products
    data = {"product_id": visa.id, "start_date": "2026-01-01", "status": "paused"}
    committed(session, customer_products.create_service(session, org.sales_a, cust.id, data))
    rows = history.describe(session, history.of_customer(session, org.sales_a, cust.id), "vi")
    shown = {r["field"]: r["new"] for r in rows if r["entity_code"] == "customer_product"}
    assert shown["Sản phẩm"] == "Dịch vụ visa" and shown["Trạng thái dịch vụ"] == "Tạm dừng"
    assert shown["Ngày bắt đầu"] == "01/01/2026"


def test_saved_filters_and_views_keep_a_purchase_condition(session, org, products):
    since = {"products": [str(products[0].id)], "since": "2026-01-01"}
    spec = {"op": "and", "items": [{"field": "bought_products", "operator": "not_bought_since", "value": since}]}
    saved = committed(
        session, saved_filters.create(session, org.sales_a, "customer", {"name": "Lâu không mua tour"}, spec)
    )
    assert saved_filters.get(session, org.sales_a, saved.id).filter == spec
    view = committed(
        session, views.create(session, org.sales_a, "customer", {"name": "Cần chăm sóc lại"}, {"filter": spec})
    )
    assert views.get(session, org.sales_a, view.id).spec["filter"] == spec


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ({"products": ["1"], "since": ""}, "err.filter_date_missing"),
        ({"products": ["1"]}, "err.filter_date_missing"),
        ({"products": [], "since": ""}, "err.filter_choice_missing"),
    ],
)
def test_a_not_bought_since_condition_missing_a_part_says_which(session, org, value, key):
    flt = {"op": "and", "items": [{"field": "bought_products", "operator": "not_bought_since", "value": value}]}
    with pytest.raises(BadSpec) as refused:
        query.fetch_page(session, org.admin, ListSpec(entity="customer", columns=["full_name"], filter=flt))
    assert refused.value.key == key
    message = tr(refused.value.key, "vi", **refused.value.params)
    assert "“Sản phẩm đã mua”" in message, message  # the field, by its label
    assert tr(refused.value.key, "en", **refused.value.params).count("“") == 1


def test_a_past_end_date_is_kept_on_a_service_that_ended_or_paused(session, org, cust, products):
    _tour, visa = products
    past = (local_today() - timedelta(days=30)).isoformat()
    for status in ("ended", "paused"):
        data = {"product_id": visa.id, "end_date": past, "status": status}
        row = committed(session, customer_products.create_service(session, org.sales_a, cust.id, data))
        assert (row.status, row.end_date.isoformat()) == (status, past)
    # today itself is not past: the service is still in use on its last day
    today = {"product_id": visa.id, "end_date": local_today().isoformat(), "status": "active"}
    assert committed(session, customer_products.create_service(session, org.sales_a, cust.id, today)).status == "active"

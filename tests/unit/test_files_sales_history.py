"""Files (names, size limit, rights), quotes and orders (lines, totals, last purchase date) and
the history of a customer and its children, on the tab and the system-wide page."""

from datetime import timedelta

import pytest

from crm_app.i18n import tr
from crm_app.models import AuditLog, Customer, SalesDocument, SalesLine, StoredFile
from crm_app.services.customer import files, notes
from crm_app.services.errors import NotAllowed, ServiceError, ValidationFailed
from crm_app.services.people.work_scope import local_today
from crm_app.services.pipeline import sales
from crm_app.services.records import history
from crm_app.services.records.history import HistoryFilter
from tests.unit.factories import committed, count, make_customer, reloaded


@pytest.fixture
def cust(session, org):
    return make_customer(session, org.sales_a, "Nguyễn Văn An", email="an@example.vn")


# --- files ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("bao gia.pdf", "bao gia.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\an\\Hợp đồng.docx", "Hợp đồng.docx"),
        ("..hidden", "hidden"),
        ('a<b>:c"d|e?f*.txt', "a_b__c_d_e_f_.txt"),
        ("tab\there\n.txt", "tab_here_.txt"),
        ("", "file"),
        ("....", "file"),
        ("x" * 300 + ".pdf", "x" * 196 + ".pdf"),
    ],
)
def test_file_names_are_sanitised(raw, clean):
    assert files.sanitize_name(raw) == clean


def test_upload_download_delete_with_history(session, org, cust, tmp_path):
    data = "Hợp đồng".encode() + bytes(range(256))
    stored = files.save(session, org.sales_a, cust.id, "../Hợp đồng.pdf", data, root=tmp_path)
    row, path = files.for_download(session, org.sales_a, stored.id, root=tmp_path)
    assert row.name == "Hợp đồng.pdf" and path.read_bytes() == data and tmp_path in path.parents
    assert stored.storage_key not in row.name and path.name == stored.storage_key
    assert [f.id for f in files.of_customer(session, org.manager, cust.id)] == [stored.id]
    files.delete(session, org.sales_a, stored.id, root=tmp_path)
    assert not path.exists() and count(session, StoredFile) == 0
    actions = [
        r.action
        for r in session.exec(
            AuditLog.__table__.select().where(AuditLog.entity == "file", AuditLog.root_id == cust.id)
        ).all()
    ]
    assert "create" in actions and "delete" in actions


def test_size_limit_and_empty_files_are_refused(session, org, cust, tmp_path):
    store = tmp_path / "files"
    with pytest.raises(ServiceError) as err:
        files.save(session, org.sales_a, cust.id, "big.bin", b"x" * 2049, max_bytes=2048, root=store)
    assert err.value.key == "err.file_too_large" and err.value.params["name"] == "big.bin"
    with pytest.raises(ServiceError) as err:
        files.save(session, org.sales_a, cust.id, "empty.txt", b"", root=store)
    assert err.value.key == "err.file_empty"
    assert count(session, StoredFile) == 0 and not [p for p in store.rglob("*") if p.is_file()]


def test_others_cannot_read_upload_or_delete_files(session, org, cust, tmp_path):
    stored = files.save(session, org.sales_a, cust.id, "a.txt", b"secret", root=tmp_path)
    for actor in (org.sales_b, org.other_manager, org.other_sales):
        with pytest.raises(NotAllowed):
            files.for_download(session, actor, stored.id, root=tmp_path)
        with pytest.raises(NotAllowed):
            files.delete(session, actor, stored.id, root=tmp_path)
        with pytest.raises(NotAllowed):
            files.save(session, actor, cust.id, "b.txt", b"x", root=tmp_path)
        with pytest.raises(NotAllowed):
            files.of_customer(session, actor, cust.id)
    with pytest.raises(NotAllowed):
        files.for_download(session, org.sales_a, 999_999, root=tmp_path)
    assert count(session, StoredFile) == 1
    files.for_download(session, org.admin, stored.id, root=tmp_path)


# --- quotes and orders --------------------------------------------------------------------------


@pytest.fixture
def products(session, org):
    tour = sales.save_product(
        session, org.admin, {"code": "tour-dn", "name": "Tour Đà Nẵng 3N2Đ", "unit": "khách", "unit_price": "4590000"}
    )
    visa = sales.save_product(
        session, org.admin, {"code": "VISA", "name": "Dịch vụ visa", "unit": "hồ sơ", "unit_price": 1200000}
    )
    return committed(session, (tour, visa))


def test_products_are_admin_only_and_validated(session, org, products):
    with pytest.raises(NotAllowed):
        sales.save_product(session, org.manager, {"code": "X", "name": "X"})
    with pytest.raises(ValidationFailed) as err:
        sales.save_product(session, org.admin, {"code": "tour-dn", "name": "", "unit_price": "-5"})
    assert set(err.value.errors) == {"code", "name", "unit_price"}
    assert products[0].code == "TOUR-DN" and [p.code for p in sales.products(session)] == ["VISA", "TOUR-DN"]


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("-5000000", "Dòng 1: Số tiền “-5000000” không được âm"),
        ("abc", "Dòng 1: “abc” không phải là số"),
        ("1.500.000,50", "Dòng 1: “1.500.000,50” không phải số tiền VND (không có phần lẻ đồng)"),
        ("1,500", "Dòng 1: Không rõ “1,500” là số thập phân hay hàng nghìn"),
    ],
)
def test_a_price_is_read_as_typed_or_refused_naming_it(session, org, cust, products, typed, says):
    line = {"product_id": products[0].id, "quantity": 1, "unit_price": typed}
    with pytest.raises(ValidationFailed) as err:
        sales.create_document(session, org.sales_a, cust.id, "quote", {"lines": [line]})
    key, params = err.value.errors["lines"]
    assert tr(key, "vi", **params).startswith(says)
    assert count(session, SalesDocument) == 0


def test_prices_in_vietnamese_writing(session, org, cust, products):
    lines = [
        {"product_id": products[0].id, "quantity": 1, "unit_price": "1.500.000"},
        {"product_id": products[1].id, "quantity": 2, "unit_price": "2,000,000 đ"},
    ]
    quote = sales.create_document(session, org.sales_a, cust.id, "quote", {"lines": lines})
    assert [ln.unit_price for ln in sales.lines_of(session, quote.id)] == [1_500_000, 2_000_000]
    product = sales.save_product(session, org.admin, {"code": "COMBO", "name": "Combo", "unit_price": "3.250.000 ₫"})
    assert product.unit_price == 3_250_000


def test_quote_then_order_with_totals_and_last_purchase(session, org, cust, products):
    tour, visa = products
    quote = sales.create_document(
        session,
        org.sales_a,
        cust.id,
        "quote",
        {
            "lines": [
                {"product_id": tour.id, "quantity": "2"},
                {"product_id": visa.id, "quantity": 2, "unit_price": "1000000"},
            ]
        },
    )
    session.commit()
    assert quote.code.startswith("BG") and quote.total == 2 * 4_590_000 + 2 * 1_000_000
    assert reloaded(session, Customer, cust.id).last_purchase_at is None
    order = sales.order_from_quote(session, org.sales_a, quote.id)
    session.commit()
    assert order.code.startswith("DH") and order.total == quote.total and order.source_id == quote.id
    assert [ln.amount for ln in sales.lines_of(session, order.id)] == [9_180_000, 2_000_000]
    assert reloaded(session, Customer, cust.id).last_purchase_at == local_today()
    older = sales.create_document(
        session,
        org.sales_a,
        cust.id,
        "order",
        {
            "doc_date": (local_today() - timedelta(days=30)).isoformat(),
            "lines": [{"product_id": visa.id, "quantity": 1}],
        },
    )
    session.commit()
    assert reloaded(session, Customer, cust.id).last_purchase_at == local_today()
    sales.set_status(session, org.sales_a, order.id, "cancelled")
    session.commit()
    assert reloaded(session, Customer, cust.id).last_purchase_at == older.doc_date
    sales.delete_document(session, org.sales_a, older.id)
    session.commit()
    assert reloaded(session, Customer, cust.id).last_purchase_at is None
    changes = [
        (r.old_value, r.new_value)
        for r in session.exec(
            AuditLog.__table__.select()
            .where(AuditLog.entity == "customer", AuditLog.field == "last_purchase_at")
            .order_by(AuditLog.id)
        ).all()
    ]
    assert changes[0] == (None, local_today().isoformat()) and changes[-1][1] is None


@pytest.mark.parametrize(
    "lines",
    [
        [],
        [{"product_id": 999, "quantity": 1}],
        [{"product_id": "x", "quantity": 1}],
        [{"quantity": 1}],
        "PRODUCT_ZERO_QTY",
        "PRODUCT_BAD_PRICE",
    ],
)
def test_bad_documents_change_nothing(session, org, cust, products, lines):
    if lines == "PRODUCT_ZERO_QTY":
        lines = [{"product_id": products[0].id, "quantity": 0}]
    elif lines == "PRODUCT_BAD_PRICE":
        lines = [{"product_id": products[0].id, "quantity": 1, "unit_price": "-1"}]
    with pytest.raises(ValidationFailed) as err:
        sales.create_document(session, org.sales_a, cust.id, "order", {"lines": lines})
    assert "lines" in err.value.errors
    assert count(session, SalesDocument) == 0 and count(session, SalesLine) == 0
    assert reloaded(session, Customer, cust.id).last_purchase_at is None


def test_sales_cannot_see_or_change_anothers_documents(session, org, cust, products):
    order = sales.create_document(
        session, org.sales_a, cust.id, "order", {"lines": [{"product_id": products[0].id, "quantity": 1}]}
    )
    session.commit()
    for call in (
        lambda: sales.of_customer(session, org.sales_b, cust.id),
        lambda: sales.create_document(
            session, org.sales_b, cust.id, "order", {"lines": [{"product_id": products[0].id, "quantity": 1}]}
        ),
        lambda: sales.set_status(session, org.other_manager, order.id, "cancelled"),
        lambda: sales.delete_document(session, org.sales_b, order.id),
    ):
        with pytest.raises(NotAllowed):
            call()
    assert count(session, SalesDocument) == 1 and reloaded(session, SalesDocument, order.id).status == "new"


# --- history ------------------------------------------------------------------------------------


def test_customer_history_has_its_children_with_old_and_new(session, org, cust, products):
    from crm_app.services.customer import customers

    customers.update(session, org.sales_a, cust.id, {"province": "Đà Nẵng"})
    note = notes.create(session, org.sales_a, cust.id, {"body": "Lần đầu"})
    notes.update(session, org.sales_a, note.id, {"body": "Lần hai"})
    other = make_customer(session, org.sales_a, "Khách khác")
    notes.create(session, org.sales_a, other.id, {"body": "không thuộc"})
    rows = history.of_customer(session, org.sales_a, cust.id)
    seen = {(r.entity, r.action, r.field, r.old_value, r.new_value) for r in rows}
    assert ("customer", "update", "province", None, "48") in seen
    assert ("note", "update", "body", "Lần đầu", "Lần hai") in seen
    assert all(r.root_id == cust.id for r in rows) and rows == sorted(rows, key=lambda r: -r.id)
    with pytest.raises(NotAllowed):
        history.of_customer(session, org.sales_b, cust.id)


def test_system_history_filters_and_rights(session, org, cust):
    notes.create(session, org.sales_a, cust.id, {"body": "A"})
    theirs = make_customer(session, org.other_sales, "Khách HCM")
    notes.create(session, org.other_sales, theirs.id, {"body": "B"})
    with pytest.raises(NotAllowed):
        history.system(session, org.sales_a, HistoryFilter())
    everything = history.system(session, org.admin, HistoryFilter())
    assert {r.user_id for r in everything} >= {org.sales_a.id, org.other_sales.id}
    team = history.system(session, org.manager, HistoryFilter())
    assert team and {r.user_id for r in team} <= {org.sales_a.id, org.sales_b.id, org.manager.id}
    mine = history.system(session, org.admin, HistoryFilter(user_id=org.other_sales.id))
    assert mine and {r.user_id for r in mine} == {org.other_sales.id}
    record = history.system(session, org.admin, HistoryFilter(entity="customer", record_id=cust.id))
    assert record and {r.root_id for r in record} == {cust.id} and {r.entity for r in record} == {"customer", "note"}
    assert history.system(session, org.admin, HistoryFilter(date_to=local_today() - timedelta(days=1))) == []
    assert history.system(session, org.admin, HistoryFilter(date_from=local_today())) == everything
    page1 = history.system(session, org.admin, HistoryFilter(), limit=3)
    page2 = history.system(session, org.admin, HistoryFilter(), before_id=page1[-1].id, limit=3)
    assert [r.id for r in page1 + page2] == [r.id for r in everything[:6]]


def test_the_system_history_finds_a_record_by_its_code_or_name(session, org):
    cust = make_customer(session, org.sales_a, "Trịnh Công Sơn")
    notes.create(session, org.sales_a, cust.id, {"body": "Gọi lại"})
    other = make_customer(session, org.other_sales, "Trịnh Văn Khác")
    for typed in ("son trinh", cust.code.lower(), "Trịnh Công Sơn"):
        rows = history.system(session, org.admin, HistoryFilter(record_text=typed))
        assert rows and {(r.root_entity, r.root_id) for r in rows} == {("customer", cust.id)}, typed
    both = history.system(session, org.admin, HistoryFilter(entity="customer", record_text="trinh"))
    assert {r.root_id for r in both} == {cust.id, other.id}
    # a manager finds only what the team may see; a name nobody has: nothing
    assert {r.root_id for r in history.system(session, org.manager, HistoryFilter(record_text="trinh"))} == {cust.id}
    assert history.system(session, org.admin, HistoryFilter(record_text="Không Ai Tên Này")) == []
    users = history.system(session, org.admin, HistoryFilter(entity="user", record_text="sales.hcm"))
    assert all(r.root_entity == "user" for r in users)

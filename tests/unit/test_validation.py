"""Bad input: the right error key at the right field, and nothing changes in the database."""

from datetime import timedelta

import pytest

from crm_app.models import Customer
from crm_app.services.customer import contacts, customers
from crm_app.services.errors import ValidationFailed
from crm_app.services.lists import query
from crm_app.services.people.work_scope import local_today
from tests.unit.factories import default_catalogs, history, make_customer, make_sales, reloaded, stored_counts

VALID = {"full_name": "Nguyễn Văn An", "email": "an@congty.vn", "phones": ["0912345678"]}


@pytest.fixture
def sales(session):
    default_catalogs(session)
    return make_sales(session, "nv.an")


def _refused(session, actor, data: dict) -> dict:
    """Create with ``data``; returns the field errors after checking that nothing was saved."""
    before = stored_counts(session)
    with pytest.raises(ValidationFailed) as exc:
        customers.create(session, actor, data)
    assert exc.value.key == "err.form_invalid"
    assert stored_counts(session) == before
    return exc.value.errors


CASES = [
    # (field, value, expected key)
    ("full_name", "", "err.required"),
    ("full_name", "   ", "err.required"),
    ("full_name", " \t \n ", "err.required"),
    ("full_name", None, "err.required"),
    ("full_name", "A" * 201, "err.too_long"),
    ("full_name", "Nguyễn\x00An", "err.invalid_chars"),
    ("full_name", "Nguyễn Văn An\x07", "err.invalid_chars"),
    ("full_name", "\x1b[31mNguyễn", "err.invalid_chars"),
    ("address", "12 Phố Huế\x7f", "err.invalid_chars"),
    ("description", "Ghi chú\x00", "err.invalid_chars"),
    ("province", "Quận Ba Đình", "err.unknown_province"),
    ("ward", "Phường Bến Thành", "err.ward_without_province"),
    ("email", "ancongty.vn", "err.invalid_email"),
    ("email", "an@@congty.vn", "err.invalid_email"),
    ("email", "an@cong@ty.vn", "err.invalid_email"),
    ("email", "an nguyen@congty.vn", "err.invalid_email"),
    ("email", "an@congty", "err.invalid_email"),
    ("email", "an@congty.", "err.invalid_email"),
    ("email", "<an@congty.vn>", "err.invalid_email"),
    ("phones", ["0912abc678"], "err.invalid_phone"),
    ("phones", ["không có"], "err.invalid_phone"),
    ("phones", ["12345"], "err.invalid_phone"),
    ("phones", ["0912345678901234567"], "err.invalid_phone"),
    ("phones", ["0912345678", "09xx"], "err.invalid_phone"),
    ("phones", "0912345678; abc", "err.invalid_phone"),
    ("phones", [f"091234567{i}" for i in range(6)], "err.too_many_phones"),
    ("birthday", "31/02/2024", "err.invalid_date"),
    ("birthday", "2024-13-01", "err.invalid_date"),
    ("birthday", "hôm qua", "err.invalid_date"),
    ("birthday", "15.08.1990", "err.invalid_date"),
    ("birthday", "01/01/1800", "err.invalid_date"),
    ("rating", "6", "err.out_of_range"),
    ("rating", "-1", "err.out_of_range"),
    ("rating", "năm", "err.invalid_number"),
    ("rating", "4.5", "err.whole_between"),
    ("rating", "1,5", "err.whole_between"),
    ("kind", "robot", "err.invalid_choice"),
    ("kind", "Business", "err.invalid_choice"),
    ("status", "won", "err.invalid_choice"),
    ("gender", "x", "err.invalid_choice"),
    ("website", "not a url", "err.invalid_url"),
    ("website", "javascript:alert(1)", "err.invalid_url"),
    ("website", "http://", "err.invalid_url"),
    ("website", "ftp://congty.vn", "err.invalid_url"),
    ("website", "congty", "err.invalid_url"),
    ("tax_code", "MST 0101", "err.invalid_tax_code"),
    ("category_id", "abc", "err.invalid_number"),
    ("category_id", "999999", "err.invalid_choice"),
    ("owner_id", "một", "err.invalid_number"),
]


def test_each_bad_value_is_refused_at_its_field(session, sales):
    # One database for every case (a fresh one each would cost more than the checks themselves);
    # every mismatch is collected so that one run reports them all.
    before = stored_counts(session)
    wrong = []
    for field, value, key in CASES:
        try:
            saved = customers.create(session, sales, {**VALID, field: value}).customer
            wrong.append((field, value, key, f"saved as {saved.code}"))
        except ValidationFailed as exc:
            got = {f: k for f, (k, _) in exc.errors.items()}
            if got != {field: key}:
                wrong.append((field, value, key, got))
        if stored_counts(session) != before:
            wrong.append((field, value, key, "the database changed"))
            before = stored_counts(session)
    assert wrong == []


def test_too_long_names_the_limit(session, sales):
    errors = _refused(session, sales, {**VALID, "full_name": "Nguyễn " * 40})
    assert errors["full_name"] == ("err.too_long", {"max": 200})
    # exactly 200 characters is fine
    customer = make_customer(session, sales, "Ă" * 200)
    assert reloaded(session, Customer, customer.id).full_name == "Ă" * 200


def test_invalid_phone_names_the_number(session, sales):
    errors = _refused(session, sales, {**VALID, "phones": ["0912345678", "0912abc"]})
    assert errors["phones"] == ("err.invalid_phone", {"value": "0912abc"})


def test_rating_range_is_reported(session, sales):
    errors = _refused(session, sales, {**VALID, "rating": 9})
    assert errors["rating"] == ("err.out_of_range", {"lo": 0, "hi": 5})


def test_a_category_id_of_another_catalog_is_refused(session, sales):
    cat = default_catalogs(session)
    errors = _refused(session, sales, {**VALID, "category_id": cat["source"]["website"]})
    assert errors == {"category_id": ("err.invalid_choice", {})}
    errors = _refused(session, sales, {**VALID, "source_id": cat["category"]["vip"]})
    assert errors == {"source_id": ("err.invalid_choice", {})}


def test_every_bad_field_is_reported_at_once(session, sales):
    errors = _refused(
        session,
        sales,
        {
            "full_name": " ",
            "email": "a@b",
            "phones": ["12"],
            "birthday": "32/01/2000",
            "rating": "7",
            "kind": "x",
            "website": "a b",
        },
    )
    assert {f: k for f, (k, _) in errors.items()} == {
        "full_name": "err.required",
        "email": "err.invalid_email",
        "phones": "err.invalid_phone",
        "birthday": "err.invalid_date",
        "rating": "err.out_of_range",
        "kind": "err.invalid_choice",
        "website": "err.invalid_url",
    }


def test_bad_update_changes_nothing(session, sales):
    customer = make_customer(session, sales, **VALID, province="Hà Nội")
    before = stored_counts(session)
    for bad in (
        {"full_name": ""},
        {"email": "an@"},
        {"phones": ["abc"]},
        {"birthday": "30/02/2020"},
        {"rating": "10"},
        {"status": "won", "province": "Huế"},
        {"full_name": "Tên\x00lạ"},
    ):
        with pytest.raises(ValidationFailed):
            customers.update(session, sales, customer.id, bad)
        assert stored_counts(session) == before
    stored = reloaded(session, Customer, customer.id)
    assert (stored.full_name, stored.email, stored.province, stored.status, stored.rating) == (
        "Nguyễn Văn An",
        "an@congty.vn",
        "01",
        "lead",
        0,
    )
    assert customers.phones_of(session, customer.id) == ["0912345678"]
    assert {r.action for r in history(session, "customer", customer.id)} == {"create"}


def test_contact_bad_input_changes_nothing(session, sales):
    before = stored_counts(session)
    cases = [
        ({"full_name": "  "}, "full_name", "err.required"),
        ({"full_name": "Lê Hoa", "email": "hoa@@x.vn"}, "email", "err.invalid_email"),
        ({"full_name": "Lê Hoa", "mobile": "09abc"}, "mobile", "err.invalid_phone"),
        ({"full_name": "Lê Hoa", "phone": "0912345678, 0987654321"}, "phone", "err.too_many_phones"),
        (
            {"full_name": "Lê Hoa", "support_start": "10/05/2024", "support_end": "01/05/2024"},
            "support_end",
            "err.end_before_start",
        ),
        ({"full_name": "Lê Hoa", "support_start": "99/99/2024"}, "support_start", "err.invalid_date"),
        ({"full_name": "Lê Hoa", "customer_id": 424242}, "customer_id", "err.invalid_choice"),
    ]
    for data, field, key in cases:
        with pytest.raises(ValidationFailed) as exc:
            contacts.create(session, sales, data)
        assert exc.value.errors[field][0] == key, data
        assert stored_counts(session) == before


# --- markup and SQL-looking text are plain text ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "norm"),
    [
        ("<script>alert(1)</script> Nguyễn <b>An</b>", "<script>alert(1)</script> nguyen <b>an</b>"),
        ("<img src=x onerror=alert('xss')> Trần Bình", "<img src=x onerror=alert('xss')> tran binh"),
        ("Robert'); DROP TABLE customer; --", "robert'); drop table customer; --"),
        ('Công ty "Ánh Dương" & Cộng sự; SELECT * FROM user', 'cong ty "anh duong" & cong su; select * from user'),
        ("50% off_ \\ /* */", "50% off_ \\ /* */"),
    ],
    ids=["script", "img-onerror", "sql-drop", "sql-select", "wildcards"],
)
def test_markup_and_sql_in_a_name_are_stored_verbatim(session, sales, name, norm):
    customer = make_customer(session, sales, name, email="kh@congty.vn", description=name)
    stored = reloaded(session, Customer, customer.id)
    assert stored.full_name == name
    assert stored.description == name
    assert stored.name_norm == norm
    # the table is still there and the record is found by its own text
    found = query.fetch_page(session, sales, query.ListSpec(entity="customer", columns=["full_name"], search=name))
    assert [r["full_name"] for r in found.rows] == [name]
    assert stored_counts(session)["Customer"] == 1


def test_like_wildcards_in_a_search_match_literally(session, sales):
    make_customer(session, sales, "Giảm 50% cho khách")
    make_customer(session, sales, "Giảm 500 nghìn")
    make_customer(session, sales, "Mã_khuyến_mãi")
    make_customer(session, sales, "Mã khuyến mãi")

    def names(text):
        spec = query.ListSpec(entity="customer", columns=["full_name"], search=text, sort="full_name", descending=False)
        return [r["full_name"] for r in query.fetch_page(session, sales, spec).rows]

    assert names("50%") == ["Giảm 50% cho khách"]
    assert names("ma_khuyen") == ["Mã_khuyến_mãi"]


def test_a_birthday_that_has_not_come_is_refused_and_changes_nothing(session, org):
    tomorrow = (local_today() + timedelta(days=2)).isoformat()
    with pytest.raises(ValidationFailed) as exc:
        customers.create(session, org.manager, {"full_name": "Sinh Sau Này", "birthday": tomorrow})
    assert exc.value.errors["birthday"][0] == "err.future_date"
    assert customers.create(session, org.manager, {"full_name": "Sinh Hôm Qua", "birthday": "1990-01-01"}).customer


def test_a_new_company_named_as_one_the_user_sees_is_refused_naming_it(session, org):
    known = make_customer(session, org.sales_a, "Công ty Hoa Sen", kind="business")
    make_customer(session, org.other_sales, "Công ty Sao Mai", kind="business")
    before = stored_counts(session)
    with pytest.raises(ValidationFailed) as exc:
        contacts.create(session, org.sales_a, {"full_name": "Trần Bình"}, new_company_name="  công ty HOA SEN ")
    key, params = exc.value.errors["customer_id"]
    assert key == "err.company_known" and params == {"code": known.code, "name": "Công ty Hoa Sen"}
    session.rollback()
    assert stored_counts(session) == before
    # another team's company of the same name is not the user's to pick: a new one is made for them
    contact = contacts.create(session, org.sales_a, {"full_name": "Lê Chi"}, new_company_name="Công ty Sao Mai")
    company = session.get(Customer, contact.customer_id)
    assert company.owner_id == org.sales_a.id and company.kind == "business"


def test_a_name_pasted_with_combining_accents_is_stored_composed(session, sales):
    """Text copied from some PDFs and Mac files carries "Á" as A and a combining accent: it is
    stored as the one letter, so that it reads, sorts and exports as typed on a keyboard."""
    import unicodedata

    pasted = unicodedata.normalize("NFD", "Lê Thị Ánh Tuyết")
    assert pasted != "Lê Thị Ánh Tuyết"
    made = make_customer(session, sales, pasted)
    stored = reloaded(session, Customer, made.id)
    assert stored.full_name == "Lê Thị Ánh Tuyết" and stored.given_name == "Tuyết"
    assert stored.name_norm == "le thi anh tuyet"

"""The list query builder: spec checking, keyset paging both ways, search, display rows."""

import random
from dataclasses import replace
from datetime import date

import pytest
from sqlmodel import select

from crm_app.models import Customer
from crm_app.services.customer import customers
from crm_app.services.lists import query
from crm_app.services.lists.query import PAGE_SIZES, BadSpec, ListSpec
from crm_app.services.normalize import given_name_columns
from crm_app.services.people.permissions import Actor
from crm_app.services.pipeline import leads
from crm_app.services.records.fields import ENTITIES
from tests.unit.factories import default_catalogs, make_contact, make_customer, make_sales, stored_counts

# --- the spec is checked against the field registry --------------------------------------------------

INJECTIONS = [
    "full_name; DROP TABLE customer",
    "id) OR 1=1 --",
    "full_name DESC, (SELECT password_hash FROM user)",
    "1",
    "",
    "name_norm",
    "password_hash",
    "FULL_NAME",
]


@pytest.fixture
def sales(session):
    default_catalogs(session)
    return make_sales(session, "nv.an")


@pytest.fixture
def someone():
    """An actor without a user row: enough where the spec is refused before any SQL runs."""
    return Actor(id=1, role="sales", full_name="Nv An", visible_owner_ids=frozenset({1}))


@pytest.mark.parametrize("name", INJECTIONS)
def test_unknown_or_injected_column_is_refused(session, someone, name):
    spec = ListSpec(entity="customer", columns=["full_name", name])
    with pytest.raises(BadSpec) as exc:
        query.count(session, someone, spec)
    assert (exc.value.key, exc.value.params) == ("err.unknown_field", {"name": name})
    with pytest.raises(BadSpec):
        query.fetch_page(session, someone, spec)


@pytest.mark.parametrize("name", [*[n for n in INJECTIONS if n], "address", "tags", "assigned_to_id"])
def test_unknown_injected_or_unsortable_sort_is_refused(session, someone, name):
    spec = ListSpec(entity="customer", columns=["full_name"], sort=name)
    with pytest.raises(BadSpec) as exc:
        query.fetch_page(session, someone, spec)
    assert (exc.value.key, exc.value.params) == ("err.unknown_field", {"name": name})


@pytest.mark.parametrize("entity", ["user", "customer; DROP TABLE customer", "Customer", "", "authsession"])
def test_unknown_entity_is_refused(session, someone, entity):
    with pytest.raises(BadSpec) as exc:
        query.count(session, someone, ListSpec(entity=entity, columns=[]))
    assert exc.value.key == "err.unknown_entity"


@pytest.mark.parametrize("size", [0, 1, 10, 24, 1000, -25])
def test_invalid_page_size_is_refused(session, someone, size):
    with pytest.raises(BadSpec) as exc:
        query.fetch_page(session, someone, ListSpec(entity="customer", page_size=size))
    assert exc.value.key == "err.invalid_choice"


def test_refused_specs_leave_the_tables_alone(session, sales):
    make_customer(session, sales, "Nguyễn Văn An")
    for spec in (
        ListSpec(entity="customer", columns=["full_name; DROP TABLE customer"]),
        ListSpec(entity="customer", sort="id) OR 1=1 --"),
    ):
        with pytest.raises(BadSpec):
            query.fetch_page(session, sales, spec)
    assert stored_counts(session)["Customer"] == 1
    assert query.count(session, sales, ListSpec(entity="customer")) == 1


def test_fields_of_contacts_are_not_those_of_customers(session, sales):
    with pytest.raises(BadSpec):
        query.count(session, sales, ListSpec(entity="contact", columns=["tax_code"], sort="full_name"))
    with pytest.raises(BadSpec):
        query.count(session, sales, ListSpec(entity="contact", sort="code"))


# --- keyset paging -----------------------------------------------------------------------------------

GIVEN = [
    "An",
    "Anh",
    "Bảo",
    "Bình",
    "Châu",
    "Cường",
    "Dũng",
    "Đạt",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hiếu",
    "Hoa",
    "Hùng",
    "Huy",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
]


@pytest.fixture
def sixty(session, sales):
    """60 customers; every given name three times (ties on the sort value), in random order."""
    names = [f"Khách hàng {g}" for g in GIVEN] * 3
    random.Random(7).shuffle(names)
    for name in names:
        make_customer(session, sales, name)
    return dict(session.exec(select(Customer.id, Customer.name_norm)).all())


def _walk_forward(session, actor, spec):
    pages = [query.fetch_page(session, actor, spec)]
    while pages[-1].has_after:
        pages.append(query.fetch_page(session, actor, spec, after=pages[-1].last_key))
    return pages


def _walk_backward(session, actor, spec):
    pages = [query.fetch_page(session, actor, spec, last=True)]
    while pages[-1].has_before:
        pages.append(query.fetch_page(session, actor, spec, before=pages[-1].first_key))
    return pages[::-1]


def _ids(pages):
    return [r["id"] for p in pages for r in p.rows]


def test_keyset_paging_walks_both_ways_without_gaps_or_repeats(session, sales, sixty):
    by_name = sorted(sixty, key=lambda i: (sixty[i], i))
    for sort, descending, expected in (
        ("code", True, sorted(sixty, reverse=True)),
        ("code", False, sorted(sixty)),
        ("full_name", False, by_name),
        ("full_name", True, by_name[::-1]),
    ):
        case = f"sort={sort} descending={descending}"
        spec = ListSpec(
            entity="customer", columns=["code", "full_name"], sort=sort, descending=descending, page_size=25
        )
        assert _ids([query.fetch_page(session, sales, replace(spec, page_size=100))]) == expected, case

        forward = _walk_forward(session, sales, spec)
        assert [len(p.rows) for p in forward] == [25, 25, 10], case
        assert _ids(forward) == expected, case
        assert [(p.has_before, p.has_after) for p in forward] == [(False, True), (True, True), (True, False)], case
        assert (forward[0].first_key[1], forward[-1].last_key[1]) == (expected[0], expected[-1]), case

        # last=True gives the final rows; walking back from there reaches the first row
        backward = _walk_backward(session, sales, spec)
        assert [len(p.rows) for p in backward] == [10, 25, 25], case
        assert [r["id"] for r in backward[-1].rows] == expected[-25:], case
        assert _ids(backward) == expected, case
        assert [(p.has_before, p.has_after) for p in backward] == [(False, True), (True, True), (True, False)], case

        # forward again from a page reached backwards
        again = query.fetch_page(session, sales, spec, after=backward[1].last_key)
        assert [r["id"] for r in again.rows] == expected[35:], case

    # ties on the name are ordered by id, and the last page by name ends with the last name
    rows = [
        r
        for p in _walk_forward(
            session,
            sales,
            ListSpec(entity="customer", columns=["full_name"], sort="full_name", descending=False, page_size=25),
        )
        for r in p.rows
    ]
    assert [r["full_name"] for r in rows[:3]] == ["Khách hàng An"] * 3
    assert [r["id"] for r in rows[:3]] == sorted(r["id"] for r in rows[:3])
    assert rows[-1]["full_name"] == "Khách hàng Long"


def test_keyset_paging_over_a_sort_with_empty_values(session, sales):
    """Sorting by a column that may be empty (birthday, category): empty values sort first and
    are neither skipped nor repeated when a page boundary falls among or next to them."""
    cat = default_catalogs(session)
    vip = cat["category"]["vip"]
    people = {}
    for i in range(30):
        born = date(1990, 1, 1 + i % 7) if i % 3 else None
        customer = make_customer(
            session, sales, f"Khách {i:02d}", birthday=born, category_id=vip if i % 4 == 0 else None
        )
        people[customer.id] = (born or date.min, vip if i % 4 == 0 else 0)
    for sort, index in (("birthday", 0), ("category_id", 1)):
        for descending in (False, True):
            case = f"sort={sort} descending={descending}"
            expected = sorted(people, key=lambda i: (people[i][index], i), reverse=descending)
            spec = ListSpec(
                entity="customer", columns=["full_name", sort], sort=sort, descending=descending, page_size=25
            )
            assert _ids(_walk_forward(session, sales, spec)) == expected, case
            assert _ids(_walk_backward(session, sales, spec)) == expected, case


def test_paging_leaves_out_archived_rows_and_keeps_the_search(session, sales, sixty):
    archived = sorted(sixty)[:5]
    for cid in archived:
        customers.set_archived(session, sales, cid, True)
    spec = ListSpec(
        entity="customer", columns=["full_name"], sort="full_name", descending=True, search="khach hang", page_size=25
    )
    assert query.count(session, sales, spec) == 55
    pages = _walk_forward(session, sales, spec)
    assert [len(p.rows) for p in pages] == [25, 25, 5]
    expected = sorted((i for i in sixty if i not in archived), key=lambda i: (sixty[i], i), reverse=True)
    assert _ids(pages) == expected

    spec = ListSpec(
        entity="customer", columns=["full_name"], sort="full_name", descending=False, search="hang h", page_size=25
    )
    wanted = sorted(
        (i for i in sixty if sixty[i].startswith("khach hang h") and i not in archived), key=lambda i: (sixty[i], i)
    )
    assert query.count(session, sales, spec) == len(wanted) > 0
    assert _ids(_walk_backward(session, sales, spec)) == wanted


def test_empty_list(session, sales):
    page = query.fetch_page(session, sales, ListSpec(entity="customer", columns=["full_name"]))
    assert page.rows == [] and page.first_key is None and page.last_key is None
    assert (page.has_before, page.has_after) == (False, False)
    last = query.fetch_page(session, sales, ListSpec(entity="customer", columns=["full_name"]), last=True)
    assert last.rows == [] and (last.has_before, last.has_after) == (False, False)


# --- search ------------------------------------------------------------------------------------------


@pytest.fixture
def people(session, sales):
    an = make_customer(session, sales, "Nguyễn Văn An", phones=["+84 912 345 678"], email="an.nguyen@anhduong.vn")
    binh = make_customer(
        session, sales, "Trần Thị Bình", phones=["0987 654 321", "(028) 3822 1234"], email="binh.tran@hoasen.vn"
    )
    nguyen = make_customer(session, sales, "Lê Văn Nguyên", kind="business", email="nguyen@levan.vn")
    return {"an": an.id, "binh": binh.id, "nguyen": nguyen.id}


def _found(session, actor, text, entity="customer", archived=False):
    spec = ListSpec(
        entity=entity, columns=["full_name"], sort="full_name", descending=False, search=text, archived=archived
    )
    ids = {r["id"] for r in query.fetch_page(session, actor, spec).rows}
    assert query.count(session, actor, spec) == len(ids)
    return ids


def test_search_by_name_without_accents(session, sales, people):
    for text in ("NGUYEN VAN AN", "uyen van a"):  # (the second from inside a word, as typed)
        assert _found(session, sales, text) == {people["an"]}, text
    # each typed word starts a word of the name, in any order, whether or not a name holds
    # them as typed: "nguyen van" finds Lê Văn Nguyên beside Nguyễn Văn An
    for text in ("nguyen van", "Nguyễn Văn", "  nguyễn   văn  ", "van nguyen"):
        assert _found(session, sales, text) == {people["an"], people["nguyen"]}, text
    for text in ("an van", "An Văn", "an vă"):
        assert _found(session, sales, text) == {people["an"]}, text
    # a number being typed, with its country code
    for text in ("+84 912 345", "+84 91", "0084 912", "+84 (0) 912 3"):
        assert _found(session, sales, text) == {people["an"]}, text


def test_search_by_name_parts(session, sales, people):
    assert _found(session, sales, "van") == {people["an"], people["nguyen"]}
    assert _found(session, sales, "nguyen") == {people["an"], people["nguyen"]}
    assert _found(session, sales, "bình") == {people["binh"]}
    assert _found(session, sales, "Trần Thị Bính") == {people["binh"]}  # accents are ignored altogether
    assert _found(session, sales, "Trần Văn Bình") == set()


def test_search_by_any_words_in_any_order_each_a_prefix(session, sales, people):
    thu = make_customer(session, sales, "Nguyễn Văn Thử", phones=["0905 000 001"])
    huyen = make_customer(session, sales, "Phạm Thị Huyền Minh")
    for text in ("nguyen thu", "thu nguyen", "Thử Nguyễn", "ng th", "van thu"):
        assert thu.id in _found(session, sales, text), text
    assert _found(session, sales, "huyen minh") == {huyen.id} == _found(session, sales, "minh huyen")
    assert _found(session, sales, "nguyen binh") == set()  # every word must be there
    assert _found(session, sales, "guyen thu") == set()  # a word's start, not its middle
    for entity in ("contact", "lead"):  # contacts read keys too; leads test each row
        made = (
            make_contact(session, sales, "Đỗ Thị Thu Hà")
            if entity == "contact"
            else leads.create(session, sales, {"full_name": "Đỗ Thị Thu Hà"})
        )
        session.commit()
        assert _found(session, sales, "ha do", entity) == {made.id}, entity


def test_words_in_any_order_are_found_besides_the_text_inside_other_names(session, sales, people):
    """ "yen thi" is inside "Nguyễn Thị …" (from the middle of a word): those names are found, and
    so is "Hồ Thị Yến", whose words start with the typed ones in another order. Text that starts
    a word of a name is searched as typed, as before ("nguyen thi")."""
    nguyen = make_customer(session, sales, "Nguyễn Thị Lan")
    yen = make_customer(session, sales, "Hồ Thị Yến")
    phuong = make_customer(session, sales, "Nguyễn Phương Yến")
    others = make_customer(session, make_sales(session, "nv.khac"), "Lê Thị Yến")  # not hers
    session.commit()
    assert _found(session, sales, "yen thi") == {nguyen.id, yen.id}
    assert _found(session, sales, "uyen thi") == {nguyen.id}  # no word starts with "uyen"
    assert _found(session, sales, "yen phuong") == {phuong.id}
    assert _found(session, sales, "thi yen") == {yen.id}  # as typed, from a word's start
    assert _found(session, sales, "nguyen thi") == {nguyen.id}  # as typed: not reordered
    assert others.id not in _found(session, sales, "yen thi")
    by_id = ListSpec(entity="customer", columns=["full_name"], search="yen thi")  # newest first
    assert [r["id"] for r in query.fetch_page(session, sales, by_id).rows] == [yen.id, nguyen.id]
    assert query.count_upto(session, sales, by_id) == (2, False)


def test_common_words_in_any_order_are_found_from_the_keys_alone(session, sales, people, monkeypatch):
    """The names holding every typed word are read from the keys of one of them (each key holds
    the words before its own), on SQLite and PostgreSQL; with more matches than the limit, the
    list is walked."""
    huyen = make_customer(session, sales, "Huyền Thị Minh")  # neither holds the words as typed
    minh_first = make_customer(session, sales, "Minh Ngọc Huyền")
    for name in ("Huyền Trang Lê", "Minh Châu Đỗ", "Huyền Thanh"):
        make_customer(session, sales, name)
    session.commit()
    for limit in (2, 1):
        monkeypatch.setattr(query, "SEARCH_ID_LIMIT", limit)
        session.rollback()  # a search is made once per transaction
        for text in ("huyen minh", "minh huyen", "Huyền Minh"):
            assert _found(session, sales, text) == {huyen.id, minh_first.id}, (text, limit)
            spec = ListSpec(entity="customer")
            search = query._Search.of(ENTITIES["customer"], text, session, sales, spec)
            assert search.keyed, text
            meeting = search.meeting_ids(session, sales, spec)
            assert meeting == (sorted([huyen.id, minh_first.id]) if limit == 2 else None), (text, limit)
        assert _found(session, sales, "huyen chau") == set()
        assert _found(session, sales, "inh huyen") == set()  # a word's start, not its middle
        # a typed word starting another: the keys cannot tell them apart, the rows are tested
        assert not query._Search.of(ENTITIES["customer"], "huy huyen", session, sales, spec).keyed
        assert _found(session, sales, "huy huyen") == set()


def test_a_word_before_the_drivers_is_read_from_the_keys_head(session, sales, people):
    """The typed word with fewest keys drives ("tran"); the other ("nguyen") may stand before it in
    the name, where only the key's head holds it. Another salesperson's name is not found."""
    for i in range(4):
        make_customer(session, sales, f"Nguyễn Văn Số {i}")
    before = make_customer(session, sales, "Nguyễn Văn Trần")  # the other word before the driver's
    after = make_customer(session, sales, "Trần Thị Nguyên")  # and after it
    make_customer(session, sales, "Trần Văn Khuyên")  # "nguyen" nowhere from a word's start
    make_customer(session, make_sales(session, "nv.khac2"), "Nguyễn Thị Trần")  # not hers
    session.commit()
    spec = ListSpec(entity="customer", columns=["full_name"], search="tran nguyen")
    search = query._Search.of(ENTITIES["customer"], "tran nguyen", session, sales, spec)
    assert search.keyed and search.driver == "tran"
    assert _found(session, sales, "tran nguyen") == {before.id, after.id}
    assert _found(session, sales, "nguyen tran") == {before.id, after.id}


def test_a_lists_count_and_page_read_the_keys_once(session, sales, people, monkeypatch):
    """A list shows its count and its page from one session: the matches of common words in any
    order are read once; after the transaction a new match is found."""
    import sqlalchemy as sa

    monkeypatch.setattr(query, "SEARCH_ID_LIMIT", 2)
    for name in ("Huyền Thị Minh", "Minh Ngọc Huyền", "Huyền Trang Lê", "Minh Châu Đỗ", "Huyền Thanh"):
        make_customer(session, sales, name)
    session.commit()
    # the scan of the keys and their heads
    marker = "customer_name_key.head"
    scans = []

    def seen(_conn, _cursor, statement, *_args):
        scans.extend([statement] if marker in statement else [])

    spec = ListSpec(entity="customer", columns=["full_name"], search="huyen minh")
    sa.event.listen(session.get_bind(), "before_cursor_execute", seen)
    try:
        assert query.count_upto(session, sales, spec) == (2, False)
        assert len(query.fetch_page(session, sales, spec).rows) == 2
        assert len(scans) == 1
        session.commit()
        make_customer(session, sales, "Lê Minh Huyền")
        session.commit()
        assert query.count_upto(session, sales, spec) == (3, False)
        assert len(query.fetch_page(session, sales, spec).rows) == 3
    finally:
        sa.event.remove(session.get_bind(), "before_cursor_execute", seen)


def test_search_by_phone_written_any_way(session, sales, people):
    for text in (
        "0912345678",
        "0912 345 678",
        "+84 912 345 678",
        "84912345678",
        "0912.345.678",
        "0912",
        "091 234",
        "+84912345678",
        "0084 912 345 678",
    ):
        assert _found(session, sales, text) == {people["an"]}, text
        # digits in groups are a phone: no name's words are looked up for them
        search = query._Search.of(ENTITIES["customer"], text, session, sales, query.ListSpec(entity="customer"))
        assert search.words == (), text


def test_search_by_a_phones_last_digits(session, sales, people):
    for text in ("5678", "345 678", "345678", "2345678"):  # the end of +84 912 345 678
        assert _found(session, sales, text) == {people["an"]}, text
    assert _found(session, sales, "1234") == {people["binh"]}  # the end of her second phone, a landline
    assert _found(session, sales, "678") == set()  # three digits are too few to tell
    assert _found(session, sales, "0987") == {people["binh"]}  # first digits, as before
    assert _found(session, sales, "0912") == {people["an"]}  # from its 0: the start, not an end "…0912"
    other = make_customer(session, make_sales(session, "nv.khac"), "Của Người Khác", phones=["0905 005 678"])
    session.commit()
    assert other.id not in _found(session, sales, "5678")  # only what she may see


def test_an_old_mobile_number_is_found_from_its_first_digits(session, sales, people):
    """A salesperson types the number from an old business card: "0168 123…" finds the phone
    stored as it is dialled today (038 123 4567), from its start or whole; "(+84) …" as printed."""
    card = make_customer(session, sales, "Anh Số Cũ", phones=["0168 123 4567"])
    session.commit()
    for text in ("0168 123", "0168123", "+84 168 123", "0168 123 4567", "038 123", "(+84) 38 123 4567"):
        assert _found(session, sales, text) == {card.id}, text


def test_digits_typed_alone_are_found_at_a_names_word_start(session, sales, people):
    """Digits typed alone are a phone, or a name's number read from its start: "586" finds "Cửa
    hàng 586", not "Đại lý 01586" (company names may hold the digits inside tens of thousands of
    words; the stored words are not read for them)."""
    shop = make_customer(session, sales, "Cửa hàng 586")
    inside = make_customer(session, sales, "Đại lý 01586")
    hanh = make_customer(session, sales, "Chị Hạnh", phones=["0910 586 025"])
    session.commit()
    assert _found(session, sales, "586") == {shop.id}
    assert _found(session, sales, "158") == set()  # inside a word
    assert _found(session, sales, "01586") == {inside.id}
    assert _found(session, sales, "586 025") == {hanh.id}  # the phone's end
    spec = query.ListSpec(entity="customer")
    search = query._Search.of(ENTITIES["customer"], "586 025", session, sales, spec)
    assert search.name_prefixes(session) == ["586 025"]  # one key range, no word list
    assert search.id_selects(session, sales, spec) is not None  # read from the indexes, no walk
    newest_first = query.ListSpec(entity="customer", columns=["full_name"], search="586")  # the ids' path
    assert [r["id"] for r in query.fetch_page(session, sales, newest_first).rows] == [shop.id]


def test_contacts_and_leads_are_found_by_a_phones_last_digits(session, sales):
    desk = make_contact(session, sales, "Trần Thị Liên", phone="(028) 3822 4455", mobile="0903 112 233")
    mobile = make_contact(session, sales, "Lê Văn Hệ", mobile="0912 777 889")
    lead = leads.create(session, sales, {"full_name": "Phan Đầu Mối", "mobile": "0988 456 789"})
    session.commit()
    assert _found(session, sales, "4455", "contact") == {desk.id}  # the desk phone's end
    assert _found(session, sales, "112 233", "contact") == {desk.id}  # the mobile's
    assert _found(session, sales, "777889", "contact") == {mobile.id}
    assert _found(session, sales, "456 789", "lead") == {lead.id}
    assert _found(session, sales, "0903", "contact") == {desk.id}  # first digits, as before
    assert _found(session, sales, "789", "lead") == set()  # too few digits
    changed = leads.update(session, sales, lead.id, {"mobile": "0977 123 654"})
    session.commit()
    assert changed is not None and _found(session, sales, "456 789", "lead") == set()
    assert _found(session, sales, "123 654", "lead") == {lead.id}


def test_search_by_a_second_phone_and_a_landline(session, sales, people):
    assert _found(session, sales, "(028) 3822 1234") == {people["binh"]}
    assert _found(session, sales, "028 3822") == {people["binh"]}
    assert _found(session, sales, "0987-654-321") == {people["binh"]}


def test_search_by_email_prefix(session, sales, people):
    for text, who in (
        ("an.nguyen@anhduong.vn", "an"),
        ("AN.NGUYEN@", "an"),
        ("an.nguyen@anh", "an"),
        ("binh.tran@", "binh"),
        ("nguyen@", "nguyen"),
    ):
        assert _found(session, sales, text) == {people[who]}, text


def test_search_by_code(session, sales, people):
    code = customers.get(session, sales, people["binh"]).code
    assert _found(session, sales, code) == {people["binh"]}
    assert _found(session, sales, code.lower()) == {people["binh"]}
    assert _found(session, sales, "kh999999") == set()


def test_search_finds_nothing_without_a_match(session, sales, people):
    assert _found(session, sales, "Phạm") == set()
    assert _found(session, sales, "0999") == set()
    assert _found(session, sales, "khong@co.vn") == set()


def test_search_respects_the_archive(session, sales, people):
    customers.set_archived(session, sales, people["an"], True)
    session.commit()
    assert _found(session, sales, "nguyen van an") == set()
    assert _found(session, sales, "nguyen van", archived=True) == {people["an"]}
    assert _found(session, sales, "0912345678", archived=True) == {people["an"]}


def test_contacts_search(session, sales, people):
    hoa = make_contact(
        session,
        sales,
        "Lê Thị Hoa",
        customer_id=people["binh"],
        phone="(028) 3822 9999",
        mobile="+84 903 111 222",
        email="Hoa.Le@HoaSen.vn",
        title="Kế toán trưởng",
    )
    tam = make_contact(session, sales, "Đặng Minh Tâm", mobile="0903 444 555", email="tam@levan.vn")
    assert _found(session, sales, "le thi", "contact") == {hoa.id}
    assert _found(session, sales, "ĐẶNG", "contact") == {tam.id}
    assert _found(session, sales, "minh tam", "contact") == {tam.id}
    assert _found(session, sales, "0903 111", "contact") == {hoa.id}
    assert _found(session, sales, "0903", "contact") == {hoa.id, tam.id}
    assert _found(session, sales, "+84903444555", "contact") == {tam.id}
    assert _found(session, sales, "028 3822 9999", "contact") == {hoa.id}
    assert _found(session, sales, "hoa.le@", "contact") == {hoa.id}
    assert _found(session, sales, "TAM@LEVAN.VN", "contact") == {tam.id}
    assert _found(session, sales, "nguyen van", "contact") == set()


# --- display rows ------------------------------------------------------------------------------------


def test_rows_show_labels_names_and_dates(session, sales):
    cat = default_catalogs(session)
    company = make_customer(session, sales, "Công ty Hoa Sen", kind="business")
    person = make_customer(
        session,
        sales,
        "Trần Thị Bình",
        status="customer",
        gender="female",
        birthday=date(1991, 1, 2),
        category_id=cat["category"]["vip"],
        tags=["B", "A"],
        assigned_to_id=company.id,
        do_not_call=True,
        phones=["0987654321"],
    )
    columns = [
        "code",
        "full_name",
        "kind",
        "status",
        "gender",
        "birthday",
        "category_id",
        "tags",
        "owner_id",
        "assigned_to_id",
        "do_not_call",
        "email_opt_out",
        "phone",
        "email",
    ]
    spec = ListSpec(entity="customer", columns=columns, sort="code", descending=False)
    vi = query.fetch_page(session, sales, spec, "vi").rows[1]
    assert vi == {
        "id": person.id,
        "code": person.code,
        "full_name": "Trần Thị Bình",
        "kind": "Cá nhân",
        "status": "Khách hàng",
        "gender": "Nữ",
        "birthday": "02/01/1991",
        "category_id": "VIP",
        "tags": "A, B",
        "owner_id": "Nv An",
        "assigned_to_id": "Công ty Hoa Sen",
        "do_not_call": "Có",
        "email_opt_out": "Không",
        "phone": "0987654321",
        "email": "",
    }
    en = query.fetch_page(session, sales, spec, "en").rows[1]
    assert (en["kind"], en["status"], en["gender"], en["do_not_call"]) == ("Individual", "Customer", "Female", "Yes")


def test_an_empty_sort_is_the_entity_default(session, someone):
    assert (ListSpec(entity="customer").sort, ListSpec(entity="customer").descending) == ("code", True)
    assert (ListSpec(entity="contact").sort, ListSpec(entity="contact").descending) == ("full_name", False)
    assert query.fetch_page(session, someone, ListSpec(entity="contact", columns=["full_name"])).rows == []


def test_a_list_sorted_by_given_name_reads_as_vietnamese_lists_do(session, sales):
    names = ["Nguyễn Văn An", "Trần Thị Bình", "Lê An", "Nguyễn Thị Yến", "Phạm Văn Bình", "Đỗ Đức Anh"]
    made = {n: make_customer(session, sales, n).id for n in names}
    org = make_customer(session, sales, "Công ty TNHH Hoa Sen", kind="business").id
    session.commit()
    spec = ListSpec(entity="customer", columns=["given_name", "full_name"], sort="given_name", descending=False)
    rows = query.fetch_page(session, sales, spec).rows
    # by the given name, then the family and middle names; an organisation by its whole name
    assert [r["id"] for r in rows] == [
        made["Lê An"],
        made["Nguyễn Văn An"],
        made["Đỗ Đức Anh"],
        made["Phạm Văn Bình"],
        made["Trần Thị Bình"],
        org,
        made["Nguyễn Thị Yến"],
    ]
    assert rows[0]["given_name"] == "An" and rows[5]["given_name"] == "Công ty TNHH Hoa Sen"
    # pages by keys like every sort
    small = replace(spec, page_size=PAGE_SIZES[0])
    assert _ids(_walk_forward(session, sales, small)) == [r["id"] for r in rows]
    # a renamed person, and a person who became an organisation in bulk, are sorted anew
    customers.update(session, sales, made["Lê An"], {"full_name": "Lê Văn Yên"})
    session.commit()
    stored = session.get(Customer, made["Lê An"])
    assert (stored.given_name, stored.given_norm) == ("Yên", "yen le van")


@pytest.mark.parametrize(
    "full_name, person, shown, key",
    [
        ("Nguyễn Văn An", True, "An", "an nguyen van"),
        ("  Trần   Thị  Ngọc   Yến ", True, "Yến", "yen tran thi ngoc"),
        ("Madonna", True, "Madonna", "madonna"),
        ("Nguyễn Thị Thu Hà (chị Hà)", True, "Hà", "ha nguyen thi thu"),
        ("Trần Văn Bình, ", True, "Bình", "binh tran van"),
        ("Lê Văn A.", True, "A", "a le van"),
        ("[VIP] Phạm Minh", True, "Minh", "minh pham"),
        ("0912 345 678", True, "678", "678 0912 345"),
        ("", True, "", ""),
        ("Công ty TNHH Hoa Sen", False, "Công ty TNHH Hoa Sen", "cong ty tnhh hoa sen"),
    ],
)
def test_given_name_columns(full_name, person, shown, key):
    assert given_name_columns(full_name, person) == {"given_name": shown, "given_norm": key}

"""The name search's structures stay right through every kind of write (forms, imports and their
undo, merges), on SQLite and PostgreSQL; the "assigned to" picker reads the organisations' own
key range; the counts and pages of a search are the same whichever way they are read."""

from __future__ import annotations

import functools
import importlib.util
import operator

import pytest
import sqlalchemy as sa
from alembic import command

from crm_app.db import alembic_config, make_engine
from crm_app.models import Customer, CustomerNameKey
from crm_app.models.search_keys import COMMON_WORDS, backfill_sql, common_mask, word_bit, word_mask
from crm_app.services.customer import customers, merge
from crm_app.services.lists import query
from crm_app.services.lists.query import BadSpec, ListSpec
from crm_app.services.normalize import normalize_name
from crm_app.services.transfer import importer
from crm_app.services.transfer.import_targets import name_keys as importer_keys
from crm_app.services.transfer.importer import ImportOptions
from crm_app.settings import ROOT
from tests.unit.factories import insert_bare_customer, make_customer, make_org, stored_counts
from tests.unit.test_importer import mapping, table


@pytest.fixture
def org(session):
    return make_org(session)


def _keys(session) -> list[tuple]:
    return sorted(
        session.execute(
            sa.select(
                CustomerNameKey.term,
                CustomerNameKey.customer_id,
                CustomerNameKey.is_first,
                CustomerNameKey.owner_id,
                CustomerNameKey.archived,
                CustomerNameKey.org,
                CustomerNameKey.head,
                CustomerNameKey.word_mask,
            )
        ).all()
    )


def _rewritten_keys(session) -> list[tuple]:
    """The keys as a rewrite from the records makes them (rolled back after)."""
    nested = session.begin_nested()
    for stmt in backfill_sql(session.get_bind().dialect.name):
        session.execute(sa.text(stmt))
    keys = _keys(session)
    nested.rollback()
    return keys


def _org_ids(session) -> set[int]:
    return set(session.execute(sa.select(CustomerNameKey.customer_id).where(CustomerNameKey.org)).scalars())


def test_each_key_holds_the_words_before_its_own(session, org):
    """The trigger, the import's own writing and the rewrite from the records agree."""
    person = make_customer(session, org.sales_a, "Nguyễn Văn  Thử")
    written = session.execute(
        sa.select(CustomerNameKey.term, CustomerNameKey.head).where(CustomerNameKey.customer_id == person.id)
    ).all()
    assert sorted(written) == [("nguyen van thu", ""), ("thu", " nguyen van"), ("van thu", " nguyen")]
    assert importer_keys("nguyen van thu") == [
        ("nguyen van thu", True, ""),
        ("van thu", False, " nguyen"),
        ("thu", False, " nguyen van"),
    ]
    assert _keys(session) == _rewritten_keys(session)


@pytest.mark.parametrize("name", ["Nguyễn Văn  Thử", "Cửa hàng 586 Đêm", "Công ty 東京 Ørsted", "Lê An", "Ngô Ông ấy"])
def test_each_key_carries_its_names_word_mask_as_python_computes_it(session, org, name):
    """The triggers (SQLite's unicode, PostgreSQL's ascii), the import and the rewrite give a
    name's keys the bits that word_mask gives, digits and letters outside Vietnamese included."""
    record = make_customer(session, org.sales_a, name)
    masks = session.execute(
        sa.select(CustomerNameKey.word_mask).where(CustomerNameKey.customer_id == record.id)
    ).scalars()
    assert set(masks) == {word_mask(record.name_norm)}
    assert word_mask(record.name_norm) == functools.reduce(operator.or_, map(word_bit, record.name_norm.split()), 0)
    assert _keys(session) == _rewritten_keys(session)
    t = table([name, "0905000103"])
    importer.run(session, org.sales_a, "customer", t, mapping(t), ImportOptions(duplicate_check=False), "m.csv")
    assert _keys(session) == _rewritten_keys(session)


def test_a_word_bit_is_of_the_words_first_three_characters():
    assert word_bit("ng") == 0 and word_bit("") == 0
    assert word_bit("nguyen") == word_bit("ngu") == word_bit("nguy") != word_bit("tran")
    # the commonest word starts of Vietnamese names have bits of their own
    common = ["ngu", "thi", "van", "pha", "con", "tra", "tha", "min", "hoa", "ngo", "huy", "hon", "kha"]
    assert len({word_bit(w) for w in common}) == len(common)
    assert word_mask("le van an") == word_bit("van") and word_mask("") == 0


def test_the_common_words_have_a_bit_each_as_the_migration_indexes_them():
    path = ROOT / "alembic" / "versions" / "c9e1a3b5d7f0_common_word_key_index.py"
    loaded = importlib.util.spec_from_file_location("common_word_key_index", path)
    migration = importlib.util.module_from_spec(loaded)
    loaded.loader.exec_module(migration)
    assert bin(common_mask()).count("1") == len(COMMON_WORDS)
    assert common_mask() == migration.COMMON_MASK


@pytest.mark.parametrize("through_common", [True, False])
def test_words_beside_a_common_one_are_found_through_its_ranges_as_through_the_keys(
    session, org, monkeypatch, through_common
):
    """For whoever sees every owner (PostgreSQL: the index of keys by word and common bits; a
    typed word starting several stored words, "tran" of "trang"), as when each key is tested."""
    if not through_common:
        monkeypatch.setattr(query, "COMMON_WORD_LIMIT", -1)
    ranges = []
    monkeypatch.setattr(query, "_common_ranges", _spied(query._common_ranges, ranges))
    names = [
        "Nguyễn Văn Trần",
        "Trần Thị Nguyệt",  # the bit of "ngu", not the word
        "Trang Nguyễn",
        "Lê Nguyễn Tràng Thị",
        "Trần Minh Thu",
        "Phạm Trần Nguyên Văn",
        "Nguyên Hoàng",
    ]
    made = {make_customer(session, org.sales_a, n).id: n for n in names}
    made[make_customer(session, org.other_sales, "Trần Nguyễn Khác").id] = "Trần Nguyễn Khác"
    archived = make_customer(session, org.sales_a, "Nguyễn Trần Cũ")
    archived.archived = True
    session.commit()

    def holds(name, text):
        words = normalize_name(name).split()
        return all(any(w.startswith(t) for w in words) for t in text.split())

    for text in ("tran nguyen", "nguyen tran", "trang nguyen van", "tran thu", "nguyen"):
        spec = ListSpec("customer", columns=["full_name"], search=text, page_size=50)
        found = {r["id"] for r in query.fetch_page(session, org.admin, spec).rows}
        assert found == {i for i, n in made.items() if holds(n, text)}, text
        assert query.count_upto(session, org.admin, spec) == (len(found), False), text
        session.rollback()
    postgres = session.get_bind().dialect.name == "postgresql"
    assert any(ranges) == (postgres and through_common)


def test_words_in_any_order_pass_the_mask_wherever_they_stand(session, org):
    """The mask lets through every name holding the words (in the key or its head, short typed
    words testing no bit) and the text test still refuses a word that only shares the bits."""
    found = {
        n: make_customer(session, org.sales_a, n).id
        for n in ("Trần Thị Nguyệt", "Nguyễn Văn Trần", "Lê Văn An", "Trần Ngụ Ánh")
    }
    session.commit()

    def ids(text):
        page = query.fetch_page(session, org.sales_a, ListSpec("customer", columns=["full_name"], search=text))
        return {r["id"] for r in page.rows}

    assert ids("nguyet tran") == {found["Trần Thị Nguyệt"]}
    assert ids("tran nguyen") == {found["Nguyễn Văn Trần"]}
    assert ids("an le") == {found["Lê Văn An"]}
    assert ids("nguyen tra") == {found["Nguyễn Văn Trần"]}  # "Ngụ" has the bit of "ngu", not the word


def test_keys_follow_every_write_kind_owner_archive_import_undo_and_merge(session, org):
    shop = make_customer(session, org.sales_a, "Công ty Văn Hóa Thái Nguyên", kind="business")
    person = make_customer(session, org.sales_a, "Nguyễn Văn An")
    assert _org_ids(session) == {shop.id}
    customers.update(session, org.sales_a, person.id, {"kind": "public", "full_name": "Trường Nguyễn Văn An"})
    customers.update(session, org.sales_a, shop.id, {"kind": "individual"})
    session.commit()
    assert _org_ids(session) == {person.id}
    customers.set_archived(session, org.sales_a, person.id, True)
    session.commit()
    assert _keys(session) == _rewritten_keys(session)

    t = table(
        ["Sở Văn Hóa Hà Giang", "0905000101", None, None, None, None, "Doanh nghiệp"], ["Lê Thị Thu", "0905000102"]
    )
    run = importer.run(session, org.sales_a, "customer", t, mapping(t), ImportOptions(duplicate_check=False), "k.csv")
    imported = session.execute(sa.select(Customer.id).where(Customer.name_norm == "so van hoa ha giang")).scalar_one()
    assert imported in _org_ids(session)
    assert _keys(session) == _rewritten_keys(session)
    importer.undo(session, org.sales_a, run.id)
    session.commit()
    assert imported not in _org_ids(session)
    assert _keys(session) == _rewritten_keys(session)

    other = make_customer(session, org.sales_a, "Công ty Văn Hóa Thái Nguyên (cũ)", kind="business")
    merge.merge(session, org.manager, [shop.id, other.id], other.id, {"kind": other.id})
    session.commit()
    assert _keys(session) == _rewritten_keys(session)
    assert _org_ids(session) == {other.id, person.id}


def test_the_assigned_to_picker_reads_organisations_by_words_in_any_order(session, org):
    department = make_customer(session, org.sales_a, "Sở Văn hóa Thái Nguyên", kind="public")
    make_customer(session, org.sales_a, "Nguyễn Văn An")  # an individual: never offered
    company = make_customer(session, org.sales_a, "Công ty Nguyễn Văn Long", kind="business")
    hidden = make_customer(session, org.other_sales, "Công ty Nguyễn Văn Bình", kind="business")
    archived = make_customer(session, org.sales_a, "Công ty Nguyễn Văn Cũ", kind="business")
    customers.set_archived(session, org.sales_a, archived.id, True)
    session.commit()

    def picked(actor, text):
        return {cid for cid, _label in customers.pick(session, actor, text, other_than_kind="individual")}

    assert picked(org.sales_a, "nguyen van") == {department.id, company.id}  # as typed, or in any order
    assert picked(org.sales_a, "thai nguyen van") == {department.id}  # every word, in any order
    assert picked(org.admin, "van nguyen") == {department.id, company.id, hidden.id}  # from the keys at once
    assert picked(org.sales_a, "nguyen ng") == set()  # one word starting another: tested row by row
    assert picked(org.sales_a, "van v") == set()
    assert picked(org.sales_a, "cong van") == {company.id}
    assert picked(org.sales_a, "van an") == set()  # "Nguyễn Văn An" is an individual
    assert hidden.id in picked(org.admin, "nguyen van") and hidden.id not in picked(org.sales_a, "binh")
    assert picked(org.sales_a, "khong co") == set()
    # an individual's picker offers the other kinds through the list's filter, as before
    offered = {cid for cid, _ in customers.pick(session, org.sales_a, "nguyen van", other_than_kind="business")}
    assert company.id not in offered and department.id in offered  # (a public body)


def test_organisations_only_is_refused_for_records_without_a_kind(session, org):
    before = stored_counts(session)
    with pytest.raises(BadSpec) as exc:
        query.fetch_page(session, org.admin, ListSpec(entity="contact", search="an", organisations=True))
    assert (exc.value.key, exc.value.params) == ("err.unknown_field", {"name": "kind"})
    assert stored_counts(session) == before


def test_counts_of_keys_naming_a_record_twice_are_of_records(session, org, monkeypatch):
    """ "n" starts two words of each name: twice as many keys as names, counted once each."""
    for i in range(30):
        make_customer(session, org.sales_a, f"Nguyễn Thị Ngân {i}")
    spec = ListSpec(entity="customer", search="n")
    monkeypatch.setattr(query, "SEARCH_WORD_LIMIT", 100)  # "n" read from its keys
    assert query.count(session, org.sales_a, spec) == 30
    assert query.count_upto(session, org.sales_a, spec, cap=25) == (25, True)
    assert query.count_upto(session, org.sales_a, spec, cap=30) == (30, False)


@pytest.mark.parametrize("walk_rows", [3, 2_000])
def test_a_page_is_the_same_walked_first_or_read_by_ids(session, org, monkeypatch, walk_rows):
    """PostgreSQL walks a few rows of the list before it counts a search: the pages are those of
    the search whether the walk fills them or not (SQLite reads them as before)."""
    monkeypatch.setattr(query, "SEARCH_WALK_ROWS", walk_rows)
    names = ["Phạm Huyền Thị Minh", "Trần Minh Thị Huyền", "Lê Văn Bình", "Huỳnh Minh"]
    made = [make_customer(session, org.sales_a, name) for name in names * 3]
    for search, found in (("huyen minh", names[:2]), ("minh huyen", names[:2]), ("huy min", [*names[:2], names[3]])):
        expected = [c.id for c in made if c.full_name in found]
        spec = ListSpec(entity="customer", columns=["full_name"], search=search, page_size=25)
        page = query.fetch_page(session, org.sales_a, spec)
        assert [r["id"] for r in page.rows] == sorted(expected, reverse=True), search
        by_name = ListSpec(entity="customer", columns=["full_name"], search=search, sort="full_name", descending=False)
        ids = [r["id"] for r in query.fetch_page(session, org.sales_a, by_name).rows]
        assert sorted(ids) == sorted(expected), search
    hidden = make_customer(session, org.other_sales, "Đinh Huyền Minh")
    spec = ListSpec(entity="customer", columns=["full_name"], search="huyen minh")
    assert hidden.id not in {r["id"] for r in query.fetch_page(session, org.sales_a, spec).rows}
    assert hidden.id in {r["id"] for r in query.fetch_page(session, org.admin, spec).rows}


@pytest.mark.parametrize(
    ("id_limit", "first_keys", "who"),
    [(5_000, False, "sales_a"), (7, True, "sales_a"), (4, True, "sales_a"), (3, True, "admin")],
)
def test_many_matches_sorted_by_name_page_as_the_names_sort(session, org, monkeypatch, id_limit, first_keys, who):
    """Names starting with either typed word, names holding both further in, names sharing a
    word's bits but not the word, another owner's: page by page forwards and backwards, in name
    order, as sorting the matching names gives: the 10 matches read by id; too many for that
    (``id_limit`` 7), the names' first keys walked besides the 6 names holding "nguyen" further
    in; too many of those too (4), every name's first key walked. For whoever sees every owner,
    when the newest names (here 2, both matches) tell of many: no matches read by id first."""
    monkeypatch.setattr(query, "SEARCH_ID_LIMIT", id_limit)
    monkeypatch.setattr(query, "SEARCH_SAMPLE_NAMES", 2)
    walks, scans = [], []
    monkeypatch.setattr(query._Search, "names_in_order", _spied(query._Search.names_in_order, walks))
    monkeypatch.setattr(query._Search, "meeting_ids", _spied(query._Search.meeting_ids, scans))
    actor = getattr(org, who)
    names = [
        "Nguyễn Văn An",
        "Nguyễn Văn An",
        "Văn Nguyễn Bình",
        "Lê Văn Nguyên",
        "Bùi Thị Nguyệt Vân",
        "Nguyễn Thị Vân",
        "Trần Nguyễn Văn",
        "Nguyễn Vạn Lộc",
        "Ngụ Văn Khải",
        "Đỗ Văn Nguyễn Hà",
        "Văn phòng Nguyễn Gia",
        "Nguyễn Bảo",
        "An Văn",
        "Zô Nguyễn Văn",
    ]
    made = {make_customer(session, org.sales_a, n).id: n for n in names}
    other = make_customer(session, org.other_sales, "Nguyễn Văn Khác")
    if who == "admin":
        made[other.id] = other.full_name
    session.commit()

    def holds(name):
        words = normalize_name(name).split()
        return all(any(w.startswith(t) for w in words) for t in ("nguyen", "van"))

    expected = sorted((normalize_name(n), i) for i, n in made.items() if holds(n))
    for descending in (False, True):
        spec = ListSpec("customer", columns=["full_name"], search="van nguyen", sort="full_name", descending=descending)
        seen, page = [], query.fetch_page(session, actor, spec, size=3)
        while True:
            seen += [r["id"] for r in page.rows]
            if not page.has_after:
                break
            page = query.fetch_page(session, actor, spec, after=page.last_key, size=3)
        want = [i for _n, i in (reversed(expected) if descending else expected)]
        assert seen == want, descending
        back = query.fetch_page(session, actor, spec, before=(normalize_name(made[want[-1]]), want[-1]), size=3)
        assert [r["id"] for r in back.rows] == want[-4:-1]
    assert bool(walks) == first_keys
    assert not scans if who == "admin" else scans


def _spied(method, calls: list):
    def spy(*args, **kwargs):
        calls.append(method(*args, **kwargs))
        return calls[-1]

    return spy


@pytest.mark.parametrize(
    ("before", "after", "column"),
    [("c1e3a5b7d9f1", "e4f6a8b0c2d4", "head"), ("f5a7c9e1b3d6", "a6c8e0b2d4f8", "word_mask")],
)
def test_a_key_migration_fills_the_stored_keys_and_its_triggers_keep_them(blank_db_url, before, after, column):
    """The migrations adding the keys' head and word mask, up and down (the heads and masks as
    the app computes them)."""

    def expected(name: str) -> list[tuple]:
        return sorted((t, head if column == "head" else word_mask(name)) for t, _f, head in importer_keys(name))

    cfg = alembic_config(blank_db_url)
    command.upgrade(cfg, before)
    engine = make_engine(blank_db_url)
    keys = sa.text(f"SELECT term, {column} FROM customer_name_key WHERE customer_id = :id ORDER BY term")
    with engine.begin() as conn:
        insert_bare_customer(conn, 1, "tran thi thu")
    command.upgrade(cfg, after)
    with engine.begin() as conn:
        assert conn.execute(keys, {"id": 1}).all() == expected("tran thi thu")
        insert_bare_customer(conn, 2, "le van an")
        conn.execute(sa.text("UPDATE customer SET name_norm = 'tran thuy ngoc' WHERE id = 1"))
    with engine.connect() as conn:
        assert conn.execute(keys, {"id": 1}).all() == expected("tran thuy ngoc")
        assert conn.execute(keys, {"id": 2}).all() == expected("le van an")
    command.downgrade(cfg, before)
    with engine.begin() as conn:  # the old triggers write keys without the column again
        insert_bare_customer(conn, 3, "ho yen")
        assert conn.execute(sa.text("SELECT count(*) FROM customer_name_key WHERE customer_id = 3")).scalar() == 2
    engine.dispose()


def test_names_holding_eth_for_d_are_found_by_d_and_the_migration_folds_stored_ones(session, org, blank_db_url):
    """Ð (U+00D0) folds to d as Đ does: a new name is found by "dang duc" and "Đặng Đức"; stored
    names, their keys and tags are folded again by the migration (a tag whose new form another
    tag has stays apart)."""
    shop = make_customer(session, org.sales_a, "Ðặng Văn Ðức")
    session.commit()
    for text in ("dang duc", "Đặng Đức", "ðuc ðang"):
        page = query.fetch_page(session, org.sales_a, ListSpec("customer", columns=["full_name"], search=text))
        assert [r["id"] for r in page.rows] == [shop.id], text

    cfg = alembic_config(blank_db_url)
    command.upgrade(cfg, "a6c8e0b2d4f8")
    engine = make_engine(blank_db_url)
    with engine.begin() as conn:
        insert_bare_customer(conn, 1, "ðang van ðuc")
        for i, norm in enumerate(("ðai ly", "ðoi", "doi"), start=1):
            conn.execute(sa.text("INSERT INTO tag (id, name, name_norm) VALUES (:i, :n, :n)"), {"i": i, "n": norm})
    command.upgrade(cfg, "b7d9f1a3c5e8")
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT name_norm FROM customer WHERE id = 1")).scalar() == "dang van duc"
        terms = conn.execute(sa.text("SELECT term FROM customer_name_key WHERE customer_id = 1 ORDER BY term"))
        assert terms.scalars().all() == ["dang van duc", "duc", "van duc"]
        tags = conn.execute(sa.text("SELECT name_norm FROM tag ORDER BY id")).scalars().all()
        assert tags == ["dai ly", "ðoi", "doi"]
    engine.dispose()

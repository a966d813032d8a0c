"""The machinery of bulk jobs: driver-level inserts, the cleaner's memo, the paused collector,
the unmapped database file."""

from __future__ import annotations

import gc
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from crm_app.db import MMAP_SIZE, file_not_mapped
from crm_app.models import AuditLog, Customer, CustomerTag, NameWord, Tag
from crm_app.services.bulk_insert import insert_many
from crm_app.services.customer import customers
from crm_app.services.errors import ValidationFailed
from crm_app.services.gc_pause import paused_gc
from tests.unit.factories import default_catalogs, make_admin, make_customer


def test_insert_many_writes_what_the_orm_would(session):
    admin = make_admin(session)
    at = datetime(2026, 11, 23, 9, 30, 0, tzinfo=UTC)
    insert_many(
        session,
        AuditLog.__table__,
        [
            {
                "entity": "customer",
                "entity_id": 7,
                "action": "create",
                "field": "import",
                "old_value": None,
                "new_value": "a.xlsx",
                "user_id": admin.id,
                "at": at,
            },
            {
                "entity": "customer",
                "entity_id": 8,
                "action": "create",
                "field": "import",
                "old_value": None,
                "new_value": "a.xlsx",
                "user_id": admin.id,
                "at": at,
            },
        ],
    )
    session.commit()
    rows = session.execute(sa.select(AuditLog).where(AuditLog.entity_id.in_([7, 8])).order_by(AuditLog.entity_id))
    stored = [r[0] for r in rows]
    assert [(a.entity_id, a.at, a.new_value, a.old_value) for a in stored] == [
        (7, at, "a.xlsx", None),
        (8, at, "a.xlsx", None),
    ]
    # the stored text is the one SQLAlchemy itself writes, so comparisons in SQL still hold
    later = session.execute(
        sa.select(sa.func.count())
        .select_from(AuditLog)
        .where(AuditLog.entity_id == 7, AuditLog.at > datetime(2026, 11, 23, 9, 29, 59, tzinfo=UTC))
    ).scalar_one()
    assert later == 1


def test_insert_many_applies_scalar_defaults_and_typed_values(session):
    default_catalogs(session)
    admin = make_admin(session)
    c = make_customer(session, admin, "Trần Thị Bình")
    tag = Tag(name="VIP", name_norm="vip")
    session.add(tag)
    session.flush()
    insert_many(session, CustomerTag.__table__, [{"customer_id": c.id, "tag_id": tag.id}])
    session.commit()
    assert session.execute(sa.select(CustomerTag.tag_id).where(CustomerTag.customer_id == c.id)).scalars().all() == [
        tag.id
    ]
    session.execute(sa.update(Customer).where(Customer.id == c.id).values(birthday=date(1990, 5, 17)))
    assert session.get(Customer, c.id).birthday == date(1990, 5, 17)


def test_insert_many_or_ignore_skips_existing_words(session):
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("OR IGNORE is SQLite's (other databases keep the words by trigger)")
    insert_many(session, NameWord.__table__, [{"word": "nguyen"}, {"word": "van"}])
    insert_many(session, NameWord.__table__, [{"word": "van"}, {"word": "an"}], or_ignore=True)
    session.commit()
    words = session.execute(sa.select(NameWord.word).where(NameWord.word.in_(["nguyen", "van", "an"]))).scalars()
    assert sorted(words) == ["an", "nguyen", "van"]
    with pytest.raises(sa.exc.IntegrityError):
        insert_many(session, NameWord.__table__, [{"word": "an"}])
    session.rollback()


def test_insert_many_of_nothing_does_nothing(session):
    insert_many(session, AuditLog.__table__, [])
    assert session.execute(sa.select(sa.func.count()).select_from(AuditLog)).scalar_one() == 0


def test_cleaner_memo_gives_each_row_its_own_errors(session):
    """A value seen before brings its error back on every row that holds it, and a good row
    after a bad one is still good."""
    default_catalogs(session)
    memo: dict = {}
    rows = [
        {"full_name": "An", "email": "an@", "birthday": "31/02/1990"},
        {"full_name": "Bình", "email": "binh@congty.vn", "birthday": "17/05/1990"},
        {"full_name": "Chi", "email": "an@", "birthday": "31/02/1990"},
    ]
    outcomes = []
    for row in rows:
        try:
            outcomes.append(customers.clean(session, row, memo=memo))
        except ValidationFailed as exc:
            outcomes.append({k: v[0] for k, v in exc.errors.items()})
    assert outcomes[0] == {"email": "err.invalid_email", "birthday": "err.invalid_date"}
    assert outcomes[2] == outcomes[0]
    assert outcomes[1]["birthday"] == date(1990, 5, 17) and outcomes[1]["email"] == "binh@congty.vn"
    # the same rows without a memo: the same results
    for row, outcome in zip(rows, outcomes, strict=True):
        try:
            assert customers.clean(session, row) == outcome
        except ValidationFailed as exc:
            assert {k: v[0] for k, v in exc.errors.items()} == outcome


def test_paused_gc_nests_and_comes_back():
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), paused_gc():
        raise RuntimeError("job failed")
    assert gc.isenabled()


def test_file_not_mapped_restores_the_mapping(session):
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("SQLite only")
    with file_not_mapped(session):
        assert session.execute(sa.text("PRAGMA mmap_size")).scalar_one() == 0
    assert session.execute(sa.text("PRAGMA mmap_size")).scalar_one() == MMAP_SIZE

"""Customer lookup: whether a value is in the CRM and who owns it, never the record to those who
may not see it; written to the history, limited per hour."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from crm_app.models import AuditLog
from crm_app.models._base import utcnow
from crm_app.services.customer import lookup
from crm_app.services.errors import ServiceError, ValidationFailed
from crm_app.services.pipeline import leads
from crm_app.services.records import history
from tests.unit.factories import committed, make_contact, make_customer, make_org


@pytest.fixture
def org(session):
    return make_org(session)


@pytest.fixture
def stored(session, org):
    customer = make_customer(
        session, org.sales_b, "Nguyễn Thị Hoa", phones=["0912 345 678"], email="hoa@sen.vn", tax_code="0101234567"
    )
    contact = make_contact(session, org.sales_b, "Trần Văn Lâm", mobile="0987 654 321")
    lead = committed(session, leads.create(session, org.sales_b, {"full_name": "Lê Bích", "email": "bich@sen.vn"}))
    return customer, contact, lead


def test_another_users_record_says_it_exists_and_who_owns_it_and_nothing_more(session, org, stored):
    customer, contact, _lead = stored
    for typed, entity, by in (
        ("+84 912.345.678", "customer", "phone"),  # any way of writing the number
        ("HOA@SEN.VN", "customer", "email"),
        ("0101234567", "customer", "tax_code"),
        ("nguyen thi HOA", "customer", "name"),  # without diacritics or case
        ("0987654321", "contact", "phone"),
        ("bich@sen.vn", "lead", "email"),
    ):
        [hit] = lookup.look_up(session, org.sales_a, typed)
        assert (hit.entity, hit.by, hit.owner, hit.teams) == (entity, by, "Sales B", "Kinh doanh Hà Nội")
        assert (hit.record_id, hit.label) == (0, "")  # not sales A's to see: no code, name or link
    [mine] = lookup.look_up(session, org.sales_b, "0912345678")  # the owner sees the record itself
    assert (mine.record_id, mine.label) == (customer.id, f"{customer.code} Nguyễn Thị Hoa")
    [seen] = lookup.look_up(session, org.manager, "0987654321")  # and the owner's manager
    assert seen.record_id == contact.id


def test_an_old_mobile_number_finds_its_new_form(session, org):
    make_customer(session, org.sales_b, "Phạm Văn Cũ", phones=["0388 123 456"])
    assert [h.entity for h in lookup.look_up(session, org.sales_a, "0168 812 3456")] == ["customer"]


def test_nothing_found_and_whole_values_only(session, org, stored):
    assert lookup.look_up(session, org.sales_a, "0912 000 000") == []
    assert lookup.look_up(session, org.sales_a, "Nguyễn Thị") == []  # a part of a name is not the name
    assert lookup.look_up(session, org.sales_a, "0912345") == []  # nor the start of a number
    for typed, key in (("Hoa", "err.lookup_whole_name"), ("hoa@", "err.invalid_email"), ("x" * 201, "err.too_long")):
        with pytest.raises(ValidationFailed) as exc:
            lookup.look_up(session, org.sales_a, typed)
        assert exc.value.errors["lookup"][0] == key


def test_every_lookup_is_in_the_history_and_an_hour_allows_a_limited_number(session, org, stored):
    lookup.look_up(session, org.sales_a, "0912345678")
    rows = history.describe(
        session, [session.exec(sa.select(AuditLog).order_by(AuditLog.id.desc())).scalars().first()], "vi"
    )
    assert (rows[0]["who"], rows[0]["action"], rows[0]["field"], rows[0]["new"]) == (
        "Sales A",
        "Tra cứu",
        "Số điện thoại / mã số thuế",
        "0912345678",
    )
    assert rows[0]["record"] == ""
    earlier = utcnow() - timedelta(minutes=30)
    for _ in range(lookup.LOOKUPS_PER_HOUR - 1):
        session.add(
            AuditLog(entity="lookup", entity_id=org.sales_a.id, action="lookup", user_id=org.sales_a.id, at=earlier)
        )
    session.commit()
    with pytest.raises(ServiceError) as exc:
        lookup.look_up(session, org.sales_a, "hoa@sen.vn")
    assert exc.value.key == "err.lookup_limit"
    assert lookup.look_up(session, org.sales_b, "hoa@sen.vn")  # another user's hour is their own
    later = utcnow() + timedelta(minutes=31)  # the older lookups leave the hour
    assert lookup.look_up(session, org.sales_a, "hoa@sen.vn", now=later)

"""Old 11-digit mobile numbers (before 2018) are the same numbers as their 10-digit forms:
normalised, validated, kept in today's form, found by either, and stored ones migrated."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command

from crm_app.db import alembic_config, make_engine
from crm_app.services.customer import customers
from crm_app.services.errors import ValidationFailed
from crm_app.services.normalize import (
    OLD_AREA_CODES,
    OLD_MOBILE_PREFIXES,
    current_form,
    is_valid_phone,
    normalize_phone,
)
from tests.unit.factories import insert_bare_customer, make_customer


@pytest.mark.parametrize(("old", "new"), sorted(OLD_MOBILE_PREFIXES.items()))
def test_every_old_prefix_reads_as_its_new_one(old, new):
    typed = f"{old} 123 4567"
    assert normalize_phone(typed) == f"{new}1234567"
    assert normalize_phone(f"+84 {old[1:]} 123 4567") == f"{new}1234567"
    assert is_valid_phone(typed) and current_form(typed) == f"{new} 123 4567"


def test_numbers_of_today_and_of_other_countries():
    assert current_form("0912 345 678") is None and is_valid_phone("0283 822 1111")
    assert is_valid_phone("+1 212 555 0100") and not is_valid_phone("+1 555")
    assert not is_valid_phone("0912 555 0102")  # a mobile has ten digits
    assert not is_valid_phone("0101 234 567")  # no such prefix


def test_an_old_number_is_stored_in_todays_form_and_is_a_duplicate_of_it(session, org):
    made = customers.create(session, org.sales_a, {"full_name": "Bà Sáu", "phones": ["0168 123 4567"]})
    assert customers.phones_of(session, made.customer.id) == ["038 123 4567"]
    session.commit()
    make_customer(session, org.sales_a, "Ông Bảy", phones=["038 999 0001"])
    with pytest.raises(ValidationFailed) as exc:  # the same number written as before 2018
        customers.create(session, org.sales_a, {"full_name": "Ông Bảy", "phones": ["0168 999 0001"]})
    assert exc.value.errors["full_name"][0] == "err.duplicate_customer"


def test_stored_old_numbers_are_migrated(blank_db_url):
    if not blank_db_url.startswith("sqlite"):
        pytest.skip("the migration's SQL is the same on PostgreSQL; one database is enough here")
    cfg = alembic_config(blank_db_url)
    command.upgrade(cfg, "d2f6a8c4e1b9")
    engine = make_engine(blank_db_url)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO lead (full_name, name_norm, kind, company, title, phone, phone_norm, mobile, mobile_norm,"
                " email, email_norm, province, status, rating, value, description, rank, archived,"
                " created_at, updated_at, stage_entered_at) VALUES ('L', 'l', 'person', '', '', '0912 345 678', '0912345678',"
                " '0168 123 4567', '01681234567', '', '', '', 'new', 0, 0, '', 0, 0, '2026-01-01', '2026-01-01', '2026-01-01')"
            )
        )
    command.upgrade(cfg, "e8a1c3f5b7d9")
    with engine.begin() as conn:  # landlines written with their area code of before 2017
        conn.execute(sa.text("UPDATE lead SET phone = '(04) 3825 1234', phone_norm = '0438251234'"))
        insert_bare_customer(conn, 1, "k", phone="(0511) 3822 123")
        conn.execute(
            sa.text(
                "INSERT INTO customerphone (customer_id, number, number_norm, position, archived)"
                " VALUES (1, '(0511) 3822 123', '05113822123', 0, 0)"
            )
        )
    command.upgrade(cfg, "heads")
    with engine.connect() as conn:
        row = conn.execute(sa.text("SELECT phone, phone_norm, mobile, mobile_norm FROM lead")).one()
        phone = conn.execute(sa.text("SELECT number, number_norm, number_rev FROM customerphone")).one()
    assert tuple(row) == ("024 3825 1234", "02438251234", "038 123 4567", "0381234567")
    # the customer's phone: today's area code, and backwards for a search by its last digits
    assert tuple(phone) == ("0236 3822 123", "02363822123", "32122836320")


@pytest.mark.parametrize(
    "old, new",
    [
        ("04 3825 1234", "024 3825 1234"),  # Hà Nội
        ("(0511) 3822 123", "0236 3822 123"),  # Đà Nẵng
        ("0650 3822 123", "0274 3822 123"),  # Bình Dương
        ("020 3840 123", "0214 3840 123"),  # Lào Cai: a 2-digit code, 7 digits
        ("061 3822 123", "0251 3822 123"),  # Đồng Nai
        ("054 3822 123", "0234 3822 123"),  # Huế
        ("+84 4 3825 1234", "024 3825 1234"),
    ],
)
def test_a_landline_of_before_2017_reads_with_its_new_area_code(old, new):
    assert current_form(old) == new
    assert normalize_phone(old) == normalize_phone(new) and is_valid_phone(old)


@pytest.mark.parametrize(
    "number",
    [
        "08 3822 1234",  # TP.HCM's old code, but these digits are a mobile number today
        "038 3822 123",  # Nghệ An's old code, the same
        "024 3825 1234",  # already today's
        "0225 3842 123",
    ],
)
def test_numbers_of_today_are_not_taken_for_old_landlines(number):
    assert current_form(number) is None


def test_every_new_area_code_is_in_service_today():
    for old, new in OLD_AREA_CODES.items():
        subscriber = "38221234" if new in ("24", "28") else "3822123"
        assert is_valid_phone(f"0{new}{subscriber}"), (old, new)


def test_an_old_landline_is_a_duplicate_of_todays(session, org):
    make_customer(session, org.sales_a, "Công ty Sông Hàn", kind="business", phones=["0236 3822 123"])
    session.commit()
    with pytest.raises(ValidationFailed) as exc:
        customers.create(
            session, org.sales_a, {"full_name": "Công ty Sông Hàn", "kind": "business", "phones": ["0511 3822 123"]}
        )
    assert exc.value.errors["full_name"][0] == "err.duplicate_customer"


def test_a_stored_number_the_plan_no_longer_knows_does_not_block_other_edits(session, org):
    from crm_app.models import Customer

    cust = make_customer(session, org.sales_a, "Bà Tám")
    session.get(Customer, cust.id).phone = "0894 856 665"  # stored before numbers were checked
    session.execute(
        sa.text("INSERT INTO customerphone (customer_id, number, number_norm, position) VALUES (:c, :n, :m, 0)"),
        {"c": cust.id, "n": "0894 856 665", "m": "0894856665"},
    )
    session.commit()
    customers.update(session, org.sales_a, cust.id, {"province": "Huế"})  # the old number is kept as it is
    with pytest.raises(ValidationFailed) as exc:  # a new number is checked
        customers.update(session, org.sales_a, cust.id, {"phones": ["0894 856 665", "0894 000 111"]})
    assert exc.value.errors["phones"] == ("err.invalid_phone", {"value": "0894 000 111"})

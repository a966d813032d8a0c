"""An import reserves its block of ids without holding a lock other users' saves wait for."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from crm_app.services.customer import customers
from crm_app.services.transfer.import_targets import TARGETS
from tests.unit.factories import make_admin, make_customer


def test_a_save_goes_through_while_an_import_holds_its_ids(engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite: the ids are reserved in a short part of their own (test_import_parts: saves meanwhile)")
    with Session(engine) as setup:
        admin = make_admin(setup)
        first_id = make_customer(setup, admin, "Trần Văn Đầu").id
        setup.commit()

    with Session(engine) as importing:
        first = TARGETS["customer"].reserve_ids(importing, 500)  # the import's transaction stays open
        assert first > first_id

        with Session(engine) as other:
            other.execute(sa.text("SET lock_timeout = '2s'"))  # would fail if it waited for the import
            saved_id = customers.create(other, admin, {"full_name": "Lê Thị Sau"}).customer.id
            customers.update(other, admin, first_id, {"address": "1 Tràng Tiền"})
        assert not first <= saved_id < first + 500  # drawn after the reserved block
        importing.rollback()

"""The demo data written on first start reads like data the app wrote itself."""

import sqlalchemy as sa

from crm_app.models import AuditLog, Customer, CustomerPhone
from crm_app.services.lists import query
from crm_app.services.people.permissions import load_actor
from crm_app.services.records import history
from crm_app.setup import demo


def test_demo_records_have_their_history_and_are_found_like_any_other(session):
    demo.seed(session, customers=40)
    session.commit()
    unnamed = session.execute(
        sa.select(sa.func.count()).select_from(AuditLog).where(AuditLog.root_entity.is_(None))
    ).scalar_one()
    assert unnamed == 0  # every history row shows on its record's History tab
    first = session.execute(sa.select(Customer).order_by(Customer.id).limit(1)).scalars().one()
    owner = load_actor(session, first.owner_id)
    assert [r.action for r in history.of_customer(session, owner, first.id)] == ["create"]
    number = session.execute(
        sa.select(CustomerPhone.number_norm).where(CustomerPhone.customer_id == first.id).limit(1)
    ).scalar_one()
    found = query.fetch_page(
        session, owner, query.ListSpec(entity="customer", columns=["full_name"], search=number[-6:])
    )
    assert first.id in {r["id"] for r in found.rows}  # by its phone's last digits, as its owner

"""The demo data written on first start reads like data the app wrote itself."""

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import select

from crm_app.models import AuditLog, Customer, CustomerPhone, CustomerProduct, Opportunity, SalesDocument
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


def test_demo_orders_give_customer_products_and_the_history_reads_forward(session):
    demo.seed(session, customers=60)
    session.commit()
    orders = session.exec(select(SalesDocument).where(SalesDocument.kind == "order")).all()
    assert orders, "a fresh install has orders"
    bought = session.exec(select(CustomerProduct).where(CustomerProduct.source == "order")).all()
    assert {p.customer_id for p in bought} == {o.customer_id for o in orders if o.status != "cancelled"}
    # a last purchase derives from the orders, as the order service keeps it
    for customer in session.exec(select(Customer)).all():
        days = [o.doc_date for o in orders if o.customer_id == customer.id and o.status != "cancelled"]
        assert customer.last_purchase_at == (max(days) if days else None), customer.code
    # the history, newest number first, goes back in time; nothing is dated after now
    times = [t for (t,) in session.execute(sa.select(AuditLog.at).order_by(AuditLog.id)).all()]
    aware = [t if t.tzinfo else t.replace(tzinfo=UTC) for t in times]
    assert aware == sorted(aware)
    assert aware[-1] <= datetime.now(UTC)
    # a deal never comes before its customer
    created = dict(session.execute(sa.select(Customer.id, Customer.created_at)).all())
    for deal in session.exec(select(Opportunity)).all():
        assert _utc(deal.created_at) >= _utc(created[deal.customer_id])


def _utc(moment):
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

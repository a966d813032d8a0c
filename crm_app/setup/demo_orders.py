"""Demo orders, and the demo history put in the order of its times.

The customers whose demo data gives them a last purchase get orders ending on that day, made
through the order service as a salesperson makes them (their customer products and last purchase
date derived from the orders, with their history); the others' last purchase is cleared, since it
derives from orders. Each order's history is dated on its order's day, and once everything is
written the history rows are numbered in the order of their times (the history lists the newest
number first), so that it reads forward in time.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from crm_app.models import AuditLog, Customer, SalesDocument
from crm_app.services.people.permissions import load_actor
from crm_app.services.people.work_scope import day_start
from crm_app.services.pipeline import sales

MAX_BUYERS = 300  # keeps the first start quick; the other customers' last purchase is cleared
STATUS_WEIGHTS = (("delivered", 70), ("confirmed", 15), ("new", 8), ("cancelled", 7))


def _order_days(rng: random.Random, first: date, last: date) -> list[date]:
    """One to three order days from ``first`` to ``last``, the last on ``last``."""
    span = max((last - first).days, 0)
    earlier = {first + timedelta(days=rng.randint(0, span)) for _ in range(rng.randint(0, 2))}
    return [*sorted(earlier - {last}), last]


def seed(session: Session, seed_value: int = 2026) -> None:
    """Demo orders (once: skipped when any document exists, or no product does)."""
    products = sales.products(session)
    if not products or session.exec(select(SalesDocument.id)).first() is not None:
        return
    rng = random.Random(seed_value)
    buyers = session.exec(select(Customer).where(Customer.last_purchase_at.is_not(None)).order_by(Customer.id)).all()
    chosen = [
        (c, c.last_purchase_at)
        for c in sorted(rng.sample(list(buyers), min(len(buyers), MAX_BUYERS)), key=lambda c: c.id)
    ]
    for customer in buyers:  # a last purchase comes from orders only
        customer.last_purchase_at = None
        session.add(customer)
    session.flush()
    actors = {}
    statuses = [s for s, _ in STATUS_WEIGHTS]
    weights = [w for _, w in STATUS_WEIGHTS]
    for customer, last in chosen:
        if customer.owner_id not in actors:
            actors[customer.owner_id] = load_actor(session, customer.owner_id)
        first_day = customer.created_at.date()
        for day in _order_days(rng, first_day, max(first_day, last)):
            lines = [
                {"product_id": p.id, "quantity": rng.randint(1, 4)} for p in rng.sample(products, rng.randint(1, 2))
            ]
            mark = session.execute(sa.select(sa.func.coalesce(sa.func.max(AuditLog.id), 0))).scalar_one()
            data = {"doc_date": day.isoformat(), "status": rng.choices(statuses, weights)[0], "lines": lines}
            sales.create_document(session, actors[customer.owner_id], customer.id, "order", data)
            moment = day_start(day) + timedelta(hours=rng.randint(9, 16), minutes=rng.randint(0, 59))
            session.execute(sa.update(AuditLog).where(AuditLog.id > mark).values(at=moment))
    session.commit()


def history_in_time_order(session: Session) -> None:
    """Number the history rows in the order of their times (ties keep their order)."""
    table = AuditLog.__table__
    rows = [dict(r) for r in session.execute(sa.select(table).order_by(table.c.at, table.c.id)).mappings().all()]
    if not rows:
        return
    session.execute(sa.delete(table))
    session.execute(sa.insert(table), [{**r, "id": k} for k, r in enumerate(rows, start=1)])
    if session.get_bind().dialect.name == "postgresql":  # ids written explicitly: the sequence moves past them
        session.execute(
            sa.text(
                "SELECT setval(pg_get_serial_sequence('auditlog', 'id'), "
                "(SELECT COALESCE(MAX(id), 0) + 1 FROM auditlog), false)"
            )
        )
    session.commit()

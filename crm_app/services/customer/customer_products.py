"""What a customer has bought or uses (Sản phẩm khách hàng): rows derived from its orders, and
services entered by hand.

An order row sums, per customer and product, the lines of the customer's orders that count as a
purchase: an order not cancelled (the same rule as the customer's last purchase date). ``derive``
works the rows out again from those orders, and the order service calls it on every change of an
order (created, its status changed, deleted, moved by a merge), so the rows are never counted twice
and never outlive their orders. Services entered by hand are written through the record service,
with their history on the customer's History tab.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, select

from crm_app.models import CustomerProduct, Product, SalesDocument, SalesLine
from crm_app.models._base import utcnow
from crm_app.models.customer_product import SERVICE_STATUSES
from crm_app.services.errors import NotAllowed
from crm_app.services.formatting import fmt_date
from crm_app.services.normalize import normalize_name
from crm_app.services.people.permissions import Actor
from crm_app.services.people.work_scope import local_today
from crm_app.services.records import children, record_service
from crm_app.services.validation import Cleaner

ENTITY = "customer_product"
KIND = record_service.RecordKind(
    entity=ENTITY,
    model=CustomerProduct,
    fields=("product_id", "start_date", "end_date", "status", "note"),
    child_of_customer=True,
)
MAX_NOTE = 1000
PURCHASE_COLUMNS = ("quantity", "total", "first_purchase", "last_purchase")


# --- rows derived from orders ------------------------------------------------------------------


def counts_as_purchase():
    """The orders whose lines a customer has bought: orders that are not cancelled."""
    return sa.and_(SalesDocument.kind == "order", SalesDocument.status != "cancelled")


def derive(session: Session, customer_id: int) -> None:
    """The customer's order rows worked out again from its orders: one row per product bought,
    updated in place when its figures change, removed when no order counts it any more."""
    session.flush()
    bought = session.execute(
        sa.select(
            SalesLine.product_id,
            sa.func.sum(SalesLine.quantity),
            sa.func.sum(SalesLine.amount),
            sa.func.min(SalesDocument.doc_date),
            sa.func.max(SalesDocument.doc_date),
        )
        .join(SalesDocument, SalesDocument.id == SalesLine.document_id)
        .where(SalesDocument.customer_id == customer_id, counts_as_purchase(), SalesLine.product_id.is_not(None))
        .group_by(SalesLine.product_id)
    ).all()
    stored: dict[int, list[CustomerProduct]] = {}
    for row in session.exec(
        select(CustomerProduct)
        .where(CustomerProduct.customer_id == customer_id, CustomerProduct.source == "order")
        .order_by(CustomerProduct.id)
    ).all():
        stored.setdefault(row.product_id, []).append(row)
    names = product_names(session, [p for p, *_ in bought if p not in stored])
    for product_id, quantity, total, first, last in bought:
        figures = {"quantity": int(quantity), "total": int(total), "first_purchase": first, "last_purchase": last}
        rows = stored.pop(product_id, [])
        row = rows[0] if rows else CustomerProduct(customer_id=customer_id, product_id=product_id, source="order")
        for extra in rows[1:]:  # two rows of one product (a merge moved another customer's): one stays
            session.delete(extra)
        if row.id is None:
            row.name_norm = normalize_name(names.get(product_id, ""))[:200]
        elif all(getattr(row, k) == v for k, v in figures.items()):
            continue
        for k, v in figures.items():
            setattr(row, k, v)
        row.updated_at = utcnow()
        session.add(row)
    for rows in stored.values():
        for row in rows:
            session.delete(row)
    session.flush()


def product_renamed(session: Session, product_id: int, name: str) -> None:
    """A product's new name, searched for in the rows of that product."""
    session.execute(
        sa.update(CustomerProduct)
        .where(CustomerProduct.product_id == product_id)
        .values(name_norm=normalize_name(name)[:200])
    )


def product_names(session: Session, ids) -> dict[int, str]:
    ids = sorted(set(ids))
    if not ids:
        return {}
    return dict(session.execute(sa.select(Product.id, Product.name).where(Product.id.in_(ids))).all())


# --- services entered by hand ------------------------------------------------------------------


def _clean(session: Session, data: dict, kept_product: int | None = None) -> dict:
    """Clean values of a service; ``kept_product``: its product as stored, kept even when it is no
    longer sold."""
    c = Cleaner(data)
    typed = c.raw("product_id").strip()
    product = session.get(Product, int(typed)) if typed.isdigit() else None
    if not typed:
        c.error("product_id", "err.cp_product_required")
    elif product is None or not (product.active or product.id == kept_product):
        c.error("product_id", "err.cp_product_unknown", value=typed[:40])
    days = {}
    for name in ("start_date", "end_date"):
        days[name] = c.day(name)
        if name in c.errors:  # the value named ("31/02/2026" is not a day)
            c.errors[name] = ("err.cp_date", {"value": c.raw(name)[:40]})
    start, end = days["start_date"], days["end_date"]
    if start is not None and end is not None and end < start:
        c.error("end_date", "err.cp_end_before_start", end=fmt_date(end), start=fmt_date(start))
    status = c.raw("status").strip() or SERVICE_STATUSES[0]
    if status not in SERVICE_STATUSES:
        c.error("status", "err.cp_status", value=status[:40])
    elif status == "active" and end is not None and end < local_today():
        # refused rather than taken as ended: the user either mistyped the date or forgot the status
        c.error("end_date", "err.cp_active_ended", end=fmt_date(end))
    note = c.text("note", MAX_NOTE, multiline=True)
    c.done()
    return {"product_id": product.id, "start_date": start, "end_date": end, "status": status, "note": note}


def _service_row(session: Session, actor: Actor, row_id: int) -> CustomerProduct:
    """A service entered by hand whose customer the actor sees (NotAllowed otherwise, and for an
    order row, which only its orders change)."""
    row = children.child_for(session, actor, CustomerProduct, row_id)
    if row.source != "service":
        raise NotAllowed()
    return row


def create_service(session: Session, actor: Actor, customer_id: int, data: dict) -> CustomerProduct:
    customer = children.customer_for(session, actor, customer_id)
    values = _clean(session, data)
    name = product_names(session, [values["product_id"]])[values["product_id"]]
    return record_service.create(
        session,
        KIND,
        actor,
        values,
        customer_id=customer.id,
        source="service",
        name_norm=normalize_name(name)[:200],
    )


def update_service(session: Session, actor: Actor, row_id: int, data: dict) -> CustomerProduct:
    row = _service_row(session, actor, row_id)
    values = _clean(session, data, kept_product=row.product_id)
    record_service.update(session, KIND, actor, row, record_service.snapshot(session, KIND, row), values)
    row.name_norm = normalize_name(product_names(session, [row.product_id])[row.product_id])[:200]
    session.add(row)
    session.flush()
    return row


def delete_service(session: Session, actor: Actor, row_id: int) -> None:
    record_service.delete(session, KIND, actor, _service_row(session, actor, row_id))


# --- reading -----------------------------------------------------------------------------------


def of_customer(session: Session, actor: Actor, customer_id: int, limit: int = 200) -> list[CustomerProduct]:
    """A customer's products: what it bought (most recent purchase first), then its services."""
    children.customer_for(session, actor, customer_id)
    stmt = (
        select(CustomerProduct)
        .where(CustomerProduct.customer_id == customer_id)
        .order_by(
            CustomerProduct.source,
            sa.func.coalesce(CustomerProduct.last_purchase, CustomerProduct.start_date, date.min).desc(),
            CustomerProduct.id.desc(),
        )
        .limit(limit)
    )
    return list(session.exec(stmt).all())


def customer_of(session: Session, actor: Actor, row_id: int) -> int:
    """The customer of a row, if the actor sees it (NotAllowed otherwise)."""
    return children.child_for(session, actor, CustomerProduct, row_id).customer_id

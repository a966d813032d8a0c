"""The product catalog, and quotes and orders of a customer with product lines and totals in
whole VND. What a customer has bought follows its orders not cancelled: its last purchase date
(the newest one's) and its customer products (services.customer.customer_products)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, select

from crm_app.i18n import Message
from crm_app.models import Customer, Product, SalesDocument, SalesLine
from crm_app.models._base import utcnow
from crm_app.models.sales import DOCUMENT_KINDS, DOCUMENT_STATUSES
from crm_app.services.customer import customer_products
from crm_app.services.errors import ServiceError, ValidationFailed
from crm_app.services.people.permissions import Actor, require_admin
from crm_app.services.people.work_scope import local_today
from crm_app.services.records import audit, children
from crm_app.services.validation import Cleaner

PRODUCT_ENTITY = "product"
CODE_PREFIX = {"quote": "BG", "order": "DH"}
MAX_QUANTITY = 1_000_000
MAX_PRICE = 100_000_000_000  # 100 billion VND per unit


# --- products --------------------------------------------------------------------------------


def products(session: Session, active_only: bool = True) -> list[Product]:
    stmt = select(Product)
    if active_only:
        stmt = stmt.where(Product.active == sa.true())
    return list(session.exec(stmt.order_by(Product.name)).all())


def save_product(session: Session, actor: Actor, data: dict, product_id: int | None = None) -> Product:
    require_admin(actor)
    c = Cleaner(data)
    values = {
        "code": c.text("code", 40, required=True).upper(),
        "name": c.text("name", 200, required=True),
        "unit": c.text("unit", 40),
        "unit_price": c.money("unit_price", MAX_PRICE) or 0,
        "active": c.flag("active") if "active" in data else True,
    }
    clash = session.exec(select(Product.id).where(Product.code == values["code"])).first()
    if values["code"] and clash is not None and clash != product_id:
        c.error("code", "err.code_taken")
    c.done()
    product = Product() if product_id is None else session.get(Product, product_id)
    if product is None:
        raise ServiceError("err.not_found")
    before = {} if product_id is None else {k: getattr(product, k) for k in values}
    renamed = product_id is not None and product.name != values["name"]
    for k, v in values.items():
        setattr(product, k, v)
    session.add(product)
    session.flush()
    if renamed:
        customer_products.product_renamed(session, product.id, product.name)
    audit.record(
        session, PRODUCT_ENTITY, product.id, "create" if product_id is None else "update", actor.id, before, values
    )
    session.flush()
    return product


# --- quotes and orders -----------------------------------------------------------------------


def _clean_lines(session: Session, c: Cleaner, raw_lines: list[dict]) -> list[dict]:
    lines = []
    for pos, raw in enumerate(raw_lines or []):
        lc = Cleaner(raw)
        product_id = lc.integer("product_id")
        quantity = lc.integer("quantity", 1, MAX_QUANTITY)
        price = lc.money("unit_price", MAX_PRICE)
        product = session.get(Product, product_id) if product_id else None
        if product is None or not product.active:
            lc.error("product_id", "err.line_product")
        if quantity is None or "quantity" in lc.errors:
            lc.errors["quantity"] = ("err.line_quantity", {"hi": MAX_QUANTITY})
        if lc.errors:  # the line, and what is wrong in it ("Dòng 2: “abc” không phải là số")
            key, params = next(lc.errors[f] for f in ("product_id", "quantity", "unit_price") if f in lc.errors)
            c.error("lines", "err.line_invalid", line=pos + 1, reason=Message(key, **params))
            continue
        unit_price = product.unit_price if price is None else price
        lines.append(
            {
                "product_id": product.id,
                "description": product.name,
                "quantity": quantity,
                "unit_price": unit_price,
                "amount": quantity * unit_price,
                "position": pos,
            }
        )
    if not lines and not c.errors.get("lines"):
        c.error("lines", "err.lines_required")
    return lines


def checked_lines(session: Session, raw_lines: list[dict]) -> list[dict]:
    """Order or quote lines checked on their own (ValidationFailed naming the wrong line)."""
    c = Cleaner({})
    lines = _clean_lines(session, c, raw_lines)
    c.done()
    return lines


def create_document(
    session: Session, actor: Actor, customer_id: int, kind: str, data: dict, source_id: int | None = None
) -> SalesDocument:
    customer = children.customer_for(session, actor, customer_id)
    if kind not in DOCUMENT_KINDS:
        raise ValidationFailed({"kind": ("err.invalid_choice", {})})
    c = Cleaner(data)
    doc_date = c.day("doc_date") or local_today()
    status = c.choice("status", DOCUMENT_STATUSES[kind], DOCUMENT_STATUSES[kind][0])
    note = c.text("note", 2000, multiline=True)
    lines = _clean_lines(session, c, data.get("lines") or [])
    c.done()
    doc = store_document(
        session, actor, customer, kind, lines, status=status, doc_date=doc_date, note=note, source_id=source_id
    )
    session.flush()
    return doc


def store_document(
    session: Session,
    actor: Actor,
    customer: Customer,
    kind: str,
    lines: list[dict],
    *,
    status: str,
    doc_date: date,
    note: str = "",
    source_id: int | None = None,
    opportunity_id: int | None = None,
    history: dict | None = None,
) -> SalesDocument:
    """Write a checked document with its lines (dicts of SalesLine fields), numbered, with its
    history under the customer and the customer's last purchase date; the caller commits."""
    doc = SalesDocument(
        kind=kind,
        customer_id=customer.id,
        status=status,
        doc_date=doc_date,
        note=note,
        total=sum(line["amount"] for line in lines),
        source_id=source_id,
        opportunity_id=opportunity_id,
        created_by_id=actor.id,
    )
    session.add(doc)
    session.flush()
    doc.code = f"{CODE_PREFIX[kind]}{doc.id:06d}"
    for line in lines:
        session.add(SalesLine(document_id=doc.id, **line))
    children.record(
        session,
        actor,
        kind,
        doc,
        "create",
        {},
        {
            "code": doc.code,
            "status": status,
            "doc_date": doc_date,
            "total": doc.total,
            "lines": [f"{ln['description']} x {ln['quantity']}" for ln in lines],
            **(history or {}),
        },
    )
    if kind == "order":
        refresh_purchases(session, actor, customer)
    return doc


def order_from_quote(session: Session, actor: Actor, quote_id: int) -> SalesDocument:
    quote = children.child_for(session, actor, SalesDocument, quote_id)
    if quote.kind != "quote":
        raise ServiceError("err.not_a_quote")
    lines = [
        {"product_id": ln.product_id, "quantity": ln.quantity, "unit_price": ln.unit_price}
        for ln in lines_of(session, quote.id)
    ]
    return create_document(
        session, actor, quote.customer_id, "order", {"lines": lines, "note": quote.note}, source_id=quote.id
    )


def set_status(session: Session, actor: Actor, doc_id: int, status: str) -> SalesDocument:
    doc = children.child_for(session, actor, SalesDocument, doc_id)
    if status not in DOCUMENT_STATUSES[doc.kind]:
        raise ValidationFailed({"status": ("err.invalid_choice", {})})
    before = doc.status
    doc.status, doc.updated_at = status, utcnow()
    session.add(doc)
    children.record(session, actor, doc.kind, doc, "update", {"status": before}, {"status": status})
    if doc.kind == "order":
        refresh_purchases(session, actor, session.get(Customer, doc.customer_id))
    session.flush()
    return doc


def delete_document(session: Session, actor: Actor, doc_id: int) -> None:
    doc = children.child_for(session, actor, SalesDocument, doc_id)
    children.record(session, actor, doc.kind, doc, "delete", {"code": doc.code, "total": doc.total}, {})
    session.exec(sa.update(SalesDocument).where(SalesDocument.source_id == doc.id).values(source_id=None))
    session.delete(doc)
    session.flush()
    if doc.kind == "order":
        refresh_purchases(session, actor, session.get(Customer, doc.customer_id))
    session.flush()


def refresh_purchases(session: Session, actor: Actor, customer: Customer) -> None:
    """What the customer has bought, after a change of its orders: its customer products, and its
    last purchase date, that of its newest order that is not cancelled (history on change)."""
    customer_products.derive(session, customer.id)
    newest = session.exec(
        sa.select(sa.func.max(SalesDocument.doc_date)).where(
            SalesDocument.customer_id == customer.id, customer_products.counts_as_purchase()
        )
    ).scalar_one()
    if newest != customer.last_purchase_at:
        audit.record(
            session,
            "customer",
            customer.id,
            "update",
            actor.id,
            {"last_purchase_at": customer.last_purchase_at},
            {"last_purchase_at": newest},
        )
        customer.last_purchase_at = newest
        session.add(customer)


def of_customer(session: Session, actor: Actor, customer_id: int, limit: int = 100) -> list[SalesDocument]:
    children.customer_for(session, actor, customer_id, change=False)
    stmt = (
        select(SalesDocument)
        .where(SalesDocument.customer_id == customer_id)
        .order_by(SalesDocument.doc_date.desc(), SalesDocument.id.desc())
        .limit(limit)
    )
    return list(session.exec(stmt).all())


def lines_of(session: Session, doc_id: int) -> list[SalesLine]:
    return list(
        session.exec(select(SalesLine).where(SalesLine.document_id == doc_id).order_by(SalesLine.position)).all()
    )


def lines_by_document(session: Session, doc_ids: list[int]) -> dict[int, list[SalesLine]]:
    if not doc_ids:
        return {}
    rows = session.exec(
        select(SalesLine).where(SalesLine.document_id.in_(doc_ids)).order_by(SalesLine.document_id, SalesLine.position)
    ).all()
    result: dict[int, list[SalesLine]] = {}
    for row in rows:
        result.setdefault(row.document_id, []).append(row)
    return result

"""Catalogs the admin edits (customer kinds, categories, sources, lost reasons) and tags."""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlmodel import Session, select

from crm_app.models import CatalogItem, CustomerTag, Tag
from crm_app.models.catalog import CATALOG_KINDS
from crm_app.services.errors import ValidationFailed
from crm_app.services.normalize import fold_spaces, normalize_name
from crm_app.services.people.permissions import Actor, require_admin
from crm_app.services.records import audit
from crm_app.services.validation import Cleaner

# Values named by the source guides (seed 000: kinds, categories, sources).
DEFAULT_CATALOGS: dict[str, list[tuple[str, str, str]]] = {
    "customer_kind": [
        ("individual", "Cá nhân", "Individual"),
        ("business", "Doanh nghiệp", "Business"),
        ("public", "Hành chính sự nghiệp", "Public sector"),
    ],
    # the customer file ("tệp khách hàng") a record belongs to; named apart from the statuses
    # Đầu mối / Tiềm năng of the same words (migration d1f3a5c7e9b2 renames stored ones)
    "category": [
        ("lead", "Tệp đầu mối", "Lead segment"),
        ("potential", "Tệp tiềm năng", "Prospect segment"),
        ("vip", "VIP", "VIP"),
        ("former", "Khách hàng cũ", "Former customer"),
    ],
    "source": [
        ("self_found", "Nhân viên kinh doanh tự tìm", "Found by sales"),
        ("staff", "Nhân sự công ty", "Company staff"),
        ("website", "Website", "Website"),
        ("referral", "Khách hàng giới thiệu", "Customer referral"),
        ("facebook", "Facebook", "Facebook"),
        ("event", "Sự kiện, hội chợ", "Event or fair"),
    ],
    # Activity types of the follow-ups timeline and tasks (seed 001).
    "activity_type": [
        ("call", "Cuộc gọi", "Call"),
        ("meeting", "Cuộc họp", "Meeting"),
        ("email", "Email", "Email"),
        ("task", "Công việc", "Task"),
        ("note", "Ghi chú theo dõi", "Follow-up note"),
    ],
    "lost_reason": [
        ("price", "Giá cao", "Price too high"),
        ("competitor", "Chọn đối thủ cạnh tranh", "Chose a competitor"),
        ("no_need", "Không còn nhu cầu", "No longer needed"),
        ("budget", "Không đủ ngân sách", "No budget"),
        ("unreachable", "Không liên lạc được", "Could not be reached"),
        ("timing", "Thời điểm chưa phù hợp", "Bad timing"),
        ("other", "Lý do khác", "Other reason"),
    ],
}


def ensure_default_catalogs(session: Session) -> None:
    for kind, items in DEFAULT_CATALOGS.items():
        existing = set(session.exec(select(CatalogItem.code).where(CatalogItem.kind == kind)).all())
        for position, (code, vi, en) in enumerate(items):
            if code not in existing:
                session.add(CatalogItem(kind=kind, code=code, label_vi=vi, label_en=en, position=position))
    session.commit()


def items(session: Session, kind: str, active_only: bool = True) -> list[CatalogItem]:
    stmt = select(CatalogItem).where(CatalogItem.kind == kind)
    if active_only:
        stmt = stmt.where(CatalogItem.active)
    return list(session.exec(stmt.order_by(CatalogItem.position, CatalogItem.id)).all())


def label(item: CatalogItem | None, lang: str) -> str:
    if item is None:
        return ""
    return item.label_en if lang == "en" else item.label_vi


def by_code(session: Session, kind: str) -> dict[str, CatalogItem]:
    """Every item of a catalog (inactive ones too: old records still name them), by code."""
    return {i.code: i for i in items(session, kind, active_only=False)}


def labels_by_id(session: Session, ids: set[int], lang: str) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.exec(select(CatalogItem).where(CatalogItem.id.in_(sorted(ids)))).all()
    return {r.id: label(r, lang) for r in rows}


def tag_ids(session: Session, names: list[str]) -> dict[str, int]:
    """The tag id of each given name, creating the missing tags. Names that are the same once
    normalised ("đại lý VIP", "Đại Lý vip") are one tag, named as first written; blank names are
    left out."""
    wanted: dict[str, str] = {}  # name_norm -> the first spelling
    by_name: dict[str, str] = {}  # given name -> name_norm
    for name in names:
        clean = fold_spaces(name)[:60]
        norm = normalize_name(clean)
        if norm:
            wanted.setdefault(norm, clean)
            by_name[name] = norm
    if not wanted:
        return {}
    found = dict(session.exec(select(Tag.name_norm, Tag.id).where(Tag.name_norm.in_(sorted(wanted)))).all())
    for norm, clean in wanted.items():
        if norm not in found:
            tag = Tag(name=clean, name_norm=norm)
            session.add(tag)
            session.flush()
            found[norm] = tag.id
    return {name: found[norm] for name, norm in by_name.items()}


def tags_for_customers(session: Session, customer_ids: list[int]) -> dict[int, list[str]]:
    if not customer_ids:
        return {}
    rows = session.exec(
        sa.select(CustomerTag.customer_id, Tag.name)
        .join(Tag, Tag.id == CustomerTag.tag_id)
        .where(CustomerTag.customer_id.in_(customer_ids))
    ).all()
    result: dict[int, list[str]] = {}
    for cid, name in rows:
        result.setdefault(cid, []).append(name)
    for names in result.values():  # the order of a form's tags (customers.clean): "Đại lý" before "VIP"
        names.sort(key=normalize_name)
    return result


def all_tag_names(session: Session) -> list[str]:
    return list(session.exec(select(Tag.name).order_by(Tag.name)).all())


CODE = re.compile(r"^[a-z0-9_]{1,40}$")  # a catalog item's code


def save_item(session: Session, actor: Actor, kind: str, data: dict, item_id: int | None = None) -> CatalogItem:
    """Add or change an entry of an admin-edited catalog (e.g. the activity types)."""
    require_admin(actor)
    if kind not in CATALOG_KINDS:
        raise ValidationFailed({"kind": ("err.invalid_choice", {})})
    c = Cleaner(data)
    values = {
        "code": c.text("code", 40, required=True).lower(),
        "label_vi": c.text("label_vi", 120, required=True),
        "label_en": c.text("label_en", 120, required=True),
        "active": c.flag("active"),
    }
    if values["code"] and not CODE.match(values["code"]):
        c.error("code", "err.invalid_code")
    clash = session.exec(
        select(CatalogItem.id).where(CatalogItem.kind == kind, CatalogItem.code == values["code"])
    ).first()
    if clash is not None and clash != item_id:
        c.error("code", "err.code_taken")
    item = (
        CatalogItem(kind=kind, position=len(items(session, kind, active_only=False)))
        if item_id is None
        else session.get(CatalogItem, item_id)
    )
    if item is None or item.kind != kind:
        c.error("code", "err.not_found")
    c.done()
    before = {} if item_id is None else {k: getattr(item, k) for k in values}
    for k, v in values.items():
        setattr(item, k, v)
    session.add(item)
    session.flush()
    audit.record(session, "catalogitem", item.id, "create" if item_id is None else "update", actor.id, before, values)
    session.flush()
    return item

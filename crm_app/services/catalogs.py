"""Catalogs the admin edits (customer kinds, categories, sources, lost reasons) and tags."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from crm_app.models import CatalogItem, CustomerTag, Tag
from crm_app.services.normalize import fold_spaces, normalize_name

# Values named by the source guides (seed 000: kinds, categories, sources).
DEFAULT_CATALOGS: dict[str, list[tuple[str, str, str]]] = {
    "customer_kind": [
        ("individual", "Cá nhân", "Individual"),
        ("business", "Doanh nghiệp", "Business"),
        ("public", "Hành chính sự nghiệp", "Public sector"),
    ],
    "category": [
        ("lead", "Đầu mối", "Lead"),
        ("potential", "Tiềm năng", "Prospect"),
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


def labels_by_id(session: Session, ids: set[int], lang: str) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.exec(select(CatalogItem).where(CatalogItem.id.in_(sorted(ids)))).all()
    return {r.id: label(r, lang) for r in rows}


def tag_ids(session: Session, names: list[str]) -> list[int]:
    """Ids of the tags with these names, creating the missing ones."""
    result: list[int] = []
    for name in names:
        clean = fold_spaces(name)[:60]
        norm = normalize_name(clean)
        if not norm:
            continue
        tag = session.exec(select(Tag).where(Tag.name_norm == norm)).first()
        if tag is None:
            tag = Tag(name=clean, name_norm=norm)
            session.add(tag)
            session.flush()
        if tag.id not in result:
            result.append(tag.id)
    return result


def tags_for_customers(session: Session, customer_ids: list[int]) -> dict[int, list[str]]:
    if not customer_ids:
        return {}
    rows = session.exec(
        sa.select(CustomerTag.customer_id, Tag.name).join(Tag, Tag.id == CustomerTag.tag_id)
        .where(CustomerTag.customer_id.in_(customer_ids)).order_by(Tag.name)
    ).all()
    result: dict[int, list[str]] = {}
    for cid, name in rows:
        result.setdefault(cid, []).append(name)
    return result


def all_tag_names(session: Session) -> list[str]:
    return list(session.exec(select(Tag.name).order_by(Tag.name)).all())

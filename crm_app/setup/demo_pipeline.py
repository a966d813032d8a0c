"""Demo leads and opportunities on the default pipeline, written in bulk.

Like demo_data, rows go in through SQLAlchemy Core with every shadow column the
services write (name_norm, phone_norm, email_norm, ranks RANK_GAP apart per column).
An opportunity belongs to an existing customer and its owner, so visibility matches.
A few leads are people already on file (same name and phone as a customer): converting
them offers that customer for linking. The benchmark (bench/kanban.py) uses
``insert_opportunities`` for its 100,000 rows.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from crm_app.models import AuditLog, CatalogItem, Customer, Lead, Opportunity, PipelineStage
from crm_app.models.pipeline import RANK_GAP
from crm_app.services.normalize import given_name_columns, normalize_email, normalize_name, normalize_phone, suffix_key
from crm_app.services.pipeline import pipelines
from crm_app.services.records.audit import row as history_row
from crm_app.setup.demo_data import (
    _PHONE_SPACE,
    FAMILY_NAMES,
    GIVEN_FEMALE,
    GIVEN_MALE,
    MIDDLE_FEMALE,
    MIDDLE_MALE,
    _Weighted,
    format_phone,
    mobile_number,
)

DEALS = (
    "Tour Nhật Bản 5N4Đ",
    "Tour Hàn Quốc mùa thu",
    "Teambuilding Đà Nẵng",
    "Hội nghị khách hàng",
    "Gala dinner cuối năm",
    "Vé máy bay đoàn",
    "Tour Phú Quốc 4N3Đ",
    "Du lịch nghỉ dưỡng Sa Pa",
    "Khóa đào tạo nội bộ",
    "Hợp đồng cung cấp thiết bị",
    "Gói dịch vụ bảo trì",
    "Tour châu Âu 10 ngày",
    "Sự kiện ra mắt sản phẩm",
    "Hội thảo chuyên đề",
    "Tour Thái Lan 5N4Đ",
)
# how deals spread over the default stages (new ... won, lost)
STAGE_WEIGHTS = (24, 18, 15, 12, 9, 6, 9, 7)
LEAD_STATUS_WEIGHTS = (("new", 40), ("contacted", 30), ("qualified", 18), ("unqualified", 12))
COMPANIES = (
    "Công ty TNHH Ánh Dương",
    "Công ty CP Sao Mai",
    "Công ty TNHH Minh Phát",
    "Công ty CP Hưng Thịnh",
    "Công ty TNHH Đại Việt",
    "Công ty CP Hoa Sen",
    "Công ty TNHH Gia Phát",
    "Công ty CP Thăng Long",
)


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def insert_opportunities(
    conn: sa.Connection,
    pipeline_id: int,
    stages: list[PipelineStage],
    customers: list[tuple[int, int | None]],
    count: int,
    rng: random.Random,
    *,
    audit: bool = True,
    lost_reasons: list[int] | None = None,
    chunk: int = 20_000,
) -> None:
    """``count`` deals of the given (customer id, owner id) spread over the stages."""
    now = _now()
    pick_stage = _Weighted(list(zip(stages, STAGE_WEIGHTS[: len(stages)] or [1], strict=False)))
    # after the cards already in each column
    next_rank: dict[int, int] = defaultdict(
        int,
        conn.execute(
            sa.select(Opportunity.stage_id, sa.func.max(Opportunity.rank))
            .where(Opportunity.stage_id.in_([s.id for s in stages]))
            .group_by(Opportunity.stage_id)
        ).all(),
    )
    done = 0
    while done < count:
        rows = []
        for _ in range(min(chunk, count - done)):
            stage = pick_stage.pick(rng)
            customer = rng.choice(customers)
            customer_id, owner_id = customer[:2]
            name = rng.choice(DEALS)
            created = now - timedelta(days=rng.randint(0, 120), minutes=rng.randint(0, 1440))
            if len(customer) > 2:  # (id, owner, created): a deal never comes before its customer
                created = max(created, _aware(customer[2]) + timedelta(minutes=rng.randint(30, 600)))
                created = min(created, now)
            entered = created + (now - created) * rng.random()
            next_rank[stage.id] += RANK_GAP
            rows.append(
                {
                    "name": name,
                    "name_norm": normalize_name(name),
                    "customer_id": customer_id,
                    "contact_id": None,
                    "value": rng.randint(5, 2_000) * 500_000,
                    "expected_close": (now + timedelta(days=rng.randint(-20, 90))).date(),
                    "probability": stage.probability,
                    "pipeline_id": pipeline_id,
                    "stage_id": stage.id,
                    "rank": next_rank[stage.id],
                    "stage_entered_at": entered,
                    "lost_reason_id": rng.choice(lost_reasons) if stage.outcome == "lost" and lost_reasons else None,
                    "closed_at": entered if stage.outcome != "open" else None,
                    "lead_id": None,
                    "owner_id": owner_id,
                    "description": "",
                    "archived": False,
                    "created_by_id": owner_id,
                    "created_at": created,
                    "updated_by_id": owner_id,
                    "updated_at": entered,
                }
            )
        first = int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(Opportunity.id), 0))).scalar_one()) + 1
        conn.execute(sa.insert(Opportunity.__table__), [{"id": first + k, **r} for k, r in enumerate(rows)])
        if audit:
            conn.execute(
                sa.insert(AuditLog.__table__),
                [
                    history_row("opportunity", first + k, "create", r["owner_id"], r["created_at"])
                    for k, r in enumerate(rows)
                ],
            )
        done += len(rows)
    if conn.dialect.name == "postgresql":  # ids were written explicitly: move the sequence past them
        conn.execute(
            sa.text(
                "SELECT setval(pg_get_serial_sequence('opportunity', 'id'), "
                "(SELECT COALESCE(MAX(id), 0) + 1 FROM opportunity), false)"
            )
        )


def _person(rng: random.Random) -> str:
    male = rng.random() < 0.5
    middle = _Weighted(MIDDLE_MALE if male else MIDDLE_FEMALE).pick(rng)
    return f"{_Weighted(FAMILY_NAMES).pick(rng)} {middle} {rng.choice(GIVEN_MALE if male else GIVEN_FEMALE)}"


def insert_leads(
    conn: sa.Connection,
    owner_ids: list[int],
    sources: list[int],
    known: list[tuple[str, str, int | None]],
    count: int,
    rng: random.Random,
) -> None:
    """``count`` leads; one in twenty is a person already on file (``known``: name, phone, owner)."""
    now = _now()
    status = _Weighted(LEAD_STATUS_WEIGHTS)
    next_rank: dict[str, int] = defaultdict(int)
    rows = []
    for i in range(count):
        if known and i % 20 == 7:
            full_name, phone, owner_id = rng.choice(known)
        else:
            full_name, owner_id = _person(rng), rng.choice(owner_ids)
            phone = format_phone(mobile_number(_PHONE_SPACE - 1 - i), rng.randint(0, 3))
        company = rng.choice(COMPANIES) if rng.random() < 0.4 else ""
        st = status.pick(rng)
        next_rank[st] += RANK_GAP
        created = now - timedelta(days=rng.randint(0, 60), minutes=rng.randint(0, 1440))
        email = f"{normalize_name(full_name).replace(' ', '.')}.{i}@gmail.com"
        rows.append(
            {
                "kind": "company" if company else "person",
                "full_name": full_name,
                "name_norm": normalize_name(full_name),
                **given_name_columns(full_name),
                "company": company,
                "title": "Trưởng phòng Hành chính" if company else "",
                "email": email,
                "email_norm": normalize_email(email),
                "phone": phone,
                "phone_norm": normalize_phone(phone),
                "phone_rev": suffix_key(normalize_phone(phone)),
                "mobile": "",
                "mobile_norm": "",
                "province": "",
                "source_id": rng.choice(sources) if sources else None,
                "owner_id": owner_id,
                "status": st,
                "rating": rng.randint(0, 5),
                "value": rng.randint(0, 400) * 500_000,
                "rank": next_rank[st],
                "stage_entered_at": created + (now - created) * rng.random(),
                "description": "",
                "archived": False,
                "created_by_id": owner_id,
                "created_at": created,
                "updated_by_id": owner_id,
                "updated_at": created,
            }
        )
    if rows:
        conn.execute(sa.insert(Lead.__table__), rows)


def seed(
    session: Session, owner_ids: list[int], *, opportunities: int = 400, leads: int = 120, seed_value: int = 2026
) -> None:
    """Demo deals on the default pipeline and demo leads (once: skipped when deals exist)."""
    if session.exec(select(Opportunity.id)).first() is not None:
        return
    rng = random.Random(seed_value)
    pipeline = pipelines.ensure_default_pipeline(session)
    stages = pipelines.stages(session, pipeline.id)
    customers = [
        tuple(r)
        for r in session.exec(
            select(Customer.id, Customer.owner_id, Customer.created_at)
            .where(Customer.archived == sa.false())
            .order_by(Customer.id)
            .limit(5_000)
        ).all()
    ]
    reasons = list(session.exec(select(CatalogItem.id).where(CatalogItem.kind == "lost_reason")).all())
    sources = list(session.exec(select(CatalogItem.id).where(CatalogItem.kind == "source")).all())
    conn = session.connection()
    if customers:
        insert_opportunities(conn, pipeline.id, stages, customers, opportunities, rng, lost_reasons=reasons)
    known = [
        (name, phone, owner)
        for name, phone, owner in session.exec(
            select(Customer.full_name, Customer.phone, Customer.owner_id)
            .where(Customer.kind == "individual", Customer.phone != "")
            .order_by(Customer.id)
            .limit(200)
        ).all()
    ]
    insert_leads(conn, owner_ids, sources, known, leads, rng)
    session.commit()

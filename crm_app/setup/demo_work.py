"""Demo activities and tasks over the recent weeks and the coming ones, written in bulk.

Rows carry their customer's owner and archive flag and the normalised subject, as the service
writes them (the triggers then have nothing to do). Each demo user gets tasks due today and a
few overdue ones, so the dashboard has something to show on the first start. The benchmark
(bench/dashboard.py) uses ``insert_activities`` for its 2,000,000 rows.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from crm_app.models import Activity, Customer
from crm_app.services.normalize import normalize_name
from crm_app.services.people.work_scope import day_start, local_today
from crm_app.setup.demo_data import _Weighted

TYPE_WEIGHTS = (("call", 35), ("email", 20), ("meeting", 15), ("note", 12), ("task", 18))
SUBJECTS = {
    "call": ("Gọi tư vấn tour", "Gọi nhắc lịch thanh toán", "Gọi chăm sóc sau bán", "Gọi xác nhận số khách"),
    "email": ("Gửi báo giá", "Gửi lịch trình chi tiết", "Gửi hợp đồng", "Gửi thư cảm ơn"),
    "meeting": ("Gặp khách tại văn phòng", "Họp chốt hợp đồng", "Khảo sát nhu cầu", "Demo sản phẩm"),
    "note": ("Khách quan tâm tour Nhật", "Khách hẹn gọi lại tuần sau", "Khách cần xuất hóa đơn VAT"),
    "task": ("Chuẩn bị báo giá", "Đặt cọc khách sạn", "Gửi hồ sơ visa", "Xác nhận vé máy bay", "Gọi lại cho khách"),
}


def insert_activities(
    conn: sa.Connection,
    customers: list[tuple[int, int | None]],
    count: int,
    rng: random.Random,
    *,
    now: datetime | None = None,
    past_days: int = 60,
    future_days: int = 30,
    chunk: int = 20_000,
    progress=None,
) -> None:
    """``count`` activities of the given (customer id, owner id), spread from ``past_days`` ago to
    ``future_days`` ahead; past ones done (a few tasks left open: overdue), future ones planned."""
    now = now or datetime.now(UTC).replace(microsecond=0)
    kinds = _Weighted(TYPE_WEIGHTS)
    table = Activity.__table__
    done = 0
    while done < count:
        rows = []
        for _ in range(min(chunk, count - done)):
            customer_id, owner_id = rng.choice(customers)
            type_code = kinds.pick(rng)
            subject = rng.choice(SUBJECTS[type_code])
            day = local_today(now) + timedelta(days=rng.randint(-past_days, future_days))
            at = day_start(day) + timedelta(minutes=rng.randint(8 * 4, 18 * 4) * 15)  # 8:00-18:00 Vietnam time
            future = at > now
            is_task = type_code == "task"
            status = "planned" if future else ("planned" if is_task and rng.random() < 0.08 else "done")
            rows.append(
                {
                    "customer_id": customer_id,
                    "contact_id": None,
                    "type_code": type_code,
                    "subject": subject,
                    "content": "",
                    "at": at,
                    "due_at": at if is_task else None,
                    "status": status,
                    "assignee_id": owner_id if is_task else None,
                    "created_by_id": owner_id,
                    "created_at": min(at, now),
                    "updated_by_id": owner_id,
                    "updated_at": min(at, now),
                    "owner_id": owner_id,
                    "archived": False,
                    "name_norm": normalize_name(subject),
                }
            )
        conn.execute(sa.insert(table), rows)
        done += len(rows)
        if progress:
            progress(done)


def insert_tasks_due_today(
    conn: sa.Connection,
    customers: list[tuple[int, int | None]],
    owner_ids: list[int],
    rng: random.Random,
    now: datetime | None = None,
) -> None:
    """For each user: two tasks due later today and one overdue since yesterday."""
    now = now or datetime.now(UTC).replace(microsecond=0)
    today = day_start(local_today(now))
    rows = []
    for owner_id in owner_ids:
        own = [c for c in customers if c[1] == owner_id] or customers
        for hours in (15, 17, -5):  # 15:00 and 17:00 today, yesterday 19:00 (Vietnam time)
            customer_id, _ = rng.choice(own)
            subject = rng.choice(SUBJECTS["task"])
            due = today + timedelta(hours=hours)
            rows.append(
                {
                    "customer_id": customer_id,
                    "contact_id": None,
                    "type_code": "task",
                    "subject": subject,
                    "content": "",
                    "at": due,
                    "due_at": due,
                    "status": "planned",
                    "assignee_id": owner_id,
                    "created_by_id": owner_id,
                    "created_at": now,
                    "updated_by_id": owner_id,
                    "updated_at": now,
                    "owner_id": owner_id,
                    "archived": False,
                    "name_norm": normalize_name(subject),
                }
            )
    if rows:
        conn.execute(sa.insert(Activity.__table__), rows)


def seed(session: Session, owner_ids: list[int], per_customer: float = 3.0, seed_value: int = 2026) -> None:
    """Demo activities (once: skipped when any exist)."""
    if session.exec(select(Activity.id)).first() is not None:
        return
    customers = [
        tuple(r)
        for r in session.exec(
            select(Customer.id, Customer.owner_id)
            .where(Customer.archived == sa.false())
            .order_by(Customer.id)
            .limit(5_000)
        ).all()
    ]
    if not customers:
        return
    rng = random.Random(seed_value)
    conn = session.connection()
    insert_activities(conn, customers, int(len(customers) * per_customer), rng)
    insert_tasks_due_today(conn, customers, owner_ids, rng)
    session.commit()

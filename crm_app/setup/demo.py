"""The demo data of a first start: customers and their people, then the pipelines' leads and deals,
the team's activities on them, the products sold and the orders of the customers who bought
(each part builds on the one before); last, the history put in the order of its times."""

from __future__ import annotations

from sqlmodel import Session

from crm_app.setup import demo_data, demo_orders, demo_pipeline, demo_sales, demo_work


def seed(session: Session, customers: int = 2000) -> None:
    owner_ids = demo_data.seed_customers(session, customers)
    demo_pipeline.seed(session, owner_ids)
    demo_work.seed(session, owner_ids)
    demo_sales.seed(session)
    demo_orders.seed(session)
    demo_orders.history_in_time_order(session)

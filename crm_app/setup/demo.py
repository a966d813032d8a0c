"""The demo data of a first start: customers and their people, then the pipelines' leads and deals
and the team's activities on them (each part builds on the one before)."""

from __future__ import annotations

from sqlmodel import Session

from crm_app.setup import demo_data, demo_pipeline, demo_work


def seed(session: Session, customers: int = 2000) -> None:
    owner_ids = demo_data.seed_customers(session, customers)
    demo_pipeline.seed(session, owner_ids)
    demo_work.seed(session, owner_ids)

"""Deleting an archived customer for good (Lưu trữ → Xóa vĩnh viễn): managers only, after a
confirmation naming what goes with it and what stays unlinked (services.records.erase), written
to the system history. The customer's files leave the disk once the deletion is committed."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session

from crm_app.models import AuditLog, Customer, RecordList, RecordListMember, StoredFile
from crm_app.services.customer import customers, files
from crm_app.services.errors import NotAllowed, ServiceError
from crm_app.services.people.permissions import Actor
from crm_app.services.records import custom_fields, erase
from crm_app.services.records.erase import RecordCounts

ENTITY = "customer"


@dataclass
class Preview:
    customer_id: int
    label: str  # "KH000123 Nguyễn Văn An"
    deleted: RecordCounts  # what goes with it
    unlinked: RecordCounts  # what stays, no longer linked to it
    plan: erase.Plan


def preview(session: Session, actor: Actor, customer_id: int) -> Preview:
    """What deleting the archived customer would take with it; refused to sales and for a
    customer not in the archive."""
    if not actor.is_manager:
        raise NotAllowed("err.manager_only")
    customer = customers.get(session, actor, customer_id, change=True)
    if not customer.archived:
        raise ServiceError("err.delete_not_archived")
    planned = erase.plan(session, Customer.__table__, [customer_id])
    return Preview(
        customer_id,
        f"{customer.code} {customer.full_name}".strip(),
        RecordCounts(dict(planned.deleted)),
        RecordCounts(dict(planned.unlinked)),
        planned,
    )


def delete_for_good(session: Session, actor: Actor, customer_id: int) -> str:
    """Delete the archived customer with what depends on it (committed); its label."""
    shown = preview(session, actor, customer_id)
    keys = list(
        session.execute(sa.select(StoredFile.storage_key).where(StoredFile.customer_id == customer_id)).scalars()
    )
    lists = sa.select(RecordList.id).where(RecordList.entity == ENTITY)
    session.execute(
        sa.delete(RecordListMember).where(
            RecordListMember.record_id == customer_id, RecordListMember.list_id.in_(lists)
        )
    )
    custom_fields.delete_values(session, ENTITY, [customer_id])
    erase.erase(session, shown.plan)
    session.add(
        AuditLog(
            entity=ENTITY,
            entity_id=customer_id,
            action="erase",
            old_value=shown.label,
            user_id=actor.id,
            root_entity=ENTITY,
            root_id=customer_id,
        )
    )
    session.commit()  # the rows go before their files: a failure leaves a file without a row, never the reverse
    for key in keys:
        files.stored_path(key).unlink(missing_ok=True)
    return shown.label

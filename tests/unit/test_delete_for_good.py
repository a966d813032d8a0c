"""An archived customer deleted for good: what goes with it, what stays unlinked, who may."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crm_app.models import (
    Activity,
    AuditLog,
    Contact,
    Customer,
    CustomerPhone,
    Note,
    Opportunity,
    SalesDocument,
    SalesLine,
    StoredFile,
)
from crm_app.services.customer import customers, deletion, files, notes
from crm_app.services.errors import NotAllowed, ServiceError
from crm_app.services.people.work_scope import local_today
from crm_app.services.pipeline import opportunities, pipelines, sales
from crm_app.services.records import history
from crm_app.services.work import activities
from crm_app.settings import settings
from tests.unit.factories import default_catalogs, make_contact, make_customer, make_org, reloaded


def _count(session, model, *where) -> int:
    return session.execute(sa.select(sa.func.count()).select_from(model).where(*where)).scalar_one()


@pytest.fixture
def org(session):
    default_catalogs(session)
    return make_org(session)


def test_an_archived_customer_goes_with_its_own_rows_and_leaves_the_others_unlinked(
    session, org, tmp_path, monkeypatch
):
    monkeypatch.setattr(files, "settings", type(settings)(files_dir=tmp_path / "files"))
    company = make_customer(session, org.sales_a, "Công ty Xóa Hẳn", kind="business", phones=["0911 000 111"])
    person = make_customer(session, org.sales_a, "Nguyễn Văn Ở Lại", assigned_to_id=company.id)
    contact = make_contact(session, org.sales_a, "Người Liên Hệ Ở Lại", customer_id=company.id)
    activities.create(session, org.sales_a, company.id, {"type_code": "call", "subject": "Gọi chào"})
    notes.create(session, org.sales_a, company.id, {"body": "Ghi chú sẽ đi"})
    stored = files.save(session, org.sales_a, company.id, "hop-dong.pdf", b"%PDF-1.4 ...", "application/pdf")
    visa = sales.save_product(session, org.admin, {"code": "VISA", "name": "Dịch vụ visa", "unit_price": 1200000})
    order = sales.create_document(
        session,
        org.sales_a,
        company.id,
        "order",
        {"doc_date": local_today().isoformat(), "lines": [{"product_id": visa.id, "quantity": 2}]},
    )
    pipeline = pipelines.ensure_default_pipeline(session)
    stage = pipelines.stages(session, pipeline.id)[0]
    deal = opportunities.create(
        session, org.sales_a, {"name": "Tour Đà Lạt", "customer_id": str(company.id), "stage_id": str(stage.id)}
    )
    session.commit()
    blob = files.stored_path(stored.storage_key)
    assert blob.exists()

    with pytest.raises(ServiceError) as exc:  # not archived yet
        deletion.preview(session, org.manager, company.id)
    assert exc.value.key == "err.delete_not_archived"
    customers.set_archived(session, org.sales_a, company.id, True)
    session.commit()
    with pytest.raises(NotAllowed):  # a salesperson may archive, never delete for good
        deletion.preview(session, org.sales_a, company.id)

    shown = deletion.preview(session, org.manager, company.id)
    assert shown.label == f"{company.code} Công ty Xóa Hẳn"
    assert shown.deleted.by_table == {"activity": 1, "note": 1, "storedfile": 1, "salesdocument": 1}  # lines: cascade
    assert shown.unlinked.by_table == {"customer": 1, "contact": 1, "opportunity": 1}
    assert shown.deleted.label_in("vi").startswith("1 ")

    company_id, order_id, code = company.id, order.id, company.code
    deletion.delete_for_good(session, org.manager, company_id)
    assert _count(session, Customer, Customer.id == company_id) == 0
    for model, column in (
        (Activity, Activity.customer_id),
        (Note, Note.customer_id),
        (StoredFile, StoredFile.customer_id),
    ):
        assert _count(session, model, column == company_id) == 0
    assert _count(session, SalesDocument, SalesDocument.id == order_id) == 0
    assert _count(session, SalesLine, SalesLine.document_id == order_id) == 0
    assert _count(session, CustomerPhone, CustomerPhone.customer_id == company_id) == 0
    assert not blob.exists()  # the file left the disk too
    assert reloaded(session, Customer, person.id).assigned_to_id is None  # people stay, unlinked
    assert reloaded(session, Contact, contact.id).customer_id is None
    assert reloaded(session, Opportunity, deal.id).customer_id is None
    row = session.execute(sa.select(AuditLog).where(AuditLog.action == "erase")).scalars().one()
    [shown_row] = history.describe(session, [row], "vi")
    assert (shown_row["action"], shown_row["old"], shown_row["who"]) == ("Xóa vĩnh viễn", shown.label, "Manager Hn")
    # its history is still found by its code or its name's words, and named as it was, with no link
    assert history.records_named(session, org.admin, "customer", code)["customer"] == [company_id]
    assert company_id in history.records_named(session, org.admin, "", "xoa han")["customer"]
    earlier = (
        session.execute(sa.select(AuditLog).where(AuditLog.root_id == company_id, AuditLog.action == "create"))
        .scalars()
        .first()
    )
    [created_row] = history.describe(session, [earlier], "vi")
    assert (created_row["record"], created_row["record_url"]) == (shown.label, "")

"""The record service: every entity's writes go one way — shadow columns from the registry,
history as codes with the record as its root, nothing written without a change, and the caller
owns the transaction."""

import pytest

from crm_app.models import Activity, AuditLog, Contact, Customer, Lead, Note, Opportunity
from crm_app.services.customer import contacts, customers, notes
from crm_app.services.errors import ValidationFailed
from crm_app.services.pipeline import leads, opportunities, pipelines
from crm_app.services.records import record_service
from crm_app.services.work import activities
from tests.unit.factories import committed, count, history, make_customer, reloaded, stored_counts

KINDS = (customers.KIND, contacts.KIND, leads.KIND, opportunities.KIND)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.entity)
def test_shadow_columns_come_from_the_registry(kind):
    values = dict.fromkeys(kind.fields, "") | {"phones": ["0912.345.678"], "tags": []}
    name_field = "name" if kind.entity == "opportunity" else "full_name"
    values[name_field] = "  Nguyễn   Văn ĐỨC "
    if "email" in values:
        values["email"] = "An@ABC.vn"
    if "phone" in values:
        values["phone"] = "+84 912 345 678"
    columns = kind.columns(values)
    assert columns["name_norm"] == "nguyen van duc"
    if "email" in values:
        assert columns["email_norm"] == "an@abc.vn"
    if kind.entity == "customer":  # the first of its phones is the customer's phone
        assert (columns["phone"], columns["phone_norm"]) == ("0912.345.678", "0912345678")
    elif "phone" in values:
        assert columns["phone_norm"] == "0912345678"


def test_nothing_is_committed_by_the_service_the_caller_rolls_back(session, org):
    before = stored_counts(session)
    customers.create(session, org.sales_a, {"full_name": "Khách bỏ dở", "phones": ["0912345678"], "tags": ["VIP"]})
    contacts.create(session, org.sales_a, {"full_name": "Người bỏ dở"})
    leads.create(session, org.sales_a, {"full_name": "Tiềm năng bỏ dở"})
    session.rollback()
    assert stored_counts(session) == before
    assert count(session, AuditLog) == 0 and count(session, Lead) == 0


def test_an_update_without_a_change_writes_nothing_not_even_who_changed_it(session, org):
    cust = make_customer(session, org.sales_a, "Trần Thị Lan", phones=["0912345678"], tags=["VIP", "Đại lý"])
    stamp = reloaded(session, Customer, cust.id).updated_at
    rows = count(session, AuditLog)
    customers.update(
        session, org.manager, cust.id, {"full_name": "Trần Thị Lan", "tags": ["Đại lý", "VIP"], "phones": "0912345678"}
    )
    session.commit()
    stored = reloaded(session, Customer, cust.id)
    assert (stored.updated_at, stored.updated_by_id) == (stamp, org.sales_a.id)
    assert count(session, AuditLog) == rows


@pytest.mark.parametrize("entity", ["customer", "contact", "lead", "opportunity"])
def test_each_entity_writes_create_update_archive_restore_with_its_root(session, org, entity):
    pipelines.ensure_default_pipeline(session)
    service, model, name = {
        "customer": (customers, Customer, "full_name"),
        "contact": (contacts, Contact, "full_name"),
        "lead": (leads, Lead, "full_name"),
        "opportunity": (opportunities, Opportunity, "name"),
    }[entity]
    made = service.create(session, org.sales_a, {name: "Bản ghi một"})
    row = getattr(made, "customer", made)
    service.update(session, org.sales_a, row.id, {name: "Bản ghi hai"})
    service.set_archived(session, org.sales_a, row.id, True)
    service.set_archived(session, org.sales_a, row.id, True)  # already archived: nothing more
    service.set_archived(session, org.sales_a, row.id, False)
    session.commit()
    rows = history(session, entity, row.id)
    assert [r.action for r in rows if r.action != "create"] == ["update", "archive", "restore"]
    assert all((r.root_entity, r.root_id) == (entity, row.id) for r in rows)
    update = next(r for r in rows if r.action == "update")
    assert (update.field, update.old_value, update.new_value) == (name, "Bản ghi một", "Bản ghi hai")
    stored = reloaded(session, model, row.id)
    assert stored.name_norm == "ban ghi hai" and stored.archived is False


def test_a_refused_save_changes_nothing_once_the_caller_rolls_back(session, org):
    cust = make_customer(session, org.sales_a, "Lê Văn Tám", email="tam@abc.vn")
    before = stored_counts(session)
    with pytest.raises(ValidationFailed):
        customers.update(session, org.sales_a, cust.id, {"email": "không phải email"})
    assert stored_counts(session) == before
    assert reloaded(session, Customer, cust.id).email == "tam@abc.vn"


def test_many_records_are_written_like_one(session, org):
    a = make_customer(session, org.sales_a, "Khách A", phones=["0911111111"], tags=["VIP"])
    b = make_customer(session, org.sales_a, "Khách B")
    snaps = record_service.snapshots(session, customers.KIND, [a.id, b.id])
    assert snaps[a.id]["phones"] == ["0911111111"] and snaps[a.id]["tags"] == ["VIP"]
    assert snaps[a.id] == customers.snapshot(session, a)
    after_a = {**snaps[a.id], "phones": ["0922222222", "0911111111"], "province": "Huế"}
    record_service.update_many(
        session, customers.KIND, org.manager, [(a.id, snaps[a.id], after_a), (b.id, snaps[b.id], snaps[b.id])]
    )
    session.commit()
    stored_a, stored_b = reloaded(session, Customer, a.id), reloaded(session, Customer, b.id)
    assert (stored_a.phone, stored_a.phone_norm, stored_a.province) == ("0922222222", "0922222222", "Huế")
    assert customers.phones_of(session, a.id) == ["0922222222", "0911111111"]
    assert stored_b.updated_by_id == org.sales_a.id  # unchanged: not stamped
    fields = {r.field for r in history(session, "customer", a.id) if r.action == "update"}
    assert fields == {"phones", "province"}
    assert [r for r in history(session, "customer", b.id) if r.action == "update"] == []


def test_a_link_kept_as_it_was_does_not_stop_a_save_by_who_cannot_see_it(session, org):
    """A manager assigned a salesperson's customer to another team's organisation: she still saves."""
    org_b = make_customer(session, org.other_sales, "Tập đoàn Sen Vàng", kind="business")
    mine = make_customer(session, org.sales_a, "Khách Của A")
    customers.update(session, org.admin, mine.id, {"assigned_to_id": org_b.id})
    session.commit()
    customers.update(session, org.sales_a, mine.id, {"address": "12 Lê Lợi"})
    session.commit()
    stored = reloaded(session, Customer, mine.id)
    assert (stored.address, stored.assigned_to_id) == ("12 Lê Lợi", org_b.id)
    with pytest.raises(ValidationFailed):  # choosing it anew is still refused
        customers.update(session, org.sales_a, mine.id, {"assigned_to_id": None})
        session.flush()
        customers.update(session, org.sales_a, mine.id, {"assigned_to_id": org_b.id})


def test_a_deals_contact_person_is_one_of_its_customers_people(session, org):
    pipelines.ensure_default_pipeline(session)
    cust = make_customer(session, org.sales_a, "Công ty Kim Long", kind="business")
    other = make_customer(session, org.sales_a, "Công ty Khác", kind="business")
    theirs = contacts.create(session, org.sales_a, {"full_name": "Người Công Ty Khác", "customer_id": other.id})
    ours = contacts.create(session, org.sales_a, {"full_name": "Người Kim Long", "customer_id": cust.id})
    with pytest.raises(ValidationFailed) as exc:
        opportunities.create(
            session, org.sales_a, {"name": "Đơn hàng Tết", "customer_id": cust.id, "contact_id": theirs.id}
        )
    assert exc.value.errors == {"contact_id": ("err.contact_of_another_customer", {})}
    deal = opportunities.create(
        session, org.sales_a, {"name": "Đơn hàng Tết", "customer_id": cust.id, "contact_id": ours.id}
    )
    assert deal.contact_id == ours.id
    session.commit()
    # the deal's picker offers its customer's people only, searched like the list
    assert contacts.pick(session, org.sales_a, "nguoi", customer_id=cust.id) == [
        (ours.id, "Người Kim Long — Công ty Kim Long")
    ]
    assert contacts.pick(session, org.sales_a, "khac", customer_id=cust.id) == []
    assert {name for _id, name in contacts.pick(session, org.sales_a, "nguoi")} == {
        "Người Kim Long — Công ty Kim Long",  # people of one name are told apart by their company
        "Người Công Ty Khác — Công ty Khác",
    }


def test_a_customers_activities_and_notes_are_written_by_it_under_the_customer(session, org):
    cust = make_customer(session, org.sales_a, "Phạm Thị Hoa")
    task = activities.create(
        session,
        org.sales_a,
        cust.id,
        {"type_code": "call", "subject": "  Gọi   lại  ĐỨC ", "at": "2026-12-01T09:00"},
    )
    note = notes.create(session, org.sales_a, cust.id, {"body": "Thích màu xanh"})
    session.commit()
    assert reloaded(session, Activity, task.id).name_norm == "goi lai duc"  # the registry's shadow column
    assert reloaded(session, Activity, task.id).owner_id == org.sales_a.id
    activities.update(session, org.sales_a, task.id, {"subject": "Gọi   lại  ĐỨC"})  # same text: no change
    notes.update(session, org.sales_a, note.id, {"body": "Thích màu xanh"})
    session.commit()
    assert {r.action for r in history(session, "activity", task.id)} == {"create"}
    assert {r.action for r in history(session, "note", note.id)} == {"create"}
    activities.delete(session, org.sales_a, task.id)
    notes.delete(session, org.sales_a, note.id)
    session.commit()
    rows = history(session, "activity", task.id) + history(session, "note", note.id)
    assert all((r.root_entity, r.root_id) == ("customer", cust.id) for r in rows)
    deleted = {(r.field, r.old_value) for r in rows if r.action == "delete"}
    assert ("subject", "Gọi lại ĐỨC") in deleted and ("body", "Thích màu xanh") in deleted
    assert count(session, Activity) == 0 and count(session, Note) == 0


def test_an_activity_the_system_logs_is_seen_by_the_customers_owner(session, org):
    cust = make_customer(session, org.sales_a, "Đỗ Văn Nam")
    logged = committed(session, activities.log(session, org.manager, cust.id, "email", "Báo giá", "Nội dung thư"))
    stored = reloaded(session, Activity, logged.id)
    assert (stored.owner_id, stored.archived, stored.status) == (org.sales_a.id, False, "done")
    assert [a.id for a in activities.of_customer(session, org.sales_a, cust.id)] == [logged.id]

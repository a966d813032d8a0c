"""History is written as codes and ids and labelled when read, in the reader's language, for every
entity; bulk updates and merges show on the record's History tab; no change writes no row."""

from datetime import UTC, datetime

from crm_app.models import Activity, AuditLog
from crm_app.services.customer import contacts, customers, merge, notes
from crm_app.services.lists import bulk
from crm_app.services.lists.bulk import Action, Selection
from crm_app.services.pipeline import leads
from crm_app.services.records import history
from crm_app.services.work import activities
from tests.unit.factories import changes, default_catalogs, make_customer, reloaded


def _shown(session, entity, record_id, lang, action=None) -> dict[str, tuple[str, str]]:
    rows = history.of_record(session, entity, record_id, lang)
    return {r["field"]: (r["old"], r["new"]) for r in rows if action is None or r["action"] == action}


def test_a_lead_change_reads_as_labels_and_money_in_both_languages(session, org):
    lead = leads.create(session, org.sales_a, {"full_name": "Phạm Thu Hà", "value": "15.000.000"})
    leads.update(session, org.sales_a, lead.id, {"status": "contacted", "value": "20000000"})
    assert changes(session, "lead", lead.id, "update")["status"] == ("new", "contacted")  # stored as codes
    vi = _shown(session, "lead", lead.id, "vi", "Sửa")
    assert vi["Trạng thái"] == ("Mới", "Đã liên hệ")
    assert vi["Giá trị (VND)"] == ("15.000.000 ₫", "20.000.000 ₫")
    en = _shown(session, "lead", lead.id, "en", "Changed")
    assert en["Status"] == ("New", "Contacted")


def test_a_customer_assigned_to_an_organisation_reads_as_its_name(session, org):
    company = make_customer(session, org.manager, "Công ty Sao Mai", kind="business")
    person = make_customer(session, org.manager, "Lê Văn Tám")
    customers.update(session, org.manager, person.id, {"assigned_to_id": company.id})
    assert changes(session, "customer", person.id, "update")["assigned_to_id"] == (None, str(company.id))
    rows = history.describe(session, history.of_customer(session, org.admin, person.id), "vi")
    assigned = next(r for r in rows if r["field"] == "Gán cho")
    assert (assigned["old"], assigned["new"]) == ("", "Công ty Sao Mai")


def test_phones_and_tags_read_as_written(session, org):
    cust = make_customer(session, org.manager, "Hà Thị Số", phones=["0912 345 678"], tags=["VIP"])
    customers.update(session, org.manager, cust.id, {"phones": "0912 345 678, 0987 654 321", "tags": "VIP, Đại lý"})
    rows = history.describe(session, history.of_customer(session, org.admin, cust.id), "vi")
    changed = {r["field"]: (r["old"], r["new"]) for r in rows if r["action"] == "Sửa"}
    assert changed["Số điện thoại"] == ("0912 345 678", "0912 345 678, 0987 654 321")
    assert changed["Thẻ"] == ("VIP", "Đại lý, VIP")


def test_a_contact_change_names_its_owner_and_company(session, org):
    company = make_customer(session, org.manager, "Công ty Hoa Sen", kind="business")
    contact = contacts.create(session, org.manager, {"full_name": "Ngô Bảo Châu", "owner_id": org.sales_a.id})
    contacts.update(session, org.manager, contact.id, {"owner_id": org.sales_b.id, "customer_id": company.id})
    shown = _shown(session, "contact", contact.id, "en", "Changed")
    assert shown["Owner"] == ("Sales A", "Sales B")
    assert ("", "Công ty Hoa Sen") in shown.values()


def test_a_bulk_update_and_a_list_add_show_on_the_record_history_with_labels(session, org):
    a = make_customer(session, org.manager, "Khách Một", status="lead")
    b = make_customer(session, org.manager, "Khách Hai", status="lead")
    bulk.run(
        session,
        org.manager,
        "customer",
        Selection(ids=[a.id, b.id]),
        Action("update_field", "status", value="potential"),
    )
    for cust in (a, b):
        rows = history.describe(session, history.of_customer(session, org.admin, cust.id), "vi")
        status = [r for r in rows if r["field"] == "Trạng thái" and r["action"] == "Sửa"]
        assert [(r["old"], r["new"]) for r in status] == [("Đầu mối", "Tiềm năng")]
        filtered = history.system(session, org.admin, history.HistoryFilter(entity="customer", record_id=cust.id))
        assert any(r.field == "status" for r in filtered)


def test_a_merge_shows_on_the_survivor_history(session, org):
    keep = make_customer(session, org.manager, "Gộp Giữ", phones=["0912000111"])
    gone = make_customer(session, org.manager, "Gộp Bỏ", phones=["0912000222"])
    merge.merge(session, org.manager, [keep.id, gone.id], keep.id, {})
    rows = history.describe(session, history.of_customer(session, org.admin, keep.id), "vi")
    merged = [r for r in rows if r["action"] == "Gộp"]
    assert merged and merged[0]["field"] == "Bản ghi đã gộp vào đây" and merged[0]["new"] == gone.code
    assert merged[0]["old"] == ""  # the merged record's snapshot stays in the database, not on screen


def test_editing_only_a_task_content_writes_only_that_change(session, org):
    default_catalogs(session)
    cust = make_customer(session, org.manager, "Khách Có Việc")
    due = datetime(2026, 12, 4, 14, 3, 27, 512000, tzinfo=UTC)  # stored with seconds
    task = activities.create(
        session,
        org.manager,
        cust.id,
        {"type_code": "task", "subject": "Gọi lại", "at": due, "due_at": due, "assignee_id": org.manager.id},
    )
    # the dialog sends every field back, the times as it shows them: to the minute, in Vietnam time
    activities.update(
        session,
        org.manager,
        task.id,
        {
            "type_code": "task",
            "subject": "Gọi lại",
            "content": "Hỏi về báo giá",
            "at": "2026-12-04T21:03",
            "due_at": "2026-12-04T21:03",
            "status": task.status,
            "assignee_id": org.manager.id,
        },
    )
    session.commit()
    assert set(changes(session, "activity", task.id, "update")) == {"content"}
    assert reloaded(session, Activity, task.id).content == "Hỏi về báo giá"


def test_saving_an_unchanged_lead_writes_no_history(session, org):
    lead = leads.create(session, org.sales_a, {"full_name": "Không Đổi", "value": "1000000", "status": "new"})
    before = session.query(AuditLog).count()
    leads.update(session, org.sales_a, lead.id, {"full_name": "Không Đổi", "value": "1.000.000", "status": "new"})
    assert session.query(AuditLog).count() == before


def test_the_system_history_names_and_links_every_kind_of_record(session, org):
    cust = make_customer(session, org.sales_a, "Công ty Bình Minh", kind="business")
    person = contacts.create(session, org.sales_a, {"full_name": "Lý Thị Mai", "customer_id": cust.id})
    lead = leads.create(session, org.sales_a, {"full_name": "Tiềm Năng Sáng"})
    session.commit()
    rows = history.describe(session, history.system(session, org.admin, history.HistoryFilter()), "vi")
    named = {(r["root_entity"], r["record"], r["record_url"]) for r in rows}
    assert ("customer", f"{cust.code} Công ty Bình Minh", f"/customers/{cust.id}") in named
    assert ("contact", "Lý Thị Mai", f"/contacts/{person.id}") in named
    assert ("lead", "Tiềm Năng Sáng", f"/leads/{lead.id}") in named
    assert not any("#" in r["record"] for r in rows if r["root_entity"] in history.ROOTS)


def test_a_customers_history_names_the_activity_or_note_that_changed(session, org):
    default_catalogs(session)
    cust = make_customer(session, org.sales_a, "Đinh Thị Hoa")
    call = activities.create(session, org.sales_a, cust.id, {"type_code": "call", "subject": "Gọi chốt đơn"})
    activities.update(session, org.sales_a, call.id, {"status": "planned"})
    note = notes.create(session, org.sales_a, cust.id, {"body": "Khách muốn giao hàng trước Tết " * 3})
    notes.delete(session, org.sales_a, note.id)
    session.commit()
    rows = history.describe(session, history.of_customer(session, org.admin, cust.id), "vi")
    status = next(r for r in rows if r["field"] == "Trạng thái")
    assert status["child"] == "Gọi chốt đơn"
    deleted = next(r for r in rows if r["entity_code"] == "note" and r["action"] == "Xóa")
    assert deleted["child"].startswith("Khách muốn giao hàng trước Tết") and deleted["child"].endswith("…")
    assert all(r["child"] == "" for r in rows if r["entity_code"] == "customer")


def test_an_orders_number_and_total_read_as_such(session):
    rows = [
        AuditLog(id=1, entity="order", entity_id=7, action="create", field="code", new_value="DH000007"),
        AuditLog(id=2, entity="order", entity_id=7, action="create", field="total", new_value="12990000"),
    ]
    shown = {r["field"]: r["new"] for r in history.describe(session, rows, "vi")}
    assert shown == {"Số": "DH000007", "Tổng tiền": "12.990.000 ₫"}

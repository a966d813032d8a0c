"""Follow-ups, tasks with notifications, notes, lead promotion and conversion: rules, rights, history."""

from datetime import UTC, datetime

import pytest

from crm_app.models import Activity, AuditLog, EmailMessage, Note, Notification
from crm_app.services.customer import customer_status, notes
from crm_app.services.errors import NotAllowed, ServiceError, ValidationFailed
from crm_app.services.work import activities, notifications
from tests.unit.factories import count, make_customer, reloaded


@pytest.fixture
def cust(session, org):
    return make_customer(session, org.sales_a, "Nguyễn Văn An", phones="0912 345 678", email="an@example.vn")


def test_timeline_is_newest_first_and_audited_under_the_customer(session, org, cust):
    activities.create(
        session, org.sales_a, cust.id, {"type_code": "call", "subject": "Gọi lần 1", "at": "2026-11-20T09:00"}
    )
    activities.create(
        session, org.sales_a, cust.id, {"type_code": "meeting", "subject": "Gặp mặt", "at": "2026-11-22T15:30"}
    )
    activities.create(
        session, org.sales_a, cust.id, {"type_code": "note", "content": "Khách hẹn gọi lại", "at": "2026-11-21 08:00"}
    )
    rows = activities.of_customer(session, org.sales_a, cust.id)
    assert [r.subject or r.content for r in rows] == ["Gặp mặt", "Khách hẹn gọi lại", "Gọi lần 1"]
    # Typed in Vietnam time, stored in UTC.
    assert rows[0].at.replace(tzinfo=UTC) == datetime(2026, 11, 22, 8, 30, tzinfo=UTC)
    roots = session.exec(AuditLog.__table__.select().where(AuditLog.entity == "activity")).all()
    assert {(r.root_entity, r.root_id) for r in roots} == {("customer", cust.id)}


@pytest.mark.parametrize(
    "data, field",
    [
        ({"type_code": "fax", "subject": "x"}, "type_code"),
        ({"type_code": "call"}, "subject"),
        ({"type_code": "call", "subject": "x", "at": "31/02/2026 10:00"}, "at"),
        ({"type_code": "call", "subject": "x" * 201}, "subject"),
        ({"type_code": "call", "subject": "x", "status": "maybe"}, "status"),
        ({"type_code": "task", "subject": "x", "due_at": "2026-12-01T10:00"}, "assignee_id"),
    ],
)
def test_bad_activities_are_refused_and_change_nothing(session, org, cust, data, field):
    before = (count(session, Activity), count(session, AuditLog))
    with pytest.raises(ValidationFailed) as err:
        activities.create(session, org.sales_a, cust.id, data)
    assert field in err.value.errors
    assert (count(session, Activity), count(session, AuditLog)) == before


def test_contact_must_belong_to_the_customer(session, org, cust):
    other = make_customer(session, org.sales_a, "Công ty Khác", kind="business")
    from tests.unit.factories import make_contact

    contact = make_contact(session, org.sales_a, "Lê Thị Mai", customer_id=other.id)
    with pytest.raises(ValidationFailed) as err:
        activities.create(
            session, org.sales_a, cust.id, {"type_code": "call", "subject": "x", "contact_id": contact.id}
        )
    assert "contact_id" in err.value.errors


def test_edit_and_delete_write_old_and_new(session, org, cust):
    act = activities.create(session, org.sales_a, cust.id, {"type_code": "call", "subject": "Gọi"})
    activities.update(session, org.sales_a, act.id, {"subject": "Gọi tư vấn", "status": "planned"})
    rows = {
        r.field: (r.old_value, r.new_value)
        for r in session.exec(
            AuditLog.__table__.select().where(AuditLog.entity == "activity", AuditLog.action == "update")
        ).all()
    }
    assert rows == {"subject": ("Gọi", "Gọi tư vấn"), "status": ("done", "planned")}
    activities.delete(session, org.sales_a, act.id)
    session.commit()
    assert reloaded(session, Activity, act.id) is None
    deleted = session.exec(AuditLog.__table__.select().where(AuditLog.action == "delete")).all()
    assert ("subject", "Gọi tư vấn", None) in {(r.field, r.old_value, r.new_value) for r in deleted}


def test_sales_cannot_touch_anothers_activities(session, org, cust):
    act = activities.create(session, org.sales_a, cust.id, {"type_code": "call", "subject": "Gọi"})
    session.commit()
    for call in (
        lambda: activities.of_customer(session, org.sales_b, cust.id),
        lambda: activities.create(session, org.sales_b, cust.id, {"type_code": "call", "subject": "x"}),
        lambda: activities.update(session, org.sales_b, act.id, {"subject": "x"}),
        lambda: activities.delete(session, org.sales_b, act.id),
        lambda: activities.get(session, org.other_manager, act.id),
    ):
        with pytest.raises(NotAllowed):
            call()
    assert reloaded(session, Activity, act.id).subject == "Gọi"
    # The team's manager sees and edits it.
    activities.update(session, org.manager, act.id, {"subject": "Quản lý sửa"})
    session.commit()
    assert reloaded(session, Activity, act.id).subject == "Quản lý sửa"


def test_task_notifies_the_assignee_in_app_and_by_mail(session, org, cust):
    manager_cust = make_customer(session, org.manager, "Trần Văn Bình", owner_id=org.sales_a.id)
    task = activities.create(
        session,
        org.manager,
        manager_cust.id,
        {
            "type_code": "task",
            "subject": "Gửi báo giá",
            "due_at": "2026-12-01T10:00",
            "status": "planned",
            "assignee_id": org.sales_a.id,
        },
    )
    session.commit()  # each step is a handler of its own, committed when it ends
    unread = notifications.unread(session, org.sales_a.id)
    assert len(unread) == 1 and "Gửi báo giá" in unread[0].text and unread[0].link == f"/customers/{manager_cust.id}"
    assert "01/12/2026 10:00" in unread[0].text
    mail = session.exec(EmailMessage.__table__.select()).all()
    assert [(m.to_addr, m.customer_id, m.status) for m in mail] == [("sales.a@congty.vn", None, "outbox")]
    # Assigning oneself sends nothing.
    activities.create(
        session,
        org.sales_a,
        cust.id,
        {"type_code": "task", "subject": "Tự làm", "due_at": "2026-12-02T10:00", "assignee_id": org.sales_a.id},
    )
    session.commit()
    assert count(session, Notification) == 1
    # Reassigning notifies the new assignee; others' notifications cannot be marked read.
    activities.update(session, org.manager, task.id, {"assignee_id": org.sales_b.id})
    session.commit()
    assert notifications.unread_count(session, org.sales_b.id) == 1
    notifications.mark_read(session, org.sales_b.id, unread[0].id)
    # sales A keeps the task's message and, as the customer's owner, hears of the reassignment
    assert notifications.unread_count(session, org.sales_a.id) == 2
    notifications.mark_read(session, org.sales_a.id)
    assert notifications.unread_count(session, org.sales_a.id) == 0
    assert task.status == "planned"


def test_sales_cannot_assign_a_task_to_someone_outside_their_reach(session, org, cust):
    # Assignees follow the owner rule: sales themselves, managers their teams, admins anyone.
    for other in (org.other_sales, org.sales_b):
        with pytest.raises(ValidationFailed) as err:
            activities.create(
                session,
                org.sales_a,
                cust.id,
                {"type_code": "task", "subject": "x", "due_at": "2026-12-01T10:00", "assignee_id": other.id},
            )
        assert "assignee_id" in err.value.errors
    assert count(session, Activity) == 0 and count(session, Notification) == 0


def test_notes_newest_first_edit_delete_and_rights(session, org, cust):
    first = notes.create(session, org.sales_a, cust.id, {"body": "Ghi chú một"})
    notes.create(session, org.sales_a, cust.id, {"body": "Ghi chú hai"})
    assert [n.body for n in notes.of_customer(session, org.sales_a, cust.id)] == ["Ghi chú hai", "Ghi chú một"]
    with pytest.raises(ValidationFailed):
        notes.create(session, org.sales_a, cust.id, {"body": "   "})
    with pytest.raises(NotAllowed):
        notes.update(session, org.sales_b, first.id, {"body": "hack"})
    with pytest.raises(NotAllowed):
        notes.delete(session, org.other_manager, first.id)
    notes.update(session, org.sales_a, first.id, {"body": "Ghi chú một (sửa)"})
    notes.delete(session, org.sales_a, first.id)
    assert count(session, Note) == 1
    hist = [
        (r.action, r.field, r.old_value, r.new_value)
        for r in session.exec(
            AuditLog.__table__.select()
            .where(AuditLog.entity == "note", AuditLog.entity_id == first.id)
            .order_by(AuditLog.id)
        ).all()
    ]
    assert hist == [
        ("create", "body", None, "Ghi chú một"),
        ("update", "body", "Ghi chú một", "Ghi chú một (sửa)"),
        ("delete", "body", "Ghi chú một (sửa)", None),
    ]


def test_promote_lead_then_convert_with_who_and_when(session, org, cust):
    assert cust.status == "lead"
    customer_status.promote_lead(session, org.sales_a, cust.id)
    with pytest.raises(ServiceError) as err:
        customer_status.promote_lead(session, org.sales_a, cust.id)
    assert err.value.key == "err.not_a_lead"
    with pytest.raises(NotAllowed):
        customer_status.convert_to_customer(session, org.sales_b, cust.id)
    customer_status.convert_to_customer(session, org.manager, cust.id)
    rows = session.exec(
        AuditLog.__table__.select()
        .where(AuditLog.entity == "customer", AuditLog.action.in_(["promote", "convert"]))
        .order_by(AuditLog.id)
    ).all()
    assert [(r.action, r.old_value, r.new_value, r.user_id) for r in rows] == [
        ("promote", "lead", "potential", org.sales_a.id),
        ("convert", "potential", "customer", org.manager.id),
    ]
    assert all(r.at is not None for r in rows)
    with pytest.raises(ServiceError):
        customer_status.convert_to_customer(session, org.manager, cust.id)


def test_admin_edits_activity_types_and_old_activities_keep_theirs(session, org, cust):
    from crm_app.services.records import catalogs

    with pytest.raises(NotAllowed):
        catalogs.save_item(
            session,
            org.manager,
            "activity_type",
            {"code": "zalo", "label_vi": "Zalo", "label_en": "Zalo", "active": True},
        )
    for bad, field in (
        ({"code": "Zalo chat", "label_vi": "Zalo", "label_en": "Zalo"}, "code"),
        ({"code": "call", "label_vi": "Gọi", "label_en": "Call"}, "code"),
        ({"code": "zalo", "label_vi": "", "label_en": "Zalo"}, "label_vi"),
    ):
        with pytest.raises(ValidationFailed) as err:
            catalogs.save_item(session, org.admin, "activity_type", bad)
        assert field in err.value.errors
    zalo = catalogs.save_item(
        session,
        org.admin,
        "activity_type",
        {"code": "zalo", "label_vi": "Nhắn Zalo", "label_en": "Zalo message", "active": True},
    )
    act = activities.create(session, org.sales_a, cust.id, {"type_code": "zalo", "subject": "Nhắn báo giá"})
    catalogs.save_item(
        session,
        org.admin,
        "activity_type",
        {"code": "zalo", "label_vi": "Nhắn Zalo", "label_en": "Zalo message", "active": False},
        zalo.id,
    )
    assert "zalo" not in activities.type_codes(session)
    with pytest.raises(ValidationFailed):
        activities.create(session, org.sales_a, cust.id, {"type_code": "zalo", "subject": "x"})
    activities.update(session, org.sales_a, act.id, {"subject": "Nhắn báo giá lần 2"})
    session.commit()
    assert reloaded(session, Activity, act.id).type_code == "zalo"

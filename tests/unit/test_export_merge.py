"""Export (field rights, the list's rows, both formats) and duplicates / merge."""

from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from crm_app.models import AuditLog, Contact, Customer, CustomerPhone
from crm_app.services.customer import customers, merge
from crm_app.services.errors import NotAllowed, ValidationFailed
from crm_app.services.lists import query
from crm_app.services.people.work_scope import local_today
from crm_app.services.transfer import exporter
from tests.unit.factories import history, make_contact, make_customer, make_org, reloaded


@pytest.fixture
def org(session):
    return make_org(session)


def _exportable(session, actor, entity: str) -> set[str]:
    return {f.name for f in exporter.exportable(session, actor, entity)}


def test_export_rights_per_role(session, org):
    assert "phones" not in _exportable(session, org.sales_a, "customer")
    assert "email" not in _exportable(session, org.sales_a, "customer")
    assert "full_name" in _exportable(session, org.sales_a, "customer")
    assert {"phones", "email", "tax_code"} <= set(_exportable(session, org.manager, "customer"))
    spec = query.ListSpec(entity="customer")
    with pytest.raises(ValidationFailed) as exc:
        exporter.export(session, org.sales_a, spec, ["full_name", "phones"], "csv", io.BytesIO(), "en")
    assert exc.value.errors["fields"][0] == "err.export_field_not_allowed"


def test_export_follows_the_list_and_visibility(session, org):
    make_customer(session, org.sales_a, "Nguyễn Văn An", phones=["0912345678"], province="Hà Nội")
    make_customer(session, org.sales_a, "Nguyễn Thị Bích", province="Huế")
    make_customer(session, org.sales_b, "Nguyễn Văn Cường")
    make_customer(session, org.sales_a, "Trần Dũng")
    spec = query.ListSpec(entity="customer", sort="full_name", descending=False, search="nguyen")
    buf = io.BytesIO()
    assert exporter.export(session, org.sales_a, spec, ["full_name", "province"], "csv", buf, "vi") == 2
    text = buf.getvalue().decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text))) == [
        ["Họ và tên", "Tỉnh/Thành phố"],
        ["Nguyễn Thị Bích", "Huế"],
        ["Nguyễn Văn An", "Hà Nội"],
    ]
    buf = io.BytesIO()
    assert exporter.export(session, org.manager, spec, ["full_name", "phone"], "xlsx", buf, "en") == 3
    rows = list(load_workbook(io.BytesIO(buf.getvalue())).active.iter_rows(values_only=True))
    # the phone column exports every phone
    assert rows[0] == ("Full name", "Phone numbers") and ("Nguyễn Văn An", "0912345678") in rows
    # a selection: only those ids, and still only visible ones
    other = customers.pick(session, org.sales_b, "cuong")[0][0]
    mine = customers.pick(session, org.sales_a, "tran dung")[0][0]
    buf = io.BytesIO()
    assert (
        exporter.export(
            session, org.sales_a, query.ListSpec(entity="customer"), ["full_name"], "csv", buf, ids=[other, mine]
        )
        == 1
    )


def test_duplicate_groups(session, org):
    a = make_customer(session, org.sales_a, "Nguyễn Văn An", phones=["0912345678"], email="an@x.vn")
    b = make_customer(session, org.sales_a, "Nguyen Van An.", phones=["+84 912 345 678"])
    c = make_customer(session, org.sales_b, "Lê An", email="AN@x.vn")
    groups = merge.duplicate_groups(session, org.manager, "phone")
    assert [(g.value, [m["id"] for m in g.members]) for g in groups] == [("0912345678", [a.id, b.id])]
    email = merge.duplicate_groups(session, org.manager, "email")
    assert [[m["id"] for m in g.members] for g in email] == [[a.id, c.id]]
    assert merge.duplicate_groups(session, org.sales_b, "email") == []  # sales_b sees only c


def test_merge_moves_children_and_keeps_chosen_fields(session, org):
    a = make_customer(
        session,
        org.sales_a,
        "Nguyễn Văn An",
        phones=["0912345678"],
        email="an@x.vn",
        tags=["VIP"],
        description="Khách quen",
        province="Hà Nội",
    )
    b = make_customer(
        session,
        org.sales_b,
        "Nguyễn Văn An (cũ)",
        phones=["0987000111"],
        tags=["Du lịch"],
        description="Đi tour Nhật 2024",
        province="Huế",
        birthday="1980-01-02",
    )
    contact = make_contact(session, org.sales_b, "Thư ký Lan", customer_id=b.id)
    with pytest.raises(NotAllowed):
        merge.merge(session, org.sales_a, [a.id, b.id], a.id, {})
    with pytest.raises(ValidationFailed):
        merge.merge(session, org.manager, [a.id], a.id, {})
    preview = merge.preview(session, org.manager, [a.id, b.id], a.id, {"province": b.id, "birthday": b.id})
    assert preview["province"] == "46" and preview["full_name"] == "Nguyễn Văn An"
    result = merge.merge(session, org.manager, [a.id, b.id], a.id, {"province": b.id, "birthday": b.id})
    session.commit()
    assert result.id == a.id
    assert reloaded(session, Customer, b.id) is None
    kept = reloaded(session, Customer, a.id)
    assert kept.province == "46" and str(kept.birthday) == "1980-01-02"
    assert customers.phones_of(session, a.id) == ["0912345678", "0987000111"]
    assert customers.tags_of(session, a.id) == ["Du lịch", "VIP"]
    assert kept.description == "Khách quen\n\nĐi tour Nhật 2024"
    assert reloaded(session, Contact, contact.id).customer_id == a.id
    assert (
        session.exec(
            sa.select(sa.func.count()).select_from(CustomerPhone).where(CustomerPhone.customer_id == b.id)
        ).one()[0]
        == 0
    )
    rows = history(session, "customer", a.id)
    merged = [r for r in rows if r.action == "merge"]
    assert len(merged) == 1 and merged[0].new_value == b.code and "Nguyễn Văn An (cũ)" in merged[0].old_value
    assert any(r.action == "create" and r.entity_id == a.id for r in rows)
    # b's own history moved to a
    assert (
        session.exec(
            sa.select(sa.func.count())
            .select_from(AuditLog)
            .where(AuditLog.entity == "customer", AuditLog.entity_id == b.id)
        ).one()[0]
        == 0
    )


def test_merge_is_all_or_nothing(session, org, monkeypatch):
    a = make_customer(session, org.sales_a, "Khách A", phones=["0912345678"])
    b = make_customer(session, org.sales_a, "Khách B", phones=["0912000000"])
    make_contact(session, org.sales_a, "LH", customer_id=b.id)

    def boom(*_args, **_kw):
        raise RuntimeError("crash")

    monkeypatch.setattr(customers, "update", boom)
    with pytest.raises(RuntimeError):
        merge.merge(session, org.manager, [a.id, b.id], a.id, {})
    assert reloaded(session, Customer, b.id) is not None
    assert session.exec(sa.select(Contact.customer_id)).one()[0] == b.id


def test_a_merge_takes_two_to_ten_records_and_names_the_count_it_refuses(session, org):
    ids = [make_customer(session, org.sales_a, f"Khách Gộp {i}").id for i in range(merge.MAX_MERGE + 1)]
    for chosen, key in ((ids[:1], "err.merge_two"), (ids, "err.merge_too_many")):
        with pytest.raises(ValidationFailed) as exc:
            merge.candidates(session, org.manager, chosen)
        assert exc.value.errors["ids"][0] == key
    assert exc.value.errors["ids"][1] == {"max": 10, "value": 11}
    assert len(merge.candidates(session, org.manager, ids[: merge.MAX_MERGE])) == merge.MAX_MERGE


def test_merge_moves_activities_notes_orders_and_list_memberships(session, org):
    from datetime import timedelta

    from crm_app.models import Activity, Note, RecordListMember, SalesDocument
    from crm_app.services.customer import notes
    from crm_app.services.lists import record_lists
    from crm_app.services.pipeline import sales
    from crm_app.services.work import activities
    from tests.unit.factories import default_catalogs

    default_catalogs(session)
    a = make_customer(session, org.sales_a, "Trần Thị Bích", phones=["0903111222"])
    b = make_customer(session, org.sales_b, "Trần Thị Bích", phones=["0903111333"])
    act = activities.create(session, org.sales_b, b.id, {"type_code": "call", "subject": "Gọi hỏi tour"})
    note = notes.create(session, org.sales_b, b.id, {"body": "Thích đi biển"})
    visa = sales.save_product(session, org.admin, {"code": "VISA", "name": "Dịch vụ visa", "unit_price": 1200000})
    bought = local_today() - timedelta(days=3)
    order = sales.create_document(
        session,
        org.sales_b,
        b.id,
        "order",
        {"doc_date": bought.isoformat(), "lines": [{"product_id": visa.id, "quantity": 1}]},
    )
    both = record_lists.create(session, org.manager, "customer", {"name": "Khách hội chợ"})
    only_b = record_lists.create(session, org.manager, "customer", {"name": "Khách tour biển"})
    record_lists.add_members(session, org.manager, both.id, [a.id, b.id])
    record_lists.add_members(session, org.manager, only_b.id, [b.id])

    merge.merge(session, org.manager, [a.id, b.id], a.id, {})
    session.commit()

    assert reloaded(session, Activity, act.id).customer_id == a.id
    assert reloaded(session, Note, note.id).customer_id == a.id
    assert reloaded(session, SalesDocument, order.id).customer_id == a.id
    assert reloaded(session, Customer, a.id).last_purchase_at == bought
    members = session.exec(
        sa.select(RecordListMember.list_id, RecordListMember.record_id).order_by(RecordListMember.list_id)
    ).all()
    assert [tuple(m) for m in members] == [(both.id, a.id), (only_b.id, a.id)]
    # the activity's history is now under the survivor's History tab
    assert (
        session.exec(
            sa.select(sa.func.count())
            .select_from(AuditLog)
            .where(AuditLog.root_entity == "customer", AuditLog.root_id == b.id)
        ).one()[0]
        == 0
    )
    assert (
        session.exec(
            sa.select(sa.func.count())
            .select_from(AuditLog)
            .where(AuditLog.root_entity == "customer", AuditLog.root_id == a.id, AuditLog.entity == "activity")
        ).one()[0]
        >= 1
    )


def test_duplicate_groups_within_one_list(session, org):
    from crm_app.services.lists import record_lists

    a = make_customer(session, org.sales_a, "Phan Văn Tài", phones=["0911222333"])
    b = make_customer(session, org.sales_a, "Phan Tài", phones=["0911222333"])
    c = make_customer(session, org.sales_a, "Lý Thu", phones=["0988777666"])
    d = make_customer(session, org.sales_a, "Lý Thị Thu", phones=["0988777666"])
    fair = record_lists.create(session, org.manager, "customer", {"name": "Hội chợ du lịch"})
    record_lists.add_members(session, org.manager, fair.id, [a.id, b.id, c.id])
    everywhere = merge.duplicate_groups(session, org.manager, "phone")
    assert [[m["id"] for m in g.members] for g in everywhere] == [[a.id, b.id], [c.id, d.id]]
    in_list = merge.duplicate_groups(session, org.manager, "phone", list_id=fair.id)
    assert [[m["id"] for m in g.members] for g in in_list] == [[a.id, b.id]]  # d is not in the list
    theirs = record_lists.create(session, org.other_manager, "customer", {"name": "Của HCM"})
    with pytest.raises(NotAllowed):
        merge.duplicate_groups(session, org.manager, "phone", list_id=theirs.id)


def test_a_merge_proposes_the_other_record_value_where_the_kept_one_is_empty(session, org):
    keep = make_customer(session, org.manager, "Phạm Thu Hà", phones=["0905111222"])
    other = make_customer(
        session, org.manager, "Phạm T. Hà", phones=["0905111222"], email="thuha@gmail.com", province="Huế"
    )
    snaps = merge.candidates(session, org.manager, [keep.id, other.id])
    proposed = merge.fill_empty(snaps, keep.id)
    assert proposed["email"] == other.id and proposed["province"] == other.id and "full_name" not in proposed
    merge.merge(session, org.manager, [keep.id, other.id], keep.id, proposed)
    session.commit()
    kept = reloaded(session, Customer, keep.id)
    assert (kept.email, kept.province) == ("thuha@gmail.com", "46")

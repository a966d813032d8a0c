"""Import runs: verdicts, all or nothing, undo, rights, documents."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from crm_app.i18n import tr
from crm_app.models import AuditLog, Contact, Customer, CustomerPhone, ImportRun
from crm_app.services.customer import customers
from crm_app.services.errors import NotAllowed, ServiceError, ValidationFailed
from crm_app.services.transfer import import_documents, import_targets, importer
from crm_app.services.transfer.import_files import Table
from crm_app.services.transfer.import_mapping import apply_saved, auto_map, save_mapping
from crm_app.services.transfer.importer import ImportOptions
from tests.unit.factories import (
    count,
    default_catalogs,
    history,
    make_contact,
    make_customer,
    make_org,
    reloaded,
    stored_counts,
)

HEADERS = ["Họ và tên", "SĐT", "Email", "Ngày sinh", "Giới tính", "Thẻ", "Loại khách hàng"]


def table(*rows: list) -> Table:
    return Table(
        list(HEADERS), [list(r) + [None] * (len(HEADERS) - len(r)) for r in rows], list(range(2, 2 + len(rows)))
    )


def mapping(t: Table) -> dict[int, str]:
    return auto_map(t.headers, import_targets.TARGETS["customer"])


@pytest.fixture
def org(session):
    return make_org(session)


def verdicts(analysis) -> list[tuple[int, str]]:
    return [(v.row, v.verdict) for v in analysis.verdicts]


def test_verdicts_new_duplicate_in_file_error(session, org):
    stored = make_customer(session, org.sales_a, "Nguyễn Văn An", phones=["0912345678"], email="an@abc.vn")
    t = table(
        ["Nguyen van an", "+84 912 345 678"],  # same name and phone as the stored one
        ["Trần Thị Bình", 987654321, "binh@abc.vn", "17/05/1990", "Nữ", "VIP, Du lịch", "Cá nhân"],
        ["Tran Thi Binh", "0987654321"],  # the row above again
        ["Lê Văn Cường", "0911222333", "not-an-email"],
        ["Phạm Dũng", "0933444555", "", "31/02/1990"],
        ["", "0944555666"],
        ["Đỗ Hà", "0955666777", "", "", "", "", "Hộ gia đình"],
    )
    for mode, first in (("create", "duplicate"), ("skip", "skip")):
        result = importer.analyse(session, org.sales_a, "customer", t, mapping(t), ImportOptions(mode=mode))
        assert verdicts(result) == [
            (2, first),
            (3, "new"),
            (4, "in_file"),
            (5, "error"),
            (6, "error"),
            (7, "error"),
            (8, "error"),
        ]
        by_row = {v.row: v for v in result.verdicts}
        # the stored record named by code and name, and linked (its owner is the importer)
        assert by_row[2].params["code"] == f"{stored.code} Nguyễn Văn An" and by_row[2].match_id == stored.id
        assert by_row[4].params == {"row": 3}
        assert by_row[5].field == "email" and by_row[5].key == "err.invalid_email"
        assert by_row[6].field == "birthday" and by_row[6].message("en").startswith("Birthday: Not a valid date")
        assert by_row[7].field == "full_name" and by_row[7].key == "err.required"
        assert by_row[8].field == "kind"
    new = result.new_rows[0]
    assert new["phones"] == ["0987654321"] and new["gender"] == "female" and str(new["birthday"]) == "1990-05-17"
    assert new["tags"] == ["Du lịch", "VIP"] and new["owner_id"] == org.sales_a.id


def test_update_mode_lists_changed_fields_and_keeps_phones(session, org):
    stored = make_customer(session, org.sales_a, "Nguyễn Văn An", phones=["0912345678"], email="an@abc.vn")
    t = table(
        ["Nguyễn Văn An", "0912345678, 0977000111", "an@abc.vn", "01/02/1980"],
        ["Nguyễn Văn An", "0912345678", "an@abc.vn"],
    )
    result = importer.analyse(session, org.sales_a, "customer", t, mapping(t), ImportOptions(mode="update"))
    assert verdicts(result) == [(2, "update"), (3, "in_file")]
    assert set(result.verdicts[0].changes) == {"phones", "birthday"}
    run = importer.run(session, org.sales_a, "customer", t, mapping(t), ImportOptions(mode="update"), "a.xlsx")
    assert (run.created, run.updated, run.errors) == (0, 1, 1)
    c = reloaded(session, Customer, stored.id)
    assert str(c.birthday) == "1980-02-01"
    phones = (
        session.exec(
            sa.select(CustomerPhone.number).where(CustomerPhone.customer_id == c.id).order_by(CustomerPhone.position)
        )
        .scalars()
        .all()
    )
    assert phones == ["0912345678", "0977000111"]
    hist = session.exec(
        sa.select(AuditLog.field, AuditLog.old_value, AuditLog.new_value).where(
            AuditLog.entity == "customer", AuditLog.entity_id == c.id, AuditLog.action == "update"
        )
    ).all()
    assert ("birthday", None, "1980-02-01") in hist


def test_update_of_a_record_the_user_may_not_change_is_an_error(session, org):
    make_customer(session, org.sales_b, "Nguyễn Văn An", phones=["0912345678"])
    t = table(["Nguyễn Văn An", "0912345678", "x@y.vn"])
    result = importer.analyse(session, org.sales_a, "customer", t, mapping(t), ImportOptions(mode="update"))
    assert result.verdicts[0].verdict == "error" and result.verdicts[0].key == "err.import_not_yours"
    assert result.verdicts[0].match_id == 0  # named, but not linked: she may not open it


def test_duplicate_keys_email_phone_tax_code_and_code(session, org):
    stored = make_customer(
        session,
        org.admin,
        "Công ty ABC",
        kind="business",
        phones=["02438261234"],
        email="info@abc.vn",
        tax_code="0101234567",
    )
    headers = ["Tên", "Điện thoại", "Email", "MST", "Mã KH"]
    t = Table(
        headers,
        [
            ["Khác 1", "", "INFO@abc.vn", "", ""],
            ["Khác 2", "024 3826 1234", "", "", ""],
            ["Khác 3", "", "", "0101234567", ""],
            ["Khác 4", "", "", "", stored.code],
            ["Khác 5", "0999888777", "", "", ""],
        ],
        [2, 3, 4, 5, 6],
    )
    m = auto_map(headers, import_targets.TARGETS["customer"])
    assert m == {0: "full_name", 1: "phones", 2: "email", 3: "tax_code", 4: "code"}
    options = ImportOptions(mode="create", keys=("email", "phone", "tax_code", "code"))
    result = importer.analyse(session, org.admin, "customer", t, m, options)
    assert [v.verdict for v in result.verdicts] == ["duplicate"] * 4 + ["new"]
    off = importer.analyse(session, org.admin, "customer", t, m, ImportOptions(mode="create", duplicate_check=False))
    assert [v.verdict for v in off.verdicts] == ["new"] * 5
    with pytest.raises(ValidationFailed):
        importer.analyse(session, org.admin, "customer", t, m, ImportOptions(keys=("shoe_size",)))


def test_run_commits_good_rows_with_history_and_reports_bad_ones(session, org):
    t = table(
        ["Trần Thị Bình", "0987654321", "binh@abc.vn", "17/05/1990", "Nữ", "VIP", "Cá nhân"],
        ["Lê Văn Cường", "0911222333", "bad email"],
        ["Phạm Dũng", "0933444555"],
    )
    run = importer.run(
        session, org.sales_a, "customer", t, mapping(t), ImportOptions(tags=("Hội chợ 2026",)), "khach.xlsx"
    )
    assert (run.status, run.created, run.errors) == ("done", 2, 1)
    made = (
        session.exec(sa.select(Customer).where(Customer.created_by_id == org.sales_a.id).order_by(Customer.id))
        .scalars()
        .all()
    )
    assert [c.full_name for c in made] == ["Trần Thị Bình", "Phạm Dũng"]
    assert made[0].code == f"KH{made[0].id:06d}" and made[0].name_norm == "tran thi binh"
    assert made[0].phone_norm == "0987654321" and made[0].country == "Việt Nam"
    from crm_app.services.customer import customers
    from crm_app.services.lists import query

    assert customers.tags_of(session, made[0].id) == ["Hội chợ 2026", "VIP"]
    # the records are found by the list search (search keys written by the triggers)
    page = query.fetch_page(
        session, org.sales_a, query.ListSpec(entity="customer", columns=["full_name"], search="tran thi")
    )
    assert [r["full_name"] for r in page.rows] == ["Trần Thị Bình"]
    created_rows = (
        session.exec(sa.select(AuditLog).where(AuditLog.entity == "customer", AuditLog.entity_id == made[0].id))
        .scalars()
        .all()
    )
    assert [(a.action, a.new_value) for a in created_rows] == [("create", f"khach.xlsx (#{run.id})")]
    # the error report holds the bad row as it was, with its reason
    buf = io.BytesIO()
    assert import_documents.write_error_report(buf, t, importer.verdicts_of(run), "vi") == 1
    rows = list(load_workbook(io.BytesIO(buf.getvalue())).active.iter_rows(values_only=True))
    assert rows[0][0] == "Dòng" and rows[0][-1] == "Lý do"
    assert rows[1][:4] == (3, "Lê Văn Cường", "0911222333", "bad email")
    assert rows[1][-1] == "Email: Email không đúng định dạng: “bad email”"


def test_a_row_refused_for_several_cells_names_each_in_the_review_and_the_report(session, org):
    t = table(
        ["Nhiều Lỗi", "12345", "bad-mail", "31/02/1990", "XYZ", "", "Hợp tác xã"],
        ["", "0901000005", "x@y.vn", "hôm qua"],  # no name, and a date it cannot read
    )
    analysis = importer.analyse(session, org.sales_a, "customer", t, mapping(t), ImportOptions())
    many, nameless = analysis.verdicts
    assert many.verdict == nameless.verdict == "error"
    fields = [many.field, *(f for f, _k, _p in many.params["others"])]
    assert sorted(fields) == sorted(["phones", "email", "birthday", "gender", "kind"])
    text = many.message("vi")
    for typed in ("12345", "bad-mail", "31/02/1990", "XYZ", "Hợp tác xã"):
        assert f"“{typed}”" in text, (typed, text)
    assert text.count("; ") == 4
    assert {nameless.field, *(f for f, _k, _p in nameless.params["others"])} == {"birthday", "full_name"}
    run = importer.run(session, org.sales_a, "customer", t, mapping(t), ImportOptions(), "loi.csv")
    assert (run.created, run.errors) == (0, 2)
    buf = io.BytesIO()
    assert import_documents.write_error_report(buf, t, importer.verdicts_of(run), "vi") == 2
    report = list(load_workbook(io.BytesIO(buf.getvalue())).active.iter_rows(values_only=True))
    assert report[1][-1] == text and "“hôm qua”" in report[2][-1] and "Họ và tên" in report[2][-1]


def test_a_long_refused_value_is_quoted_cut_and_said_to_be(session, org):
    t = table(["Dài Quá", "0901000006", "a" * 70 + "@@example.vn"])
    (refused,) = importer.analyse(session, org.sales_a, "customer", t, mapping(t), ImportOptions()).verdicts
    assert refused.field == "email" and refused.params["value"] == "a" * 59 + "…"


def test_keys_written_by_the_import_are_those_the_triggers_write(session, org):
    from crm_app.models import ContactNameKey, CustomerNameKey, NameWord

    def triggers() -> int:
        return (
            session.execute(sa.text("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")).scalar_one()
            if session.get_bind().dialect.name == "sqlite"
            else 0
        )

    before = triggers()
    by_form = make_customer(session, org.admin, "Nguyễn Thị Minh Khai")
    t = table(["Nguyễn  Thị Minh Khai", "0912000999"])
    importer.run(session, org.admin, "customer", t, mapping(t), ImportOptions(duplicate_check=False), "k.csv")
    imported = session.exec(
        sa.select(Customer.id).where(Customer.name_norm == "nguyen thi minh khai", Customer.id != by_form.id)
    ).one()[0]

    def keys(cid):
        return sorted(
            session.exec(
                sa.select(CustomerNameKey.term, CustomerNameKey.is_first, CustomerNameKey.owner_id).where(
                    CustomerNameKey.customer_id == cid
                )
            ).all()
        )

    assert keys(imported) == keys(by_form.id) and len(keys(imported)) == 4
    assert "khai" in session.exec(sa.select(NameWord.word)).scalars().all()
    assert triggers() == before  # the triggers are back
    # and they work again: a form write after the import still writes keys
    later = make_contact(session, org.admin, "Lê Văn Sau")
    assert (
        session.exec(
            sa.select(sa.func.count()).select_from(ContactNameKey).where(ContactNameKey.contact_id == later.id)
        ).one()[0]
        == 3
    )


def test_a_failure_mid_run_changes_nothing(session, org, monkeypatch):
    before = stored_counts(session)
    rows = [[f"Khách {i}", f"09{i:08d}"] for i in range(12_000)]
    t = table(*rows)
    calls = {"n": 0}
    real_insert = import_targets.CustomerTarget.insert

    def failing_insert(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:  # the second part
            raise RuntimeError("disk full")
        return real_insert(self, *args, **kwargs)

    monkeypatch.setattr(import_targets.CustomerTarget, "insert", failing_insert)
    schema = "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
    sqlite = session.get_bind().dialect.name == "sqlite"
    triggers = session.execute(sa.text(schema)).scalar_one() if sqlite else 0
    with pytest.raises(importer.ImportFailed):
        importer.run(session, org.admin, "customer", t, mapping(t), ImportOptions(), "big.xlsx")
    after = stored_counts(session)
    assert after == before
    if sqlite:  # the search-key triggers set aside during the inserts are back
        assert session.execute(sa.text(schema)).scalar_one() == triggers
    failed = session.exec(sa.select(ImportRun)).scalars().all()
    assert [(r.status, r.created) for r in failed] == [("failed", 0)] and "disk full" in failed[0].message


def test_undo_removes_created_and_restores_updated(session, org):
    stored = make_customer(session, org.sales_a, "Nguyễn Văn An", phones=["0912345678"], email="an@abc.vn")
    before = stored_counts(session)
    t = table(["Nguyễn Văn An", "0912345678", "an@abc.vn", "01/02/1980", "Nam"], ["Mới Một", "0900000001"])
    run = importer.run(session, org.sales_a, "customer", t, mapping(t), ImportOptions(mode="update"), "u.csv")
    assert (run.created, run.updated) == (1, 1)
    with pytest.raises(NotAllowed):
        importer.undo(session, org.sales_b, run.id)  # neither the author nor a manager
    importer.undo(session, org.manager, run.id)
    c = reloaded(session, Customer, stored.id)
    assert c.birthday is None and c.gender == ""
    after = stored_counts(session)
    assert after["Customer"] == before["Customer"] and after["CustomerPhone"] == before["CustomerPhone"]
    assert reloaded(session, ImportRun, run.id).status == "undone"
    with pytest.raises(ServiceError):
        importer.undo(session, org.sales_a, run.id)  # only once


def test_undo_refused_when_a_record_changed_since(session, org):
    from crm_app.services.customer import customers

    t = table(["Mới Hai", "0900000002"])
    run = importer.run(session, org.sales_a, "customer", t, mapping(t), ImportOptions(), "v.csv")
    cid = session.exec(sa.select(Customer.id).where(Customer.name_norm == "moi hai")).scalar_one()
    customers.update(session, org.sales_a, cid, {"address": "12 Lê Lợi"})
    with pytest.raises(ServiceError) as exc:
        importer.undo(session, org.sales_a, run.id)
    assert exc.value.key == "err.undo_changed"
    assert count(session, Customer) >= 1 and reloaded(session, Customer, cid) is not None


def test_contacts_import_links_companies_by_name_or_code(session, org):
    company = make_customer(session, org.sales_a, "Công ty Bình Minh", kind="business")
    make_contact(session, org.sales_a, "Lê Thu", phone="0912000111")
    headers = ["Họ tên", "Công ty", "Chức danh", "Di động", "Email"]
    t = Table(
        headers,
        [
            ["Phạm Hoa", "cong ty binh minh", "Kế toán", "0912000222", "hoa@bm.vn"],
            ["Ngô Nam", company.code, "", "", ""],
            ["Vũ Lan", "Công ty Không Có", "", "", ""],
            ["Lê Thu", "", "", "0912000111", ""],
        ],
        [2, 3, 4, 5],
    )
    m = auto_map(headers, import_targets.TARGETS["contact"])
    assert m == {0: "full_name", 1: "customer_id", 2: "title", 3: "mobile", 4: "email"}
    run = importer.run(session, org.sales_a, "contact", t, m, ImportOptions(mode="create"), "lh.csv")
    assert (run.created, run.errors) == (3, 1)
    rows = session.exec(
        sa.select(Contact.full_name, Contact.customer_id, Contact.mobile_norm, Contact.description)
        .where(Contact.full_name.in_(["Phạm Hoa", "Ngô Nam", "Vũ Lan"]))
        .order_by(Contact.id)
    ).all()
    assert rows == [
        ("Phạm Hoa", company.id, "0912000222", ""),
        ("Ngô Nam", company.id, "", ""),
        ("Vũ Lan", None, "", "Công ty: Công ty Không Có"),  # no such customer: its name kept, not lost
    ]
    v = {x.row: x for x in importer.verdicts_of(run)}
    assert (v[4].verdict, v[4].key) == ("warning", "verdict.company_kept") and v[5].verdict == "duplicate"


def test_saved_mapping_and_template(session, org):
    headers = ["Tên khách", "Số máy", "Hộp thư"]
    saved = save_mapping(
        session, org.sales_a, "customer", "File hội chợ", headers, {0: "full_name", 1: "phones", 2: "email"}
    )
    assert apply_saved(session, org.sales_a, saved.id, ["Hộp thư", "Tên khách"]) == {0: "email", 1: "full_name"}
    with pytest.raises(ValidationFailed):
        apply_saved(session, org.sales_b, saved.id, headers)
    buf = io.BytesIO()
    import_documents.write_template(buf, session, "customer", "vi")
    book = load_workbook(io.BytesIO(buf.getvalue()))
    header = [c.value for c in next(book.worksheets[0].iter_rows(max_row=1))]
    assert header[0] == "Họ và tên *" and "Số điện thoại" in header
    first = next(book.worksheets[0].iter_rows(max_row=1))[0]
    assert first.fill.fgColor.rgb == "FFFFE082"  # the required column is highlighted
    help_rows = {r[0]: r for r in book.worksheets[1].iter_rows(min_row=2, values_only=True)}
    assert "Cá nhân" in help_rows["Loại hình"][2] and help_rows["Họ và tên"][1] == "Có"
    # the template's own headers map back onto the fields
    assert auto_map([h.rstrip(" *") for h in header], import_targets.TARGETS["customer"])[0] == "full_name"


def test_vcard_file_imports_contacts_and_csv_imports_customers(session, org):
    from crm_app.services.transfer.import_files import read_table
    from tests.unit.test_import_files import VCF

    make_customer(session, org.sales_a, "Công ty TNHH Bình Minh", kind="business")
    make_customer(session, org.sales_a, "Công ty Sao Khuê", kind="business")
    cards = read_table(VCF.encode("utf-8"), "danh-ba.vcf")
    m = auto_map(cards.headers, import_targets.TARGETS["contact"])
    named = {cards.headers[i]: name for i, name in m.items()}
    assert {h: named.get(h) for h in ("Họ và tên", "Di động", "Điện thoại", "Email", "Công ty", "Chức vụ")} == {
        "Họ và tên": "full_name",
        "Di động": "mobile",
        "Điện thoại": "phone",
        "Email": "email",
        "Công ty": "customer_id",
        "Chức vụ": "title",
    }
    # what a contact has no field for is kept in its note under the column's name
    assert {h for h, name in named.items() if name == "description"} == {
        "Điện thoại khác",
        "Email khác",
        "Địa chỉ",
        "Quốc gia",
        "Ngày sinh",
        "Giới tính",
        "Website",
        "Ghi chú",
    }
    assert named["Tỉnh/Thành phố"] == "province"  # a contact's province of the 2025 catalog
    run = importer.run(session, org.sales_a, "contact", cards, m, ImportOptions(), "danh-ba.vcf")
    assert (run.created, run.errors) == (3, 0)
    rows = session.exec(
        sa.select(
            Contact.full_name,
            Contact.phone_norm,
            Contact.mobile_norm,
            Contact.customer_id,
            Contact.title,
            Contact.email,
        )
        .where(Contact.created_by_id == org.sales_a.id)
        .order_by(Contact.id)
    ).all()
    assert [r[:3] for r in rows] == [
        ("Nguyễn Văn An, Công ty ABC", "02438261234", "0912345678"),
        ("Trần Thị Bình", "", "0987654321"),
        ("Lê Văn Cường", "02363888999", "0903334444"),
    ]
    assert rows[1][3] is not None and rows[0][3] is None  # linked to the stored company by its name
    assert rows[2][4:] == ("Trưởng phòng", "cuong@congty.vn")
    note = session.exec(sa.select(Contact.description).where(Contact.name_norm == "le van cuong")).scalar_one()
    assert note == (
        "Điện thoại khác: +84-90-111-2222, 0236 3777 111\nEmail khác: cuong@le.vn, cuong.le@gmail.com\n"
        "Ngày sinh: 1988-02-03\nGiới tính: Nam"
    )
    customers_map = auto_map(cards.headers, import_targets.TARGETS["customer"])
    assert [customers_map[i] for i in (1, 2, 3, 4, 5, 6)] == [
        "phones",
        "phones",
        "phones",
        "phones",
        "email",
        "description",
    ]
    csv_text = "Họ và tên;Điện thoại;Ngày sinh;Từ chối nhận email\nVõ Thị Sáu;0912 111 222;05/11/1990;Có\n"
    t = read_table(csv_text.encode("utf-8-sig"), "khach.csv")
    run = importer.run(
        session,
        org.sales_a,
        "customer",
        t,
        auto_map(t.headers, import_targets.TARGETS["customer"]),
        ImportOptions(),
        "khach.csv",
    )
    c = session.exec(sa.select(Customer).where(Customer.name_norm == "vo thi sau")).scalars().one()
    assert run.created == 1 and str(c.birthday) == "1990-11-05" and c.email_opt_out and c.phone_norm == "0912111222"


def test_imported_records_join_the_chosen_list_and_leave_it_on_undo(session, org):
    from crm_app.models import RecordListMember
    from crm_app.services.lists import record_lists

    stored = make_customer(session, org.sales_a, "Nguyễn Văn An", phones=["0912345678"], email="an@abc.vn")
    fair = record_lists.create(session, org.sales_a, "customer", {"name": "Khách hội chợ"})
    t = table(["Nguyễn Văn An", "0912345678", "an@abc.vn", "01/02/1980"], ["Mới Ba", "0900000003"])

    def members():
        return set(
            session.exec(sa.select(RecordListMember.record_id).where(RecordListMember.list_id == fair.id)).scalars()
        )

    contacts_list = record_lists.create(session, org.sales_a, "contact", {"name": "Liên hệ"})
    theirs = record_lists.create(session, org.sales_b, "customer", {"name": "Của Bình"})
    for wrong in (contacts_list.id, theirs.id):  # another entity's list, a list one does not see
        with pytest.raises((ValidationFailed, NotAllowed)):
            importer.run(
                session, org.sales_a, "customer", t, mapping(t), ImportOptions(mode="update", list_id=wrong), "l.csv"
            )
    assert members() == set() and count(session, Customer) == 1  # nothing written
    run = importer.run(
        session, org.sales_a, "customer", t, mapping(t), ImportOptions(mode="update", list_id=fair.id), "l.csv"
    )
    created = session.exec(sa.select(Customer.id).where(Customer.name_norm == "moi ba")).scalar_one()
    assert (run.created, run.updated) == (1, 1) and members() == {stored.id, created}
    importer.undo(session, org.sales_a, run.id)
    assert members() == {stored.id}  # the created record and its membership are gone


def test_tags_spelled_in_two_cases_are_one_tag_and_the_run_writes(session, org):
    t = table(
        ["Khách Một", "0901000001", "", "", "", "đại lý VIP"],
        ["Khách Hai", "0901000002", "", "", "", "Đại Lý vip, đại lý vip"],
    )
    run = importer.run(session, org.sales_a, "customer", t, mapping(t), ImportOptions(), "hai-kieu.csv")
    assert (run.status, run.created, run.errors) == ("done", 2, 0)
    one, two = (
        session.exec(
            sa.select(Customer).where(Customer.full_name.in_(["Khách Một", "Khách Hai"])).order_by(Customer.id)
        )
        .scalars()
        .all()
    )
    assert customers.tags_of(session, one.id) == customers.tags_of(session, two.id) == ["đại lý VIP"]


def test_a_tag_too_long_is_an_error_of_its_row_not_cut(session, org):
    long_tag = "t" * 61
    t = table(
        ["Khách Dài", "0901000003", "", "", "", f"VIP, {long_tag}"], ["Khách Ngắn", "0901000004", "", "", "", "t" * 60]
    )
    analysis = importer.analyse(session, org.sales_a, "customer", t, mapping(t), ImportOptions())
    bad, good = analysis.verdicts
    assert (bad.verdict, bad.field, bad.key) == ("error", "tags", "err.tag_too_long")
    assert bad.params["value"].startswith("t" * 40) and bad.params["max"] == 60
    assert "tttt" in bad.message("vi") and "60" in bad.message("vi")
    assert good.verdict == "new"
    with pytest.raises(ValidationFailed):  # the customer form refuses it too
        customers.clean(session, {"full_name": "Khách Form", "tags": long_tag})


def test_a_phone_or_email_of_another_name_is_a_warning_naming_the_record_or_the_row(session, org):
    stored = make_customer(session, org.sales_a, "Công ty Hoa Sen", phones=["0283 822 1111"], kind="business")
    t = table(
        ["Nguyễn Văn Tổng Đài", "028 3822 1111"],  # the company's switchboard
        ["Trần Thị Mẹ", "0905 000 111", "giadinh@gmail.com"],
        ["Trần Văn Con", "0905 000 222", "GiaDinh@gmail.com"],  # the family's e-mail, an earlier row's
        ["Lê Riêng", "0905 000 333"],
    )
    analysis = importer.analyse(session, org.sales_a, "customer", t, mapping(t), ImportOptions(mode="create"))
    assert verdicts(analysis) == [(2, "warning"), (3, "new"), (4, "warning"), (5, "new")]
    assert (
        analysis.verdicts[0].message("vi")
        == f"Vẫn thêm mới, nhưng số điện thoại 02838221111 đã có ở {stored.code} Công ty Hoa Sen"
    )
    assert (
        analysis.verdicts[2].message("en") == "Added, but the e-mail giadinh@gmail.com is also on row 3 (Trần Thị Mẹ)"
    )
    assert analysis.counts()["warning"] == 2
    run = importer.run(session, org.sales_a, "customer", t, mapping(t), ImportOptions(mode="create"), "canh-bao.csv")
    assert (run.created, run.errors) == (4, 0)  # warnings are written


def test_a_row_without_a_name_is_shown_by_its_other_values(session, org):
    t = table(["", "0905 123 456", "khong.ten@abc.vn"])
    analysis = importer.analyse(session, org.sales_a, "customer", t, mapping(t), ImportOptions())
    v = analysis.verdicts[0]
    assert (v.verdict, v.field, v.label) == ("error", "full_name", "0905 123 456 · khong.ten@abc.vn")


def test_a_persons_company_column_assigns_them_to_the_organisation(session, org):
    company = make_customer(session, org.sales_a, "Công ty Hoa Sen", kind="business")
    person = make_customer(session, org.sales_a, "Công ty Trùng Tên Người")  # a person: not an organisation
    hidden = make_customer(session, org.sales_b, "Công ty Của B", kind="business")
    make_customer(session, org.sales_a, "Người Đã Có", phones=["0905000009"])
    headers = ["Họ và tên", "SĐT", "Công ty", "Loại khách hàng"]
    t = Table(
        headers,
        [
            ["Nguyễn Văn Nhân Viên", "0905000001", "cong ty hoa sen", ""],
            ["Trần Thị Kế Toán", "0905000002", company.code, ""],
            ["Lê Văn Lạ", "0905000003", "Công ty Chưa Có", ""],
            ["Phạm Văn Khuất", "0905000004", hidden.code, ""],
            ["Công ty Con", "0905000005", "Công ty Hoa Sen", "Doanh nghiệp"],  # an organisation under one
            ["Đỗ Văn Người", "0905000006", person.full_name, ""],
            ["Vũ Thị Lạ", "0905000007", "CÔNG TY  chưa có", ""],  # the same new organisation
            ["Người Đã Có", "0905000009", "Công ty Không Tạo", ""],  # a duplicate: written nowhere
            ["Công ty Mẹ Lạ", "0905000008", "Tập đoàn Lạ", "Doanh nghiệp"],  # an organisation: kept in its note
        ],
        [2, 3, 4, 5, 6, 7, 8, 9, 10],
    )
    m = auto_map(headers, import_targets.TARGETS["customer"])
    assert m[2] == "assigned_to_id"
    analysis = importer.analyse(session, org.sales_a, "customer", t, m, ImportOptions(mode="create"))
    got = [(v.verdict, v.field, v.key) for v in analysis.verdicts]
    assert got == [
        ("new", "", ""),
        ("new", "", ""),
        ("new", "", "verdict.company_created"),  # a person's unknown company: the organisation is made
        ("warning", "", "verdict.company_kept"),  # a code found nowhere (another's): kept in the description
        ("error", "assigned_to_id", "err.assigned_same_kind"),
        ("error", "assigned_to_id", "err.assigned_same_kind"),
        ("new", "", "verdict.company_of_row"),  # the same organisation: made once, by row 4
        ("duplicate", "", "verdict.duplicate_of"),
        ("warning", "", "verdict.company_kept"),
    ]
    assert analysis.verdicts[2].message("vi") == "Tạo mới khách hàng tổ chức “Công ty Chưa Có” và gán người này vào đó"
    assert analysis.verdicts[6].message("vi") == "Gán vào khách hàng tổ chức “Công ty Chưa Có” được tạo mới ở dòng 4"
    assert analysis.verdicts[3].message("vi") == (
        f"Vẫn nhập, nhưng chưa có khách hàng “{hidden.code}”: tên công ty được ghi vào mô tả"
    )
    assert analysis.organisations == ["cong ty chua co"]  # one, though spelled twice; none for the duplicate
    progress: list[tuple[int, int]] = []
    run = importer.run(
        session,
        org.sales_a,
        "customer",
        t,
        m,
        ImportOptions(mode="create"),
        "nhan-vien.xlsx",
        lambda done, total: progress.append((done, total)),
    )
    assert run.created == 7  # six rows and the organisation made for two of them
    assert progress[0] == (0, 6) and progress[-1] == (6, 6)  # the file's rows, as the review counted them

    def assigned(name_norm: str):
        return session.exec(sa.select(Customer.assigned_to_id).where(Customer.name_norm == name_norm)).scalar_one()

    assert assigned("nguyen van nhan vien") == company.id
    made = session.exec(sa.select(Customer).where(Customer.name_norm == "cong ty chua co")).scalars().one()
    assert (made.kind, made.owner_id, made.full_name) == ("business", org.sales_a.id, "Công ty Chưa Có")
    assert assigned("le van la") == made.id == assigned("vu thi la")
    assert session.exec(sa.select(Customer).where(Customer.name_norm == "cong ty khong tao")).first() is None
    importer.undo(session, org.sales_a, run.id)  # the organisation goes with the rows
    assert session.exec(sa.select(Customer).where(Customer.name_norm == "cong ty chua co")).first() is None


def test_an_update_assigns_a_matched_person_to_a_new_organisation(session, org):
    stored = make_customer(session, org.sales_a, "Ngô Văn Cũ", phones=["0905000011"])
    headers = ["Họ và tên", "SĐT", "Công ty"]
    t = Table(headers, [["Ngô Văn Cũ", "0905000011", "Công ty Mới Toanh"]], [2])
    m = auto_map(headers, import_targets.TARGETS["customer"])
    analysis = importer.analyse(session, org.sales_a, "customer", t, m, ImportOptions(mode="update"))
    assert [(v.verdict, v.changes) for v in analysis.verdicts] == [("update", ["assigned_to_id"])]
    importer.run(session, org.sales_a, "customer", t, m, ImportOptions(mode="update"), "cap-nhat.xlsx")
    made = session.exec(sa.select(Customer).where(Customer.name_norm == "cong ty moi toanh")).scalars().one()
    assert reloaded(session, Customer, stored.id).assigned_to_id == made.id


def test_an_undone_import_never_gives_its_ids_and_codes_again(session, org):
    t = table(["Khách Tạm Một", "0901000011"], ["Khách Tạm Hai", "0901000012"])
    run = importer.run(session, org.sales_a, "customer", t, mapping(t), ImportOptions(), "tam.csv")
    removed = [c.code for c in session.exec(sa.select(Customer).where(Customer.name_norm.like("khach tam%"))).scalars()]
    importer.undo(session, org.sales_a, run.id)
    after_undo = make_customer(session, org.sales_a, "Khách Sau Hoàn Tác")
    t2 = table(["Khách Nhập Lại", "0901000013"])
    importer.run(session, org.sales_a, "customer", t2, mapping(t2), ImportOptions(), "lai.csv")
    again = session.exec(sa.select(Customer).where(Customer.name_norm == "khach nhap lai")).scalars().one()
    assert after_undo.code not in removed and again.code not in removed
    # and neither brings the removed records' history with it
    assert {r.action for r in history(session, "customer", after_undo.id)} == {"create"}


def test_a_vcard_file_as_customers_keeps_every_phone_once_the_preferred_first(session, org):
    from crm_app.services.transfer.import_files import read_table
    from tests.unit.test_import_files import VCF

    cards = read_table(VCF.encode("utf-8"), "danh-ba.vcf")
    m = auto_map(cards.headers, import_targets.TARGETS["customer"])
    run = importer.run(session, org.sales_a, "customer", cards, m, ImportOptions(mode="create"), "danh-ba.vcf")
    assert (run.created, run.errors) == (5, 0)  # three cards and the two organisations their ORG names
    cuong = session.exec(sa.select(Customer).where(Customer.name_norm == "le van cuong")).scalars().one()
    assert reloaded(session, Customer, cuong.assigned_to_id).full_name == "Công ty Sao Khuê"
    assert customers.phones_of(session, cuong.id) == [
        "+84-90-333-4444",
        "+84-90-111-2222",
        "0236 3888 999",
        "0236 3777 111",
    ]
    assert cuong.email == "cuong@congty.vn" and cuong.gender == "male"
    assert cuong.description == "Email khác: cuong@le.vn, cuong.le@gmail.com\nChức vụ: Trưởng phòng"


def test_a_tag_in_another_case_is_no_change_on_update(session, org):
    stored = make_customer(session, org.sales_a, "Hồ Thị Thu", phones=["0905 111 222"], tags=["đại lý VIP"])
    t = table(["Hồ Thị Thu", "0905 111 222", "", "", "", "Đại Lý vip"])
    analysis = importer.analyse(session, org.sales_a, "customer", t, mapping(t), ImportOptions(mode="update"))
    assert verdicts(analysis) == [(2, "unchanged")]
    assert analysis.verdicts[0].message("vi") == f"Giống hệt {stored.code} Hồ Thị Thu"  # the record it matched
    assert customers.tags_of(session, stored.id) == ["đại lý VIP"]


def test_a_salesperson_finds_the_customers_she_imported_by_phone(session, org):
    from crm_app.services.lists import query

    t = table(["Khách Nhập Của Lan", "0918 765 432"])
    importer.run(session, org.sales_a, "customer", t, mapping(t), ImportOptions(), "cua-lan.csv")
    spec = query.ListSpec(entity="customer", columns=["full_name"], search="0918 765")
    assert [r["full_name"] for r in query.fetch_page(session, org.sales_a, spec).rows] == ["Khách Nhập Của Lan"]
    spec = query.ListSpec(entity="customer", columns=["full_name"], search="765 432")  # its last digits
    assert [r["full_name"] for r in query.fetch_page(session, org.sales_a, spec).rows] == ["Khách Nhập Của Lan"]


def test_undo_is_refused_naming_the_work_done_since_on_an_imported_customer(session, org):
    from crm_app.services.customer import notes
    from crm_app.services.work import activities

    default_catalogs(session)  # the activity types
    t = table(["Khách Vừa Nhập", "0918 000 222"])
    run = importer.run(session, org.sales_a, "customer", t, mapping(t), ImportOptions(), "moi.csv")
    made = session.exec(sa.select(Customer).where(Customer.name_norm == "khach vua nhap")).scalars().one()
    notes.create(session, org.sales_a, made.id, {"body": "Đã gọi, hẹn tuần sau"})
    activities.create(session, org.sales_a, made.id, {"type_code": "call", "subject": "Gọi lần đầu"})
    session.commit()
    with pytest.raises(ServiceError) as exc:
        importer.undo(session, org.sales_a, run.id)
    said = tr(exc.value.key, "vi", **exc.value.params)
    assert said.startswith("Không thể hoàn tác: 2 bản ghi khác đã gắn với dữ liệu đã nhập (1 ghi chú, 1 hoạt động: ")
    assert "“Gọi lần đầu”" in said and "“Đã gọi, hẹn tuần sau”" in said  # each named, to be found
    session.rollback()
    assert reloaded(session, Customer, made.id) is not None  # nothing removed


def test_the_review_says_an_old_number_is_written_in_todays_form(session, org):
    t = table(["Kha Minh Tâm", "0168 555 6666"], ["Bạch Văn Mới", "0912 000 333"])
    analysis = importer.analyse(session, org.sales_a, "customer", t, mapping(t), ImportOptions())
    assert [v.verdict for v in analysis.verdicts] == ["new", "new"]
    assert analysis.verdicts[0].message("vi") == "Số cũ đã đổi: 0168 555 6666 → 038 555 6666 (lưu theo số mới)"
    assert analysis.verdicts[1].message("vi") == ""


def test_a_refused_value_is_quoted_as_the_file_holds_it(session, org):
    """ "1.500" in a rating column is read as 1500 (a Vietnamese thousands dot), then refused:
    the review quotes "1.500", what the user typed, not the number read from it."""
    headers = ["Họ và tên", "SĐT", "Đánh giá"]
    t = Table(headers, [["Đỗ Văn Hạng", "0905123456", "1.500"], ["Lê Thị Hạng", "0905123457", "4"]], [2, 3])
    m = auto_map(headers, import_targets.TARGETS["customer"])
    assert m[2] == "rating"
    before = stored_counts(session)
    analysis = importer.analyse(session, org.sales_a, "customer", t, m, ImportOptions(mode="create"))
    bad, good = analysis.verdicts
    assert (bad.verdict, bad.field, good.verdict) == ("error", "rating", "new")
    assert bad.message("vi").endswith("“1.500”") and "1500" not in bad.message("vi")
    assert stored_counts(session) == before

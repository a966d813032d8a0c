"""Import columns that fill custom fields: mapping by label, reading, writing, update, undo, rights."""

from __future__ import annotations

import io
from datetime import date

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from crm_app.models import Customer, CustomFieldValue, ImportRun
from crm_app.services.errors import NotAllowed, ValidationFailed
from crm_app.services.records import custom_fields
from crm_app.services.records.history import describe, of_customer
from crm_app.services.transfer import import_documents, importer
from crm_app.services.transfer.import_custom import add_field, with_custom
from crm_app.services.transfer.import_files import Table
from crm_app.services.transfer.import_mapping import apply_saved, auto_map, check_mapping, save_mapping
from crm_app.services.transfer.import_targets import TARGETS
from crm_app.services.transfer.importer import ImportOptions
from tests.unit.factories import changes, make_contact, make_customer, reloaded, stored_counts

RANK, SINCE, NOTE, SPEND, VIP, CHANNELS = (
    "cf_hang_thanh_vien",
    "cf_ngay_ky_hop_dong",
    "cf_ghi_chu_rieng",
    "cf_chi_tieu_nam",
    "cf_khach_vip",
    "cf_kenh_lien_he",
)


@pytest.fixture
def fields(session, org):
    """One custom field of each type on customers."""
    for label, kind, options in (
        ("Hạng thành viên", "choice", ["Vàng", "Bạc", "Đồng"]),
        ("Ngày ký hợp đồng", "date", []),
        ("Ghi chú riêng", "text", []),
        ("Chi tiêu năm", "number", []),
        ("Khách VIP", "bool", []),
        ("Kênh liên hệ", "multichoice", ["Zalo", "Điện thoại", "Email"]),
    ):
        custom_fields.create(session, org.admin, "customer", {"label": label, "type": kind, "options": options})
    return {d.name: d for d in custom_fields.defs_of(session, "customer")}


def table(headers: list[str], *rows: list) -> Table:
    return Table(
        list(headers), [list(r) + [None] * (len(headers) - len(r)) for r in rows], list(range(2, 2 + len(rows)))
    )


def target(session):
    return with_custom(session, TARGETS["customer"])


def customer_id(session, name_norm: str) -> int:
    return session.exec(sa.select(Customer.id).where(Customer.name_norm == name_norm)).scalar_one()


def value_count(session) -> int:
    session.rollback()
    return int(session.exec(sa.select(sa.func.count()).select_from(CustomFieldValue)).scalar_one())


def test_headers_map_to_custom_labels_without_case_or_diacritics_built_ins_first(session, org, fields):
    custom_fields.create(session, org.admin, "customer", {"label": "Nguồn", "type": "text"})  # a built-in's name
    headers = ["Họ và tên", "hang thanh vien", "NGÀY KÝ HỢP ĐỒNG", "Nguồn", "Kênh liên hệ ưa thích"]
    assert auto_map(headers, target(session)) == {0: "full_name", 1: RANK, 2: SINCE, 3: "source_id", 4: CHANNELS}
    assert auto_map(headers, TARGETS["customer"]) == {0: "full_name", 3: "source_id"}  # the bare target
    options = [f for f in target(session).fields if f.custom_id]
    assert [(f.name, f.label, f.kind) for f in options][:2] == [
        (RANK, "Hạng thành viên", "option"),
        (SINCE, "Ngày ký hợp đồng", "date"),
    ]
    check_mapping({0: "full_name", 1: RANK}, target(session), headers[:2])
    with pytest.raises(ValidationFailed) as twice:
        check_mapping({0: "full_name", 1: RANK, 2: RANK}, target(session), headers[:3])  # one column per field
    # the refusal names the field and both columns
    assert twice.value.errors["mapping"] == (
        "err.mapping_twice",
        {"field": RANK, "first": "hang thanh vien", "second": "NGÀY KÝ HỢP ĐỒNG"},
    )
    # the template offers the custom columns too, with their options
    buf = io.BytesIO()
    import_documents.write_template(buf, session, "customer", "vi")
    book = load_workbook(io.BytesIO(buf.getvalue()))
    assert "Hạng thành viên" in [c.value for c in next(book.worksheets[0].iter_rows(max_row=1))]
    help_rows = {r[0]: r for r in book.worksheets[1].iter_rows(min_row=2, values_only=True)}
    assert help_rows["Hạng thành viên"][2] == "Một trong: Vàng / Bạc / Đồng"


def test_every_custom_type_is_read_as_people_type_it_and_written_in_bulk(session, org, fields, engine):
    headers = [
        "Họ tên",
        "SĐT",
        "Hạng thành viên",
        "Ngày ký hợp đồng",
        "Ghi chú riêng",
        "Chi tiêu năm",
        "Khách VIP",
        "Kênh liên hệ",
    ]
    t = table(
        headers,
        ["Trần Văn Một", "0901000001", "vàng", "17/05/2024", "Khách  quen", "1.234.567,5", "Có", "zalo; DIEN THOAI"],
        ["Trần Văn Hai", "0901000002", "ĐỒNG", 45429, "", 2500, "Không", "email, Zalo"],
        ["Trần Văn Ba", "0901000003"],
    )
    inserts = []

    def count_inserts(_conn, _cursor, statement, _params, _context, executemany):
        if statement.startswith("INSERT INTO customfieldvalue"):
            inserts.append(executemany)

    sa.event.listen(engine, "before_cursor_execute", count_inserts)
    try:
        run = importer.run(
            session,
            org.sales_a,
            "customer",
            t,
            auto_map(headers, target(session)),
            ImportOptions(mode="create"),
            "hang.xlsx",
        )
    finally:
        sa.event.remove(engine, "before_cursor_execute", count_inserts)
    assert (run.created, run.errors) == (3, 0)
    assert inserts == [True]  # one executemany for every value of the batch
    one = custom_fields.snapshot(session, "customer", customer_id(session, "tran van mot"))
    assert one == {
        RANK: "Vàng",
        SINCE: date(2024, 5, 17),
        NOTE: "Khách quen",
        SPEND: 1234567.5,
        VIP: True,
        CHANNELS: ["Zalo", "Điện thoại"],
    }
    two = custom_fields.snapshot(session, "customer", customer_id(session, "tran van hai"))
    assert two == {
        RANK: "Đồng",
        SINCE: date(2024, 5, 17),
        NOTE: None,
        SPEND: 2500.0,
        VIP: False,
        CHANNELS: ["Zalo", "Email"],
    }
    three = custom_fields.snapshot(session, "customer", customer_id(session, "tran van ba"))
    assert three == {RANK: None, SINCE: None, NOTE: None, SPEND: None, VIP: False, CHANNELS: []}
    assert value_count(session) == 7 + 5  # a multi-choice value is a row per option


def test_bad_custom_cells_are_row_errors_at_the_field_and_change_nothing(session, org, fields):
    headers = ["Họ tên", "SĐT", "Hạng thành viên", "Ngày ký hợp đồng", "Chi tiêu năm", "Khách VIP", "Kênh liên hệ"]
    t = table(
        headers,
        ["Lỗi Một", "0902000001", "Kim cương"],
        ["Lỗi Hai", "0902000002", "", "31/02/2024"],
        ["Lỗi Ba", "0902000003", "", "", "một triệu"],
        ["Lỗi Bốn", "0902000004", "", "", "", "có lẽ"],
        ["Lỗi Năm", "0902000005", "", "", "", "", "Zalo, Fax"],
        ["Lỗi Sáu", "0902000006", "", "", "1.000.000.000.000.000"],
    )
    before = stored_counts(session)
    m = auto_map(headers, target(session))
    result = importer.analyse(session, org.sales_a, "customer", t, m, ImportOptions(mode="create"))
    got = [(v.verdict, v.field, v.key) for v in result.verdicts]
    assert got == [
        ("error", RANK, "err.import_option_not_allowed"),
        ("error", SINCE, "err.invalid_date"),
        ("error", SPEND, "err.import_invalid_number"),
        ("error", VIP, "err.invalid_yes_no"),
        ("error", CHANNELS, "err.import_option_not_allowed"),
        ("error", SPEND, "err.invalid_number"),
    ]
    assert result.verdicts[0].message("vi") == (
        "Hạng thành viên: Giá trị không được phép: “Kim cương” không có trong các lựa chọn"
    )
    assert result.verdicts[4].message("en").startswith("Kênh liên hệ: Value not allowed: “Zalo, Fax”")
    assert result.verdicts[5].message("en").startswith("Chi tiêu năm: ")  # the cleaner's error, labelled too
    run = importer.run(session, org.sales_a, "customer", t, m, ImportOptions(mode="create"), "loi.xlsx")
    assert (run.created, run.errors) == (0, 6)
    assert stored_counts(session)["Customer"] == before["Customer"] and value_count(session) == 0
    # the error report names the custom field
    buf = io.BytesIO()
    import_documents.write_error_report(buf, t, importer.verdicts_of(run), "vi")
    reasons = [
        r[-1] for r in load_workbook(io.BytesIO(buf.getvalue())).worksheets[0].iter_rows(min_row=2, values_only=True)
    ]
    assert reasons[0].startswith("Hạng thành viên: ")


def test_a_required_custom_column_must_have_a_value(session, org, fields):
    headers = ["Họ tên", "SĐT", "Hạng thành viên"]
    t = table(headers, ["Có Hạng", "0903000001", "Bạc"], ["Không Hạng", "0903000002", ""])
    m = auto_map(headers, target(session))
    result = importer.analyse(session, org.sales_a, "customer", t, m, ImportOptions(mode="create", required=(RANK,)))
    assert [(v.verdict, v.field, v.key) for v in result.verdicts] == [("new", "", ""), ("error", RANK, "err.required")]
    assert result.verdicts[1].message("en") == "Hạng thành viên: This field is required"


def test_update_mode_changes_only_the_given_custom_values_with_history(session, org, fields, engine):
    stored = make_customer(
        session,
        org.sales_a,
        "Lê Thị Cũ",
        phones=["0904000001"],
        **{RANK: "Bạc", NOTE: "giữ nguyên", SPEND: "5", CHANNELS: ["Email"]},
    )
    others = [make_customer(session, org.sales_a, f"Lê Khác {i}", phones=[f"090400001{i}"]) for i in range(3)]
    headers = ["Họ tên", "SĐT", "Hạng thành viên", "Ghi chú riêng", "Ngày ký hợp đồng"]
    t = table(
        headers,
        ["Lê Thị Cũ", "0904000001", "vang", "", "01/03/2025"],
        *[[c.full_name, f"090400001{i}", "", "", ""] for i, c in enumerate(others)],
    )
    m = auto_map(headers, target(session))
    reads = []

    def count_reads(_conn, _cursor, statement, *_args):
        if statement.startswith("SELECT") and "FROM customfieldvalue" in statement:
            reads.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count_reads)
    try:
        result = importer.analyse(session, org.sales_a, "customer", t, m, ImportOptions(mode="update"))
    finally:
        sa.event.remove(engine, "before_cursor_execute", count_reads)
    assert len(reads) == 1  # the snapshots of the 4 matched records in one query
    assert [v.verdict for v in result.verdicts] == ["update", "unchanged", "unchanged", "unchanged"]
    assert set(result.verdicts[0].changes) == {RANK, SINCE}
    assert result.verdicts[0].field_label(RANK, "vi") == "Hạng thành viên"
    run = importer.run(session, org.sales_a, "customer", t, m, ImportOptions(mode="update"), "capnhat.xlsx")
    assert (run.created, run.updated, run.skipped) == (0, 1, 3)
    now = custom_fields.snapshot(session, "customer", stored.id)
    assert now == {
        RANK: "Vàng",
        SINCE: date(2025, 3, 1),
        NOTE: "giữ nguyên",
        SPEND: 5.0,
        VIP: False,
        CHANNELS: ["Email"],
    }
    history = changes(session, "customer", stored.id, "update")
    assert history[RANK] == ("Bạc", "Vàng") and history[SINCE] == (None, "2025-03-01")
    assert NOTE not in history and SPEND not in history
    # the history tab names the field by its label
    newest = next(
        r
        for r in describe(session, of_customer(session, org.sales_a, stored.id), "vi")
        if r["field"] == "Hạng thành viên"
    )
    assert (newest["old"], newest["new"]) == ("Bạc", "Vàng")


def test_undo_removes_created_values_and_restores_updated_ones(session, org, fields):
    stored = make_customer(
        session,
        org.sales_a,
        "Phan Văn Giữ",
        phones=["0905000001"],
        **{RANK: "Đồng", SINCE: "2020-01-02", CHANNELS: ["Email", "Zalo"], SPEND: "12,5"},
    )
    kept = custom_fields.snapshot(session, "customer", stored.id)
    values_before = value_count(session)
    headers = ["Họ tên", "SĐT", "Hạng thành viên", "Ngày ký hợp đồng", "Kênh liên hệ", "Chi tiêu năm"]
    t = table(
        headers,
        ["Phan Văn Giữ", "0905000001", "Vàng", "15/06/2025", "Điện thoại", "99"],
        ["Phan Văn Mới", "0905000002", "Bạc", "16/06/2025", "Zalo", "7"],
    )
    run = importer.run(
        session,
        org.sales_a,
        "customer",
        t,
        auto_map(headers, target(session)),
        ImportOptions(mode="update"),
        "hoan.xlsx",
    )
    assert (run.created, run.updated) == (1, 1)
    assert custom_fields.snapshot(session, "customer", stored.id)[CHANNELS] == ["Điện thoại"]
    importer.undo(session, org.sales_a, run.id)
    assert reloaded(session, ImportRun, run.id).status == "undone"
    assert custom_fields.snapshot(session, "customer", stored.id) == kept
    assert kept[SINCE] == date(2020, 1, 2) and kept[CHANNELS] == ["Zalo", "Email"] and kept[SPEND] == 12.5
    assert value_count(session) == values_before  # the created record's values are gone with it
    assert changes(session, "customer", stored.id, "update")[RANK][1] == "Đồng"  # the undo's own history


def test_a_hidden_custom_field_is_not_offered_and_a_saved_mapping_skips_it(session, org, fields):
    headers = ["Họ tên", "Hạng thành viên", "Ghi chú riêng"]
    saved = save_mapping(
        session, org.sales_a, "customer", "Có trường riêng", headers, {0: "full_name", 1: RANK, 2: NOTE}
    )
    assert apply_saved(session, org.sales_a, saved.id, headers) == {0: "full_name", 1: RANK, 2: NOTE}
    custom_fields.set_active(session, org.admin, fields[RANK].custom_id, False)
    assert RANK not in {f.name for f in target(session).fields}
    assert auto_map(headers, target(session)) == {0: "full_name", 2: NOTE}
    assert apply_saved(session, org.sales_a, saved.id, headers) == {0: "full_name", 2: NOTE}
    with pytest.raises(ValidationFailed):
        importer.analyse(
            session, org.sales_a, "customer", table(headers, ["A", "Vàng"]), {0: "full_name", 1: RANK}, ImportOptions()
        )
    with pytest.raises(ValidationFailed):
        ImportOptions(required=(RANK,)).checked(target(session))


def test_a_sales_user_cannot_change_another_ones_record_through_custom_columns(session, org, fields):
    theirs = make_customer(session, org.sales_b, "Vũ Của Người Khác", phones=["0906000001"], **{RANK: "Bạc"})
    headers = ["Họ tên", "SĐT", "Hạng thành viên"]
    t = table(headers, ["Vũ Của Người Khác", "0906000001", "Vàng"])
    m = auto_map(headers, target(session))
    run = importer.run(session, org.sales_a, "customer", t, m, ImportOptions(mode="update"), "khac.xlsx")
    assert (run.updated, run.errors) == (0, 1)
    assert importer.verdicts_of(run)[0].key == "err.import_not_yours"
    assert custom_fields.snapshot(session, "customer", theirs.id)[RANK] == "Bạc"
    # their manager may
    run = importer.run(session, org.manager, "customer", t, m, ImportOptions(mode="update"), "ql.xlsx")
    assert run.updated == 1 and custom_fields.snapshot(session, "customer", theirs.id)[RANK] == "Vàng"


def test_contacts_take_their_own_custom_columns(session, org):
    custom_fields.create(
        session, org.admin, "contact", {"label": "Sở thích", "type": "multichoice", "options": ["Golf", "Cà phê"]}
    )
    stored = make_contact(session, org.sales_a, "Đinh Liên Hệ", mobile="0907000001")
    headers = ["Họ tên", "Di động", "So thich"]
    t = table(headers, ["Đinh Liên Hệ", "0907000001", "golf"], ["Đinh Mới", "0907000002", "CA PHE; Golf"])
    m = auto_map(headers, with_custom(session, TARGETS["contact"]))
    assert m[2] == "cf_so_thich"
    run = importer.run(session, org.sales_a, "contact", t, m, ImportOptions(mode="update"), "lh.xlsx")
    assert (run.created, run.updated) == (1, 1)
    assert custom_fields.snapshot(session, "contact", stored.id) == {"cf_so_thich": ["Golf"]}
    new_id = session.exec(sa.select(sa.func.max(CustomFieldValue.record_id))).scalar_one()
    assert custom_fields.snapshot(session, "contact", new_id) == {"cf_so_thich": ["Golf", "Cà phê"]}
    importer.undo(session, org.sales_a, run.id)
    assert custom_fields.snapshot(session, "contact", stored.id) == {"cf_so_thich": []}
    assert value_count(session) == 0


def test_undo_keeps_values_of_a_field_that_was_hidden_during_the_run(session, org, fields):
    stored = make_customer(session, org.sales_a, "Hà Ẩn Hiện", phones=["0908000001"], **{RANK: "Bạc", NOTE: "cũ"})
    custom_fields.set_active(session, org.admin, fields[RANK].custom_id, False)
    headers = ["Họ tên", "SĐT", "Ghi chú riêng"]
    t = table(headers, ["Hà Ẩn Hiện", "0908000001", "mới"])
    run = importer.run(
        session, org.sales_a, "customer", t, auto_map(headers, target(session)), ImportOptions(mode="update"), "an.xlsx"
    )
    assert run.updated == 1
    custom_fields.set_active(session, org.admin, fields[RANK].custom_id, True)
    importer.undo(session, org.sales_a, run.id)
    after = custom_fields.snapshot(session, "customer", stored.id)
    assert (after[RANK], after[NOTE]) == ("Bạc", "cũ")


def test_an_admin_turns_an_unknown_column_into_a_new_custom_field(session, org):
    headers = ["Họ tên", "Sở thích riêng"]
    assert auto_map(headers, target(session)) == {0: "full_name"}
    with pytest.raises(NotAllowed):
        add_field(session, org.sales_a, "customer", {"label": "Sở thích riêng", "type": "text"})
    with pytest.raises(ValidationFailed):
        add_field(session, org.admin, "customer", {"label": "Sở thích riêng", "type": "choice", "options": ""})
    with pytest.raises(ValidationFailed):
        add_field(session, org.admin, "lead", {"label": "Sở thích riêng", "type": "text"})  # leads have none
    assert custom_fields.defs_of(session, "customer") == ()
    name = add_field(session, org.admin, "customer", {"label": "Sở thích riêng", "type": "text"})
    assert name == "cf_so_thich_rieng"
    assert auto_map(headers, target(session)) == {0: "full_name", 1: name}


def test_a_label_already_taken_is_refused(session, org, fields):
    for label in ("Hạng thành viên", "hang thanh vien", "Email", "Phone numbers"):
        with pytest.raises(ValidationFailed) as exc:
            custom_fields.create(session, org.admin, "customer", {"label": label, "type": "text"})
        assert exc.value.errors["label"][0] == "err.field_label_taken"
    assert len(custom_fields.defs_of(session, "customer")) == len(fields)

"""Importing leads: header matching, verdicts, duplicates by phone / e-mail / name + phone, modes,
all or nothing, undo, rights and the template."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from sqlmodel import select

from crm_app.models import AuditLog, ImportRun, Lead, Opportunity, User
from crm_app.models.pipeline import RANK_GAP
from crm_app.services.errors import NotAllowed, ServiceError, ValidationFailed
from crm_app.services.lists import query
from crm_app.services.pipeline import board, leads, pipelines
from crm_app.services.transfer import import_documents, import_targets, importer
from crm_app.services.transfer.import_files import Table, read_table
from crm_app.services.transfer.import_mapping import auto_map
from crm_app.services.transfer.importer import ImportOptions
from tests.unit.factories import committed, count, default_catalogs, make_org, reloaded

TARGET = import_targets.TARGETS["lead"]
SPEC = query.ListSpec(entity="lead", columns=["full_name", "phone", "status"])
# headers as people type them: without diacritics, in English, with units and stray spaces
MESSY_HEADERS = [
    "Ho va ten",
    " Công ty ",
    "SDT",
    "E-mail",
    "Nguồn",
    "Trạng thái",
    "Đánh giá",
    "Giá trị (VND)",
    "Lead type",
    "Di động",
    "Ghi chú",
]


@pytest.fixture
def org(session):
    return make_org(session)


@pytest.fixture
def cat(session):
    return default_catalogs(session)


def table(headers: list[str], *rows: list) -> Table:
    return Table(
        list(headers), [list(r) + [None] * (len(headers) - len(r)) for r in rows], list(range(2, 2 + len(rows)))
    )


def mapping(t: Table) -> dict[int, str]:
    return auto_map(t.headers, TARGET)


def verdicts(result) -> list[tuple[int, str]]:
    return [
        (v.row, v.verdict) for v in (result.verdicts if hasattr(result, "verdicts") else importer.verdicts_of(result))
    ]


def lead_named(session, name: str) -> Lead:
    session.expire_all()
    return session.exec(select(Lead).where(Lead.full_name == name)).one()


def stored(session, name: str, actor, **data) -> Lead:
    return committed(session, leads.create(session, actor, {"full_name": name, **data}))


def test_messy_headers_map_onto_lead_fields():
    assert mapping(table(MESSY_HEADERS)) == {
        0: "full_name",
        1: "company",
        2: "phone",
        3: "email",
        4: "source_id",
        5: "status",
        6: "rating",
        7: "value",
        8: "kind",
        9: "mobile",
        10: "description",
    }
    english = ["Lead name", "Company", "Phone", "Email", "Lead source", "Status", "Rating", "Expected value"]
    assert list(auto_map(english, TARGET).values()) == [
        "full_name",
        "company",
        "phone",
        "email",
        "source_id",
        "status",
        "rating",
        "value",
    ]
    assert "lead" in import_targets.TARGETS and TARGET.default_keys == ("phone", "email")


def test_messy_file_becomes_clean_leads_on_top_of_their_columns(session, org, cat):
    old = stored(session, "Khách Cũ", org.sales_a, status="contacted")
    t = table(
        MESSY_HEADERS,
        [
            "  Nguyễn   Văn An ",
            "Công ty Sao Mai",
            912345678.0,
            "An@SaoMai.VN",
            "website",
            "Đã liên hệ",
            "4",
            "15.000.000 đ",
            "Doanh nghiệp",
            "",
            "Gặp ở hội chợ",
        ],
        ["Trần Thị Bình", "", "+84 98 765 4321", "", "Facebook", "new", 3.0, 2500000.0, "", "0977 111 222"],
        ["Lê Cường", "", "", "cuong@gmail.com", "", "", "", "", "Person"],
    )
    run = importer.run(session, org.sales_a, "lead", t, mapping(t), ImportOptions(mode="create"), "tiem-nang.xlsx")
    assert (run.created, run.updated, run.errors) == (3, 0, 0)
    an = lead_named(session, "Nguyễn Văn An")
    assert (an.kind, an.company, an.phone_norm, an.email_norm) == (
        "company",
        "Công ty Sao Mai",
        "0912345678",
        "an@saomai.vn",
    )
    assert (an.source_id, an.status, an.rating, an.value) == (cat["source"]["website"], "contacted", 4, 15_000_000)
    assert (an.owner_id, an.created_by_id, an.description) == (org.sales_a.id, org.sales_a.id, "Gặp ở hội chợ")
    binh = lead_named(session, "Trần Thị Bình")
    assert (binh.phone_norm, binh.mobile_norm, binh.value, binh.rating) == ("0987654321", "0977111222", 2_500_000, 3)
    assert binh.source_id == cat["source"]["facebook"] and binh.status == "new"
    cuong = lead_named(session, "Lê Cường")
    assert (cuong.kind, cuong.status, cuong.value, cuong.name_norm) == ("person", "new", 0, "le cuong")
    # new cards are put above the stored ones of their column
    assert an.rank < reloaded(session, Lead, old.id).rank
    assert board.top_rank(session, Lead, "status", "contacted") < an.rank
    history = session.exec(select(AuditLog).where(AuditLog.entity == "lead", AuditLog.entity_id == an.id)).all()
    assert [(h.action, h.field) for h in history] == [("create", "import")]
    assert f"(#{run.id})" in history[0].new_value
    # the lead list shows them to their owner, not to a salesperson of another team
    names = [r["full_name"] for r in query.fetch_page(session, org.sales_a, SPEC).rows]
    assert {"Nguyễn Văn An", "Trần Thị Bình", "Lê Cường"} <= set(names)
    assert query.fetch_page(session, org.other_sales, SPEC).rows == []


def test_bad_rows_are_reported_with_their_reason_and_good_rows_still_import(session, org, cat):
    headers = [
        "Họ và tên",
        "Loại",
        "Công ty",
        "SĐT",
        "Email",
        "Nguồn",
        "Trạng thái",
        "Đánh giá",
        "Giá trị",
        "Người phụ trách",
    ]
    t = table(
        headers,
        ["Đủ Tốt", "Cá nhân", "", "0901000001"],
        ["", "", "", "0901000002"],  # no name
        ["Sai Email", "", "", "", "khong-phai-email"],
        ["Công Ty Thiếu", "Doanh nghiệp", ""],  # a company lead needs its company
        ["Nguồn Lạ", "", "", "", "", "Tờ rơi"],
        ["Đã Chuyển", "", "", "", "", "", "Đã chuyển đổi"],  # reached by converting only
        ["Sao Chín", "", "", "", "", "", "", "9"],
        ["Tiền Chữ", "", "", "", "", "", "", "", "mười triệu"],
        ["Người Khác", "", "", "", "", "", "", "", "", "manager.hcm"],  # not in a sales user's reach
        ["Loại Lạ", "Hợp tác xã"],
    )
    result = importer.analyse(session, org.sales_a, "lead", t, mapping(t), ImportOptions(mode="create"))
    by_row = {v.row: v for v in result.verdicts}
    assert by_row[2].verdict == "new"
    assert {r: (v.verdict, v.field, v.key) for r, v in by_row.items() if r > 2} == {
        3: ("error", "full_name", "err.required"),
        4: ("error", "email", "err.invalid_email"),
        5: ("error", "company", "err.required"),
        6: ("error", "source_id", "err.import_unknown_value"),
        7: ("error", "status", "err.invalid_choice"),
        8: ("error", "rating", "err.out_of_range"),
        9: ("error", "value", "err.import_invalid_number"),
        10: ("error", "owner_id", "err.owner_not_allowed"),
        11: ("error", "kind", "err.invalid_choice"),
    }
    assert by_row[6].message("en").startswith("Source: ") and "Tờ rơi" in by_row[6].message("vi")
    assert "“mười triệu”" in by_row[9].message("vi")
    other = session.exec(sa.select(User).where(User.username == "manager.hcm")).scalar_one()
    assert by_row[10].params["value"] == other.full_name  # the refusal names whom the row assigns
    before = count(session, Lead)
    run = importer.run(session, org.sales_a, "lead", t, mapping(t), ImportOptions(mode="create"), "loi.csv")
    assert (run.created, run.errors) == (1, 9)
    assert count(session, Lead) == before + 1 and lead_named(session, "Đủ Tốt").phone_norm == "0901000001"
    # the error report lists the nine rows as they were, with the reason
    buf = io.BytesIO()
    assert import_documents.write_error_report(buf, t, importer.verdicts_of(run), "vi") == 9
    report = load_workbook(io.BytesIO(buf.getvalue())).worksheets[0]
    reasons = [row[-1] for row in report.iter_rows(min_row=2, values_only=True)]
    assert len(reasons) == 9 and all(reasons)


def test_duplicates_by_phone_email_and_name_phone_in_each_mode(session, org):
    first = stored(session, "Phạm Minh", org.sales_a, phone="0912000111", email="minh@abc.vn", status="new")
    entered = first.stage_entered_at
    headers = ["Họ tên", "Điện thoại", "Email", "Trạng thái", "Chức danh"]
    t = table(
        headers,
        ["Pham Minh", "+84912000111", "", "Đủ điều kiện", "Giám đốc"],  # same phone
        ["Người Mới", "0933000222", "MINH@abc.vn"],  # same e-mail
        ["Khác Hẳn", "0944000333", "khac@abc.vn"],
        ["Khac Han", "0944 000 333"],
    )  # the row above again
    options = {mode: ImportOptions(mode=mode) for mode in importer.MODES}
    create = importer.analyse(session, org.sales_a, "lead", t, mapping(t), options["create"])
    assert verdicts(create) == [(2, "duplicate"), (3, "duplicate"), (4, "new"), (5, "in_file")]
    assert create.verdicts[0].params == {"code": "Phạm Minh"}
    skip = importer.analyse(session, org.sales_a, "lead", t, mapping(t), options["skip"])
    assert verdicts(skip) == [(2, "skip"), (3, "skip"), (4, "new"), (5, "in_file")]
    # name + phone only: the e-mail match is a new lead, with a warning naming the lead it shares it with
    by_name = importer.analyse(
        session, org.sales_a, "lead", t, mapping(t), ImportOptions(mode="create", keys=("name_phone",))
    )
    assert verdicts(by_name) == [(2, "duplicate"), (3, "warning"), (4, "new"), (5, "in_file")]
    assert by_name.verdicts[1].message("vi") == "Vẫn thêm mới, nhưng email minh@abc.vn đã có ở Phạm Minh"
    # without the check every row is new, the file's own repeat included
    unchecked = importer.analyse(
        session, org.sales_a, "lead", t, mapping(t), ImportOptions(mode="create", duplicate_check=False)
    )
    assert [v for _r, v in verdicts(unchecked)] == ["new"] * 4

    update = importer.analyse(session, org.sales_a, "lead", t, mapping(t), options["update"])
    assert verdicts(update) == [(2, "update"), (3, "in_file"), (4, "new"), (5, "in_file")]
    assert set(update.verdicts[0].changes) == {"status", "title"}
    run = importer.run(session, org.sales_a, "lead", t, mapping(t), options["update"], "cap-nhat.xlsx")
    assert (run.created, run.updated) == (1, 1)
    minh = reloaded(session, Lead, first.id)
    assert (minh.full_name, minh.status, minh.title, minh.email) == (
        "Phạm Minh",
        "qualified",
        "Giám đốc",
        "minh@abc.vn",
    )
    # moved to its new column: on top of it, with a new time in stage
    assert board.top_rank(session, Lead, "status", "qualified") == minh.rank - RANK_GAP
    assert minh.stage_entered_at > entered
    changed = session.exec(
        select(AuditLog.field, AuditLog.old_value, AuditLog.new_value).where(
            AuditLog.entity == "lead", AuditLog.entity_id == first.id, AuditLog.action == "update"
        )
    ).all()
    assert ("status", "new", "qualified") in changed and ("title", None, "Giám đốc") in [
        (f, o or None, n) for f, o, n in changed
    ]


def test_update_refuses_converted_leads_and_leads_of_others(session, org, cat):
    pipelines.ensure_default_pipeline(session)
    converted = stored(session, "Đã Mua", org.sales_a, phone="0955000111")
    leads.convert(session, org.sales_a, converted.id)
    stored(session, "Của Người Khác", org.other_sales, phone="0966000222")
    headers = ["Họ tên", "SĐT", "Trạng thái", "Ghi chú"]
    t = table(
        headers,
        ["Đã Mua", "0955000111", "Mới"],
        ["Đã Mua", "0955000111", "", "Khách quen"],
        ["Của Người Khác", "0966000222", "", "Sửa"],
    )
    result = importer.analyse(
        session, org.sales_a, "lead", t, mapping(t), ImportOptions(mode="update", keys=("name_phone",))
    )
    by_row = {v.row: v for v in result.verdicts}
    assert (by_row[2].verdict, by_row[2].field, by_row[2].key) == ("error", "status", "err.lead_converted")
    assert by_row[3].verdict == "in_file"
    assert (by_row[4].verdict, by_row[4].key) == ("error", "err.import_not_yours")
    # another row order: the converted lead keeps its status and takes the note
    t2 = table(headers, ["Đã Mua", "0955000111", "", "Khách quen"])
    run = importer.run(session, org.sales_a, "lead", t2, mapping(t2), ImportOptions(mode="update"), "u.csv")
    assert run.updated == 1
    lead = reloaded(session, Lead, converted.id)
    assert (lead.status, lead.description) == ("converted", "Khách quen")


def test_undo_removes_created_leads_and_restores_updated_ones(session, org, cat):
    kept = stored(session, "Hoàng Lan", org.sales_a, phone="0977000111", value="1.000.000", rating="2")
    headers = ["Họ tên", "SĐT", "Giá trị", "Đánh giá", "Nguồn", "Trạng thái"]
    t = table(
        headers,
        ["Hoàng Lan", "0977000111", "9.000.000", "5", "Website", "Đã liên hệ"],
        ["Mới Toanh", "0977000222"],
        ["Mới Nữa", "0977000333"],
    )
    before = count(session, Lead)
    run = importer.run(session, org.sales_a, "lead", t, mapping(t), ImportOptions(mode="update"), "lan.xlsx")
    assert (run.created, run.updated) == (2, 1)
    changed = reloaded(session, Lead, kept.id)
    assert (changed.value, changed.rating, changed.status) == (9_000_000, 5, "contacted")
    with pytest.raises(NotAllowed):
        importer.undo(session, org.sales_b, run.id)  # neither the author nor their manager
    importer.undo(session, org.sales_a, run.id)
    restored = reloaded(session, Lead, kept.id)
    assert (restored.value, restored.rating, restored.status, restored.source_id) == (1_000_000, 2, "new", None)
    assert count(session, Lead) == before
    assert reloaded(session, ImportRun, run.id).status == "undone"
    removed = session.exec(
        select(sa.func.count())
        .select_from(AuditLog)
        .where(AuditLog.entity == "lead", AuditLog.action == "delete", AuditLog.field == "import")
    ).one()
    assert removed == 2


def test_undo_refused_once_an_imported_lead_became_an_opportunity(session, org, cat):
    pipelines.ensure_default_pipeline(session)
    t = table(["Họ tên", "SĐT"], ["Sắp Mua", "0988000111"])
    run = importer.run(session, org.sales_a, "lead", t, mapping(t), ImportOptions(), "a.csv")
    lead = lead_named(session, "Sắp Mua")
    leads.convert(session, org.sales_a, lead.id)
    session.commit()
    with pytest.raises(ServiceError) as exc:
        importer.undo(session, org.sales_a, run.id)
    assert exc.value.key == "err.undo_changed"
    assert reloaded(session, Lead, lead.id) is not None and count(session, Opportunity) == 1
    # an opportunity referring to an imported lead blocks the undo on its own too
    named: list[str] = []
    assert TARGET.blocked_removal(session, [lead.id], named) == {"opportunity": 1}
    assert len(named) == 1 and "Sắp Mua" in named[0]  # the refusal names what blocks it


def test_template_for_leads_reads_back_through_the_wizard(session, org, cat):
    buf = io.BytesIO()
    import_documents.write_template(buf, session, "lead", "vi")
    book = load_workbook(io.BytesIO(buf.getvalue()))
    header = [c.value for c in next(book.worksheets[0].iter_rows(max_row=1))]
    assert header[0] == "Họ và tên *" and "Công ty" in header and "Giá trị (VND)" in header
    assert next(book.worksheets[0].iter_rows(max_row=1))[0].fill.fgColor.rgb == "FFFFE082"
    help_rows = {r[0]: r for r in book.worksheets[1].iter_rows(min_row=2, values_only=True)}
    assert "Đã liên hệ" in help_rows["Trạng thái"][2] and "Đã chuyển đổi" not in help_rows["Trạng thái"][2]
    assert "Website" in help_rows["Nguồn gốc"][2] and "15.000.000" in help_rows["Giá trị (VND)"][2]
    # filled in and read back, every column finds its field again
    sheet = book.worksheets[0]
    given = {
        "Họ và tên *": "Đinh Hải",
        "Loại hình": "Cá nhân",
        "Email": "hai@abc.vn",
        "Điện thoại": "0911000999",
        "Tỉnh/Thành phố": "Hà Nội",
        "Nguồn gốc": "Website",
        "Trạng thái": "Mới",
        "Đánh giá": 3,
        "Giá trị (VND)": 12000000,
    }
    assert set(given) <= set(header)
    sheet.append([given.get(h, "") for h in header])
    filled = io.BytesIO()
    book.save(filled)
    t = read_table(filled.getvalue(), "mau.xlsx")
    m = mapping(t)
    assert sorted(m.values()) == sorted(f.name for f in TARGET.fields)
    run = importer.run(session, org.sales_a, "lead", t, m, ImportOptions(), "mau.xlsx")
    assert (run.created, run.errors) == (1, 0)
    hai = lead_named(session, "Đinh Hải")
    assert (hai.province, hai.value, hai.rating, hai.phone_norm) == ("01", 12_000_000, 3, "0911000999")


def test_lead_cleaner_checks_the_source_against_ids_read_once(session, cat):
    sources = set(cat["source"].values())
    assert (
        leads.clean(session, {"full_name": "A", "source_id": str(cat["source"]["facebook"])}, sources)["source_id"]
        == cat["source"]["facebook"]
    )
    other = next(iter(cat["category"].values()))  # a catalog item of another kind
    for wrong in (other, 999_999):
        with pytest.raises(ValidationFailed) as exc:
            leads.clean(session, {"full_name": "A", "source_id": str(wrong)}, sources)
        assert exc.value.errors["source_id"][0] == "err.invalid_choice"
        with pytest.raises(ValidationFailed):
            leads.clean(session, {"full_name": "A", "source_id": str(wrong)})


def test_a_refused_amount_is_quoted_as_typed_not_as_read(session, org, cat):
    t = table(["Họ và tên", "Giá trị"], ["Tiền Âm", "-1.500"])
    (refused,) = importer.analyse(session, org.sales_a, "lead", t, mapping(t), ImportOptions(mode="create")).verdicts
    assert refused.verdict == "error" and refused.field == "value"
    assert "“-1.500”" in refused.message("vi") and "1500" not in refused.message("vi")

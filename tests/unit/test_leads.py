"""Leads: validation, status moves on the board, conversion with and without matches, bulk, rights."""

import pytest
from sqlmodel import select

from crm_app.models import Contact, Customer, Lead, Opportunity
from crm_app.services.errors import NotAllowed, ServiceError, ValidationFailed
from crm_app.services.lists import query
from crm_app.services.pipeline import board, leads, pipelines
from crm_app.services.records import history
from tests.unit.factories import changes, committed, make_customer, reloaded, stored_counts


@pytest.fixture
def pipe(session):
    return pipelines.ensure_default_pipeline(session)


def _lead(session, actor, name, **data):
    return committed(session, leads.create(session, actor, {"full_name": name, **data}))


def test_create_lead_with_normalised_shadows(session, org, cat):
    lead = _lead(
        session,
        org.sales_a,
        "Trần Thị Lan",
        kind="company",
        company="Công ty Sao Mai",
        phone="+84 903 123 456",
        email="Lan@SaoMai.vn",
        source_id=str(cat["source"]["website"]),
        value="20.000.000",
        rating="4",
    )
    assert (lead.name_norm, lead.phone_norm, lead.email_norm) == ("tran thi lan", "0903123456", "lan@saomai.vn")
    assert (lead.value, lead.status, lead.owner_id) == (20_000_000, "new", org.sales_a.id)
    assert changes(session, "lead", lead.id, "create")["full_name"] == (None, "Trần Thị Lan")


@pytest.mark.parametrize(
    "data, field",
    [
        ({"full_name": ""}, "full_name"),
        ({"full_name": "A", "kind": "company"}, "company"),
        ({"full_name": "A", "phone": "12ab"}, "phone"),
        ({"full_name": "A", "email": "a@"}, "email"),
        ({"full_name": "A", "status": "won"}, "status"),
        ({"full_name": "A", "status": "converted"}, "status"),
        ({"full_name": "A", "rating": "9"}, "rating"),
        ({"full_name": "A", "source_id": "999"}, "source_id"),
    ],
)
def test_bad_lead_values_are_refused(session, org, cat, data, field):
    with pytest.raises(ValidationFailed) as exc:
        leads.create(session, org.sales_a, data)
    assert field in exc.value.errors
    assert session.exec(select(Lead)).first() is None


def test_sales_see_and_change_only_their_leads(session, org):
    lead = _lead(session, org.sales_a, "Lê Văn Nam")
    for actor in (org.sales_b, org.other_manager):
        with pytest.raises(NotAllowed):
            leads.get(session, actor, lead.id)
        with pytest.raises(NotAllowed):
            leads.move(session, actor, lead.id, "contacted")
        with pytest.raises(NotAllowed):
            leads.convert(session, actor, lead.id)
    assert reloaded(session, Lead, lead.id).status == "new"
    spec = query.ListSpec(entity="lead", columns=["full_name"], search="le van")
    assert query.count(session, org.sales_a, spec) == 1 and query.count(session, org.sales_b, spec) == 0
    assert query.count(session, org.manager, spec) == 1


def test_status_moves_on_the_lead_board(session, org):
    a = _lead(session, org.sales_a, "A", value="1000")
    b = _lead(session, org.sales_a, "B", value="3000")
    leads.move(session, org.sales_a, a.id, "qualified")
    leads.move(session, org.sales_a, b.id, "qualified", prev_id=a.id)
    cols = {c.column.key: c for c in board.load(session, org.sales_a, leads.list_spec(), leads.grouping("vi"), "vi")}
    assert [x["title"] for x in cols["qualified"].page.cards] == ["A", "B"]
    assert (cols["qualified"].totals.count, cols["qualified"].totals.total, cols["qualified"].totals.weighted) == (
        2,
        4000,
        2000,
    )
    assert cols["new"].totals.count == 0
    assert changes(session, "lead", a.id, "update")["status"] == ("new", "qualified")
    with pytest.raises(ServiceError):  # converting is done by "Convert"
        leads.move(session, org.sales_a, a.id, "converted")


# --- conversion --------------------------------------------------------------------------------


def test_convert_without_matches_creates_customer_contact_and_opportunity(session, org, pipe):
    lead = _lead(
        session,
        org.sales_a,
        "Phạm Minh Tuấn",
        kind="company",
        company="Công ty Hoa Sen",
        phone="0912 345 678",
        email="tuan@hoasen.vn",
        value="50.000.000",
        title="Giám đốc",
    )
    assert leads.matches(session, org.sales_a, lead).customers == []
    done = leads.convert(session, org.sales_a, lead.id)
    session.commit()
    assert not done.linked_customer
    customer = session.get(Customer, done.customer_id)
    contact = session.get(Contact, done.contact_id)
    opp = session.get(Opportunity, done.opportunity_id)
    assert (customer.full_name, customer.kind, customer.phone_norm) == ("Công ty Hoa Sen", "business", "0912345678")
    assert customer.country == "Việt Nam"  # as a customer made in the form
    assert (contact.full_name, contact.customer_id, contact.title) == ("Phạm Minh Tuấn", customer.id, "Giám đốc")
    assert (opp.customer_id, opp.contact_id, opp.value, opp.lead_id) == (customer.id, contact.id, 50_000_000, lead.id)
    kept = reloaded(session, Lead, lead.id)
    assert kept.status == "converted" and kept.converted_customer_id == customer.id
    assert kept.converted_opportunity_id == opp.id and kept.converted_at is not None
    assert changes(session, "lead", lead.id, "update")["status"] == ("new", "converted")
    shown = {r["field"]: r["new"] for r in history.of_record(session, "lead", lead.id, "vi") if r["new"]}
    assert shown["Khách hàng chuyển đổi"] == "Công ty Hoa Sen"  # named, not numbered
    assert shown["Người liên hệ chuyển đổi"] == "Phạm Minh Tuấn" and shown["Cơ hội chuyển đổi"] == opp.name
    with pytest.raises(ServiceError):
        leads.convert(session, org.sales_a, lead.id)


def test_convert_offers_the_customer_with_the_same_phone_and_links_it(session, org, pipe):
    existing = make_customer(session, org.sales_a, "Nguyễn Văn An", phones="0903 111 222")
    lead = _lead(session, org.sales_a, "Nguyen Van An", phone="+84 903 111 222")
    found = leads.matches(session, org.sales_a, lead)
    assert [(m["id"], m["by"], m["same_name"], m["visible"]) for m in found.customers] == [
        (existing.id, "phone", True, True)
    ]
    # creating a new customer would break the duplicate rule: refused, nothing written
    before = stored_counts(session)
    with pytest.raises(ValidationFailed):
        leads.convert(session, org.sales_a, lead.id)
    assert stored_counts(session) == before and reloaded(session, Lead, lead.id).status == "new"
    assert session.exec(select(Opportunity)).first() is None
    done = leads.convert(session, org.sales_a, lead.id, customer_id=existing.id, create_contact=False)
    assert done.linked_customer and done.customer_id == existing.id and done.contact_id is None
    assert len(session.exec(select(Customer)).all()) == 1
    assert session.get(Opportunity, done.opportunity_id).customer_id == existing.id


def test_convert_cannot_link_a_customer_one_does_not_see(session, org, pipe):
    theirs = make_customer(session, org.sales_b, "Công ty Việt Tiến", phones="0903 555 666")
    lead = _lead(session, org.sales_a, "Hà", kind="company", company="Công ty Việt Tiến", phone="0903 555 666")
    found = leads.matches(session, org.sales_a, lead)
    assert found.customers[0]["visible"] is False
    with pytest.raises(NotAllowed):
        leads.convert(session, org.sales_a, lead.id, customer_id=theirs.id)
    assert reloaded(session, Lead, lead.id).status == "new"


def test_bulk_conversion_reports_every_row(session, org, pipe):
    existing = make_customer(session, org.sales_a, "Đỗ Thị Hoa", phones="0988 000 111")
    make_customer(session, org.sales_b, "Bùi Văn Long", phones="0988 000 222")
    linked = _lead(session, org.sales_a, "Do Thi Hoa", phone="0988000111")
    created = _lead(session, org.sales_a, "Vũ Văn Hải", phone="0988 000 333")
    hidden = _lead(session, org.sales_a, "Bùi Văn Long", phone="0988 000 222")
    not_mine = _lead(session, org.sales_b, "Ngô Thị Mai")
    report = leads.bulk_convert(session, org.sales_a, [linked.id, created.id, hidden.id, not_mine.id])
    session.commit()
    outcome = {r.lead_id: (r.outcome, r.message_key) for r in report}
    assert outcome[linked.id] == ("linked", "leads.bulk_linked")
    assert outcome[created.id] == ("created", "leads.bulk_created")
    assert outcome[hidden.id] == ("failed", "err.lead_match_not_visible")
    assert outcome[not_mine.id] == ("failed", "err.not_allowed")
    assert reloaded(session, Lead, linked.id).converted_customer_id == existing.id
    assert reloaded(session, Lead, hidden.id).status == "new"
    assert reloaded(session, Lead, not_mine.id).status == "new"
    assert session.exec(select(Customer).where(Customer.name_norm == "vu van hai")).first() is not None

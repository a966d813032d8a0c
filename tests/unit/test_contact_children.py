"""What the contact page lists and adds: follow-ups, notes, files and e-mails naming a contact,
belonging to its company; the contact's own history; rights and wrong links refused."""

import pytest

from crm_app.models import Activity, AuditLog, EmailMessage, Note, StoredFile
from crm_app.services.customer import contacts, files, notes
from crm_app.services.errors import NotAllowed, ServiceError
from crm_app.services.mail import mail
from crm_app.services.records import children, history
from crm_app.services.work import activities
from tests.unit.factories import count, make_contact, make_customer


@pytest.fixture
def company(session, org):
    return make_customer(session, org.sales_a, "Công ty Du lịch Hải Âu", kind="business", email="info@haiau.vn")


@pytest.fixture
def person(session, org, company):
    return make_contact(session, org.sales_a, "Quách Thị Ngân", customer_id=company.id, email="ngan@haiau.vn")


def test_a_note_added_on_a_contact_belongs_to_its_company_and_is_listed_on_both(session, org, company, person):
    notes.create(session, org.sales_a, company.id, {"body": "Chỉ của công ty"})
    mine = notes.create(session, org.sales_a, company.id, {"body": "Chị Ngân thích biển"}, contact_id=person.id)
    session.commit()
    assert (mine.customer_id, mine.contact_id) == (company.id, person.id)
    assert [n.body for n in notes.of_record(session, org.sales_a, ("contact", person.id))] == ["Chị Ngân thích biển"]
    assert [n.body for n in notes.of_customer(session, org.sales_a, company.id)] == [
        "Chị Ngân thích biển",
        "Chỉ của công ty",
    ]
    # its history is the company's, as any note's
    rows = session.exec(AuditLog.__table__.select().where(AuditLog.entity == "note", AuditLog.entity_id == mine.id))
    assert {(r.root_entity, r.root_id) for r in rows} == {("customer", company.id)}


def test_follow_ups_of_a_contact_are_those_naming_it(session, org, company, person):
    other = make_contact(session, org.sales_a, "Lê Văn Bình", customer_id=company.id)
    activities.create(
        session, org.sales_a, company.id, {"type_code": "call", "subject": "Gọi chị Ngân", "contact_id": str(person.id)}
    )
    activities.create(
        session, org.sales_a, company.id, {"type_code": "call", "subject": "Gọi anh Bình", "contact_id": str(other.id)}
    )
    activities.create(session, org.sales_a, company.id, {"type_code": "call", "subject": "Gọi tổng đài"})
    session.commit()
    assert [a.subject for a in activities.of_record(session, org.sales_a, ("contact", person.id))] == ["Gọi chị Ngân"]
    assert len(activities.of_customer(session, org.sales_a, company.id)) == 3


def test_a_file_dropped_on_a_contact_names_it(session, org, company, person, tmp_path):
    stored = files.save(session, org.sales_a, company.id, "Hợp đồng.pdf", b"%PDF", root=tmp_path, contact_id=person.id)
    files.save(session, org.sales_a, company.id, "Bảng giá.xlsx", b"PK", root=tmp_path)
    assert (stored.customer_id, stored.contact_id) == (company.id, person.id)
    assert [f.name for f in files.of_record(session, org.sales_a, ("contact", person.id))] == ["Hợp đồng.pdf"]


def test_mail_to_a_contact_goes_to_its_address_and_names_it(session, org, company, person):
    message = mail.compose(session, org.sales_a, company.id, {"subject": "Chào chị", "body": "Nội dung"}, person.id)
    assert (message.to_addr, message.customer_id, message.contact_id) == ("ngan@haiau.vn", company.id, person.id)
    assert [m.id for m in mail.of_record(session, org.sales_a, ("contact", person.id))] == [message.id]
    # the timeline's entry of the e-mail names the contact too
    [logged] = activities.of_record(session, org.sales_a, ("contact", person.id))
    assert (logged.type_code, logged.subject) == ("email", "Chào chị")


@pytest.mark.parametrize(
    "fields, key",
    [({"email": ""}, "err.contact_no_email"), ({"email": "x@haiau.vn", "email_opt_out": True}, "err.email_opt_out")],
)
def test_mail_to_a_contact_without_address_or_opted_out_is_refused(session, org, company, fields, key):
    quiet = make_contact(session, org.sales_a, "Trịnh Văn Lặng", customer_id=company.id, **fields)
    with pytest.raises(ServiceError) as exc:
        mail.compose(session, org.sales_a, company.id, {"subject": "A", "body": "B"}, quiet.id)
    assert exc.value.key == key
    session.rollback()
    assert count(session, EmailMessage) == 0


def test_a_contact_of_another_company_is_refused_and_nothing_written(session, org, company):
    elsewhere = make_customer(session, org.sales_a, "Công ty Sông Hàn", kind="business")
    stranger = make_contact(session, org.sales_a, "Phan Thị Lạ", customer_id=elsewhere.id)
    with pytest.raises(NotAllowed):
        notes.create(session, org.sales_a, company.id, {"body": "Sai chỗ"}, contact_id=stranger.id)
    with pytest.raises(NotAllowed):
        files.save(session, org.sales_a, company.id, "a.txt", b"a", contact_id=stranger.id)
    with pytest.raises(NotAllowed):
        mail.compose(session, org.sales_a, company.id, {"subject": "A", "body": "B"}, stranger.id)
    session.rollback()
    assert (count(session, Note), count(session, StoredFile), count(session, EmailMessage)) == (0, 0, 0)


@pytest.mark.parametrize("record", [("contact", 0), ("contact", 999_999), ("user", 1), ("lead", 1)])
def test_an_unknown_record_lists_nothing(session, org, record):
    with pytest.raises(NotAllowed):
        notes.of_record(session, org.admin, record)


def test_another_sales_user_can_neither_read_nor_add_to_the_contact(session, org, company, person):
    notes.create(session, org.sales_a, company.id, {"body": "Riêng tư"}, contact_id=person.id)
    session.commit()
    for read in (notes.of_record, activities.of_record, files.of_record, mail.of_record, history.of_page):
        with pytest.raises(NotAllowed):
            read(session, org.sales_b, ("contact", person.id))
    with pytest.raises(NotAllowed):
        notes.create(session, org.sales_b, company.id, {"body": "Chen vào"}, contact_id=person.id)
    with pytest.raises(NotAllowed):
        activities.create(
            session, org.sales_b, company.id, {"type_code": "call", "subject": "x", "contact_id": str(person.id)}
        )
    session.rollback()
    assert [n.body for n in notes.of_record(session, org.manager, ("contact", person.id))] == ["Riêng tư"]
    assert count(session, Activity) == 0


def test_a_contacts_rows_at_a_company_the_reader_may_not_see_stay_hidden(session, org, company):
    """A contact of one's own at another's company: what was written at that company is not shown."""
    own = make_contact(session, org.admin, "Vương Văn Chung", customer_id=company.id, owner_id=org.sales_b.id)
    notes.create(session, org.sales_a, company.id, {"body": "Của người khác"}, contact_id=own.id)
    session.commit()
    assert notes.of_record(session, org.sales_b, ("contact", own.id)) == []
    assert [n.body for n in notes.of_record(session, org.admin, ("contact", own.id))] == ["Của người khác"]


def test_the_contact_history_tab_shows_its_own_changes(session, org, company, person):
    from crm_app.services.customer import contacts

    contacts.update(session, org.sales_a, person.id, {"title": "Giám đốc"})
    notes.create(session, org.sales_a, company.id, {"body": "Không phải của người liên hệ"}, contact_id=person.id)
    session.commit()
    rows = history.describe(session, history.of_page(session, org.sales_a, ("contact", person.id)), "vi")
    assert {(r["field"], r["new"]) for r in rows if r["field"]} >= {("Chức danh", "Giám đốc")}
    assert all(r["entity_code"] == "contact" for r in rows)


def test_parent_for_checks_the_reader(session, org, person):
    assert children.parent_for(session, org.manager, ("contact", person.id)).id == person.id
    with pytest.raises(NotAllowed):
        children.parent_for(session, org.other_manager, ("contact", person.id))


def test_a_companys_people_are_those_its_reader_may_see_by_name(session, org, company, person):
    """The company page's people: its active contacts that the reader sees, by name (read through
    the company's index, never the owner's: a salesperson's own contacts are many)."""
    other = make_contact(session, org.admin, "Bùi Văn Khác", customer_id=company.id, owner_id=org.other_sales.id)
    early = make_contact(session, org.sales_a, "An Thị Lý", customer_id=company.id)
    gone = make_contact(session, org.sales_a, "Cao Văn Cũ", customer_id=company.id)
    contacts.set_archived(session, org.sales_a, gone.id, True)
    session.commit()
    assert [c.id for c in contacts.of_customer(session, org.sales_a, company.id)] == [early.id, person.id]
    assert [c.id for c in contacts.of_customer(session, org.admin, company.id)] == [early.id, other.id, person.id]
    assert [c.id for c in contacts.of_customer(session, org.other_sales, company.id)] == [other.id]

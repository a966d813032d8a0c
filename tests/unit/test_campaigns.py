"""Campaigns: the record (checked values, history, rights by its owner), its members from a list's
selection, all matching, a static list or a rule (only records the actor may change), the e-mail to
every member over real SMTP (opted out and address-less members skipped and counted, a template
with an unknown placeholder or a campaign without members refused), the signed unsubscribe link
(good, tampered and expired tokens) and the figures."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from crm_app.models import AuditLog, Campaign, CampaignMember, Contact, Customer, EmailMessage, EmailTemplate
from crm_app.services.automation import rules, runner
from crm_app.services.campaigns import campaigns, sending, unsubscribe
from crm_app.services.errors import NotAllowed, ServiceError, ValidationFailed
from crm_app.services.lists import bulk, record_lists
from crm_app.services.lists.filters import BadSpec
from crm_app.services.lists.query import ListSpec
from crm_app.services.mail import mail
from crm_app.services.people.work_scope import local_today
from crm_app.services.pipeline import opportunities, pipelines
from crm_app.settings import settings
from tests.smtp_sink import SmtpSink, free_port
from tests.unit.factories import changes, count, make_contact, make_customer, reloaded

BASE = "http://crm.example.vn"


@pytest.fixture
def people(session, org):
    made = {
        "a1": make_customer(session, org.sales_a, "Nguyễn Văn An", email="an@example.vn", phones="0911000001"),
        "a2": make_customer(session, org.sales_a, "Trần Thị Bình", email="binh@example.vn", phones="0911000002"),
        "a3": make_customer(session, org.sales_a, "Lê Văn Cường", phones="0911000003"),  # no e-mail
        "a4": make_customer(
            session, org.sales_a, "Phạm Thu Dung", email="dung@example.vn", phones="0911000004", email_opt_out=True
        ),
        "b1": make_customer(session, org.sales_b, "Khách của B", email="b1@example.vn", phones="0911000005"),
    }
    return {k: v.id for k, v in made.items()}


@pytest.fixture
def camp(session, org) -> Campaign:
    made = campaigns.create(
        session,
        org.sales_a,
        {"name": "Khuyến mãi Tết", "kind": "email", "start_date": "2026-01-01", "budget": "5.000.000"},
    )
    session.commit()
    return made


@pytest.fixture
def template(session, org) -> EmailTemplate:
    return mail.save_template(
        session,
        org.admin,
        {
            "name": "Tết",
            "subject": "Chúc mừng năm mới {{customer_name}}",
            "body": "Kính gửi {{customer_name}},\nƯu đãi Tết.",
            "active": True,
        },
    )


@pytest.fixture
def smtp():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


def smtp_settings(port: int):
    return replace(
        settings, smtp_host="127.0.0.1", smtp_port=port, smtp_tls="none", smtp_user="", smtp_from="crm@congty.vn"
    )


def member_ids(session, campaign_id) -> set[int]:
    session.rollback()
    rows = session.execute(sa.select(CampaignMember.customer_id).where(CampaignMember.campaign_id == campaign_id))
    return set(rows.scalars())


# --- the campaign --------------------------------------------------------------------------------


def test_a_campaign_is_created_with_its_history_and_edited(session, org, camp):
    stored = reloaded(session, Campaign, camp.id)
    assert (stored.name, stored.kind, stored.status, stored.start_date, stored.budget, stored.owner_id) == (
        "Khuyến mãi Tết",
        "email",
        "planned",
        date(2026, 1, 1),
        5_000_000,
        org.sales_a.id,
    )
    assert changes(session, "campaign", camp.id, "create")["name"] == (None, "Khuyến mãi Tết")
    assert campaigns.update(session, org.sales_a, camp.id, {"status": "active", "end_date": "31/01/2026"}) == [
        "status",
        "end_date",
    ]
    session.commit()
    assert changes(session, "campaign", camp.id, "update")["status"] == ("planned", "active")


@pytest.mark.parametrize(
    ("data", "field", "key", "named"),
    [
        ({"name": "  "}, "name", "err.required", None),
        ({"kind": "fax"}, "kind", "err.campaign_choice", "fax"),
        ({"status": "done"}, "status", "err.campaign_choice", "done"),
        ({"start_date": "31/02/2026"}, "start_date", "err.campaign_date", "31/02/2026"),
        ({"start_date": "2026-02-10", "end_date": "2026-02-01"}, "end_date", "err.cp_end_before_start", None),
        ({"budget": "-5"}, "budget", "err.money_negative", "-5"),
        ({"budget": "năm triệu"}, "budget", None, "năm triệu"),
    ],
)
def test_a_wrong_value_is_refused_naming_it_and_changes_nothing(session, org, camp, data, field, key, named):
    with pytest.raises(ValidationFailed) as err:
        campaigns.update(session, org.sales_a, camp.id, {"name": "Đổi tên", **data})
    got_key, params = err.value.errors[field]
    assert key is None or got_key == key
    assert named is None or params.get("value") == named
    assert reloaded(session, Campaign, camp.id).name == "Khuyến mãi Tết"


def test_a_second_campaign_of_one_owner_under_one_name_is_refused_naming_it(session, org, camp):
    with pytest.raises(ValidationFailed) as err:
        campaigns.create(session, org.sales_a, {"name": "  khuyến MÃI tết "})
    key, params = err.value.errors["name"]
    assert (key, params["name"]) == ("err.campaign_name_taken", "khuyến MÃI tết")
    other = campaigns.create(session, org.sales_a, {"name": "Khuyến mãi hè"})
    with pytest.raises(ValidationFailed):
        campaigns.update(session, org.sales_a, other.id, {"name": "Khuyến mãi Tết"})
    session.rollback()
    assert count(session, Campaign) == 1
    # another owner may use the name, and the campaign keeps its own when edited
    assert campaigns.create(session, org.sales_b, {"name": "Khuyến mãi Tết"}).owner_id == org.sales_b.id
    assert campaigns.update(session, org.sales_a, camp.id, {"name": "Khuyến mãi Tết", "status": "active"}) == ["status"]


def test_another_salesperson_can_neither_read_nor_change_a_campaign(session, org, camp, people):
    for attempt in (
        lambda: campaigns.get(session, org.sales_b, camp.id),
        lambda: campaigns.update(session, org.sales_b, camp.id, {"name": "Của tôi"}),
        lambda: campaigns.members(session, org.sales_b, camp.id),
        lambda: campaigns.figures(session, org.sales_b, camp.id),
        lambda: campaigns.add_members(session, org.sales_b, camp.id, "customer", [people["b1"]]),
        lambda: sending.plan(session, org.sales_b, camp.id, None),
    ):
        with pytest.raises(NotAllowed):
            attempt()
    assert campaigns.choices(session, org.sales_b) == []
    assert campaigns.choices(session, org.manager) == [(camp.id, "Khuyến mãi Tết")]  # the team's manager
    assert reloaded(session, Campaign, camp.id).name == "Khuyến mãi Tết"
    with pytest.raises(NotAllowed):  # a salesperson gives a campaign to no one else
        campaigns.create(session, org.sales_a, {"name": "Cho B", "owner_id": str(org.sales_b.id)})


# --- members -------------------------------------------------------------------------------------


def test_members_are_added_only_over_records_the_actor_may_change(session, org, camp, people):
    added = campaigns.add_members(
        session, org.sales_a, camp.id, "customer", [people["a1"], people["a2"], people["b1"], 999999]
    )
    session.commit()
    assert (sorted(added.added), added.skipped) == (sorted([people["a1"], people["a2"]]), 2)
    again = campaigns.add_members(session, org.sales_a, camp.id, "customer", [people["a1"]])
    assert (again.added, again.present) == ([], 1)
    session.commit()
    assert member_ids(session, camp.id) == {people["a1"], people["a2"]}
    assert reloaded(session, Campaign, camp.id).member_count == 2
    assert changes(session, "customer", people["a1"], "campaign_add") == {"campaigns": (None, "Khuyến mãi Tết")}
    with pytest.raises(ServiceError) as err:
        campaigns.add_members(session, org.sales_a, camp.id, "lead", [1])
    assert err.value.params == {"value": "lead"}


def test_the_bulk_action_adds_a_selection_or_every_matching_record(session, org, camp, people):
    chosen = bulk.Action(kind="add_to_campaign", value=str(camp.id))
    result = bulk.run(session, org.sales_a, "customer", bulk.Selection(ids=[people["a1"], people["b1"]]), chosen)
    assert (result.changed, result.skipped) == (1, 1)
    everything = bulk.Selection(spec=ListSpec(entity="customer"))
    result = bulk.run(session, org.sales_a, "customer", everything, chosen)
    assert (result.total, result.changed, result.unchanged) == (4, 3, 1)  # sales A sees their four
    assert member_ids(session, camp.id) == {people[k] for k in ("a1", "a2", "a3", "a4")}
    contact = make_contact(session, org.sales_a, "Hoàng Lan", email="lan@example.vn")
    assert bulk.run(session, org.sales_a, "contact", bulk.Selection(ids=[contact.id]), chosen).changed == 1
    assert reloaded(session, Campaign, camp.id).member_count == 5
    with pytest.raises(BadSpec):  # a lead is no member
        bulk.run(session, org.sales_a, "lead", bulk.Selection(ids=[1]), chosen)
    with pytest.raises(NotAllowed):  # another's campaign
        bulk.run(session, org.sales_b, "customer", bulk.Selection(ids=[people["b1"]]), chosen)
    with pytest.raises(ValidationFailed):
        bulk.plan(session, org.sales_a, "customer", bulk.Action(kind="add_to_campaign", value="abc"))


def test_a_static_list_adds_its_members(session, org, camp, people):
    found = record_lists.create(session, org.sales_a, "customer", {"name": "VIP"})
    record_lists.add_members(session, org.sales_a, found.id, [people["a1"], people["a3"]])
    session.commit()
    added = campaigns.add_from_list(session, org.sales_a, camp.id, found.id)
    session.commit()
    assert sorted(added.added) == sorted([people["a1"], people["a3"]])
    assert member_ids(session, camp.id) == {people["a1"], people["a3"]}


def test_a_member_is_removed_or_given_a_status_checked(session, org, camp, people):
    campaigns.add_members(session, org.sales_a, camp.id, "customer", [people["a1"]])
    session.commit()
    member = session.exec(select(CampaignMember)).one()
    with pytest.raises(ValidationFailed) as err:
        campaigns.set_member_status(session, org.sales_a, member.id, "happy")
    assert err.value.errors["status"][1] == {"value": "happy"}
    with pytest.raises(NotAllowed):
        campaigns.set_member_status(session, org.sales_b, member.id, "responded")
    campaigns.set_member_status(session, org.sales_a, member.id, "responded")
    session.commit()
    assert reloaded(session, CampaignMember, member.id).status == "responded"
    assert [(c.name, c.member_status) for c in campaigns.of_customer(session, org.sales_a, people["a1"])] == [
        ("Khuyến mãi Tết", "responded")
    ]
    with pytest.raises(NotAllowed):
        campaigns.of_customer(session, org.sales_b, people["a1"])
    with pytest.raises(NotAllowed):  # another salesperson removes nobody (the page's confirmed removal)
        campaigns.remove_member(session, org.sales_b, member.id)
    session.rollback()
    assert member_ids(session, camp.id) == {people["a1"]}
    campaigns.remove_member(session, org.sales_a, member.id)
    session.commit()
    assert member_ids(session, camp.id) == set()
    assert reloaded(session, Campaign, camp.id).member_count == 0
    assert changes(session, "customer", people["a1"], "campaign_remove") == {"campaigns": ("Khuyến mãi Tết", None)}


# --- sending ---------------------------------------------------------------------------------------


def test_a_campaign_without_members_or_with_a_wrong_template_is_refused(session, org, camp, template):
    with pytest.raises(ServiceError) as err:
        sending.plan(session, org.sales_a, camp.id, template.id)
    assert (err.value.key, err.value.params) == ("err.campaign_no_members", {"name": "Khuyến mãi Tết"})
    session.execute(
        sa.update(EmailTemplate).where(EmailTemplate.id == template.id).values(body="Chào {{ten_khach}} {{x}}")
    )
    session.commit()
    with pytest.raises(ServiceError) as err:
        sending.template_for(session, template.id)
    assert (err.value.key, err.value.params) == ("err.campaign_placeholder", {"names": "ten_khach, x"})
    with pytest.raises(ServiceError) as err:
        sending.template_for(session, 424242)
    assert err.value.key == "err.campaign_template"
    assert count(session, EmailMessage) == 0


def test_sending_mails_every_member_with_an_unsubscribe_link_and_skips_the_others(
    session, org, camp, people, template, smtp
):
    campaigns.add_members(session, org.sales_a, camp.id, "customer", [people[k] for k in ("a1", "a2", "a3", "a4")])
    session.commit()
    counts = sending.plan(session, org.sales_a, camp.id, template.id)
    assert (counts.will_send, counts.opted_out, counts.no_address, counts.already) == (2, 1, 1, 0)
    steps = list(
        sending.send_steps(session, org.sales_a, camp.id, template.id, BASE, cfg=smtp_settings(smtp.port), chunk=1)
    )
    last = steps[-1]
    assert (len(steps), last.done, last.sent, last.failed, last.plan.opted_out, last.plan.no_address) == (
        3,
        2,
        2,
        0,
        1,
        1,
    )
    got = {m["To"]: m for m in smtp.messages}
    assert set(got) == {"an@example.vn", "binh@example.vn"}
    body = got["an@example.vn"].get_content()
    assert got["an@example.vn"]["Subject"] == "Chúc mừng năm mới Nguyễn Văn An"
    assert "Kính gửi Nguyễn Văn An" in body and f"{BASE}/unsubscribe/" in body
    statuses = dict(session.execute(sa.select(CampaignMember.customer_id, CampaignMember.status)).all())
    assert statuses == {people["a1"]: "sent", people["a2"]: "sent", people["a3"]: "planned", people["a4"]: "planned"}
    shown = campaigns.figures(session, org.sales_a, camp.id)
    assert (shown.members, shown.sent, shown.failed) == (4, 2, 0)
    with pytest.raises(ServiceError) as err:  # nobody is mailed twice
        list(sending.send_steps(session, org.sales_a, camp.id, template.id, BASE, cfg=smtp_settings(smtp.port)))
    assert err.value.key == "err.campaign_nothing_to_send"
    assert len(smtp.messages) == 2


def test_a_contact_member_gets_its_own_name(session, org, camp, template, smtp):
    company = make_customer(session, org.sales_a, "Công ty Hoa Sen", phones="0912000111", kind="business")
    contact = make_contact(session, org.sales_a, "Đỗ Minh Khoa", email="khoa@hoasen.vn", customer_id=company.id)
    campaigns.add_members(session, org.sales_a, camp.id, "contact", [contact.id])
    session.commit()
    list(sending.send_steps(session, org.sales_a, camp.id, template.id, BASE, cfg=smtp_settings(smtp.port)))
    (message,) = smtp.messages
    assert message["To"] == "khoa@hoasen.vn" and message["Subject"] == "Chúc mừng năm mới Đỗ Minh Khoa"
    stored = session.exec(select(EmailMessage)).one()
    assert (stored.customer_id, stored.contact_id) == (company.id, contact.id)


def _send_to_outbox(session, org, camp, people, template, keys=("a1", "a2")):
    """The campaign sent with no SMTP server: its messages wait in the outbox."""
    campaigns.add_members(session, org.sales_a, camp.id, "customer", [people[k] for k in keys])
    session.commit()
    no_server = replace(settings, smtp_host="")
    last = list(sending.send_steps(session, org.sales_a, camp.id, template.id, BASE, cfg=no_server))[-1]
    assert (last.sent, last.waiting) == (0, len(keys))
    return lambda: dict(session.execute(sa.select(CampaignMember.customer_id, CampaignMember.status)).all())


def test_a_member_waiting_in_the_outbox_is_sent_when_the_outbox_delivers_it(session, org, camp, people, template, smtp):
    statuses = _send_to_outbox(session, org, camp, people, template)
    assert statuses() == {people["a1"]: "planned", people["a2"]: "planned"}
    answered = session.exec(select(CampaignMember).where(CampaignMember.customer_id == people["a2"])).one()
    campaigns.set_member_status(session, org.sales_a, answered.id, "responded")  # answered before delivery
    session.commit()
    delivery = mail.deliver_outbox(session, smtp_settings(smtp.port))
    assert delivery.sent == 2 and {m["To"] for m in smtp.messages} == {"an@example.vn", "binh@example.vn"}
    session.expire_all()
    assert statuses() == {people["a1"]: "sent", people["a2"]: "responded"}
    shown = {m.record_id: (m.status, m.mail_status) for m in campaigns.members(session, org.sales_a, camp.id)}
    assert shown == {people["a1"]: ("sent", "sent"), people["a2"]: ("responded", "sent")}
    assert campaigns.figures(session, org.sales_a, camp.id).by_status["sent"] == 1


def test_a_member_whose_mail_fails_for_good_is_failed_with_the_reason(session, org, camp, people, template):
    statuses = _send_to_outbox(session, org, camp, people, template, keys=("a1",))
    down = smtp_settings(free_port())  # nothing listens there
    for attempt in range(1, mail.MAX_ATTEMPTS + 1):
        delivery = mail.deliver_outbox(session, down)
        session.expire_all()
        expected = "failed" if attempt == mail.MAX_ATTEMPTS else "planned"  # tried again until the last
        assert statuses() == {people["a1"]: expected}, attempt
    assert delivery.failed == 1
    (row,) = campaigns.members(session, org.sales_a, camp.id)
    assert (row.status, row.mail_status) == ("failed", "failed") and row.mail_error  # the server's answer
    assert campaigns.figures(session, org.sales_a, camp.id).failed == 1
    with pytest.raises(NotAllowed):  # another salesperson reads neither the members nor the reason
        campaigns.members(session, org.sales_b, camp.id)


def test_a_refusing_servers_answer_is_kept_as_it_said_it(session, org, camp, people, template, smtp):
    statuses = _send_to_outbox(session, org, camp, people, template, keys=("a1",))
    smtp.busy.add("an@example.vn")
    for _ in range(mail.MAX_ATTEMPTS):
        mail.deliver_outbox(session, smtp_settings(smtp.port))
    session.expire_all()
    assert statuses() == {people["a1"]: "failed"}
    (row,) = campaigns.members(session, org.sales_a, camp.id)
    assert row.mail_error == "451 4.2.1 Mailbox busy, try again later"


def test_a_campaign_message_carries_the_one_click_unsubscribe_headers(session, org, camp, people, template, smtp):
    campaigns.add_members(session, org.sales_a, camp.id, "customer", [people["a1"]])
    session.commit()
    list(sending.send_steps(session, org.sales_a, camp.id, template.id, BASE, cfg=smtp_settings(smtp.port)))
    (message,) = smtp.messages
    link = f"{BASE}/unsubscribe/" + message.get_content().split(f"{BASE}/unsubscribe/")[1].split()[0]
    assert message["List-Unsubscribe"] == f"<{link}>"  # the same signed link as in the body
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    stored = session.exec(select(EmailMessage)).one()
    assert stored.unsubscribe_url == link


def test_a_customers_own_mail_has_no_unsubscribe_header(session, org, people, smtp):
    mail.compose(session, org.sales_a, people["a1"], {"subject": "Báo giá", "body": "Kính gửi anh An"})
    mail.deliver_outbox(session, smtp_settings(smtp.port))
    (message,) = smtp.messages
    assert message["List-Unsubscribe"] is None and message["List-Unsubscribe-Post"] is None


# --- unsubscribe -----------------------------------------------------------------------------------


@pytest.fixture
def member(session, org, camp, people) -> CampaignMember:
    campaigns.add_members(session, org.sales_a, camp.id, "customer", [people["a1"]])
    session.commit()
    return session.exec(select(CampaignMember)).one()


def test_a_good_token_opts_the_member_out_with_history(session, people, member):
    token = unsubscribe.token_for(session, member.id)
    session.commit()
    assert unsubscribe.unsubscribe(session, token) == "an@example.vn"
    assert reloaded(session, Customer, people["a1"]).email_opt_out is True
    assert reloaded(session, CampaignMember, member.id).status == "unsubscribed"
    row = session.exec(select(AuditLog).where(AuditLog.field == "email_opt_out", AuditLog.action == "update")).one()
    assert (row.entity_id, row.old_value, row.new_value, row.user_id) == (people["a1"], "0", "1", None)
    assert changes(session, "customer", people["a1"], "unsubscribe") == {"campaigns": (None, "Khuyến mãi Tết")}
    assert unsubscribe.unsubscribe(session, token) == "an@example.vn"  # opened twice: nothing more


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # the signature changed
        lambda t: str(int(t.split(".")[0]) + 1) + t[t.index(".") :],  # another member
        lambda t: ".".join([t.split(".")[0], str(int(t.split(".")[1]) + 86400), t.split(".")[2]]),  # a later day
        lambda t: "rác",
        lambda t: "",
    ],
)
def test_a_tampered_token_changes_nothing(session, people, member, tamper):
    token = tamper(unsubscribe.token_for(session, member.id))
    session.commit()
    with pytest.raises(ServiceError) as err:
        unsubscribe.unsubscribe(session, token)
    assert err.value.key == "err.unsubscribe_invalid"
    assert reloaded(session, Customer, people["a1"]).email_opt_out is False
    assert reloaded(session, CampaignMember, member.id).status == "planned"


def test_an_expired_token_changes_nothing(session, people, member):
    long_ago = 1_000_000_000.0
    token = unsubscribe.token_for(session, member.id, now=long_ago)
    session.commit()
    with pytest.raises(ServiceError) as err:
        unsubscribe.unsubscribe(session, token)
    assert err.value.key == "err.unsubscribe_expired"
    assert reloaded(session, Customer, people["a1"]).email_opt_out is False
    assert unsubscribe.member_of(session, token, now=long_ago + 3600).id == member.id  # valid on its day


# --- figures ---------------------------------------------------------------------------------------


def test_figures_count_deals_of_members_from_the_start_date(session, org, camp, people):
    campaigns.add_members(session, org.sales_a, camp.id, "customer", [people["a1"], people["a2"]])
    pipe = pipelines.ensure_default_pipeline(session)
    stages = {s.name: s for s in pipelines.stages(session, pipe.id)}
    won = opportunities.create(
        session,
        org.sales_a,
        {"name": "Tour", "value": "30.000.000", "customer_id": people["a1"], "stage_id": stages["Mới"].id},
    )
    opportunities.move(session, org.sales_a, won.id, stages["Thành công"].id)
    opportunities.create(
        session,
        org.sales_a,
        {"name": "Vé", "value": "7.000.000", "customer_id": people["a2"], "stage_id": stages["Mới"].id},
    )
    opportunities.create(  # not a member
        session,
        org.sales_a,
        {"name": "Khác", "value": "9.000.000", "customer_id": people["a3"], "stage_id": stages["Mới"].id},
    )
    session.commit()
    shown = campaigns.figures(session, org.sales_a, camp.id)
    assert (shown.members, shown.deals, shown.won_value, shown.by_status["planned"]) == (2, 2, 30_000_000, 2)
    campaigns.update(session, org.sales_a, camp.id, {"start_date": (local_today() + timedelta(days=1)).isoformat()})
    session.commit()
    assert campaigns.figures(session, org.sales_a, camp.id).deals == 0  # made before the campaign started


# --- the rule action "add to a campaign" ----------------------------------------------------------


def test_a_rule_adds_matching_records_to_a_campaign_and_its_preview_changes_nothing(session, org, camp, people):
    campaigns.update(session, org.manager, camp.id, {"status": "active"})
    rule = rules.save(
        session,
        org.manager,
        {
            "name": "Khách có e-mail vào chiến dịch",
            "entity": "customer",
            "conditions": {"op": "and", "items": [{"field": "email", "operator": "not_empty"}]},
            "actions": [{"kind": "add_to_campaign", "value": camp.id}],
        },
    )
    session.commit()
    ids = list(people.values())
    seen = runner.preview(session.get_bind(), org.sales_a, rule.id, "customer", bulk.Selection(ids=ids))
    assert member_ids(session, camp.id) == set()
    *_, done = runner.run_logged(session, org.sales_a, rule.id, "customer", bulk.Selection(ids=ids))
    # sales A runs it: B's customer skipped, the one without an e-mail not matched
    assert (done.selected, done.matched, done.skipped, done.changed) == (5, 3, 1, 3)
    assert (seen.report.matched, seen.report.changed) == (done.matched, done.changed)
    assert member_ids(session, camp.id) == {people[k] for k in ("a1", "a2", "a4")}
    assert session.exec(select(AuditLog).where(AuditLog.action == "campaign_add")).first().rule_id == rule.id


def test_a_rule_naming_a_campaign_it_may_not_use_or_a_lead_is_refused(session, org, camp):
    base = {
        "name": "R",
        "conditions": {"op": "and", "items": []},
        "actions": [{"kind": "add_to_campaign", "value": camp.id}],
    }
    with pytest.raises(NotAllowed):  # the other team's manager cannot change that campaign
        rules.save(session, org.other_manager, {**base, "entity": "customer"})
    with pytest.raises(BadSpec):
        rules.save(session, org.manager, {**base, "entity": "lead"})
    with pytest.raises(ValidationFailed):
        rules.save(session, org.manager, {**base, "entity": "customer", "actions": [{"kind": "add_to_campaign"}]})
    session.rollback()
    assert count(session, Contact) == 0


# --- the public route ------------------------------------------------------------------------------


def test_the_unsubscribe_route_asks_then_opts_out_without_signing_in(session, people, member):
    from starlette.testclient import TestClient

    from crm_app.api import api

    client = TestClient(api, base_url="http://testserver", follow_redirects=False)
    token = unsubscribe.token_for(session, member.id)
    expired = unsubscribe.token_for(session, member.id, now=1_000_000_000.0)
    session.commit()
    asked = client.get(f"/unsubscribe/{token}")
    assert asked.status_code == 200 and "an@example.vn" in asked.text and 'id="unsubscribe-confirm"' in asked.text
    assert reloaded(session, Customer, people["a1"]).email_opt_out is False  # opening the link asks only
    for bad, status in ((token[:-1] + ("x" if token[-1] != "x" else "y"), 400), (expired, 410)):
        refused = client.post(f"/unsubscribe/{bad}")
        assert refused.status_code == status and 'id="refusal"' in refused.text
        assert reloaded(session, Customer, people["a1"]).email_opt_out is False
    done = client.post(f"/unsubscribe/{token}")
    assert done.status_code == 200 and 'id="unsubscribed"' in done.text
    assert reloaded(session, Customer, people["a1"]).email_opt_out is True
    assert reloaded(session, CampaignMember, member.id).status == "unsubscribed"
    again = client.get(f"/unsubscribe/{token}")  # the link opened again says it is done, asks nothing
    assert again.status_code == 200 and "đã hủy nhận" in again.text and "unsubscribe-confirm" not in again.text
    other_site = client.post(f"/unsubscribe/{token}", headers={"origin": "https://evil.example"})
    assert other_site.status_code == 403


@pytest.mark.parametrize(
    "post",
    [
        {"data": {"List-Unsubscribe": "One-Click"}},  # form encoded, as RFC 8058 says
        {"files": {"List-Unsubscribe": (None, "One-Click")}},  # multipart, as some clients send it
    ],
)
def test_a_mail_clients_one_click_post_unsubscribes_from_anywhere(session, people, member, post):
    from starlette.testclient import TestClient

    from crm_app.api import api

    client = TestClient(api, base_url="http://testserver", follow_redirects=False)
    token = unsubscribe.token_for(session, member.id)
    session.commit()
    mail_client = {"origin": "https://mail.example"}  # not the app's page
    wrong = client.post(f"/unsubscribe/{token}", headers=mail_client, data={"List-Unsubscribe": "Yes"})
    assert wrong.status_code == 403
    tampered = client.post(f"/unsubscribe/{token[:-2]}xx", headers=mail_client, **post)
    assert tampered.status_code == 400
    assert reloaded(session, Customer, people["a1"]).email_opt_out is False
    done = client.post(f"/unsubscribe/{token}", headers=mail_client, **post)
    assert done.status_code == 200 and 'id="unsubscribed"' in done.text
    assert reloaded(session, Customer, people["a1"]).email_opt_out is True
    assert reloaded(session, CampaignMember, member.id).status == "unsubscribed"


def test_a_merge_keeps_one_place_per_campaign(session, org, camp, people):
    from crm_app.services.customer import merge

    other = campaigns.create(session, org.sales_a, {"name": "Hè 2026"})
    campaigns.add_members(session, org.sales_a, camp.id, "customer", [people["a1"], people["a2"]])
    campaigns.add_members(session, org.sales_a, other.id, "customer", [people["a2"]])
    session.commit()
    merge.merge(session, org.manager, [people["a1"], people["a2"]], people["a1"], {})
    session.commit()
    rows = session.execute(sa.select(CampaignMember.campaign_id, CampaignMember.customer_id)).all()
    assert sorted(rows) == sorted([(camp.id, people["a1"]), (other.id, people["a1"])])
    assert reloaded(session, Campaign, camp.id).member_count == 1
    assert reloaded(session, Campaign, other.id).member_count == 1

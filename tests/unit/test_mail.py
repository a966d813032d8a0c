"""E-mail: templates and placeholders, opt-out and rights, the outbox, delivery over real SMTP."""

from dataclasses import replace

import pytest

from crm_app.models import Activity, AuditLog, EmailMessage, EmailTemplate
from crm_app.services.errors import NotAllowed, ServiceError, ValidationFailed
from crm_app.services.mail import mail, outbox
from crm_app.services.work import activities
from crm_app.settings import settings
from tests.smtp_sink import SmtpSink, free_port
from tests.unit.factories import count, make_customer, reloaded


@pytest.fixture
def cust(session, org):
    return make_customer(session, org.sales_a, "Nguyễn Văn An", email="an@example.vn", phones="0912345678")


@pytest.fixture
def smtp():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


def smtp_settings(port: int):
    return replace(
        settings, smtp_host="127.0.0.1", smtp_port=port, smtp_tls="none", smtp_user="", smtp_from="crm@congty.vn"
    )


def test_render_fills_known_placeholders_and_keeps_others():
    values = {"customer_name": "Nguyễn Văn An", "owner_name": "Sales A"}
    assert (
        mail.render("Chào {{customer_name}}, tôi là {{ owner_name }}.", values) == "Chào Nguyễn Văn An, tôi là Sales A."
    )
    assert mail.render("{{unknown}} {customer_name}", values) == "{{unknown}} {customer_name}"
    assert mail.unknown_placeholders("{{customer_name}} {{ten_khach}} {{x}}") == ["ten_khach", "x"]


def test_admin_manages_templates_with_checked_placeholders(session, org):
    data = {
        "name": "Chào mừng",
        "subject": "Chào {{customer_name}}",
        "body": "Thân gửi {{customer_name}},\n{{owner_name}} phụ trách anh/chị.",
        "active": True,
    }
    with pytest.raises(NotAllowed):
        mail.save_template(session, org.manager, data)
    tpl = mail.save_template(session, org.admin, data)
    with pytest.raises(ValidationFailed) as err:
        mail.save_template(session, org.admin, {**data, "name": "Khác", "body": "{{ten_sai}}"})
    assert err.value.errors["body"][0] == "err.unknown_placeholder"
    with pytest.raises(ValidationFailed) as err:
        mail.save_template(session, org.admin, {**data, "subject": "Khác"})
    assert "name" in err.value.errors
    mail.save_template(session, org.admin, {**data, "subject": "Xin chào {{customer_name}}"}, tpl.id)
    assert count(session, EmailTemplate) == 1
    assert reloaded(session, EmailTemplate, tpl.id).subject == "Xin chào {{customer_name}}"


def test_preview_and_compose_from_a_template(session, org, cust):
    tpl = mail.save_template(
        session,
        org.admin,
        {
            "name": "T",
            "subject": "Chào {{customer_name}} ({{customer_code}})",
            "body": "NV phụ trách: {{owner_name}}",
            "active": True,
        },
    )
    subject, body = mail.preview(session, org.sales_a, cust.id, tpl.id)
    assert subject == f"Chào Nguyễn Văn An ({cust.code})" and body == "NV phụ trách: Sales A"
    msg = mail.compose(session, org.sales_a, cust.id, {"template_id": tpl.id, "subject": tpl.subject, "body": tpl.body})
    stored = reloaded(session, EmailMessage, msg.id)
    assert (stored.status, stored.to_addr, stored.subject) == ("outbox", "an@example.vn", subject)
    # Kept on the record, on the timeline and in its history.
    assert [m.id for m in mail.of_customer(session, org.sales_a, cust.id)] == [msg.id]
    assert [a.type_code for a in activities.of_customer(session, org.sales_a, cust.id)] == ["email"]
    assert (
        session.exec(AuditLog.__table__.select().where(AuditLog.entity == "email", AuditLog.root_id == cust.id)).first()
        is not None
    )


def test_opted_out_or_addressless_customers_cannot_be_emailed(session, org, cust):
    opted = make_customer(session, org.sales_a, "Trần Thị Bình", email="binh@example.vn", email_opt_out=True)
    bare = make_customer(session, org.sales_a, "Lê Văn Cường")
    for customer, key in ((opted, "err.email_opt_out"), (bare, "err.customer_no_email")):
        with pytest.raises(ServiceError) as err:
            mail.compose(session, org.sales_a, customer.id, {"subject": "S", "body": "B"})
        assert err.value.key == key
    assert count(session, EmailMessage) == 0 and count(session, Activity) == 0


def test_sales_cannot_email_or_read_anothers_customer(session, org, cust):
    mail.compose(session, org.sales_a, cust.id, {"subject": "S", "body": "B"})
    with pytest.raises(NotAllowed):
        mail.compose(session, org.sales_b, cust.id, {"subject": "S", "body": "B"})
    with pytest.raises(NotAllowed):
        mail.of_customer(session, org.other_manager, cust.id)
    with pytest.raises(NotAllowed):
        mail.preview(session, org.sales_b, cust.id, 1)
    assert count(session, EmailMessage) == 1


def test_bad_compose_is_refused(session, org, cust):
    with pytest.raises(ValidationFailed) as err:
        mail.compose(session, org.sales_a, cust.id, {"subject": "", "body": ""})
    assert set(err.value.errors) == {"subject", "body"}
    assert count(session, EmailMessage) == 0


def test_without_smtp_mail_waits_in_the_outbox(session, org, cust):
    mail.compose(session, org.sales_a, cust.id, {"subject": "S", "body": "B"})
    result = mail.deliver_outbox(session, replace(settings, smtp_host=""))
    assert (result.sent, result.waiting) == (0, 1)
    assert outbox.outbox_count(session) == 1


def test_delivery_over_smtp_reaches_the_server(session, org, cust, smtp):
    msg = mail.compose(
        session, org.sales_a, cust.id, {"subject": "Báo giá tour Đà Nẵng", "body": "Kính gửi {{customer_name}}, ..."}
    )
    result = mail.deliver_outbox(session, smtp_settings(smtp.port))
    assert result.sent == 1
    got = smtp.wait_for(1)
    assert len(got) == 1
    assert got[0]["To"] == "an@example.vn" and got[0]["Subject"] == "Báo giá tour Đà Nẵng"
    assert "Kính gửi Nguyễn Văn An" in got[0].get_content()
    stored = reloaded(session, EmailMessage, msg.id)
    assert stored.status == "sent" and stored.sent_at is not None
    assert mail.deliver_outbox(session, smtp_settings(smtp.port)).sent == 0  # nothing sent twice


def test_unreachable_server_keeps_mail_then_marks_it_failed(session, org, cust):
    msg = mail.compose(session, org.sales_a, cust.id, {"subject": "S", "body": "B"})
    cfg = smtp_settings(free_port())  # nobody listens there
    for _ in range(mail.MAX_ATTEMPTS - 1):
        assert mail.deliver_outbox(session, cfg).waiting == 1
    assert reloaded(session, EmailMessage, msg.id).status == "outbox"
    assert mail.deliver_outbox(session, cfg).failed == 1
    stored = reloaded(session, EmailMessage, msg.id)
    assert stored.status == "failed" and stored.error


def test_a_message_taken_by_another_delivery_is_not_sent_twice(session, org, cust, smtp):
    from datetime import timedelta

    import sqlalchemy as sa

    from crm_app.models._base import utcnow

    msg = mail.compose(session, org.sales_a, cust.id, {"subject": "S", "body": "B"})
    # Another worker took it a moment ago.
    session.exec(sa.update(EmailMessage).where(EmailMessage.id == msg.id).values(status="sending", claimed_at=utcnow()))
    session.commit()
    assert mail.deliver_outbox(session, smtp_settings(smtp.port)).sent == 0
    assert smtp.messages == []
    # That worker died: after a while the message is back in the outbox and goes out once.
    session.exec(
        sa.update(EmailMessage)
        .where(EmailMessage.id == msg.id)
        .values(claimed_at=utcnow() - mail.STALE_CLAIM - timedelta(seconds=1))
    )
    session.commit()
    assert mail.deliver_outbox(session, smtp_settings(smtp.port)).sent == 1
    assert len(smtp.wait_for(1)) == 1
    assert mail.deliver_outbox(session, smtp_settings(smtp.port)).sent == 0

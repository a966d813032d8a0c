"""Calendar, dashboard figures, rescheduling, watchers and notify-on-change: rules and rights."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from crm_app.models import Activity, AuditLog, CatalogItem, Notification, Watcher
from crm_app.services.customer import customers, notes
from crm_app.services.errors import NotAllowed, ValidationFailed
from crm_app.services.formatting import fmt_vnd_short
from crm_app.services.lists import query
from crm_app.services.people import work_scope
from crm_app.services.people.work_scope import local_date, local_today
from crm_app.services.pipeline import leads, opportunities, pipelines
from crm_app.services.records import watchers
from crm_app.services.work import activities, calendar, dashboard, notifications
from tests.unit.factories import count, default_catalogs, make_customer, make_org, reloaded

TODAY = local_today()


def _at(day, hour: int = 10, minute: int = 0) -> str:
    return f"{day.isoformat()}T{hour:02d}:{minute:02d}"


@pytest.fixture
def org(session):
    default_catalogs(session)
    pipelines.ensure_default_pipeline(session)
    return make_org(session)


@pytest.fixture
def cust_a(session, org):
    return make_customer(session, org.sales_a, "Nguyễn Văn An", phones="0912 345 678")


@pytest.fixture
def cust_b(session, org):
    return make_customer(session, org.sales_b, "Lê Thị Bình", phones="0987 654 321")


def _task(session, actor, customer, subject, due, **extra):
    return activities.create(
        session,
        actor,
        customer.id,
        {"type_code": "task", "subject": subject, "due_at": due, "assignee_id": actor.id, "status": "planned", **extra},
    )


def _call(session, actor, customer, subject, at):
    return activities.create(session, actor, customer.id, {"type_code": "call", "subject": subject, "at": at})


# --- the owner copies -------------------------------------------------------------------------


def test_activities_carry_their_customers_owner_and_archive_flag(session, org, cust_a):
    call = _call(session, org.sales_a, cust_a, "Gọi tư vấn", _at(TODAY))
    assert (call.owner_id, call.archived, call.name_norm) == (org.sales_a.id, False, "goi tu van")
    customers.update(
        session,
        org.manager,
        cust_a.id,
        {
            **customers.clone_values(session, org.manager, cust_a.id),
            "full_name": cust_a.full_name,
            "owner_id": org.sales_b.id,
        },
    )
    session.commit()
    assert reloaded(session, Activity, call.id).owner_id == org.sales_b.id
    customers.set_archived(session, org.manager, cust_a.id, True)
    session.commit()
    assert reloaded(session, Activity, call.id).archived is True
    # rows written in bulk without the copies get them from the customer
    session.execute(
        sa.insert(Activity.__table__).values(
            customer_id=cust_a.id,
            type_code="note",
            subject="x",
            content="",
            at=datetime.now(UTC),
            status="done",
            created_at=datetime.now(UTC),
            updated_at=datetime.now(UTC),
            name_norm="x",
        )
    )
    session.commit()
    bulk = session.execute(sa.select(Activity.owner_id, Activity.archived).where(Activity.subject == "x")).one()
    assert tuple(bulk) == (org.sales_b.id, True)


# --- calendar ---------------------------------------------------------------------------------


def test_calendar_places_tasks_at_their_due_day_and_keeps_to_what_the_user_sees(session, org, cust_a, cust_b):
    tomorrow = TODAY + timedelta(days=1)
    _task(session, org.sales_a, cust_a, "Gửi báo giá", _at(tomorrow, 16), at=_at(TODAY - timedelta(days=3)))
    _call(session, org.sales_a, cust_a, "Gọi khách", _at(TODAY, 9, 30))
    _call(session, org.sales_b, cust_b, "Gọi khách B", _at(TODAY, 8))
    week = calendar.week_of(TODAY)
    end = week[-1] + timedelta(days=8)

    def seen(actor, scope=None):
        return {(i.subject, i.day, i.time) for i in calendar.items(session, actor, week[0], end, scope)}

    assert seen(org.sales_a) == {("Gửi báo giá", tomorrow, "16:00"), ("Gọi khách", TODAY, "09:30")}
    assert {s for s, _, _ in seen(org.manager)} == {"Gửi báo giá", "Gọi khách", "Gọi khách B"}
    assert {s for s, _, _ in seen(org.manager, frozenset({org.sales_b.id}))} == {"Gọi khách B"}
    assert seen(org.other_manager) == set()
    assert {s for s, _, _ in seen(org.admin)} == {"Gửi báo giá", "Gọi khách", "Gọi khách B"}


def test_month_grid_is_whole_weeks_from_monday(session):
    days = calendar.month_grid(datetime(2026, 11, 1).date())
    assert days[0].isoformat() == "2026-10-26" and days[-1].isoformat() == "2026-12-06" and len(days) == 42


def test_reschedule_moves_to_another_day_at_the_same_time_with_history(session, org, cust_a):
    task = _task(session, org.sales_a, cust_a, "Đặt cọc", _at(TODAY, 14, 15))
    call = _call(session, org.sales_a, cust_a, "Gọi", _at(TODAY, 9))
    target = TODAY + timedelta(days=3)
    activities.reschedule(session, org.sales_a, task.id, target.isoformat())
    activities.reschedule(session, org.sales_a, call.id, target.isoformat())
    session.commit()
    task, call = reloaded(session, Activity, task.id), reloaded(session, Activity, call.id)
    assert local_date(task.due_at) == target and local_date(call.at) == target
    assert (task.due_at.replace(tzinfo=UTC) + timedelta(hours=7)).strftime("%H:%M") == "14:15"
    moved = (
        session.execute(sa.select(AuditLog.field).where(AuditLog.entity == "activity", AuditLog.action == "update"))
        .scalars()
        .all()
    )
    assert sorted(moved) == ["at", "due_at"]


def test_reschedule_refuses_a_bad_day_and_others_activities(session, org, cust_a):
    call = _call(session, org.sales_a, cust_a, "Gọi", _at(TODAY, 9))
    session.commit()
    before = reloaded(session, Activity, call.id).at
    for day in ("", "31/02/2026", "2026-13-01"):
        with pytest.raises(ValidationFailed):
            activities.reschedule(session, org.sales_a, call.id, day)
    for other in (org.sales_b, org.other_manager):
        with pytest.raises(NotAllowed):
            activities.reschedule(session, other, call.id, TODAY.isoformat())
    assert reloaded(session, Activity, call.id).at == before


# --- scope -------------------------------------------------------------------------------------


def test_scope_sales_only_themselves_managers_their_team(session, org):
    assert work_scope.scope_of(session, org.sales_a) == frozenset({org.sales_a.id})
    assert work_scope.scope_of(session, org.manager, org.sales_b.id) == frozenset({org.sales_b.id})
    assert work_scope.scope_of(session, org.manager, team_id=org.team1.id) == org.manager.visible_owner_ids
    assert work_scope.scope_of(session, org.admin) is None
    for actor, user_id, team_id in (
        (org.sales_a, org.sales_b.id, None),
        (org.manager, org.other_sales.id, None),
        (org.manager, None, org.team2.id),
        (org.sales_a, 999, None),
    ):
        with pytest.raises(NotAllowed):
            work_scope.scope_of(session, actor, user_id, team_id)
    assert [n for _, n in work_scope.team_options(session, org.manager)] == ["Kinh doanh Hà Nội"]
    assert {i for i, _ in work_scope.user_options(session, org.manager)} == org.manager.visible_owner_ids


# --- dashboard figures ------------------------------------------------------------------------


def test_open_tasks_today_and_overdue_of_the_scope(session, org, cust_a, cust_b):
    _task(session, org.sales_a, cust_a, "Hôm nay", _at(TODAY, 16))
    _task(session, org.sales_a, cust_a, "Quá hạn", _at(TODAY - timedelta(days=2), 10))
    _task(session, org.sales_a, cust_a, "Ngày mai", _at(TODAY + timedelta(days=1), 10))
    done = _task(session, org.sales_a, cust_a, "Xong rồi", _at(TODAY, 8))
    activities.update(session, org.sales_a, done.id, {"status": "done"})
    _task(session, org.sales_b, cust_b, "Của B", _at(TODAY, 11))
    mine = dashboard.open_tasks(session, org.sales_a, work_scope.scope_of(session, org.sales_a), TODAY)
    assert [t.subject for t in mine] == ["Quá hạn", "Hôm nay"]
    team = dashboard.open_tasks(session, org.manager, work_scope.scope_of(session, org.manager), TODAY)
    assert {t.subject for t in team} == {"Quá hạn", "Hôm nay", "Của B"}


def test_busy_days_and_activities_by_type_user_and_week(session, org, cust_a, cust_b):
    first, nxt = work_scope.month_bounds(TODAY)
    _call(session, org.sales_a, cust_a, "Gọi 1", _at(first, 9))
    _call(session, org.sales_a, cust_a, "Gọi 2", _at(first, 23, 30))  # 16:30 UTC: still that day in Vietnam
    _task(session, org.sales_b, cust_b, "Việc", _at(first + timedelta(days=1), 10))
    team = work_scope.scope_of(session, org.manager)
    assert dashboard.busy_days(session, org.manager, team, first) == {first, first + timedelta(days=1)}
    assert dashboard.busy_days(session, org.sales_b, frozenset({org.sales_b.id}), first) == {first + timedelta(days=1)}
    assert dashboard.busy_days(session, org.other_manager, None, first) == set()
    assert dict(dashboard.activities_by(session, org.manager, team, first, nxt, "type")) == {"call": 2, "task": 1}
    assert dict(dashboard.activities_per_user(session, org.manager, team, first, nxt)) == {"Sales A": 2, "Sales B": 1}
    weeks = dashboard.activities_by(session, org.manager, team, first, nxt, "week")
    assert sum(n for _, n in weeks) == 3 and all(day.weekday() == 0 for day, _ in weeks)
    assert dashboard.activities_per_user(session, org.other_manager, None, first, nxt) == []


def test_pipeline_won_lost_leads_and_new_customers_keep_to_the_scope(session, org, cust_a, cust_b):
    pipe = pipelines.ensure_default_pipeline(session)
    stages = {s.name: s for s in pipelines.stages(session, pipe.id)}
    opportunities.create(
        session,
        org.sales_a,
        {"name": "Tour A", "value": "100.000.000", "customer_id": cust_a.id, "stage_id": stages["Mới"].id},
    )
    won = opportunities.create(
        session,
        org.sales_a,
        {"name": "Tour A2", "value": "50.000.000", "customer_id": cust_a.id, "stage_id": stages["Mới"].id},
    )
    opportunities.move(session, org.sales_a, won.id, stages["Thành công"].id)
    lost = opportunities.create(
        session,
        org.sales_b,
        {"name": "Tour B", "value": "70.000.000", "customer_id": cust_b.id, "stage_id": stages["Mới"].id},
    )
    reason = session.execute(sa.select(CatalogItem.id).where(CatalogItem.kind == "lost_reason")).scalars().first()
    opportunities.move(session, org.sales_b, lost.id, stages["Thất bại"].id, lost_reason_id=reason)
    source = session.execute(sa.select(CatalogItem.id).where(CatalogItem.kind == "source")).scalars().first()
    leads.create(session, org.sales_a, {"full_name": "Phạm Minh", "phone": "0903 111 222", "source_id": source})
    leads.create(session, org.sales_b, {"full_name": "Vũ Lan", "phone": "0903 111 333"})
    first, nxt = work_scope.month_bounds(TODAY)
    team, only_a = work_scope.scope_of(session, org.manager), frozenset({org.sales_a.id})

    by_stage = {f.name: (f.count, f.value) for f in dashboard.pipeline_by_stage(session, org.manager, team, pipe.id)}
    assert by_stage["Mới"] == (1, 100_000_000) and "Thành công" not in by_stage
    assert dashboard.won_lost(session, org.manager, team, first, nxt) == {
        "won": (1, 50_000_000),
        "lost": (1, 70_000_000),
    }
    assert dashboard.won_lost(session, org.manager, only_a, first, nxt)["lost"] == (0, 0)
    assert dashboard.won_lost(session, org.other_manager, None, first, nxt) == {"won": (0, 0), "lost": (0, 0)}
    assert sorted(n for _, n in dashboard.leads_by_source(session, org.manager, team, first, nxt, "vi")) == [1, 1]
    assert "Không rõ nguồn" in dict(dashboard.leads_by_source(session, org.sales_b, None, first, nxt, "vi"))
    assert dashboard.new_customers(session, org.manager, team, first, nxt) == 2
    assert dashboard.new_customers(session, org.sales_a, None, first, nxt) == 1
    assert dashboard.new_customers(session, org.other_manager, None, first, nxt) == 0


def test_recent_customers_are_the_users_own_work_that_the_actor_sees(session, org, cust_a, cust_b):
    older = make_customer(session, org.sales_a, "Trần Văn Cường")
    notes.create(session, org.sales_a, cust_a.id, {"body": "Khách hẹn tuần sau"})
    recent = dashboard.recent_customers(session, org.sales_a, org.sales_a.id)
    assert [r[0] for r in recent][:2] == [cust_a.id, older.id]
    assert dashboard.recent_customers(session, org.other_manager, org.sales_a.id) == []


# --- the activities list ----------------------------------------------------------------------


def test_activity_list_pages_searches_and_shows_labels_and_names(session, org, cust_a, cust_b):
    # the task's time given too: left out, it is the moment it is created, before 9:00 just after midnight
    _task(session, org.sales_a, cust_a, "Gửi hợp đồng", _at(TODAY, 10), at=_at(TODAY, 10))
    _call(session, org.sales_a, cust_a, "Gọi tư vấn", _at(TODAY, 9))
    _call(session, org.sales_b, cust_b, "Gọi cho Bình", _at(TODAY, 8))
    spec = query.ListSpec(entity="activity", columns=["at", "type_code", "subject", "customer_id", "assignee_id"])
    page = query.fetch_page(session, org.sales_a, spec, "vi")
    assert [r["subject"] for r in page.rows] == ["Gửi hợp đồng", "Gọi tư vấn"]
    assert page.rows[0]["type_code"] == "Công việc" and page.rows[0]["assignee_id"] == "Sales A"
    assert page.rows[0]["customer_id"] == "Nguyễn Văn An"
    assert query.count_upto(session, org.manager, spec) == (3, False)
    spec.search = "goi tu"
    assert [r["subject"] for r in query.fetch_page(session, org.manager, spec, "vi").rows] == ["Gọi tư vấn"]
    by_type = dashboard.activities_by(
        session,
        org.manager,
        None,
        TODAY,
        TODAY + timedelta(days=1),
        "type",
        extra=query.where_clauses(org.manager, spec),
    )
    assert by_type == [("call", 1)]


# --- watchers and notify-on-change ------------------------------------------------------------


def _unread(session, actor) -> list[str]:
    return [n.text for n in notifications.unread(session, actor.id)]


def test_owner_and_watchers_hear_of_changes_but_not_the_one_who_made_them(session, org, cust_a):
    watchers.set_watching(session, org.manager, "customer", cust_a.id, True)
    assert watchers.is_watching(session, org.manager, "customer", cust_a.id)
    notes.create(session, org.sales_a, cust_a.id, {"body": "Khách đồng ý"})
    session.commit()
    assert _unread(session, org.manager) == ["Sales A đã cập nhật Nguyễn Văn An"]
    assert _unread(session, org.sales_a) == []
    activities.create(session, org.manager, cust_a.id, {"type_code": "call", "subject": "Gọi hỏi thăm"})
    session.commit()
    assert _unread(session, org.sales_a) == ["Manager Hn đã cập nhật Nguyễn Văn An"]
    watchers.set_watching(session, org.manager, "customer", cust_a.id, False)
    notes.create(session, org.sales_a, cust_a.id, {"body": "Lần nữa"})
    assert len(_unread(session, org.manager)) == 1
    assert count(session, Watcher) == 0


def test_a_new_record_or_a_refused_change_notifies_no_one(session, org):
    cust = make_customer(session, org.manager, "Đỗ Thị Hạnh", owner_id=org.sales_a.id)
    assert _unread(session, org.sales_a) == []
    with pytest.raises(ValidationFailed):
        activities.create(session, org.manager, cust.id, {"type_code": "call"})
    session.rollback()
    assert count(session, Notification) == 0


def test_only_records_one_sees_can_be_watched(session, org, cust_a):
    for actor in (org.sales_b, org.other_manager):
        with pytest.raises(NotAllowed):
            watchers.set_watching(session, actor, "customer", cust_a.id, True)
    with pytest.raises(NotAllowed):
        watchers.set_watching(session, org.admin, "invoice", 1, True)
    assert count(session, Watcher) == 0


def test_a_watched_deal_and_lead_tell_their_watchers(session, org, cust_a):
    deal = opportunities.create(
        session, org.sales_a, {"name": "Tour Nhật Bản", "value": "90.000.000", "customer_id": cust_a.id}
    )
    lead = leads.create(session, org.sales_a, {"full_name": "Hồ Văn Tâm", "phone": "0905 123 456"})
    watchers.set_watching(session, org.manager, "opportunity", deal.id, True)
    watchers.set_watching(session, org.manager, "lead", lead.id, True)
    opportunities.update(
        session,
        org.sales_a,
        deal.id,
        {"name": "Tour Nhật Bản mùa thu", "value": "95.000.000", "customer_id": cust_a.id},
    )
    leads.update(
        session, org.sales_a, lead.id, {"full_name": "Hồ Văn Tâm", "phone": "0905 123 456", "status": "contacted"}
    )
    session.commit()
    texts = _unread(session, org.manager)
    assert "Sales A đã cập nhật Tour Nhật Bản mùa thu" in texts and "Sales A đã cập nhật Hồ Văn Tâm" in texts
    links = {n.link for n in notifications.unread(session, org.manager.id)}
    assert links == {f"/opportunities/{deal.id}", f"/leads/{lead.id}"}


def test_day_counts_follow_every_write(session, org, cust_a, cust_b):
    from crm_app.models import ActivityDay
    from crm_app.models.activity import _day_key

    def counts():
        session.commit()
        return {
            (r.owner_id, r.archived, str(r.day), r.person_id, r.type_code): r.n
            for r in session.execute(sa.select(ActivityDay)).scalars().all()
            if r.n
        }

    def recounted():
        rows = session.execute(
            sa.text(
                f"SELECT {_day_key('activity', session.get_bind().dialect.name)}, count(*) "
                f"FROM activity GROUP BY 1, 2, 3, 4, 5"
            )
        ).all()
        return {(o, bool(a), str(d), p, t): n for o, a, d, p, t, n in rows}

    call = _call(session, org.sales_a, cust_a, "Gọi", _at(TODAY, 23, 30))
    task = _task(session, org.sales_a, cust_a, "Việc", _at(TODAY + timedelta(days=2), 9))
    _call(session, org.sales_b, cust_b, "Gọi B", _at(TODAY, 8))
    assert counts() == recounted()
    assert counts()[(org.sales_a.id, False, str(TODAY), org.sales_a.id, "call")] == 1  # 23:30 Vietnam time
    activities.reschedule(session, org.sales_a, task.id, (TODAY + timedelta(days=5)).isoformat())
    activities.update(session, org.manager, call.id, {"assignee_id": org.sales_b.id})
    customers.set_archived(session, org.manager, cust_b.id, True)
    assert counts() == recounted()
    activities.delete(session, org.sales_a, call.id)
    assert counts() == recounted()


@pytest.mark.parametrize(
    "value, vi, en",
    [
        (164_778_000_000, "164,8 tỷ ₫", "164.8 bn ₫"),
        (1_500_000_000, "1,5 tỷ ₫", "1.5 bn ₫"),
        (2_000_000, "2 triệu ₫", "2 m ₫"),
        (999_999, "999.999 ₫", "999.999 ₫"),
        (None, "", ""),
    ],
)
def test_large_amounts_are_said_short_on_a_dashboard_card(value, vi, en):
    assert (fmt_vnd_short(value, "vi"), fmt_vnd_short(value, "en")) == (vi, en)

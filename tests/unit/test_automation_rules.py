"""Automation rules: a rule checked when kept (name, entity, trigger, conditions through the filter
compiler, each action through bulk.plan or the task check), who keeps rules, a manual run over a
selection (conditions, every action, rights per record, history named by the rule, the log), and
its preview: the same counts as the run, with nothing changed."""

import pytest
import sqlalchemy as sa
from sqlmodel import select

from crm_app.i18n import tr
from crm_app.models import Activity, AuditLog, AutomationRule, AutomationRun, Customer, RecordListMember
from crm_app.services.automation import rules, runner
from crm_app.services.errors import NotAllowed, ServiceError, ValidationFailed
from crm_app.services.lists import record_lists
from crm_app.services.lists.bulk import Selection
from crm_app.services.lists.filters import BadSpec
from crm_app.services.lists.query import ListSpec
from crm_app.services.people import team_sharing
from crm_app.services.records import catalogs, custom_fields, history
from tests.unit.factories import actor_of, default_catalogs, make_contact, make_customer, make_org, reloaded

POTENTIAL = {"op": "and", "items": [{"field": "status", "operator": "any_of", "value": ["potential"]}]}
TAG_X = {"kind": "add_tags", "value": "Chăm sóc X"}
TASK = {"kind": "create_task", "subject": "Gọi lại khách", "due_days": 2, "assignee": "owner"}


@pytest.fixture
def org(session):
    default_catalogs(session)
    return make_org(session)


@pytest.fixture
def team(session, org):
    """Customers of sales A (two potential, one lead), of sales B (potential) and of the other team."""
    made = {
        "a1": make_customer(session, org.sales_a, "Khách A1", phones="0911 000 001", status="potential"),
        "a2": make_customer(session, org.sales_a, "Khách A2", phones="0911 000 002", status="potential"),
        "a3": make_customer(session, org.sales_a, "Khách A3", phones="0911 000 003", status="lead"),
        "b1": make_customer(session, org.sales_b, "Khách B1", phones="0911 000 004", status="potential"),
        "x1": make_customer(session, org.other_sales, "Khách X1", phones="0911 000 005", status="potential"),
    }
    return {k: v.id for k, v in made.items()}


def rule_data(**over):
    return {
        "name": "Chăm sóc tiềm năng",
        "entity": "customer",
        "conditions": POTENTIAL,
        "actions": [TASK, TAG_X],
    } | over


def keep(session, actor, **over) -> AutomationRule:
    rule = rules.save(session, actor, rule_data(**over))
    session.commit()
    return rule


def stored_rules(session) -> int:
    session.rollback()
    return session.execute(sa.select(sa.func.count()).select_from(AutomationRule)).scalar_one()


def tags_of(session, customer_id) -> list[str]:
    return catalogs.tags_for_customers(session, [customer_id]).get(customer_id, [])


# --- keeping rules -------------------------------------------------------------------------------


def test_a_rule_is_kept_with_its_checked_parts(session, org):
    rule = keep(session, org.admin, trigger="field_changed", trigger_field="status", trigger_value="potential")
    stored = reloaded(session, AutomationRule, rule.id)
    assert (stored.name, stored.entity, stored.trigger, stored.trigger_field, stored.active) == (
        "Chăm sóc tiềm năng",
        "customer",
        "field_changed",
        "status",
        True,
    )
    assert stored.conditions == POTENTIAL
    assert stored.actions[0] == {"kind": "create_task", "subject": "Gọi lại khách", "due_days": 2, "assignee": "owner"}
    assert stored.actions[1]["kind"] == "add_tags" and stored.actions[1]["value"] == "Chăm sóc X"


@pytest.mark.parametrize(
    ("over", "key", "named"),
    [
        (
            {"conditions": {"op": "and", "items": [{"field": "shoe_size", "operator": "is", "value": "9"}]}},
            "err.unknown_field",
            "shoe_size",
        ),
        (
            {"conditions": {"op": "and", "items": [{"field": "status", "operator": "gt", "value": "x"}]}},
            "err.filter_operator",
            "status",
        ),
        ({"actions": []}, "err.automation_no_action", None),
        ({"actions": [{"kind": "send_rocket"}]}, "err.automation_action", "send_rocket"),
        ({"actions": [{"kind": "update_field", "field": "shoe_size", "value": "9"}]}, "err.bulk_field", "shoe_size"),
        ({"trigger": "field_changed", "trigger_field": "shoe_size"}, "err.unknown_field", "shoe_size"),
        ({"trigger": "date", "trigger_field": "full_name"}, "err.automation_date_field", None),
        (
            {"trigger": "date", "trigger_field": "birthday", "trigger_value": "ngày mai"},
            "err.automation_days",
            "ngày mai",
        ),
        ({"entity": "lead", "conditions": None, "actions": [TASK]}, "err.automation_task_entity", None),
    ],
)
def test_a_wrong_rule_is_refused_naming_the_value_and_nothing_is_kept(session, org, over, key, named):
    with pytest.raises(ServiceError) as exc:
        rules.save(session, org.admin, rule_data(**over))
    assert exc.value.key == key
    if named is not None:
        assert named in tr(exc.value.key, "vi", **exc.value.params) or named in map(str, exc.value.params.values())
    assert stored_rules(session) == 0


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"name": "  "}, "name"),
        ({"entity": "planet"}, "entity"),
        ({"trigger": "full_moon"}, "trigger"),
        ({"actions": [{**TASK, "due_days": "hai"}]}, "due_days"),
        ({"actions": [{**TASK, "subject": ""}]}, "subject"),
        ({"actions": [{**TASK, "assignee": "99999"}]}, "assignee_id"),
    ],
)
def test_a_wrong_value_of_a_form_field_is_refused_on_that_field(session, org, over, field):
    with pytest.raises(ValidationFailed) as exc:
        rules.save(session, org.admin, rule_data(**over))
    assert field in exc.value.errors
    assert stored_rules(session) == 0


@pytest.mark.parametrize("kind", ["add_to_campaign", "add_to_list", "change_owner"])
def test_an_action_with_nothing_chosen_asks_for_its_choice_and_a_wrong_one_is_named(session, org, kind):
    with pytest.raises(ValidationFailed) as exc:
        rules.save(session, org.admin, rule_data(actions=[{"kind": kind, "value": ""}]))
    assert [key for key, _params in exc.value.errors.values()] == ["err.required"]
    with pytest.raises(ValidationFailed) as exc:
        rules.save(session, org.admin, rule_data(actions=[{"kind": kind, "value": "chiến dịch Tết"}]))
    (key, params), *_ = exc.value.errors.values()
    assert "“chiến dịch Tết”" in tr(key, "vi", **params)
    assert stored_rules(session) == 0


def test_sales_keep_no_rules_and_managers_keep_their_teams(session, org):
    with pytest.raises(NotAllowed):
        rules.save(session, org.sales_a, rule_data())
    mine = keep(session, org.manager)
    theirs = keep(session, org.other_manager, name="Của nhóm khác")
    assert [r.id for r in rules.kept(session, org.manager)] == [mine.id]
    assert {r.id for r in rules.kept(session, org.admin)} == {mine.id, theirs.id}
    for change in (
        lambda: rules.set_active(session, org.manager, theirs.id, False),
        lambda: rules.delete(session, org.manager, theirs.id),
        lambda: rules.save(session, org.manager, rule_data(name="Đổi"), theirs.id),
    ):
        with pytest.raises(NotAllowed):
            change()
    assert reloaded(session, AutomationRule, theirs.id).active
    with pytest.raises(NotAllowed):
        rules.kept(session, org.sales_a)


def test_a_manager_may_not_give_records_outside_the_team(session, org):
    with pytest.raises(NotAllowed):
        rules.save(session, org.manager, rule_data(actions=[{"kind": "change_owner", "value": org.other_sales.id}]))
    assert stored_rules(session) == 0


def test_deactivated_and_deleted_rules_do_not_run(session, org, team):
    rule = keep(session, org.admin)
    rules.set_active(session, org.admin, rule.id, False)
    session.commit()
    with pytest.raises(rules.RuleError):
        runner.preview(session.get_bind(), org.admin, rule.id, "customer", Selection(ids=[team["a1"]]))
    rules.set_active(session, org.admin, rule.id, True)
    rules.delete(session, org.admin, rule.id)
    session.commit()
    assert rules.runnable(session, "customer") == []
    assert rules.kept(session, org.admin) == []


# --- running by hand -----------------------------------------------------------------------------


def run(session, actor, rule, ids):
    *_, last = runner.run_logged(session, actor, rule.id, "customer", Selection(ids=list(ids)))
    return last


def test_a_run_acts_on_the_records_matching_its_conditions(session, org, team):
    rule = keep(session, org.admin)
    report = run(session, org.manager, rule, [team["a1"], team["a3"], team["b1"], team["x1"]])
    assert (report.selected, report.matched, report.changed, report.skipped, report.failed) == (4, 2, 2, 1, 0)
    assert report.per_action == [2, 2]
    for key in ("a1", "b1"):
        assert tags_of(session, team[key]) == ["Chăm sóc X"]
        task = session.exec(select(Activity).where(Activity.customer_id == team[key])).one()
        customer = session.get(Customer, team[key])
        assert (task.type_code, task.subject, task.assignee_id) == ("task", "Gọi lại khách", customer.owner_id)
    assert tags_of(session, team["a3"]) == []  # a lead: not matched
    assert tags_of(session, team["x1"]) == []  # another team's: skipped


def test_history_names_the_rule_as_who_made_the_change(session, org, team):
    rule = keep(session, org.admin)
    run(session, org.manager, rule, [team["a1"]])
    rows = session.exec(select(AuditLog).where(AuditLog.root_id == team["a1"], AuditLog.rule_id == rule.id)).all()
    assert {(r.entity, r.field) for r in rows} >= {("customer", "tags"), ("activity", "subject")}
    shown = history.describe(session, history.of_customer(session, org.manager, team["a1"]), "vi")
    by_rule = [r for r in shown if r["who"] == "Quy tắc “Chăm sóc tiềm năng”"]
    assert {r["entity_code"] for r in by_rule} == {"customer", "activity"}
    assert all(
        r["who"] != "Quy tắc “Chăm sóc tiềm năng”"
        for r in shown
        if r["action"] == "Tạo mới" and r["entity_code"] == "customer"
    )


def test_a_run_is_logged_with_its_counts(session, org, team):
    rule = keep(session, org.admin)
    run(session, org.sales_a, rule, [team["a1"], team["b1"]])
    log = session.exec(select(AutomationRun)).one()
    assert (log.rule_id, log.source, log.started_by_id, log.status) == (rule.id, "manual", org.sales_a.id, "done")
    assert (log.selected, log.matched, log.changed, log.skipped, log.failed) == (2, 1, 1, 1, 0)
    assert log.actions == [1, 1] and log.finished_at is not None
    assert [r.id for r in runner.runs(session, org.admin)] == [log.id]


def test_sales_change_only_their_own_records(session, org, team):
    rule = keep(session, org.admin)
    report = run(session, org.sales_a, rule, [team["a1"], team["b1"], team["x1"]])
    assert (report.matched, report.changed, report.skipped) == (1, 1, 2)
    assert tags_of(session, team["b1"]) == [] and tags_of(session, team["x1"]) == []


def test_sales_may_not_run_a_rule_setting_fields_and_nothing_changes(session, org, team):
    rule = keep(session, org.admin, actions=[TAG_X, {"kind": "update_field", "field": "province", "value": "Huế"}])
    with pytest.raises(NotAllowed):
        run(session, org.sales_a, rule, [team["a1"]])
    assert tags_of(session, team["a1"]) == []
    log = session.exec(select(AutomationRun)).one()
    assert (log.status, log.failed, log.reasons[0][1]) == ("failed", 1, "err.bulk_managers_only")


def test_a_rule_whose_field_was_removed_is_refused_naming_it(session, org, team):
    field = custom_fields.create(session, org.admin, "customer", {"label": "Hạng thẻ", "type": "text"})
    session.commit()
    name = custom_fields.defs_of(session, "customer")[0].name
    rule = keep(session, org.admin, conditions={"op": "and", "items": [{"field": name, "operator": "not_empty"}]})
    custom_fields.set_active(session, org.admin, field.id, False)
    session.commit()
    with pytest.raises(BadSpec) as exc:
        run(session, org.admin, rule, [team["a1"]])
    assert (exc.value.key, exc.value.params["name"]) == ("err.unknown_field", name)
    assert tags_of(session, team["a1"]) == []


def test_set_field_list_and_owner_actions(session, org, team):
    target = record_lists.create(session, org.manager, "customer", {"name": "Gọi tuần này"})
    session.commit()
    actions = [
        {"kind": "update_field", "field": "province", "value": "Huế"},
        {"kind": "add_to_list", "value": target.id},
        {"kind": "change_owner", "value": org.sales_b.id},
    ]
    rule = keep(session, org.manager, actions=actions)
    report = run(session, org.manager, rule, [team["a1"], team["a2"]])
    assert report.per_action == [2, 2, 2]
    for key in ("a1", "a2"):
        customer = reloaded(session, Customer, team[key])
        assert (customer.province, customer.owner_id) == ("46", org.sales_b.id)
    members = session.exec(select(RecordListMember.record_id).where(RecordListMember.list_id == target.id)).all()
    assert sorted(members) == sorted([team["a1"], team["a2"]])


def test_a_task_for_someone_outside_the_team_refuses_the_run_before_any_change(session, org, team):
    rule = keep(session, org.admin, actions=[TAG_X, {**TASK, "assignee": str(org.other_sales.id)}])
    with pytest.raises(ValidationFailed):
        run(session, org.manager, rule, [team["a1"]])  # the manager may not give work outside the team
    assert tags_of(session, team["a1"]) == [] and session.exec(select(Activity)).all() == []


def test_a_task_that_cannot_be_made_fails_with_its_reason(session, org, team):
    loose = make_contact(session, org.sales_a, "Chị Mai")  # belongs to no customer
    rule = keep(session, org.admin, entity="contact", conditions=None, actions=[TASK])
    *_, report = runner.run_logged(session, org.sales_a, rule.id, "contact", Selection(ids=[loose.id]))
    assert (report.matched, report.failed, report.changed) == (1, 1, 0)
    assert report.reasons == [[loose.id, "err.automation_no_customer", {}]]
    log = session.exec(select(AutomationRun)).one()
    assert (log.status, log.failed, log.reasons) == ("done", 1, report.reasons)


def test_a_run_over_every_record_matching_a_list_filter(session, org, team):
    rule = keep(session, org.admin, actions=[TAG_X])
    spec = ListSpec(entity="customer", search="Khách A")
    *_, report = runner.run_logged(session, org.manager, rule.id, "customer", Selection(spec=spec))
    assert (report.selected, report.matched, report.changed) == (3, 2, 2)


# --- preview ---------------------------------------------------------------------------------------


def test_the_preview_counts_what_the_run_then_does_and_changes_nothing(session, org, team):
    rule = keep(session, org.admin)
    ids = list(team.values())
    before = session.execute(sa.select(sa.func.count()).select_from(AuditLog)).scalar_one()
    seen = runner.preview(session.get_bind(), org.manager, rule.id, "customer", Selection(ids=ids))
    assert session.execute(sa.select(sa.func.count()).select_from(AuditLog)).scalar_one() == before
    assert session.exec(select(Activity)).all() == []
    assert all(tags_of(session, i) == [] for i in ids)
    assert seen.rows and {r["who"] for r in seen.rows} == {"Quy tắc “Chăm sóc tiềm năng”"}
    done = run(session, org.manager, rule, ids)
    p = seen.report
    assert (p.selected, p.matched, p.changed, p.skipped, p.failed, p.per_action) == (
        done.selected,
        done.matched,
        done.changed,
        done.skipped,
        done.failed,
        done.per_action,
    )
    assert session.exec(select(AutomationRun)).one().matched == p.matched  # the preview is not logged


def test_a_teammates_record_shared_read_only_is_skipped(session, org, team):
    team_sharing.set_mode(session, org.admin, "read")
    session.commit()
    sales_a = actor_of(session, org.sales_a.id)  # reads the team's records, changes their own
    rule = keep(session, org.admin, actions=[TAG_X])
    report = run(session, sales_a, rule, [team["a1"], team["b1"]])
    assert (report.selected, report.matched, report.changed, report.skipped) == (2, 1, 1, 1)
    assert tags_of(session, team["b1"]) == []
    team_sharing.set_mode(session, org.admin, "edit")
    session.commit()
    report = run(session, actor_of(session, org.sales_a.id), rule, [team["b1"]])
    assert (report.matched, report.changed, report.skipped) == (1, 1, 0)
    assert tags_of(session, team["b1"]) == ["Chăm sóc X"]


def test_a_manager_reads_the_log_of_their_teams_rules_only_and_sales_none(session, org, team):
    mine = keep(session, org.manager, actions=[TAG_X])
    theirs = keep(session, org.other_manager, name="Của nhóm khác", actions=[TAG_X])
    run(session, org.manager, mine, [team["a1"]])
    run(session, org.other_manager, theirs, [team["x1"]])
    assert [r.rule_id for r in runner.runs(session, org.manager)] == [mine.id]
    assert [r.rule_id for r in runner.runs(session, org.other_manager)] == [theirs.id]
    assert {r.rule_id for r in runner.runs(session, org.admin)} == {mine.id, theirs.id}
    with pytest.raises(NotAllowed):
        runner.runs(session, org.sales_a)
    with pytest.raises(NotAllowed):  # nor opens another team's rule to edit it
        rules.get(session, org.manager, theirs.id)


def test_a_run_over_a_list_skips_the_teammates_records_shared_read_only(session, org, team):
    """Every record of the list counted as selected; those the actor may read but not change are
    skipped, in one query with the conditions."""
    team_sharing.set_mode(session, org.admin, "read")
    session.commit()
    sales_a = actor_of(session, org.sales_a.id)
    rule = keep(session, org.admin, actions=[TAG_X])
    spec = ListSpec(entity="customer", search="Khách")
    *_, report = runner.run_logged(session, sales_a, rule.id, "customer", Selection(spec=spec))
    # a1, a2, a3 (theirs) and b1 (the teammate's, read-only) are listed; x1 (another team's) is not
    assert (report.selected, report.matched, report.changed, report.skipped) == (4, 2, 2, 1)
    assert (tags_of(session, team["a1"]), tags_of(session, team["b1"]), tags_of(session, team["x1"])) == (
        ["Chăm sóc X"],
        [],
        [],
    )


def test_a_list_of_another_entity_is_refused_naming_it_and_nothing_changes(session, org, team):
    rule = keep(session, org.admin, actions=[TAG_X])
    with pytest.raises(ServiceError) as refused:
        *_, _report = runner.run_logged(
            session, org.manager, rule.id, "customer", Selection(spec=ListSpec(entity="contact"))
        )
    assert refused.value.params == {"name": "contact"}
    assert tags_of(session, team["a1"]) == []

"""Automation rules (Quy tắc tự động): what a rule is made of, checked, and who may keep them.

A rule names an entity, a trigger, conditions and ordered actions. Nothing of it is new
machinery: the conditions are a list filter spec (compiled by services.lists.filters, so the
same fields and operators as a list's filter), each action but "create a task" is a bulk action
checked by ``bulk.plan``, and a task is checked by the activity service. A rule is checked when
it is saved and again when it runs (a field removed since is refused then, naming it).

Admins keep every rule; a manager keeps the rules made by the members of their teams; sales
keep none (they may run the active ones over their own records: services.automation.runner).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from crm_app.models import AutomationRule, Team, TeamMember, User
from crm_app.models._base import utcnow
from crm_app.models.automation import TRIGGERS
from crm_app.services import process_cache
from crm_app.services.errors import NotAllowed, ServiceError, ValidationFailed
from crm_app.services.lists import bulk, record_lists
from crm_app.services.lists.filters import compile_filter, empty_filter
from crm_app.services.people.permissions import Actor, check_owner_assignment
from crm_app.services.records.fields import EntityDef, entity_def
from crm_app.services.validation import Cleaner

ENTITIES = ("customer", "contact", "lead", "opportunity")
# bulk actions a rule may take, plus a task of its own
BULK_KINDS = (
    "update_field",
    "add_tags",
    "remove_tags",
    "add_to_list",
    "remove_from_list",
    "change_owner",
    "add_to_campaign",
)
ACTION_KINDS = (*BULK_KINDS, "create_task")
# a task belongs to a customer: the record's own, or the customer itself
TASK_ENTITIES = ("customer", "contact", "opportunity")
MAX_ACTIONS = 10
MAX_DUE_DAYS = 365
MAX_DATE_DAYS = 3650
OWNER = "owner"  # a task's assignee: the record's owner
ROUND_ROBIN = "round_robin"  # change_owner's mode giving the records to a team's salespeople in turn


class RuleError(ServiceError):
    """A rule that cannot be kept or run as it is (the message names what is wrong)."""


@dataclass(frozen=True)
class TaskAction:
    subject: str
    due_days: int
    assignee: str  # OWNER or a user's id


def may_keep(actor: Actor) -> bool:
    return actor.is_manager


def require_keeper(actor: Actor) -> None:
    if not may_keep(actor):
        raise NotAllowed("err.automation_managers_only")


def _kept_by(actor: Actor, rule: AutomationRule) -> bool:
    return actor.sees_owner(rule.created_by_id)


# --- checking ------------------------------------------------------------------------------------


def check(session: Session, actor: Actor, data: dict) -> dict:
    """The values of a rule as given, checked (refused naming the wrong value); nothing is written."""
    c = Cleaner(data)
    name = c.text("name", 120, required=True)
    entity_name = c.choice("entity", ENTITIES, "customer")
    trigger = c.choice("trigger", TRIGGERS, "manual")
    c.done()
    entity = entity_def(session, entity_name)
    trigger_field, trigger_value = _checked_trigger(entity, trigger, data)
    conditions = data.get("conditions") or empty_filter()
    compile_filter(entity, conditions)  # BadSpec names the field, operator or value
    record_lists.check_filter(session, actor, entity_name, conditions)
    actions = checked_actions(session, actor, entity, data.get("actions"))
    return {
        "name": name,
        "entity": entity_name,
        "trigger": trigger,
        "trigger_field": trigger_field,
        "trigger_value": trigger_value,
        "conditions": conditions,
        "actions": actions,
    }


def _checked_trigger(entity: EntityDef, trigger: str, data: dict) -> tuple[str, str]:
    field_name = str(data.get("trigger_field") or "").strip()
    value = str(data.get("trigger_value") or "").strip()
    if trigger not in ("field_changed", "date"):
        return "", ""
    field = entity.field(field_name)
    if field is None or not field.filter:
        raise RuleError("err.unknown_field", name=field_name or "—")
    if trigger == "date":
        if field.type not in ("date", "datetime"):
            raise RuleError("err.automation_date_field", name=field.label_in("vi"))
        try:
            days = int(value or "0")
        except ValueError:
            raise RuleError("err.automation_days", value=value, max=MAX_DATE_DAYS) from None
        if abs(days) > MAX_DATE_DAYS:
            raise RuleError("err.automation_days", value=value, max=MAX_DATE_DAYS)
        return field.name, str(days)
    if len(value) > 200:
        raise RuleError("err.too_long", max=200)
    return field.name, value


def checked_actions(session: Session, actor: Actor, entity: EntityDef, raw: Any) -> list[dict]:
    """The rule's actions in order, each checked as it will run: bulk ones by ``bulk.plan`` (a field,
    a tag, a list or an owner the actor may not use is refused), a task by its own fields."""
    if not isinstance(raw, list) or not raw:
        raise RuleError("err.automation_no_action")
    if len(raw) > MAX_ACTIONS:
        raise RuleError("err.automation_too_many", max=MAX_ACTIONS)
    checked = []
    for item in raw:
        if not isinstance(item, dict) or item.get("kind") not in ACTION_KINDS:
            raise RuleError("err.automation_action", value=str(item.get("kind") if isinstance(item, dict) else item))
        if item["kind"] == "create_task":
            task = task_action(session, actor, entity, item)
            checked.append({"kind": "create_task", **task.__dict__})
            continue
        action = bulk_action(item)
        if action.kind == "change_owner" and action.mode == ROUND_ROBIN:
            team_members(session, actor, action.value)  # every member may be given the records
            checked.append({"kind": action.kind, "field": "", "mode": ROUND_ROBIN, "value": int(action.value)})
            continue
        bulk.plan(session, actor, entity.name, action)
        checked.append({"kind": action.kind, "field": action.field, "mode": action.mode, "value": action.value})
    return checked


def bulk_action(item: dict) -> bulk.Action:
    return bulk.Action(
        kind=item["kind"],
        field=str(item.get("field") or ""),
        mode=str(item.get("mode") or "replace"),
        value=item.get("value"),
    )


def team_members(session: Session, actor: Actor, team_id: Any) -> list[int]:
    """The active members of a team whose turns a round-robin owner takes, each one the actor may
    give records to (refused naming the team otherwise)."""
    team = session.get(Team, int(team_id)) if str(team_id).isdigit() else None
    if team is None or not team.active:
        raise ValidationFailed({"team_id": ("err.invalid_choice", {})})
    members = list(
        session.execute(
            sa.select(User.id)
            .join(TeamMember, TeamMember.user_id == User.id)
            .where(TeamMember.team_id == team.id, User.active == sa.true(), User.role == "sales")
            .order_by(User.id)
        )
        .scalars()
        .all()
    )
    if not members:
        raise RuleError("err.automation_team_empty", name=team.name)
    for member in members:
        check_owner_assignment(actor, member)
    return members


def teams(session: Session, actor: Actor) -> list[Team]:
    """The teams whose members the actor may give records to in turn."""
    stmt = select(Team).where(Team.active == sa.true()).order_by(Team.name)
    if not actor.is_admin:
        stmt = stmt.where(Team.id.in_(select(TeamMember.team_id).where(TeamMember.user_id == actor.id)))
    return list(session.exec(stmt).all())


def task_action(session: Session, actor: Actor, entity: EntityDef, item: dict) -> TaskAction:
    if entity.name not in TASK_ENTITIES:
        raise RuleError("err.automation_task_entity")
    c = Cleaner(item)
    subject = c.text("subject", 200, required=True)
    due_days = c.integer("due_days", 0, MAX_DUE_DAYS)
    c.done()
    assignee = str(item.get("assignee") or OWNER)
    if assignee != OWNER:
        user = session.get(User, int(assignee)) if assignee.isdigit() else None
        if user is None or not user.active or not (actor.is_admin or actor.assigns_owner(user.id)):
            raise ValidationFailed({"assignee_id": ("err.invalid_choice", {})})
    return TaskAction(subject=subject, due_days=due_days or 0, assignee=assignee)


# --- keeping -------------------------------------------------------------------------------------


def save(session: Session, actor: Actor, data: dict, rule_id: int | None = None) -> AutomationRule:
    """A new rule (active), or the rule ``rule_id`` changed; checked first, nothing written if wrong."""
    require_keeper(actor)
    rule = get(session, actor, rule_id) if rule_id is not None else None
    values = check(session, actor, data)
    if rule is None:
        rule = AutomationRule(created_by_id=actor.id, **values)
    else:
        for key, value in values.items():
            setattr(rule, key, value)
        rule.updated_at = utcnow()
    _kept(session, rule)
    return rule


def _kept(session: Session, rule: AutomationRule) -> None:
    """The rule written; whether an entity is watched by event rules is read again."""
    session.add(rule)
    session.flush()
    process_cache.forget(session)


def get(session: Session, actor: Actor, rule_id: int) -> AutomationRule:
    """A rule the actor keeps (NotAllowed otherwise, a deleted one too)."""
    require_keeper(actor)
    rule = session.get(AutomationRule, rule_id)
    if rule is None or rule.deleted or not _kept_by(actor, rule):
        raise NotAllowed()
    return rule


def set_active(session: Session, actor: Actor, rule_id: int, active: bool) -> AutomationRule:
    rule = get(session, actor, rule_id)
    rule.active = bool(active)
    rule.updated_at = utcnow()
    _kept(session, rule)
    return rule


def delete(session: Session, actor: Actor, rule_id: int) -> None:
    """The rule stops and leaves the lists; kept underneath, so its runs and changes still name it."""
    rule = get(session, actor, rule_id)
    rule.deleted, rule.active = True, False
    _kept(session, rule)


def kept(session: Session, actor: Actor) -> list[AutomationRule]:
    """The rules the actor keeps, newest first."""
    require_keeper(actor)
    stmt = select(AutomationRule).where(AutomationRule.deleted == sa.false())
    if actor.visible_owner_ids is not None:
        stmt = stmt.where(AutomationRule.created_by_id.in_(sorted(actor.visible_owner_ids)))
    return list(session.exec(stmt.order_by(AutomationRule.id.desc())).all())


def runnable(session: Session, entity: str) -> list[AutomationRule]:
    """The active rules of an entity anyone may run by hand over the records they may change."""
    stmt = select(AutomationRule).where(
        AutomationRule.entity == entity, AutomationRule.active == sa.true(), AutomationRule.deleted == sa.false()
    )
    return list(session.exec(stmt.order_by(AutomationRule.name)).all())


def runnable_rule(session: Session, rule_id: int, entity: str) -> AutomationRule:
    rule = session.get(AutomationRule, rule_id)
    if rule is None or rule.deleted or not rule.active or rule.entity != entity:
        raise RuleError("err.automation_inactive")
    return rule

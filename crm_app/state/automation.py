"""The "Quy tắc tự động" page: the rules a manager or admin keeps, their editor (conditions in the
list's filter builder, actions in order) and the log of their runs (services.automation)."""

from __future__ import annotations

import reflex as rx

from crm_app.models.automation import TRIGGERS
from crm_app.services.automation import rules, runner
from crm_app.services.campaigns import campaigns
from crm_app.services.errors import NotAllowed, ServiceError, ValidationFailed
from crm_app.services.formatting import fmt_datetime, fmt_number
from crm_app.services.lists.filters import empty_filter
from crm_app.state.entity_fields import EntityFieldsMixin
from crm_app.state.filter_draft import count_conditions, from_spec, to_spec
from crm_app.state.list_filter import FilterMixin
from crm_app.state.session import SessionState

# what an action row of the editor holds (every value as text, as the inputs give it)
ACTION_KEYS = ("kind", "field", "mode", "value", "subject", "due_days", "assignee")


# the editor's inputs a refusal names (a field of the entity is named by its own label)
FORM_LABELS = {
    "name": "automation.name",
    "entity": "automation.entity",
    "trigger": "automation.trigger",
    "subject": "automation.task_subject",
    "due_days": "automation.task_due",
    "assignee_id": "automation.task_assignee",
    "team_id": "field.owner_id",
    "owner_id": "field.owner_id",
    "list": "lists.pick",
    "campaign": "campaign.pick",
}
TEAM = "team:"  # an owner choice naming a team: its salespeople in turn


def _action_row(kind: str, stored: dict | None = None) -> dict[str, str]:
    stored = stored or {}
    row = {k: "" if stored.get(k) is None else str(stored.get(k)) for k in ACTION_KEYS}
    row["kind"] = kind
    row["mode"] = row["mode"] or "replace"
    row["assignee"] = row["assignee"] or rules.OWNER
    if row["mode"] == rules.ROUND_ROBIN:
        row["value"], row["mode"] = f"{TEAM}{row['value']}", "replace"
    return row


def _action_data(row: dict[str, str]) -> dict:
    if row["kind"] == "create_task":
        return {k: row[k] for k in ("kind", "subject", "due_days", "assignee")}
    if row["kind"] == "change_owner" and row["value"].startswith(TEAM):
        return {"kind": "change_owner", "mode": rules.ROUND_ROBIN, "value": row["value"].removeprefix(TEAM)}
    return {k: row[k] for k in ("kind", "field", "mode", "value")}


class AutomationState(EntityFieldsMixin, FilterMixin, SessionState):
    denied: str = ""
    entity: str = "customer"
    rule_rows: list[dict[str, str]] = []
    run_rows: list[dict[str, str]] = []
    # the editor
    editing: bool = False
    edit_id: int = 0
    rule_name: str = ""
    trigger: str = "manual"
    trigger_field: str = ""
    trigger_value: str = ""
    actions: list[dict[str, str]] = []
    form_error: str = ""
    delete_id: int = 0
    team_choices: list[list[str]] = []  # ["team:<id>", "In turn within <team>"]
    campaign_options: list[list[str]] = []  # the campaigns a rule may add records to

    @rx.var
    def entity_options(self) -> list[list[str]]:
        return [[e, self._msg(f"entity.{e}")] for e in rules.ENTITIES]

    @rx.var
    def trigger_options(self) -> list[list[str]]:
        return [[t, self._msg(f"automation.trigger.{t}")] for t in TRIGGERS]

    @rx.var
    def action_options(self) -> list[list[str]]:
        kinds = [
            k
            for k in rules.ACTION_KINDS
            if (k != "create_task" or self.entity in rules.TASK_ENTITIES)
            and (k != "add_to_campaign" or self.entity in campaigns.MEMBER_ENTITIES)
        ]
        return [[k, self._msg(f"automation.action.{k}")] for k in kinds]

    @rx.var
    def assignee_options(self) -> list[list[str]]:
        return [[rules.OWNER, self._msg("automation.assignee_owner")], *self.assign_choices]

    @rx.var
    def new_owner_options(self) -> list[list[str]]:
        return [*self.assign_choices, *self.team_choices]

    @rx.var
    def delete_question(self) -> str:
        name = next((r["name"] for r in self.rule_rows if r["id"] == str(self.delete_id)), "")
        return self._msg("automation.delete_confirm", name=name)

    # --- the page ------------------------------------------------------------------------------

    @rx.event
    def open(self):
        try:
            with self._service() as (session, actor):
                rules.kept(session, actor)  # sales: refused, saying why
                self._load_fields(session, actor)
                self._read(session, actor)
                self.denied = ""
        except NotAllowed as exc:
            return self._refused(exc)

    def _read(self, session, actor) -> None:
        self.rule_rows = [
            {
                "id": str(r.id),
                "name": r.name,
                "entity": self._msg(f"entity.{r.entity}"),
                "trigger": self._msg(f"automation.trigger.{r.trigger}"),
                "conditions": self._msg("automation.conditions_count", n=count_conditions(r.conditions))
                if count_conditions(r.conditions)
                else self._msg("automation.no_conditions"),
                "actions": ", ".join(self._msg(f"automation.action.{a.get('kind')}") for a in r.actions),
                "active": "1" if r.active else "",
            }
            for r in rules.kept(session, actor)
        ]
        names = {r["id"]: r["name"] for r in self.rule_rows}
        self.run_rows = [self._run_row(run, names) for run in runner.runs(session, actor)]

    def _run_row(self, run, names: dict[str, str]) -> dict[str, str]:
        counts = {k: fmt_number(getattr(run, k)) for k in ("selected", "matched", "changed", "skipped", "failed")}
        reasons = "; ".join(
            self._msg("automation.reason", id=rid, reason=self._msg(key, **params)) for rid, key, params in run.reasons
        )
        return {
            "id": str(run.id),
            "when": fmt_datetime(run.started_at),
            "rule": names.get(str(run.rule_id), f"#{run.rule_id}"),
            "by": self._user_name(run.started_by_id)
            if run.started_by_id
            else self._msg(f"automation.source.{run.source}"),
            "status": self._msg(f"automation.status.{run.status}"),
            "counts": self._msg("automation.counts", **counts),
            "reasons": reasons,
        }

    def _user_name(self, user_id: int) -> str:
        return next((name for i, name in self.owner_choices if i == str(user_id)), f"#{user_id}")

    # --- the editor ----------------------------------------------------------------------------

    def _start_editing(self, session, actor, entity: str, conditions: dict) -> None:
        rules.require_keeper(actor)  # the editor's fields and teams are for those who keep rules
        self.entity = entity
        self._load_fields(session, actor)
        self.team_choices = [
            [f"{TEAM}{t.id}", self._msg("automation.round_robin", name=t.name)] for t in rules.teams(session, actor)
        ]
        self.campaign_options = [[str(i), name] for i, name in campaigns.choices(session, actor)]
        self.root_op, self.groups = from_spec(conditions, self.field_types)
        self.form_error, self.editing = "", True

    @rx.event
    def new_rule(self):
        with self._service() as (session, actor):
            self.edit_id, self.rule_name, self.trigger, self.trigger_field, self.trigger_value = 0, "", "manual", "", ""
            self.actions = [_action_row("add_tags")]
            self._start_editing(session, actor, "customer", empty_filter())

    @rx.event
    def edit_rule(self, rule_id: str):
        with self._service() as (session, actor):
            rule = rules.get(session, actor, int(rule_id))
            self.edit_id, self.rule_name, self.trigger = rule.id, rule.name, rule.trigger
            self.trigger_field, self.trigger_value = rule.trigger_field, rule.trigger_value
            self.actions = [_action_row(a.get("kind", ""), a) for a in rule.actions]
            self._start_editing(session, actor, rule.entity, rule.conditions)

    @rx.event
    def close_editor(self):
        self.editing = False

    @rx.event
    def set_entity(self, entity: str):
        if entity not in rules.ENTITIES:
            return
        with self._service() as (session, actor):  # another entity: other fields, so no condition yet
            self._start_editing(session, actor, entity, empty_filter())
        self.actions = [_action_row("add_tags")]

    @rx.event
    def set_form(self, name: str, value: str):
        if name in ("rule_name", "trigger", "trigger_field", "trigger_value"):
            setattr(self, name, value)

    @rx.event
    def add_action(self):
        self.actions = [*self.actions, _action_row("add_tags")]

    @rx.event
    def remove_action(self, index: int):
        if 0 <= index < len(self.actions) and len(self.actions) > 1:
            self.actions = [*self.actions[:index], *self.actions[index + 1 :]]

    @rx.event
    def set_action(self, index: int, key: str, value: str):
        if not (0 <= index < len(self.actions)) or key not in ACTION_KEYS:
            return
        row = dict(self.actions[index])
        if key == "kind":
            row = _action_row(value)
        elif key == "field":
            row["field"], row["value"] = value, ""
        else:
            row[key] = value
        self.actions = [*self.actions[:index], row, *self.actions[index + 1 :]]

    @rx.event
    def save_rule(self):
        data = {
            "name": self.rule_name,
            "entity": self.entity,
            "trigger": self.trigger,
            "trigger_field": self.trigger_field,
            "trigger_value": self.trigger_value,
            "conditions": to_spec(self.root_op, self.groups),
            "actions": [_action_data(a) for a in self.actions],
        }
        try:
            with self._service() as (session, actor):
                rule = rules.save(session, actor, data, self.edit_id or None)
                name = rule.name
        except ValidationFailed as exc:
            field, (key, params) = next(iter(exc.errors.items()))
            label = self._msg(FORM_LABELS[field]) if field in FORM_LABELS else self.field_labels.get(field, "")
            self.form_error = f"{label}: {self._msg(key, **params)}" if label else self._msg(key, **params)
            return None
        except ServiceError as exc:
            if isinstance(exc, NotAllowed):
                return self._fail(exc)
            self.form_error = self._msg(exc.key, **exc.params)
            return None
        self.editing = False
        with self._service() as (session, actor):
            self._read(session, actor)
        return rx.toast.success(self._msg("automation.saved", name=name))

    # --- switching and deleting -----------------------------------------------------------------

    @rx.event
    def toggle_active(self, rule_id: str, active: bool):
        with self._service() as (session, actor):
            rules.set_active(session, actor, int(rule_id), active)
            self._read(session, actor)

    @rx.event
    def ask_delete(self, rule_id: str):
        self.delete_id = int(rule_id) if rule_id.isdigit() else 0

    @rx.event
    def cancel_delete(self, _open: bool = False):
        self.delete_id = 0

    @rx.event
    def delete_rule(self):
        name = next((r["name"] for r in self.rule_rows if r["id"] == str(self.delete_id)), "")
        with self._service() as (session, actor):
            rules.delete(session, actor, self.delete_id)
            self._read(session, actor)
        self.delete_id = 0
        return rx.toast.success(self._msg("automation.deleted", name=name))

"""Quy tắc tự động: the rules (on / off, edit, delete), their editor and the log of their runs."""

from __future__ import annotations

import reflex as rx

from crm_app.components.dialog_footer import dialog_footer
from crm_app.components.dialogs import confirm_dialog, empty_state
from crm_app.components.form import T
from crm_app.components.list_view import filter_add_buttons, filter_groups
from crm_app.components.shell import app_shell, page_header, refused_or
from crm_app.state.automation import AutomationState as S


def _choice(options, value, on_change, label_key: str, id_: str = "", blank_key: str = "") -> rx.Component:
    return rx.el.select(
        rx.el.option(T[blank_key], value="") if blank_key else rx.fragment(),
        rx.foreach(options, lambda o: rx.el.option(o[1], value=o[0])),
        value=value,
        on_change=on_change,
        class_name="native-select",
        aria_label=T[label_key],
        id=id_ or None,
        style={"width": "100%"},
    )


def _box(value, on_change, label_key: str, id_: str = "", width: str = "100%", **props) -> rx.Component:
    return rx.input(value=value, on_change=on_change, aria_label=T[label_key], id=id_ or None, width=width, **props)


def _labelled(label_key: str, control: rx.Component) -> rx.Component:
    return rx.vstack(rx.text(T[label_key], size="2", weight="medium"), control, gap="4px", width="100%")


# --- the rules -------------------------------------------------------------------------------------


def _rule_row(r: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(r["name"], weight="medium")),
        rx.table.cell(r["entity"]),
        rx.table.cell(r["trigger"]),
        rx.table.cell(r["conditions"]),
        rx.table.cell(r["actions"]),
        rx.table.cell(
            rx.switch(
                checked=r["active"] == "1",
                on_change=lambda on: S.toggle_active(r["id"], on),
                aria_label=T["automation.active"] + " " + r["name"],
            )
        ),
        rx.table.cell(
            rx.hstack(
                rx.button(
                    T["action.edit"],
                    size="1",
                    variant="soft",
                    on_click=S.edit_rule(r["id"]),
                    aria_label=T["action.edit"] + " " + r["name"],
                ),
                rx.button(
                    T["common.delete"],
                    size="1",
                    variant="soft",
                    color_scheme="red",
                    on_click=S.ask_delete(r["id"]),
                    aria_label=T["common.delete"] + " " + r["name"],
                ),
                gap="6px",
            )
        ),
        class_name="rule-row",
    )


def _rules() -> rx.Component:
    return rx.cond(
        S.rule_rows.length() > 0,
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    *[
                        rx.table.column_header_cell(T[k])
                        for k in (
                            "automation.name",
                            "automation.entity",
                            "automation.trigger",
                            "automation.conditions",
                            "automation.actions",
                            "automation.active",
                        )
                    ],
                    rx.table.column_header_cell(""),
                )
            ),
            rx.table.body(rx.foreach(S.rule_rows, _rule_row)),
            width="100%",
            id="rules-table",
        ),
        empty_state("automation.none", "rules-empty"),
    )


def _log() -> rx.Component:
    return rx.vstack(
        rx.heading(T["automation.log"], size="4"),
        rx.cond(
            S.run_rows.length() > 0,
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[
                            rx.table.column_header_cell(T[f"automation.log.{k}"])
                            for k in ("when", "rule", "by", "status", "counts", "reasons")
                        ]
                    )
                ),
                rx.table.body(
                    rx.foreach(
                        S.run_rows,
                        lambda r: rx.table.row(
                            *[rx.table.cell(r[k]) for k in ("when", "rule", "by", "status", "counts", "reasons")],
                            class_name="run-row",
                        ),
                    )
                ),
                width="100%",
                id="runs-table",
            ),
            empty_state("automation.log_none", "runs-empty"),
        ),
        width="100%",
        gap="8px",
        margin_top="20px",
    )


# --- the editor ------------------------------------------------------------------------------------


def _action_inputs(a: rx.Var, i: rx.Var) -> rx.Component:
    def set_(key: str):
        return lambda v: S.set_action(i, key, v)

    tags = _box(a["value"], set_("value"), "bulk.tags_hint", placeholder=T["bulk.tags_hint"])
    a_list = _choice(S.list_options, a["value"], set_("value"), "lists.pick", blank_key="common.choose")
    return rx.match(
        a["kind"],
        (
            "update_field",
            rx.hstack(
                _choice(
                    S.bulk_fields, a["field"], set_("field"), "automation.trigger_field", blank_key="common.choose"
                ),
                rx.cond(
                    S.field_choices.contains(a["field"]),
                    _choice(
                        S.field_choices[a["field"]],
                        a["value"],
                        set_("value"),
                        "filter.value",
                        blank_key="common.choose",
                    ),
                    _box(a["value"], set_("value"), "filter.value"),
                ),
                width="100%",
                gap="6px",
            ),
        ),
        ("add_tags", tags),
        ("remove_tags", tags),
        ("add_to_list", a_list),
        ("remove_from_list", a_list),
        (
            "add_to_campaign",
            _choice(S.campaign_options, a["value"], set_("value"), "campaign.pick", blank_key="common.choose"),
        ),
        (
            "change_owner",
            _choice(S.new_owner_options, a["value"], set_("value"), "field.owner_id", blank_key="common.choose"),
        ),
        (
            "create_task",
            rx.hstack(
                _box(
                    a["subject"], set_("subject"), "automation.task_subject", placeholder=T["automation.task_subject"]
                ),
                _box(
                    a["due_days"],
                    set_("due_days"),
                    "automation.task_due",
                    type="number",
                    width="130px",
                    placeholder=T["automation.task_due"],
                ),
                _choice(S.assignee_options, a["assignee"], set_("assignee"), "automation.task_assignee"),
                width="100%",
                gap="6px",
            ),
        ),
        rx.fragment(),
    )


def _action_row(a: rx.Var, i: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.text(i + 1, ".", size="2", min_width="20px"),
        rx.box(
            _choice(S.action_options, a["kind"], lambda v: S.set_action(i, "kind", v), "automation.actions"),
            width="210px",
        ),
        rx.box(_action_inputs(a, i), flex="1"),
        rx.icon_button(
            rx.icon("x", size=12),
            size="1",
            variant="ghost",
            color_scheme="red",
            on_click=S.remove_action(i),
            disabled=S.actions.length() <= 1,  # a rule keeps at least one action
            aria_label=T["automation.remove_action"] + " " + (i + 1).to_string(),
        ),
        align="center",
        gap="6px",
        width="100%",
        class_name="rule-action",
    )


def _trigger() -> rx.Component:
    watched = (S.trigger == "field_changed") | (S.trigger == "date")
    return rx.hstack(
        _labelled(
            "automation.trigger",
            _choice(
                S.trigger_options, S.trigger, lambda v: S.set_form("trigger", v), "automation.trigger", "rule-trigger"
            ),
        ),
        rx.cond(
            watched,
            _labelled(
                "automation.trigger_field",
                _choice(
                    S.filter_fields,
                    S.trigger_field,
                    lambda v: S.set_form("trigger_field", v),
                    "automation.trigger_field",
                    "rule-trigger-field",
                    "common.choose",
                ),
            ),
            rx.fragment(),
        ),
        rx.cond(
            watched,
            rx.vstack(
                rx.text(
                    rx.cond(S.trigger == "date", T["automation.trigger_days"], T["automation.trigger_value"]),
                    size="2",
                    weight="medium",
                ),
                _box(
                    S.trigger_value,
                    lambda v: S.set_form("trigger_value", v),
                    "automation.trigger_value",
                    "rule-trigger-value",
                ),
                gap="4px",
                width="100%",
            ),
            rx.fragment(),
        ),
        width="100%",
        gap="12px",
        wrap="wrap",
    )


def _editor() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(S.edit_id > 0, T["automation.edit"], T["automation.new"])),
            rx.vstack(
                rx.hstack(
                    _labelled(
                        "automation.name",
                        _box(S.rule_name, lambda v: S.set_form("rule_name", v), "automation.name", "rule-name"),
                    ),
                    _labelled(
                        "automation.entity",
                        _choice(S.entity_options, S.entity, S.set_entity, "automation.entity", "rule-entity"),
                    ),
                    width="100%",
                    gap="12px",
                ),
                _trigger(),
                rx.text(T["automation.conditions"], size="2", weight="bold"),
                rx.hstack(
                    rx.text(T["filter.title"], size="1", color=rx.color("gray", 11), white_space="nowrap"),
                    rx.el.select(
                        rx.el.option(T["filter.match_all"], value="and"),
                        rx.el.option(T["filter.match_any"], value="or"),
                        value=S.root_op,
                        on_change=S.set_root_op,
                        class_name="native-select",
                        aria_label=T["filter.title"],
                    ),
                    align="center",
                    gap="6px",
                ),
                filter_groups(S),
                rx.hstack(*filter_add_buttons(S), gap="6px"),
                rx.text(T["automation.actions"], size="2", weight="bold"),
                rx.foreach(S.actions, _action_row),
                rx.button(
                    rx.icon("plus", size=12),
                    T["automation.add_action"],
                    size="1",
                    variant="soft",
                    on_click=S.add_action,
                    id="rule-add-action",
                ),
                rx.cond(
                    S.form_error != "",
                    rx.callout(S.form_error, icon="triangle-alert", color_scheme="red", size="1", id="rule-error"),
                    rx.fragment(),
                ),
                dialog_footer("action.save", S.save_rule, confirm_id="rule-save", on_cancel=S.close_editor),
                gap="10px",
                width="100%",
            ),
            max_width="860px",
        ),
        open=S.editing,
        on_open_change=lambda _open: S.close_editor(),
    )


def automation_page() -> rx.Component:
    return app_shell(
        refused_or(
            S,
            page_header(
                "automation.title",
                rx.button(rx.icon("plus", size=16), T["automation.new"], on_click=S.new_rule, id="rule-new"),
            ),
            rx.card(_rules(), width="100%"),
            _log(),
            _editor(),
            confirm_dialog(
                "common.delete",
                "common.delete_confirm",
                "common.delete",
                S.delete_rule,
                is_open=S.delete_id > 0,
                on_cancel=S.cancel_delete,
                confirm_id="rule-delete-confirm",
                question=S.delete_question,
            ),
        )
    )

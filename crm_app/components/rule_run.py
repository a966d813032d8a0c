"""A list's "Chạy tự động" (customers, contacts, leads, deals): a button on the bulk bar and its
dialog (choose a rule, see what it would change, run it; state/rule_run.py)."""

from __future__ import annotations

import reflex as rx

from crm_app.components.form import T


def rule_run_button(state) -> rx.Component:
    return rx.button(
        rx.icon("workflow", size=14),
        T["bulk.run_rule"],
        size="1",
        variant="soft",
        on_click=state.open_rule_run,
        id="bulk-run-rule",
    )


def _preview(state) -> rx.Component:
    return rx.cond(
        state.rr_counts != "",
        rx.vstack(
            rx.callout(state.rr_counts, icon="info", size="1", id="rule-preview-counts", width="100%"),
            rx.foreach(state.rr_actions, lambda line: rx.text(line, size="2", class_name="rule-preview-action")),
            rx.cond(
                state.rr_rows.length() > 0,
                rx.vstack(
                    rx.text(T["automation.preview_rows"], size="2", weight="medium"),
                    rx.table.root(
                        rx.table.body(
                            rx.foreach(
                                state.rr_rows,
                                lambda r: rx.table.row(
                                    rx.table.cell(r["record"]),
                                    rx.table.cell(rx.cond(r["field"] != "", r["field"], r["what"])),
                                    rx.table.cell(r["old"]),
                                    rx.table.cell(rx.cond(r["new"] != "", r["new"], r["child"])),
                                ),
                            )
                        ),
                        size="1",
                        width="100%",
                        id="rule-preview-rows",
                    ),
                    width="100%",
                    gap="4px",
                ),
                rx.fragment(),
            ),
            width="100%",
            gap="6px",
        ),
        rx.fragment(),
    )


def rule_run_dialog(state) -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(T["bulk.run_rule"]),
            rx.vstack(
                rx.badge(state.bulk_target, size="2"),
                rx.cond(
                    state.rr_rules.length() > 0,
                    rx.vstack(
                        rx.text(T["automation.choose_rule"], size="2", weight="medium"),
                        rx.el.select(
                            rx.foreach(state.rr_rules, lambda o: rx.el.option(o[1], value=o[0])),
                            value=state.rr_rule,
                            on_change=state.set_rr_rule,
                            class_name="native-select",
                            aria_label=T["automation.choose_rule"],
                            style={"width": "100%"},
                        ),
                        width="100%",
                        gap="4px",
                    ),
                    rx.text(T["automation.no_rules"], size="2", color=rx.color("gray", 11), id="rule-run-none"),
                ),
                _preview(state),
                rx.cond(
                    state.rr_running | (state.rr_total > 0),
                    rx.vstack(
                        rx.progress(value=state.rr_percent, width="100%"),
                        rx.text(state.rr_done, " / ", state.rr_total, size="1", color=rx.color("gray", 11)),
                        width="100%",
                    ),
                    rx.fragment(),
                ),
                rx.cond(
                    state.rr_report != "",
                    rx.callout(state.rr_report, icon="circle-check", color_scheme="green", size="1", id="rule-report"),
                    rx.fragment(),
                ),
                rx.hstack(
                    rx.button(
                        T["action.close"],
                        variant="soft",
                        color_scheme="gray",
                        on_click=state.close_rule_run,
                        disabled=state.rr_running,
                    ),
                    rx.button(
                        rx.icon("eye", size=14),
                        T["automation.preview"],
                        variant="soft",
                        on_click=state.preview_rule,
                        disabled=state.rr_running | (state.rr_rule == "") | (state.rr_report != ""),
                    ),
                    rx.button(
                        rx.cond(state.rr_running, rx.spinner(size="1"), rx.icon("play", size=14)),
                        T["automation.run"],
                        on_click=state.run_rule,
                        # previewed first; a run that ended keeps its report (its selection is gone)
                        disabled=state.rr_running | (state.rr_counts == "") | (state.rr_report != ""),
                    ),
                    justify="end",
                    width="100%",
                    gap="8px",
                ),
                gap="12px",
                width="100%",
            ),
            max_width="640px",
        ),
        open=state.rr_open,
        on_open_change=lambda _open: state.close_rule_run(),  # not while it runs
    )

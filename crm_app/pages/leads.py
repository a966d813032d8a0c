"""Leads: list with bulk conversion, the status board, the form with "Convert"."""

import reflex as rx

from crm_app import routes
from crm_app.components.board_page import board, board_search, board_view_select, owner_filter, view_switch
from crm_app.components.dialog_footer import dialog_footer
from crm_app.components.export_dialog import export_dialog
from crm_app.components.form import FormKit, T
from crm_app.components.history_table import record_history
from crm_app.components.list_view import list_view
from crm_app.components.read_only import for_editors
from crm_app.components.rule_run import rule_run_button, rule_run_dialog
from crm_app.components.shell import app_shell, page_header
from crm_app.components.watch import watch_button
from crm_app.state.leads import LeadBoardState as B
from crm_app.state.leads import LeadFormState as S
from crm_app.state.leads import LeadListState as L
from crm_app.state.watch import LeadWatchState

STATUS_OPTIONS = [[s, f"lead_status.{s}"] for s in ("new", "contacted", "qualified", "unqualified")]


def _new_button() -> rx.Component:
    return rx.link(rx.button(rx.icon("plus", size=16), T["leads.new"], id="lead-new"), href=routes.LEAD_NEW)


def _report_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(T["leads.bulk_report"]),
            rx.table.root(
                rx.table.body(
                    rx.foreach(
                        L.report,
                        lambda r: rx.table.row(
                            rx.table.cell(r["name"]),
                            rx.table.cell(
                                rx.badge(
                                    r["outcome_label"],
                                    color_scheme=rx.match(
                                        r["outcome"], ("created", "green"), ("linked", "blue"), "red"
                                    ),
                                )
                            ),
                            rx.table.cell(r["message"]),
                            class_name="report-row",
                        ),
                    )
                ),
                size="1",
                width="100%",
                id="bulk-report",
            ),
            rx.hstack(
                rx.button(T["action.close"], on_click=L.close_report, id="report-close"),
                justify="end",
                margin_top="12px",
            ),
            max_width="640px",
        ),
        open=L.report_open,
    )


def leads_page() -> rx.Component:
    return app_shell(
        page_header(
            "leads.title",
            view_switch(routes.LEADS, routes.LEAD_BOARD, False),
            rx.link(
                rx.button(rx.icon("file-up", size=16), T["nav.import"], variant="soft"),
                href=routes.import_url("lead"),
                id="lead-import",
            ),
            export_dialog(L),
            _new_button(),
        ),
        list_view(
            L,
            (),
            select_all=False,
            extra=rx.button(
                rx.icon("repeat", size=14),
                T["leads.bulk_convert"],
                rx.badge(L.selected_ids.length(), variant="solid", radius="full"),
                variant="soft",
                on_click=L.bulk_convert,
                id="bulk-convert",
                disabled=L.selected_ids.length() == 0,
            ),
            bulk_extra=rule_run_button(L),
        ),
        rule_run_dialog(L),
        _report_dialog(),
    )


def lead_board_page() -> rx.Component:
    return app_shell(
        page_header("leads.board_title", view_switch(routes.LEADS, routes.LEAD_BOARD, True), _new_button()),
        rx.hstack(
            board_view_select(B),
            board_search(B),
            owner_filter(B),
            width="100%",
            margin_bottom="12px",
            gap="10px",
            align="center",
            wrap="wrap",
        ),
        board(B, B.open_card),
    )


F = FormKit(S)


def _radio(value: str, label, current, on_change, item_id: str, disabled=False, detail="") -> rx.Component:
    return rx.el.label(
        rx.el.input(
            type="radio", checked=current == value, on_change=lambda _v: on_change(value), disabled=disabled, id=item_id
        ),
        rx.text(label, size="2", weight="medium"),
        rx.text(detail, size="1", color=rx.color("gray", 11)),
        class_name="choice-row",
    )


def _convert_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(T["leads.convert_title"]),
            rx.dialog.description(T["leads.convert_hint"], size="2", margin_bottom="10px"),
            rx.vstack(
                rx.cond(
                    S.customer_matches.length() > 0,
                    rx.callout(
                        T["leads.matches_title"],
                        icon="triangle-alert",
                        color_scheme="amber",
                        size="1",
                        id="convert-matches",
                    ),
                    rx.fragment(),
                ),
                rx.text(T["leads.customer_choice"], weight="bold", size="2"),
                rx.foreach(
                    S.customer_matches,
                    lambda m: _radio(
                        m["id"],
                        m["label"],
                        S.customer_choice,
                        S.set_customer_choice,
                        "customer-choice-" + m["id"],
                        disabled=m["visible"] == "",
                        detail=rx.cond(m["visible"] == "", T["leads.match_hidden"], m["detail"]),
                    ),
                ),
                _radio("new", S.new_customer_label, S.customer_choice, S.set_customer_choice, "customer-choice-new"),
                rx.text(T["leads.contact_choice"], weight="bold", size="2", margin_top="6px"),
                rx.foreach(
                    S.contact_matches,
                    lambda m: _radio(
                        m["id"],
                        m["label"],
                        S.contact_choice,
                        S.set_contact_choice,
                        "contact-choice-" + m["id"],
                        detail=m["detail"],
                    ),
                ),
                _radio("new", S.new_contact_label, S.contact_choice, S.set_contact_choice, "contact-choice-new"),
                _radio("none", T["leads.no_contact"], S.contact_choice, S.set_contact_choice, "contact-choice-none"),
                rx.hstack(
                    rx.checkbox(
                        T["leads.create_opportunity"],
                        checked=S.make_opportunity,
                        on_change=S.set_make_opportunity,
                        id="convert-opportunity",
                    ),
                    rx.cond(
                        S.make_opportunity,
                        rx.el.select(
                            rx.foreach(S.pipeline_options, lambda o: rx.el.option(o[1], value=o[0])),
                            value=S.convert_pipeline,
                            on_change=S.set_convert_pipeline,
                            class_name="native-select",
                            style={"width": "200px"},
                        ),
                        rx.fragment(),
                    ),
                    align="center",
                    gap="12px",
                    margin_top="6px",
                ),
                rx.cond(
                    S.convert_error != "",
                    rx.text(S.convert_error, color=rx.color("red", 11), size="2", id="convert-error"),
                    rx.fragment(),
                ),
                gap="6px",
                width="100%",
            ),
            dialog_footer(
                "leads.convert", S.convert, icon="repeat", confirm_id="convert-confirm", on_cancel=S.close_convert
            ),
            max_width="560px",
            id="convert-dialog",
        ),
        open=S.convert_open,
    )


def _converted_links() -> rx.Component:
    def link(kind: str, href_fn) -> rx.Component:
        return rx.cond(
            S.converted[f"{kind}_id"],
            rx.link(S.converted[f"{kind}_name"], href=href_fn(S.converted[f"{kind}_id"]), id=f"converted-{kind}"),
            rx.fragment(),
        )

    return rx.callout(
        rx.hstack(
            rx.text(T["leads.converted_to"]),
            link("customer", lambda i: "/customers/" + i),
            link("contact", lambda i: "/contacts/" + i),
            link("opportunity", lambda i: "/opportunities/" + i),
            gap="14px",
            wrap="wrap",
        ),
        icon="circle-check",
        color_scheme="green",
        width="100%",
        id="converted-links",
    )


def lead_form_page() -> rx.Component:
    is_converted = S.status == "converted"
    return app_shell(
        _convert_dialog(),
        rx.form(
            rx.vstack(
                rx.hstack(
                    rx.link(rx.icon("arrow-left", size=18), href=routes.LEADS),
                    rx.heading(
                        rx.cond(S.lead_id > 0, S.values["full_name"] | "", T["leads.new"]), size="6", id="page-title"
                    ),
                    rx.cond(is_converted, rx.badge(T["leads.converted_badge"], color_scheme="purple"), rx.fragment()),
                    rx.spacer(),
                    rx.cond(S.lead_id > 0, watch_button(LeadWatchState), rx.fragment()),
                    for_editors(
                        S.can_edit,
                        rx.cond(
                            (S.lead_id > 0) & ~is_converted,
                            rx.button(
                                rx.icon("repeat", size=16),
                                T["leads.convert"],
                                type="button",
                                variant="soft",
                                on_click=S.start_convert,
                                id="lead-convert",
                            ),
                            rx.fragment(),
                        ),
                        rx.button(rx.icon("save", size=16), T["action.save"], type="submit", id="lead-save"),
                        badge=True,
                    ),
                    width="100%",
                    align="center",
                    gap="10px",
                ),
                rx.cond(is_converted, _converted_links(), rx.fragment()),
                *F.sections(
                    "lead",
                    # "converted" is reached by converting only; a converted lead's status stays
                    own={
                        "status": rx.cond(
                            is_converted,
                            rx.fragment(),
                            F.select("status", [[v, T[k]] for v, k in STATUS_OPTIONS], required=True),
                        )
                    },
                ),
                rx.cond(S.lead_id > 0, record_history(S.history, "lead", S.lead_id, S.is_manager), rx.fragment()),
                gap="14px",
                width="100%",
                max_width="1100px",
            ),
            on_submit=S.save,
            reset_on_submit=False,
        ),
    )

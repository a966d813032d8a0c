"""Opportunities: list, kanban board per pipeline (with the lost-reason dialog) and the form."""

import reflex as rx

from crm_app import routes
from crm_app.components.board_page import board, board_search, board_view_select, owner_filter, view_switch
from crm_app.components.dialog_footer import dialog_footer
from crm_app.components.export_dialog import export_dialog
from crm_app.components.form import FormKit, T, labelled, select_options
from crm_app.components.history_table import record_history
from crm_app.components.list_view import list_view
from crm_app.components.picker import record_picker
from crm_app.components.read_only import for_editors
from crm_app.components.rule_run import rule_run_button, rule_run_dialog
from crm_app.components.shell import app_shell, page_header
from crm_app.components.watch import watch_button
from crm_app.services.records.fields import OPPORTUNITY
from crm_app.state.opportunities import OpportunityBoardState as B
from crm_app.state.opportunities import OpportunityFormState as S
from crm_app.state.opportunities import OpportunityListState
from crm_app.state.watch import OpportunityWatchState


def _new_button() -> rx.Component:
    return rx.link(
        rx.button(rx.icon("plus", size=16), T["opps.new"], id="opportunity-new"), href=routes.OPPORTUNITY_NEW
    )


def opportunities_page() -> rx.Component:
    return app_shell(
        page_header(
            "opps.title",
            view_switch(routes.OPPORTUNITIES, routes.OPPORTUNITY_BOARD, False),
            export_dialog(OpportunityListState),
            _new_button(),
        ),
        list_view(OpportunityListState, (), bulk_extra=rule_run_button(OpportunityListState)),
        rule_run_dialog(OpportunityListState),
    )


def _lost_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(T["board.lost_title"]),
            rx.dialog.description(T["board.lost_hint"], size="2", margin_bottom="12px"),
            labelled(
                "field.lost_reason_id",
                select_options(B.lost_reasons, "lost_reason", B.lost_reason_id, B.set_lost_reason, B.lost_error),
                B.lost_error,
                required=True,
                field_id="lost_reason",
            ),
            dialog_footer(
                "action.confirm",
                B.confirm_lost,
                color="red",
                confirm_id="lost-confirm",
                on_cancel=B.cancel_lost,
                cancel_id="lost-cancel",
            ),
            max_width="420px",
            id="lost-dialog",
        ),
        open=B.lost_open,
    )


def opportunity_board_page() -> rx.Component:
    return app_shell(
        page_header(
            "board.title",
            view_switch(routes.OPPORTUNITIES, routes.OPPORTUNITY_BOARD, True),
            _new_button(),
        ),
        rx.hstack(
            rx.text(T["board.pipeline"], size="2", color=rx.color("gray", 11)),
            rx.el.select(
                rx.foreach(B.pipeline_options, lambda o: rx.el.option(o[1], value=o[0])),
                value=B.pipeline_id,
                on_change=B.set_pipeline,
                class_name="native-select",
                aria_label=T["board.pipeline"],
                id="pipeline-switch",
                style={"width": "220px"},
            ),
            board_view_select(B),
            board_search(B),
            owner_filter(B),
            rx.spacer(),
            align="center",
            gap="10px",
            width="100%",
            margin_bottom="12px",
            wrap="wrap",
        ),
        rx.cond(
            B.loaded & (B.pipeline_options.length() == 0),
            rx.callout(T["board.no_pipeline"], icon="info", id="no-pipeline"),
            board(B, B.open_card),
        ),
        _lost_dialog(),
    )


F = FormKit(S)


def _order_action() -> rx.Component:
    """The order this deal generated, or the button that makes it (refused with a reason unless won)."""
    return rx.cond(
        S.order_code != "",
        rx.link(
            rx.badge(rx.icon("shopping-cart", size=14), S.order_label, color_scheme="green", size="2", variant="soft"),
            href=S.order_url,
            id="opportunity-order",
        ),
        for_editors(
            S.can_edit,
            rx.button(
                rx.icon("shopping-cart", size=16),
                T["deals.make_order"],
                type="button",
                on_click=S.make_order,
                color_scheme=rx.cond(S.won, "green", "gray"),
                variant=rx.cond(S.won, "solid", "soft"),
                title=rx.cond(S.won, T["deals.order_hint"], T["err.order_needs_won"]),
                id="opportunity-make-order",
            ),
        ),
    )


def opportunity_form_page() -> rx.Component:
    customer = record_picker(S, "customer_id", "customer", "opps.search_customer", label_key="leads.customer_choice")
    stage = labelled(
        "field.stage_id",
        select_options(S.stage_options, "stage_id", S.values["stage_id"] | "", S.set_stage, F.err("stage_id")),
        F.err("stage_id"),
        field_id="stage_id",
    )
    pipeline = labelled(
        "field.pipeline_id",
        select_options(
            S.pipeline_options, "pipeline_id", S.values["pipeline_id"] | "", S.set_pipeline, F.err("pipeline_id")
        ),
        F.err("pipeline_id"),
        field_id="pipeline_id",
    )
    return app_shell(
        rx.form(
            rx.vstack(
                rx.hstack(
                    rx.link(rx.icon("arrow-left", size=18), href=routes.OPPORTUNITY_BOARD),
                    rx.heading(rx.cond(S.opp_id > 0, S.values["name"] | "", T["opps.new"]), size="6", id="page-title"),
                    rx.spacer(),
                    rx.cond(S.opp_id > 0, _order_action(), rx.fragment()),
                    rx.cond(S.opp_id > 0, watch_button(OpportunityWatchState), rx.fragment()),
                    for_editors(
                        S.can_edit,
                        rx.button(rx.icon("save", size=16), T["action.save"], type="submit", id="opportunity-save"),
                        badge=True,
                    ),
                    width="100%",
                    align="center",
                    gap="10px",
                ),
                *F.sections(
                    "opportunity",
                    own={
                        "customer_id": customer,
                        "pipeline_id": rx.cond(S.opp_id > 0, rx.fragment(), pipeline),
                        "stage_id": stage,
                        "contact_id": record_picker(S, "contact_id", "contact", "contacts.search_contact"),
                        "lost_reason_id": rx.cond(
                            S.stage_outcome == "lost", F.field(OPPORTUNITY.field("lost_reason_id")), rx.fragment()
                        ),
                    },
                ),
                rx.cond(S.opp_id > 0, record_history(S.history, "opportunity", S.opp_id, S.is_manager), rx.fragment()),
                gap="14px",
                width="100%",
                max_width="1100px",
            ),
            on_submit=S.save,
            reset_on_submit=False,
        ),
    )

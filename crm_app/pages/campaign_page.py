"""The page of one campaign: its header (edited in a dialog), figures with a chart, its members
(status, remove, add a static list) and the e-mail to every member."""

import reflex as rx

from crm_app import routes
from crm_app.components.campaign_dialog import campaign_dialog
from crm_app.components.dialogs import confirm_dialog, empty_state, icon_button
from crm_app.components.form import T, labelled
from crm_app.components.read_only import for_editors
from crm_app.components.shell import app_shell, refused_or
from crm_app.pages.customer_tabs.campaigns import member_badge
from crm_app.pages.customer_tabs.common import muted
from crm_app.pages.dashboard import CHART_HEIGHT
from crm_app.state.campaigns import CampaignPageState as S

FIGURES = ("members", "sent", "failed", "unsubscribed", "responded", "deals", "won_value")


def _title() -> rx.Component:
    return rx.hstack(
        rx.link(rx.icon("arrow-left", size=18), href=routes.CAMPAIGNS, aria_label=T["campaign.back"]),
        rx.heading(S.name, size="6", id="page-title"),
        rx.spacer(),
        for_editors(
            S.can_edit,
            rx.hstack(
                rx.button(
                    rx.icon("pencil", size=14),
                    T["action.edit"],
                    variant="soft",
                    on_click=S.open_edit_campaign,
                    id="campaign-edit",
                ),
                rx.button(rx.icon("send", size=14), T["campaign.send"], on_click=S.open_send, id="campaign-send"),
                gap="8px",
            ),
        ),
        align="center",
        width="100%",
        wrap="wrap",
        gap="8px",
    )


def _header() -> rx.Component:
    return rx.card(
        rx.grid(
            rx.foreach(
                S.header,
                lambda f: rx.vstack(
                    muted(T[f[0]]), rx.text(rx.cond(f[2] != "", T[f[2]], f[1]), size="2", weight="medium"), gap="2px"
                ),
            ),
            columns=rx.breakpoints(initial="2", md="3", lg="6"),
            gap="10px 16px",
            width="100%",
        ),
        rx.cond(S.description != "", rx.text(S.description, size="2", margin_top="10px"), rx.fragment()),
        width="100%",
        id="campaign-header",
    )


def _figure(name: str) -> rx.Component:
    return rx.vstack(
        muted(T[f"campaign.fig.{name}"]),
        rx.text(S.figures[name], size="5", weight="bold", id=f"fig-{name}"),
        gap="0",
        min_width="110px",
    )


def _figures() -> rx.Component:
    return rx.card(
        rx.text(T["campaign.figures"], weight="bold", size="2"),
        rx.flex(*[_figure(n) for n in FIGURES], wrap="wrap", gap="12px 24px", margin="8px 0 12px"),
        muted(T["campaign.chart"]),
        rx.box(
            rx.recharts.bar_chart(
                rx.recharts.cartesian_grid(stroke_dasharray="3 3", vertical=False),
                rx.recharts.x_axis(data_key="name", font_size=11, tick_line=False),
                rx.recharts.y_axis(width=40, font_size=11, tick_line=False, allow_decimals=False),
                rx.recharts.graphing_tooltip(),
                rx.recharts.bar(
                    data_key="count",
                    fill="var(--accent-9)",
                    name=T["campaign.members"],
                    radius=3,
                    max_bar_size=48,
                    is_animation_active=False,
                ),
                data=S.chart,
                width="100%",
                height=CHART_HEIGHT,
            ),
            width="100%",
            id="campaign-chart",
        ),
        width="100%",
    )


def _status(m) -> rx.Component:
    editable = rx.el.select(
        rx.foreach(S.member_status_options, lambda o: rx.el.option(o[1], value=o[0])),
        value=m["status"],
        on_change=lambda v: S.set_member_status(m["id"], v),
        class_name="native-select member-status",
        aria_label=T["campaign.member_status"] + " " + m["name"],
    )
    return rx.cond(S.can_edit, editable, member_badge(m["status"], T["member.status." + m["status"].to(str)]))


def _mail(m) -> rx.Component:
    """The campaign e-mail's status; when it failed for good, the server's answer under it."""
    return rx.cond(
        m["mail"] != "",
        rx.vstack(
            rx.text(T["mail.status." + m["mail"].to(str)], size="2"),
            rx.cond(
                m["mail_error"] != "",
                rx.text(m["mail_error"], size="1", color=rx.color("red", 11), class_name="mail-error"),
                rx.fragment(),
            ),
            gap="2px",
        ),
        rx.fragment(),
    )


def _member_row(m) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link(m["name"], href=m["url"], weight="medium")),
        rx.table.cell(T["entity." + m["entity"].to(str)], white_space="nowrap"),
        rx.table.cell(
            rx.hstack(
                rx.text(m["email"], size="2"),
                rx.cond(
                    m["opted_out"] != "",
                    rx.badge(T["campaign.opted_out_badge"], color_scheme="red", variant="soft"),
                    rx.fragment(),
                ),
                gap="6px",
                wrap="wrap",
            )
        ),
        rx.table.cell(_status(m)),
        rx.table.cell(_mail(m)),
        rx.table.cell(
            for_editors(
                S.can_edit,
                icon_button("x", S.ask_delete(m["id"]), "campaign.remove_member", "red", class_name="member-remove"),
            )
        ),
        class_name="member-row",
        key=m["id"],  # a row keeps its controls when the list is read again in another order
    )


def _add_from_list() -> rx.Component:
    return for_editors(
        S.can_edit,
        rx.cond(
            S.list_options.length() > 0,
            rx.hstack(
                labelled(
                    "campaign.add_from_list",
                    rx.el.select(
                        rx.foreach(S.list_options, lambda o: rx.el.option(o[1], value=o[0])),
                        value=S.chosen_list,
                        on_change=S.set_chosen_list,
                        class_name="native-select",
                        aria_label=T["campaign.add_from_list"],
                        id="campaign-list",
                    ),
                ),
                rx.button(rx.icon("plus", size=14), T["campaign.add"], on_click=S.add_list, id="campaign-add-list"),
                align="end",
                gap="8px",
            ),
            muted(T["campaign.no_lists"]),
        ),
    )


def _members() -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.text(T["campaign.members"], weight="bold", size="2"),
            rx.spacer(),
            _add_from_list(),
            align="end",
            width="100%",
            wrap="wrap",
            gap="8px",
        ),
        muted(T["campaign.members_hidden"]),
        rx.cond(
            S.members.length() > 0,
            rx.box(
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            *[
                                rx.table.column_header_cell(T[k] if k else "")
                                for k in (
                                    "campaign.member",
                                    "campaign.member_kind",
                                    "field.email",
                                    "campaign.member_status",
                                    "campaign.mail_status",
                                    "",
                                )
                            ]
                        )
                    ),
                    rx.table.body(rx.foreach(S.members, _member_row)),
                    size="1",
                    variant="surface",
                    width="100%",
                    id="members-table",
                ),
                overflow_x="auto",
                width="100%",
                margin_top="8px",
            ),
            empty_state("campaign.no_members", "members-empty"),
        ),
        width="100%",
    )


def _plan_line(key: str, name: str) -> rx.Component:
    return rx.hstack(rx.text(T[key], size="2"), rx.spacer(), rx.text(S.plan[name], weight="bold", id=f"plan-{name}"))


def _send_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(T["campaign.send_title"]),
            rx.vstack(
                rx.cond(
                    S.templates.length() > 0,
                    labelled(
                        "campaign.template",
                        rx.el.select(
                            rx.foreach(S.templates, lambda o: rx.el.option(o[1], value=o[0])),
                            value=S.template_id,
                            on_change=S.set_template,
                            class_name="native-select",
                            aria_label=T["campaign.template"],
                            id="send-template",
                            style={"width": "100%"},
                        ),
                    ),
                    rx.callout(T["campaign.no_templates"], icon="info", size="1"),
                ),
                rx.cond(
                    S.plan.length() > 0,
                    rx.card(
                        _plan_line("campaign.will_send", "will_send"),
                        _plan_line("campaign.opted_out", "opted_out"),
                        _plan_line("campaign.no_address", "no_address"),
                        _plan_line("campaign.already", "already"),
                        width="100%",
                        id="send-plan",
                    ),
                    rx.fragment(),
                ),
                muted(T["campaign.send_hint"]),
                rx.cond(
                    S.sending | (S.send_done > 0),
                    rx.progress(
                        value=S.send_done * 100 / rx.cond(S.send_total > 0, S.send_total, 1), id="send-progress"
                    ),
                    rx.fragment(),
                ),
                rx.cond(
                    S.send_report != "",
                    rx.callout(S.send_report, icon="circle-check", color_scheme="green", size="1", id="send-report"),
                    rx.fragment(),
                ),
                rx.hstack(
                    rx.button(
                        T["action.close"],
                        variant="soft",
                        color_scheme="gray",
                        on_click=S.set_send_open(False),
                        disabled=S.sending,
                        id="send-close",
                    ),
                    rx.button(
                        T["campaign.check"],
                        variant="soft",
                        on_click=S.check_send,
                        disabled=(S.template_id == "") | S.sending,
                        id="send-check",
                    ),
                    rx.button(
                        rx.cond(S.sending, rx.spinner(size="1"), rx.icon("send", size=14)),
                        T["campaign.confirm_send"],
                        on_click=S.run_send,
                        disabled=(S.will_send == 0) | S.sending | (S.send_report != ""),
                        id="send-run",
                    ),
                    justify="end",
                    width="100%",
                    gap="8px",
                ),
                gap="12px",
                width="100%",
            ),
            max_width="480px",
        ),
        open=S.send_open,
        on_open_change=S.set_send_open,
    )


def campaign_page() -> rx.Component:
    return app_shell(
        refused_or(
            S,
            rx.cond(
                S.found,
                rx.vstack(_title(), _header(), _figures(), _members(), gap="12px", width="100%"),
                rx.center(rx.spinner(), height="30vh"),
            ),
        ),
        campaign_dialog(S),
        _send_dialog(),
        confirm_dialog(
            "campaign.remove_member",
            "campaign.remove_member",
            "campaign.remove",
            S.delete,
            is_open=S.delete_id > 0,
            on_cancel=S.cancel_delete,
            confirm_id="member-remove-confirm",
            question=S.remove_question,
        ),
    )

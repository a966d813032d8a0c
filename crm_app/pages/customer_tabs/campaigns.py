"""The Campaigns tab: the campaigns of the customer and of its contacts, with the member's status."""

from __future__ import annotations

import reflex as rx

from crm_app.components.dialogs import empty_state
from crm_app.components.form import T
from crm_app.pages.customer_tabs.common import STATUS_COLORS
from crm_app.state.customer_campaigns_tab import CustomerCampaignsState as C


def member_badge(code: rx.Var, label: rx.Var) -> rx.Component:
    """A member's status: the tabs' colours, in high contrast (a small badge's text stays readable)."""
    return rx.badge(label, color_scheme=rx.match(code, *STATUS_COLORS, "gray"), variant="soft", high_contrast=True)


def campaigns_tab() -> rx.Component:
    return rx.cond(
        C.customer_campaigns.length() > 0,
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    *[
                        rx.table.column_header_cell(T[k])
                        for k in (
                            "campaign.name",
                            "campaign.status",
                            "field.start_date",
                            "campaign.via_contact",
                            "campaign.member_status",
                        )
                    ]
                )
            ),
            rx.table.body(
                rx.foreach(
                    C.customer_campaigns,
                    lambda r: rx.table.row(
                        rx.table.cell(rx.link(r["name"], href=r["url"], weight="medium")),
                        rx.table.cell(T["campaign.status." + r["campaign_status"].to(str)]),
                        rx.table.cell(r["start"]),
                        rx.table.cell(r["contact"]),
                        rx.table.cell(member_badge(r["status"], T["member.status." + r["status"].to(str)])),
                        class_name="customer-campaign-row",
                    ),
                )
            ),
            size="1",
            variant="surface",
            width="100%",
            id="customer-campaigns",
        ),
        rx.card(empty_state("campaign.customer_none", "customer-campaigns-empty"), width="100%"),
    )

"""The campaigns list (Chiến dịch) on the list machinery, with the dialog of a new campaign."""

import reflex as rx

from crm_app.components.campaign_dialog import campaign_dialog
from crm_app.components.form import T
from crm_app.components.list_view import list_view
from crm_app.components.shell import app_shell, page_header
from crm_app.state.campaigns import CampaignListState as L


def campaigns_page() -> rx.Component:
    return app_shell(
        page_header(
            "campaign.title",
            rx.button(rx.icon("plus", size=16), T["campaign.new"], on_click=L.open_new_campaign, id="campaign-new"),
        ),
        list_view(L, (), empty_key="campaign.empty"),
        campaign_dialog(L),
    )

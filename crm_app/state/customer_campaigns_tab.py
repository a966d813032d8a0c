"""The Campaigns tab of the open customer: the campaigns it (or one of its contacts) is in, with
the member's status."""

from __future__ import annotations

import reflex as rx

from crm_app import routes
from crm_app.services.campaigns import campaigns
from crm_app.services.formatting import fmt_date
from crm_app.state.customer_detail import CustomerDetailState


class CustomerCampaignsState(CustomerDetailState):
    customer_campaigns: list[dict[str, str]] = []

    @rx.event
    def load(self):
        with self._service() as (session, actor):
            rows = campaigns.of_customer(session, actor, self.customer_id)
        self.customer_campaigns = [
            {
                "name": r.name,
                "url": routes.campaign_url(r.campaign_id),
                "campaign_status": r.status,  # labels: the page's, in the language of the moment
                "start": fmt_date(r.start_date),
                "status": r.member_status,
                "contact": r.contact,
            }
            for r in rows
        ]

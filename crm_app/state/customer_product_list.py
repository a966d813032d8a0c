"""The customer products list (Sản phẩm khách hàng) on the list machinery: views, filters,
columns and export over what the user's customers bought or use."""

from __future__ import annotations

import reflex as rx

from crm_app import routes
from crm_app.services.customer import customer_products
from crm_app.state.export_state import ExportMixin
from crm_app.state.list_state import ListStateMixin
from crm_app.state.session import SessionState


class CustomerProductListState(ExportMixin, ListStateMixin, SessionState):
    entity = "customer_product"
    search_hint = "cp.search_hint"

    @rx.event
    def open_row(self, row_id: str):
        """A row opens its customer's Products tab (if the user still sees that customer)."""
        with self._service() as (session, actor):
            customer_id = customer_products.customer_of(session, actor, int(row_id))
        return rx.redirect(f"{routes.customer_url(customer_id)}?tab=products")

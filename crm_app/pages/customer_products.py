"""The customer products list (Sản phẩm khách hàng, seed 004 §3): what customers bought in their
orders or use as services, on the list machinery like the customer list."""

import reflex as rx

from crm_app.components.export_dialog import export_dialog
from crm_app.components.list_view import list_view
from crm_app.components.shell import app_shell, page_header
from crm_app.state.customer_product_list import CustomerProductListState as L


def customer_products_page() -> rx.Component:
    return app_shell(
        page_header("cp.title", export_dialog(L)),
        list_view(L, (), empty_key="cp.empty"),
    )

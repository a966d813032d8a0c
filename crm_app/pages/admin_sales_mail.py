"""Admin: e-mail templates, products and activity types."""

import reflex as rx

from crm_app.components.form import FormKit, T, labelled
from crm_app.components.shell import app_shell, page_header
from crm_app.state.admin_sales_mail import CatalogAdminState as S

F = FormKit(S)


def _active_badge(active: rx.Var) -> rx.Component:
    return rx.cond(active == "1", rx.badge(T["admin.active"], color_scheme="green"),
                   rx.badge(T["admin.inactive"], color_scheme="gray"))


def _templates() -> rx.Component:
    return rx.card(
        rx.hstack(rx.text(T["templates.title"], weight="bold"), rx.spacer(),
                  rx.button(rx.icon("plus", size=14), T["templates.new"], size="1",
                            on_click=S.open_dialog("template", ""), id="template-new"),
                  width="100%", align="center", margin_bottom="8px"),
        rx.table.root(
            rx.table.header(rx.table.row(rx.table.column_header_cell(T["templates.name"]),
                                         rx.table.column_header_cell(T["mail.subject"]),
                                         rx.table.column_header_cell(T["templates.active"]),
                                         rx.table.column_header_cell(""))),
            rx.table.body(rx.foreach(S.templates, lambda t: rx.table.row(
                rx.table.cell(t["name"]), rx.table.cell(t["subject"]), rx.table.cell(_active_badge(t["active"])),
                rx.table.cell(rx.button(T["action.edit"], size="1", variant="soft",
                                        on_click=S.open_dialog("template", t["id"]))),
                class_name="template-row"))),
            size="1", width="100%", id="templates-table",
        ),
        width="100%",
    )


def _products() -> rx.Component:
    return rx.card(
        rx.hstack(rx.text(T["products.title"], weight="bold"), rx.spacer(),
                  rx.button(rx.icon("plus", size=14), T["products.new"], size="1",
                            on_click=S.open_dialog("product", ""), id="product-new"),
                  width="100%", align="center", margin_bottom="8px"),
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(T[k]) for k in (
                "products.code", "products.name", "products.unit", "products.unit_price", "templates.active")],
                rx.table.column_header_cell(""))),
            rx.table.body(rx.foreach(S.products, lambda p: rx.table.row(
                rx.table.cell(p["code"]), rx.table.cell(p["name"]), rx.table.cell(p["unit"]),
                rx.table.cell(p["price"], text_align="right"), rx.table.cell(_active_badge(p["active"])),
                rx.table.cell(rx.button(T["action.edit"], size="1", variant="soft",
                                        on_click=S.open_dialog("product", p["id"]))),
                class_name="product-row"))),
            size="1", width="100%", id="products-table",
        ),
        width="100%",
    )


def _activity_types() -> rx.Component:
    return rx.card(
        rx.hstack(rx.text(T["act_types.title"], weight="bold"), rx.spacer(),
                  rx.button(rx.icon("plus", size=14), T["act_types.new"], size="1",
                            on_click=S.open_dialog("activity_type", ""), id="activity-type-new"),
                  width="100%", align="center", margin_bottom="8px"),
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(T[k]) for k in (
                "act_types.code", "field.label_vi", "field.label_en", "templates.active")],
                rx.table.column_header_cell(""))),
            rx.table.body(rx.foreach(S.activity_types, lambda a: rx.table.row(
                rx.table.cell(a["code"]), rx.table.cell(a["label_vi"]), rx.table.cell(a["label_en"]),
                rx.table.cell(_active_badge(a["active"])),
                rx.table.cell(rx.button(T["action.edit"], size="1", variant="soft",
                                        on_click=S.open_dialog("activity_type", a["id"]))),
                class_name="activity-type-row"))),
            size="1", width="100%", id="activity-types-table",
        ),
        width="100%",
    )


def _input(name: str, label_key: str, required: bool = False, **props) -> rx.Component:
    return labelled(label_key, rx.input(value=S.values[name] | "", on_change=lambda v: S.set_value(name, v),
                                        id=f"field-{name}", width="100%", **props),
                    F.err(name), required=required, field_id=name)


def _dialog() -> rx.Component:
    template_form = rx.vstack(
        _input("name", "templates.name", True),
        _input("subject", "mail.subject", True),
        labelled("mail.body", rx.text_area(value=S.values["body"] | "", on_change=lambda v: S.set_value("body", v),
                                           rows="8", width="100%", id="field-body"),
                 F.err("body"), required=True, field_id="body"),
        rx.text(S.placeholder_hint, size="1", color=rx.color("gray", 10)),
        gap="10px", width="100%",
    )
    product_form = rx.vstack(
        _input("code", "products.code", True), _input("name", "products.name", True),
        rx.grid(_input("unit", "products.unit"), _input("unit_price", "products.unit_price", inputmode="numeric"),
                columns="2", gap="12px", width="100%"),
        gap="10px", width="100%",
    )
    type_form = rx.vstack(_input("code", "act_types.code", True), _input("label_vi", "field.label_vi", True),
                          _input("label_en", "field.label_en", True), gap="10px", width="100%")
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.match(S.dialog_kind, ("template", T["templates.title"]),
                                     ("product", T["products.title"]), T["act_types.title"])),
            rx.match(S.dialog_kind, ("template", template_form), ("product", product_form), type_form),
            rx.checkbox(T["templates.active"], checked=S.values["active"] == "1",
                        on_change=lambda v: S.set_flag("active", v), margin_top="10px", id="field-active"),
            rx.hstack(rx.dialog.close(rx.button(T["action.cancel"], variant="soft", color_scheme="gray")),
                      rx.button(T["action.save"], on_click=S.save, id="catalog-save"),
                      justify="end", gap="8px", margin_top="14px"),
            max_width="600px",
        ),
        open=S.dialog_kind != "", on_open_change=S.close_dialog,
    )


def admin_sales_mail_page() -> rx.Component:
    return app_shell(
        rx.cond(
            S.denied != "",
            rx.callout(S.denied, icon="shield-alert", color_scheme="red", id="access-denied", width="100%"),
            rx.fragment(
                page_header("nav.templates_products"),
                rx.vstack(_templates(), _products(), _activity_types(), gap="14px", width="100%"),
                _dialog(),
            ),
        ),
    )

"""Admin: e-mail templates, products and activity types."""

import reflex as rx

from crm_app.components.dialog_footer import dialog_footer
from crm_app.components.form import FormKit, T, labelled
from crm_app.components.shell import app_shell, page_header
from crm_app.state.admin_sales_mail import CatalogAdminState as S

F = FormKit(S)


def _active_badge(active: rx.Var) -> rx.Component:
    return rx.cond(
        active == "1",
        rx.badge(T["admin.active"], color_scheme="green"),
        rx.badge(T["admin.inactive"], color_scheme="gray"),
    )


def _catalog_card(
    kind: str, title_key: str, new_key: str, headers: tuple[str, ...], rows: rx.Var, cells, dom: str
) -> rx.Component:
    """One admin catalog: its title and "new" button, a table of its items with an edit button each.
    ``cells(item)`` gives the item's cells before the active badge; ids derive from ``dom``."""
    return rx.card(
        rx.hstack(
            rx.text(T[title_key], weight="bold"),
            rx.spacer(),
            rx.button(
                rx.icon("plus", size=14), T[new_key], size="1", on_click=S.open_dialog(kind, ""), id=f"{dom}-new"
            ),
            width="100%",
            align="center",
            margin_bottom="8px",
        ),
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    *[rx.table.column_header_cell(T[k]) for k in (*headers, "templates.active")],
                    rx.table.column_header_cell(""),
                )
            ),
            rx.table.body(
                rx.foreach(
                    rows,
                    lambda item: rx.table.row(
                        *cells(item),
                        rx.table.cell(_active_badge(item["active"])),
                        rx.table.cell(
                            rx.button(
                                T["action.edit"], size="1", variant="soft", on_click=S.open_dialog(kind, item["id"])
                            )
                        ),
                        class_name=f"{dom}-row",
                    ),
                )
            ),
            size="1",
            width="100%",
            id=f"{dom}s-table",
        ),
        width="100%",
    )


def _templates() -> rx.Component:
    return _catalog_card(
        "template",
        "templates.title",
        "templates.new",
        ("templates.name", "mail.subject"),
        S.templates,
        lambda t: [rx.table.cell(t["name"]), rx.table.cell(t["subject"])],
        "template",
    )


def _products() -> rx.Component:
    return _catalog_card(
        "product",
        "products.title",
        "products.new",
        ("products.code", "products.name", "products.unit", "products.unit_price"),
        S.products,
        lambda p: [
            rx.table.cell(p["code"]),
            rx.table.cell(p["name"]),
            rx.table.cell(p["unit"]),
            rx.table.cell(p["price"], text_align="right"),
        ],
        "product",
    )


def _activity_types() -> rx.Component:
    return _catalog_card(
        "activity_type",
        "act_types.title",
        "act_types.new",
        ("act_types.code", "field.label_vi", "field.label_en"),
        S.activity_types,
        lambda a: [rx.table.cell(a["code"]), rx.table.cell(a["label_vi"]), rx.table.cell(a["label_en"])],
        "activity-type",
    )


def _input(name: str, label_key: str, required: bool = False, **props) -> rx.Component:
    return labelled(
        label_key,
        rx.input(
            value=S.values[name] | "",
            on_change=lambda v: S.set_value(name, v),
            id=f"field-{name}",
            width="100%",
            **props,
        ),
        F.err(name),
        required=required,
        field_id=name,
    )


def _dialog() -> rx.Component:
    template_form = rx.vstack(
        _input("name", "templates.name", True),
        _input("subject", "mail.subject", True),
        labelled(
            "mail.body",
            rx.text_area(
                value=S.values["body"] | "",
                on_change=lambda v: S.set_value("body", v),
                rows="8",
                width="100%",
                id="field-body",
            ),
            F.err("body"),
            required=True,
            field_id="body",
        ),
        rx.text(S.placeholder_hint, size="1", color=rx.color("gray", 11)),
        gap="10px",
        width="100%",
    )
    product_form = rx.vstack(
        _input("code", "products.code", True),
        _input("name", "products.name", True),
        rx.grid(
            _input("unit", "products.unit"),
            _input("unit_price", "products.unit_price", inputmode="numeric"),
            columns="2",
            gap="12px",
            width="100%",
        ),
        gap="10px",
        width="100%",
    )
    type_form = rx.vstack(
        _input("code", "act_types.code", True),
        _input("label_vi", "field.label_vi", True),
        _input("label_en", "field.label_en", True),
        gap="10px",
        width="100%",
    )
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(
                rx.match(
                    S.dialog_kind,
                    ("template", T["templates.title"]),
                    ("product", T["products.title"]),
                    T["act_types.title"],
                )
            ),
            rx.match(S.dialog_kind, ("template", template_form), ("product", product_form), type_form),
            rx.checkbox(
                T["templates.active"],
                checked=S.values["active"] == "1",
                on_change=lambda v: S.set_flag("active", v),
                margin_top="10px",
                id="field-active",
            ),
            dialog_footer("action.save", S.save, confirm_id="catalog-save"),
            max_width="600px",
        ),
        open=S.dialog_kind != "",
        on_open_change=S.close_dialog,
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

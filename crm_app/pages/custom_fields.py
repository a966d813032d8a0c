"""Admin: custom fields (text, number, date, choice, multi-choice, yes/no)."""

import reflex as rx

from crm_app.components.form import FormKit, T, labelled, select_options
from crm_app.components.shell import app_shell, page_header, refused_or
from crm_app.models.custom_field import CUSTOM_FIELD_ENTITIES, CUSTOM_FIELD_TYPES
from crm_app.state.custom_fields import CustomFieldsState as S

F = FormKit(S)


def _new_field_form() -> rx.Component:
    return rx.card(
        rx.form(
            rx.hstack(
                labelled(
                    "cf.entity",
                    select_options(
                        [[e, T[f"entity.{e}"]] for e in CUSTOM_FIELD_ENTITIES],
                        "entity",
                        S.values["entity"] | "customer",
                        lambda v: S.set_value("entity", v),
                        F.err("entity"),
                        placeholder_key="common.none",
                    ),
                    F.err("entity"),
                ),
                labelled(
                    "cf.label",
                    rx.input(
                        value=S.values["label"] | "", on_change=lambda v: S.set_value("label", v), id="field-label"
                    ),
                    F.err("label"),
                    required=True,
                    field_id="label",
                ),
                labelled(
                    "cf.type",
                    select_options(
                        [[t, T[f"cf.type.{t}"]] for t in CUSTOM_FIELD_TYPES],
                        "type",
                        S.values["type"] | "text",
                        lambda v: S.set_value("type", v),
                        F.err("type"),
                    ),
                    F.err("type"),
                ),
                labelled(
                    "cf.options",
                    rx.input(
                        value=S.values["options"] | "",
                        on_change=lambda v: S.set_value("options", v),
                        id="field-options",
                        placeholder=T["cf.options_hint"],
                        disabled=(S.values["type"] != "choice") & (S.values["type"] != "multichoice"),
                    ),
                    F.err("options"),
                    field_id="options",
                ),
                rx.button(rx.icon("plus", size=14), T["cf.new"], type="submit", id="cf-create", margin_top="22px"),
                align="start",
                gap="12px",
                width="100%",
            ),
            on_submit=S.create,
            reset_on_submit=False,
        ),
        width="100%",
        max_width="1100px",
    )


def _row(f) -> rx.Component:
    return rx.table.row(
        rx.table.cell(T["entity." + f[1].to(str)]),
        rx.table.cell(rx.text(f[3], weight="medium")),
        rx.table.cell(rx.code(f[2])),
        rx.table.cell(T["cf.type." + f[4].to(str)]),
        rx.table.cell(f[5]),
        rx.table.cell(rx.cond(f[6] == "1", rx.fragment(), rx.badge(T["cf.hidden"], color_scheme="gray"))),
        rx.table.cell(
            rx.button(
                rx.cond(f[6] == "1", T["cf.hide"], T["cf.show"]),
                size="1",
                variant="soft",
                color_scheme="gray",
                on_click=S.toggle(f[0], f[6]),
            )
        ),
        class_name="cf-row",
        data_key=f[2],
    )


def custom_fields_page() -> rx.Component:
    return app_shell(
        refused_or(
            S,
            page_header("cf.title"),
            _new_field_form(),
            rx.cond(
                S.fields.length() > 0,
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            *[
                                rx.table.column_header_cell(T[k])
                                for k in ("cf.entity", "cf.label", "filter.field", "cf.type", "cf.options")
                            ],
                            rx.table.column_header_cell(""),
                            rx.table.column_header_cell(""),
                        )
                    ),
                    rx.table.body(rx.foreach(S.fields, _row)),
                    variant="surface",
                    size="1",
                    width="100%",
                    max_width="1100px",
                    margin_top="14px",
                    id="cf-table",
                ),
                rx.callout(T["cf.empty"], icon="info", margin_top="14px", max_width="1100px"),
            ),
        )
    )

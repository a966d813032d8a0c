"""Admin: what each role may export (a role, a kind of record, then the fields it may export)."""

import reflex as rx

from crm_app.components.form import T, labelled, select_options
from crm_app.components.shell import app_shell, page_header, refused_or
from crm_app.state.export_rights import ExportRightsState as S


def _field(f: rx.Var) -> rx.Component:
    return rx.checkbox(
        f[1],
        checked=~S.hidden.contains(f[0]),
        on_change=lambda may: S.toggle_field(f[0], may),
        disabled=~S.allowed,
        class_name="export-right-field",
        data_field=f[0],
    )


def export_rights_page() -> rx.Component:
    return app_shell(refused_or(S, _rights()))


def _rights() -> rx.Component:
    return rx.fragment(
        page_header("export_rights.title"),
        rx.text(T["export_rights.hint"], size="2", color=rx.color("gray", 11), max_width="900px"),
        rx.card(
            rx.vstack(
                rx.hstack(
                    labelled(
                        "export_rights.role",
                        select_options(
                            S.role_options, "right_role", S.right_role, lambda v: S.choose("role", v), "", blank=False
                        ),
                    ),
                    labelled(
                        "export_rights.entity",
                        select_options(
                            S.entity_options,
                            "right_entity",
                            S.right_entity,
                            lambda v: S.choose("entity", v),
                            "",
                            blank=False,
                        ),
                    ),
                    gap="16px",
                    width="100%",
                    max_width="600px",
                ),
                rx.hstack(
                    rx.switch(checked=S.allowed, on_change=S.set_allowed, id="export-allowed"),
                    rx.text(T["export_rights.allowed"], as_="label", html_for="export-allowed", size="2"),
                    align="center",
                    gap="8px",
                ),
                rx.text(T["export_rights.fields"], size="2", weight="medium", color=rx.color("gray", 11)),
                rx.grid(
                    rx.foreach(S.fields, _field),
                    columns=rx.breakpoints(initial="1", sm="2", lg="3"),
                    gap="8px 16px",
                    width="100%",
                    id="export-right-fields",
                ),
                rx.hstack(
                    rx.button(rx.icon("save", size=16), T["action.save"], on_click=S.save, id="export-rights-save"),
                    rx.button(
                        T["export_rights.discard"],
                        on_click=S.discard,
                        disabled=~S.unsaved,
                        variant="soft",
                        color_scheme="gray",
                        id="export-rights-discard",
                    ),
                    gap="8px",
                ),
                gap="14px",
                width="100%",
            ),
            max_width="900px",
            margin_top="14px",
        ),
    )

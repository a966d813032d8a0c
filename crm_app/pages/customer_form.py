"""The full customer form (new, edit, clone)."""

import reflex as rx

from crm_app.components.form import FormKit, T
from crm_app.components.picker import record_picker
from crm_app.components.shell import app_shell
from crm_app.state.customer_form import CustomerFormState as S

F = FormKit(S)


def _org_picker() -> rx.Component:
    return record_picker(S, "assigned_to_id", "assigned_to", "customers.search_org", hint_key="customers.assigned_hint")


def customer_form(title: rx.Component) -> rx.Component:
    return app_shell(
        rx.form(
            rx.vstack(
                rx.hstack(
                    title,
                    rx.spacer(),
                    rx.button(
                        T["action.cancel"],
                        variant="soft",
                        color_scheme="gray",
                        type="button",
                        on_click=rx.call_script("history.back()"),
                    ),
                    rx.button(rx.icon("save", size=16), T["action.save"], type="submit", id="customer-save"),
                    width="100%",
                    align="center",
                    gap="10px",
                ),
                rx.text(T["common.required_hint"], size="1", color=rx.color("gray", 11)),
                *F.sections("customer", own={"assigned_to_id": _org_picker()}),
                gap="14px",
                width="100%",
                max_width="1100px",
            ),
            on_submit=S.save,
            reset_on_submit=False,
        ),
    )


def customer_new_page() -> rx.Component:
    return customer_form(rx.heading(T["customers.new"], size="6", id="page-title"))


def customer_edit_page() -> rx.Component:
    return customer_form(
        rx.hstack(
            rx.icon_button(
                rx.icon("arrow-left", size=18),
                on_click=rx.call_script("history.back()"),
                variant="ghost",
                aria_label=T["action.back"],
            ),
            rx.heading(T["customers.edit"], size="6", id="page-title"),
            rx.badge(S.code, size="2"),
            align="center",
            gap="10px",
        )
    )

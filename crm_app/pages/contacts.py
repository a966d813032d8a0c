"""Contact list and the contact form."""

import reflex as rx

from crm_app import routes
from crm_app.components.export_dialog import export_dialog
from crm_app.components.form import FormKit, T
from crm_app.components.history_table import record_history
from crm_app.components.list_view import CONTACT_ACTIONS, list_view
from crm_app.components.picker import company_picker, record_picker
from crm_app.components.read_only import for_editors
from crm_app.components.rule_run import rule_run_button, rule_run_dialog
from crm_app.components.shell import app_shell, page_header
from crm_app.state.contacts import ContactFormState as S
from crm_app.state.contacts import ContactListState


def contacts_page() -> rx.Component:
    return app_shell(
        page_header(
            "contacts.title",
            export_dialog(ContactListState),
            rx.link(rx.button(rx.icon("plus", size=16), T["contacts.new"], id="contact-new"), href=routes.CONTACT_NEW),
        ),
        list_view(ContactListState, CONTACT_ACTIONS, bulk_extra=rule_run_button(ContactListState)),
        rule_run_dialog(ContactListState),
    )


F = FormKit(S)


def contact_form_page() -> rx.Component:
    company = company_picker(S, "company", "field-new_company")
    boss = record_picker(S, "reports_to_id", "reports_to", "contacts.search_contact")
    return app_shell(
        rx.form(
            rx.vstack(
                rx.hstack(
                    # back to the contact's page when editing one, else to the list
                    rx.link(
                        rx.icon("arrow-left", size=18),
                        href=rx.cond(S.contact_id > 0, routes.CONTACTS + "/" + S.contact_id.to(str), routes.CONTACTS),
                    ),
                    rx.heading(
                        rx.cond(S.contact_id > 0, T["contacts.edit"], T["contacts.new"]), size="6", id="page-title"
                    ),
                    rx.spacer(),
                    for_editors(
                        S.can_edit,
                        rx.cond(
                            S.contact_id > 0,
                            rx.button(
                                rx.icon("archive", size=14),
                                T["action.archive"],
                                variant="soft",
                                color_scheme="orange",
                                type="button",
                                on_click=S.archive,
                                id="contact-archive",
                            ),
                            rx.fragment(),
                        ),
                        rx.button(rx.icon("save", size=16), T["action.save"], type="submit", id="contact-save"),
                        badge=True,
                    ),
                    width="100%",
                    align="center",
                    gap="10px",
                ),
                rx.text(T["common.required_hint"], size="1", color=rx.color("gray", 11)),
                *F.sections("contact", own={"customer_id": company, "reports_to_id": boss}),
                rx.cond(
                    S.contact_id > 0,
                    record_history(S.history, "contact", S.contact_id, S.is_manager),
                    rx.fragment(),
                ),
                gap="14px",
                width="100%",
                max_width="1100px",
            ),
            on_submit=S.save,
            reset_on_submit=False,
        ),
    )

"""The activity dialog: type, status, subject, content, time, due time (tasks), assignee and contact.
Used by the customer's follow-ups and tasks tabs, the calendar and the activities list."""

from __future__ import annotations

import reflex as rx

from crm_app.components.dialog_footer import dialog_footer
from crm_app.components.dialogs import confirm_delete
from crm_app.components.form import T, labelled, select_options
from crm_app.components.picker import record_picker


def activity_form_dialog(
    A, customer_picker: rx.Component | None = None, delete_button: rx.Component | None = None
) -> rx.Component:
    """The activity form of ``A`` (a state with the activity form's vars and events); pages without
    a customer put a customer picker on top."""
    v, err = A.values, A.errors
    fixed = A.access != "all"  # its assignee changes the status and the date alone; a read-only one nothing
    # the date its assignee may move (activities.schedule_field): a task's due time, else its time
    at_fixed = (A.access == "none") | ((A.access == "status") & A.is_task_form)
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(
                rx.cond(A.editing_id > 0, T["act.edit"], rx.cond(A.is_task_form, T["tasks.new"], T["act.new"]))
            ),
            rx.vstack(
                customer_picker or rx.fragment(),
                rx.match(
                    A.access,
                    ("status", rx.callout(T["act.assignee_hint"], icon="info", size="1", id="activity-assignee-hint")),
                    ("none", rx.callout(T["act.read_only_hint"], icon="eye", size="1", id="activity-read-only-hint")),
                    rx.fragment(),
                ),
                rx.grid(
                    labelled(
                        "field.type_code",
                        select_options(
                            A.type_options,
                            "type_code",
                            v["type_code"] | "",
                            lambda x: A.set_value("type_code", x),
                            err["type_code"] | "",
                            blank=False,  # an activity always has a type
                            disabled=fixed,
                        ),
                        err["type_code"] | "",
                        required=True,
                        field_id="type_code",
                    ),
                    labelled(
                        "field.status",
                        select_options(
                            A.status_options,
                            "status",
                            v["status"] | "",
                            lambda x: A.set_value("status", x),
                            err["status"] | "",
                            blank=False,
                            disabled=A.access == "none",
                        ),
                        err["status"] | "",
                        field_id="status",
                    ),
                    columns="2",
                    gap="12px",
                    width="100%",
                ),
                labelled(
                    "field.subject",
                    rx.input(
                        value=v["subject"] | "",
                        id="field-subject",
                        width="100%",
                        read_only=fixed,
                        on_change=lambda x: A.set_value("subject", x),
                    ),
                    err["subject"] | "",
                    required=True,  # or the content: one of them says what it was
                    field_id="subject",
                ),
                labelled(
                    "field.content",
                    rx.text_area(
                        value=v["content"] | "",
                        rows="4",
                        width="100%",
                        on_change=lambda x: A.set_value("content", x),
                        id="field-content",
                        read_only=fixed,
                    ),
                    err["content"] | "",
                    field_id="content",
                ),
                rx.grid(
                    labelled(
                        "field.at",
                        rx.input(
                            type="datetime-local",
                            value=v["at"] | "",
                            id="field-at",
                            read_only=at_fixed,
                            on_change=lambda x: A.set_value("at", x),
                        ),
                        err["at"] | "",
                        field_id="at",
                    ),
                    rx.cond(
                        A.is_task_form,
                        labelled(
                            "field.due_at",
                            rx.input(
                                type="datetime-local",
                                value=v["due_at"] | "",
                                id="field-due_at",
                                read_only=A.access == "none",
                                on_change=lambda x: A.set_value("due_at", x),
                            ),
                            err["due_at"] | "",
                            required=True,
                            field_id="due_at",
                        ),
                        rx.fragment(),
                    ),
                    labelled(
                        "field.assignee_id",
                        select_options(
                            A.assignee_options,
                            "assignee_id",
                            v["assignee_id"] | "",
                            lambda x: A.set_value("assignee_id", x),
                            err["assignee_id"] | "",
                            disabled=fixed,
                        ),
                        err["assignee_id"] | "",
                        required=A.is_task_form,
                        field_id="assignee_id",
                    ),
                    labelled(
                        "field.contact_id",
                        select_options(
                            A.contact_options,
                            "contact_id",
                            v["contact_id"] | "",
                            lambda x: A.set_value("contact_id", x),
                            err["contact_id"] | "",
                            disabled=fixed,
                        ),
                        err["contact_id"] | "",
                        field_id="contact_id",
                    ),
                    columns="2",
                    gap="12px",
                    width="100%",
                ),
                dialog_footer(
                    "action.save",
                    A.save,
                    confirm_id="activity-save",
                    confirm_shown=A.access != "none",
                    start=rx.cond(A.access == "all", delete_button or rx.fragment(), rx.fragment()),
                ),
                gap="12px",
                width="100%",
            ),
            max_width="620px",
        ),
        open=A.dialog_open,
        on_open_change=A.set_dialog_open,
    )


def customer_picker(A) -> rx.Component:
    """The customer of a new activity (fixed once saved)."""
    return rx.cond(
        A.editing_id > 0,
        rx.hstack(
            rx.text(T["acts.customer"], size="2", weight="medium"),
            rx.badge(A.pick_label["customer_id"] | "", size="2"),
            align="center",
            gap="8px",
        ),
        record_picker(A, "customer_id", "customer_id", "acts.customer_search", label_key="acts.customer"),
    )


def editor_dialogs(A) -> rx.Component:
    """The dialog with a customer picker and a delete button, and the delete confirmation."""
    return rx.fragment(
        activity_form_dialog(
            A,
            customer_picker(A),
            rx.cond(
                A.editing_id > 0,
                rx.button(
                    rx.icon("trash-2", size=14),
                    T["common.delete"],
                    color_scheme="red",
                    variant="soft",
                    on_click=A.ask_delete_open,
                    id="activity-delete",
                ),
                rx.fragment(),
            ),
        ),
        confirm_delete(A.delete_id > 0, A.cancel_delete, A.delete, "confirm-delete-activity"),
    )

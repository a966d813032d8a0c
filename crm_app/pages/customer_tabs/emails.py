"""The E-mails tab: the sent mail and the compose form."""

from __future__ import annotations

import reflex as rx

from crm_app.components.dialogs import empty_state
from crm_app.components.form import T, labelled, select_options
from crm_app.pages.customer_tabs.common import for_editors, muted, status_badge
from crm_app.state.customer_mail import MailState as M


def _compose() -> rx.Component:
    v, err = M.values, M.errors
    return rx.card(
        rx.vstack(
            rx.text(T["mail.compose"], weight="bold", size="2"),
            rx.grid(
                labelled(
                    "mail.template",
                    select_options(
                        M.template_options,
                        "template_id",
                        v["template_id"] | "",
                        M.pick_template,
                        err["template_id"] | "",
                        placeholder_key="mail.free_text",
                    ),
                    err["template_id"] | "",
                    field_id="template_id",
                ),
                labelled("mail.to", rx.input(value=M.to_addr, read_only=True, id="mail-to", variant="soft")),
                columns="2",
                gap="12px",
                width="100%",
            ),
            labelled(
                "mail.subject",
                rx.input(
                    value=v["subject"] | "",
                    on_change=lambda x: M.set_value("subject", x),
                    id="field-mail-subject",
                    width="100%",
                ),
                err["subject"] | "",
                required=True,
                field_id="mail-subject",
            ),
            labelled(
                "mail.body",
                rx.text_area(
                    value=v["body"] | "",
                    on_change=lambda x: M.set_value("body", x),
                    rows="7",
                    width="100%",
                    id="field-mail-body",
                ),
                err["body"] | "",
                required=True,
                field_id="mail-body",
            ),
            muted(M.placeholder_hint),
            rx.hstack(
                rx.button(rx.icon("send", size=14), T["mail.send"], on_click=M.send, id="mail-send", loading=M.sending),
                justify="end",
                width="100%",
            ),
            gap="10px",
            width="100%",
        ),
        width="100%",
    )


def emails_tab() -> rx.Component:
    return rx.vstack(
        rx.cond(
            M.blocked != "",
            rx.callout(M.blocked, icon="mail-x", color_scheme="orange", width="100%", id="mail-blocked"),
            for_editors(_compose()),
        ),
        rx.cond(
            M.outbox > 0,
            rx.hstack(
                rx.badge(M.outbox_label, color_scheme="amber", id="outbox-count"),
                rx.button(T["mail.deliver_now"], size="1", variant="soft", on_click=M.deliver, id="outbox-deliver"),
                align="center",
                gap="8px",
            ),
            rx.fragment(),
        ),
        rx.cond(
            M.messages.length() > 0,
            rx.vstack(
                rx.foreach(
                    M.messages,
                    lambda m: rx.card(
                        rx.vstack(
                            rx.hstack(
                                rx.icon("mail", size=14),
                                rx.text(m["subject"], weight="medium", size="2"),
                                status_badge(m["status_code"], m["status"]),
                                rx.spacer(),
                                muted(m["at"]),
                                align="center",
                                gap="8px",
                                width="100%",
                            ),
                            muted(T["mail.to"], ": ", m["to"], " · ", m["by"]),
                            rx.text(m["body"], size="2", white_space="pre-wrap", color=rx.color("gray", 11)),
                            rx.cond(
                                m["error"] != "",
                                rx.text(m["error"], size="1", color=rx.color("red", 11)),
                                rx.fragment(),
                            ),
                            gap="4px",
                            width="100%",
                        ),
                        width="100%",
                        class_name="mail-item",
                    ),
                ),
                gap="8px",
                width="100%",
                id="mail-list",
            ),
            rx.card(empty_state("mail.empty"), width="100%"),
        ),
        gap="12px",
        width="100%",
    )

"""The dialog of a campaign's header: a new campaign (the list) or its fields changed (its page)."""

from __future__ import annotations

import reflex as rx

from crm_app.components.dialog_footer import dialog_footer
from crm_app.components.form import T, labelled


def _control(S, name: str, label_key: str, required: bool = False, **props) -> rx.Component:
    return labelled(
        label_key,
        rx.input(
            value=S.draft[name],
            on_change=lambda v: S.set_draft(name, v),
            aria_label=T[label_key],
            id=f"campaign-{name}",
            width="100%",
            **props,
        ),
        S.draft_errors.get(name, ""),
        required=required,
        field_id=f"campaign-{name}",
    )


def _choice(S, name: str, label_key: str, options) -> rx.Component:
    return labelled(
        label_key,
        rx.el.select(
            rx.foreach(options, lambda o: rx.el.option(o[1], value=o[0])),
            value=S.draft[name],
            on_change=lambda v: S.set_draft(name, v),
            class_name="native-select",
            aria_label=T[label_key],
            id=f"campaign-{name}",
            style={"width": "100%"},
        ),
        S.draft_errors.get(name, ""),
        field_id=f"campaign-{name}",
    )


def campaign_dialog(S) -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(S.form_id > 0, T["action.edit"], T["campaign.new"])),
            rx.vstack(
                _control(S, "name", "campaign.name", required=True),
                rx.grid(
                    _choice(S, "kind", "campaign.kind", S.kind_options),
                    _choice(S, "status", "campaign.status", S.status_options),
                    _control(S, "start_date", "field.start_date", type="date"),
                    _control(S, "end_date", "field.end_date", type="date"),
                    _control(S, "budget", "field.budget", placeholder="50.000.000"),
                    _choice(S, "owner_id", "field.owner_id", S.owner_options),
                    columns="2",
                    gap="10px 12px",
                    width="100%",
                ),
                labelled(
                    "field.description",
                    rx.text_area(
                        value=S.draft["description"],
                        on_change=lambda v: S.set_draft("description", v),
                        rows="3",
                        width="100%",
                        aria_label=T["field.description"],
                        id="campaign-description",
                    ),
                    S.draft_errors.get("description", ""),
                    field_id="campaign-description",
                ),
                gap="10px",
                width="100%",
            ),
            dialog_footer("action.save", S.save_campaign, confirm_id="campaign-save"),
            max_width="560px",
        ),
        open=S.form_open,
        on_open_change=S.set_form_open,
    )

"""A record picker: the chosen record as a badge, a search box and the matches under it
(state/record_picker.py drives it)."""

from __future__ import annotations

import reflex as rx

from crm_app.components.form import T, labelled


def record_picker(
    state,
    field: str,
    name: str,
    placeholder_key: str,
    *,
    label_key: str | None = None,
    hint_key: str | None = None,
    extra: rx.Component | None = None,
) -> rx.Component:
    """The picker of a reference ``field`` of a form whose state mixes in RecordPickerMixin;
    ``name`` prefixes the elements' ids."""
    selected = state.pick_label[field] | ""
    query = state.pick_query[field] | ""
    options = state.pick_options[field] | []
    error = state.errors[field] | ""
    return labelled(
        label_key or f"field.{field}",
        rx.vstack(
            rx.cond(
                selected != "",
                rx.hstack(
                    rx.badge(selected, size="2", id=f"{name}-selected"),
                    rx.icon_button(
                        rx.icon("x", size=12),
                        size="1",
                        variant="ghost",
                        on_click=state.clear_ref(field),
                        type="button",
                        id=f"{name}-clear",
                    ),
                    align="center",
                ),
                rx.fragment(),
            ),
            rx.input(
                value=query,
                on_change=lambda text: state.search_ref(field, text),
                on_focus=state.offer_ref(field),
                debounce_timeout=250,
                placeholder=T[placeholder_key],
                id=f"field-{name}-search",
                width="100%",
            ),
            rx.cond(
                options.length() > 0,
                rx.vstack(
                    rx.foreach(
                        options,
                        lambda o: rx.button(
                            o[1],
                            variant="ghost",
                            size="1",
                            type="button",
                            class_name=f"{name}-option",
                            on_click=state.choose_ref(field, o[0], o[1]),
                            width="100%",
                            justify="start",
                        ),
                    ),
                    class_name="picker-list",
                    gap="0",
                    width="100%",
                ),
                rx.fragment(),
            ),
            rx.cond(
                (query != "") & (options.length() == 0),
                rx.text(T["picker.no_match"], size="1", color=rx.color("gray", 11), id=f"{name}-no-match"),
                rx.fragment(),
            ),
            extra or rx.fragment(),
            gap="4px",
            width="100%",
        ),
        error,
        hint_key=hint_key,
        field_id=name,
        control_id=f"field-{name}-search",
    )


def company_picker(state, name: str, new_company_id: str) -> rx.Component:
    """A contact's company: picked, or typed as a new one (``state.new_company``) created with it."""
    return record_picker(
        state,
        "customer_id",
        name,
        "contacts.search_company",
        extra=rx.cond(
            (state.pick_label["customer_id"] | "") == "",  # none picked (the form may not have read one yet)
            rx.input(
                value=state.new_company,
                on_change=state.set_new_company,
                placeholder=T["contacts.new_company_placeholder"],
                id=new_company_id,
                width="100%",
            ),
            rx.fragment(),
        ),
    )

"""The bulk dialog's part for "Sinh": the one opportunity or order each selected customer gets
(state/generate.py holds it)."""

from __future__ import annotations

import reflex as rx

from crm_app.components.form import T


def _choice(options, value, on_change, id_: str, label_key: str, placeholder_key: str = "") -> rx.Component:
    return rx.el.select(
        rx.el.option(T[placeholder_key], value="") if placeholder_key else rx.fragment(),
        rx.foreach(options, lambda o: rx.el.option(o[1], value=o[0])),
        value=value,
        on_change=on_change,
        class_name="native-select",
        id=id_,
        aria_label=T[label_key],
        style={"width": "100%"},
    )


def _labelled(label_key: str, control: rx.Component) -> rx.Component:
    return rx.vstack(rx.text(T[label_key], size="2", weight="medium"), control, gap="4px", width="100%")


def _typed(state, part: str, label_key: str, **props) -> rx.Component:
    """A labelled input of one part of the deal (its name, value or expected close)."""
    return _labelled(
        label_key,
        rx.input(
            value=getattr(state, f"gen_{part}"),
            on_change=lambda v: state.set_gen(part, v),
            id=f"gen-{part}",
            aria_label=T[label_key],
            width="100%",
            **props,
        ),
    )


def _picked(state, part: str, options, label_key: str) -> rx.Component:
    """A labelled choice of the deal's pipeline or stage."""
    on_change = lambda v: state.set_gen(part, v)  # noqa: E731
    return _labelled(label_key, _choice(options, getattr(state, f"gen_{part}"), on_change, f"gen-{part}", label_key))


def _deal(state) -> rx.Component:
    return rx.vstack(
        _typed(state, "name", "generate.name", placeholder=T["generate.name_hint"]),
        rx.hstack(
            _picked(state, "pipeline", state.gen_pipelines, "field.pipeline_id"),
            _picked(state, "stage", state.gen_stages[state.gen_pipeline] | [], "field.stage_id"),
            width="100%",
            gap="12px",
        ),
        rx.hstack(
            _typed(state, "value", "field.value", placeholder="15.000.000"),
            _typed(state, "close", "field.expected_close", type="date"),
            width="100%",
            gap="12px",
        ),
        width="100%",
        gap="10px",
    )


def _line(state, line, index) -> rx.Component:
    return rx.hstack(
        _choice(
            state.gen_products,
            line[0],
            lambda v: state.set_gen_line(index, 0, v),
            "gen-product-" + index.to(str),
            "generate.product",
            "generate.product_choose",
        ),
        rx.input(
            value=line[1],
            on_change=lambda v: state.set_gen_line(index, 1, v),
            type="number",
            min="1",
            id="gen-quantity-" + index.to(str),
            aria_label=T["generate.quantity"],
            width="90px",
        ),
        rx.icon_button(
            rx.icon("x", size=14),
            on_click=state.remove_gen_line(index),
            variant="ghost",
            color_scheme="gray",
            disabled=state.gen_lines.length() <= 1,
            aria_label=T["generate.remove_line"],
            type="button",
        ),
        width="100%",
        align="center",
        gap="8px",
        class_name="gen-line",
    )


def _order(state) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text(T["generate.product"], size="2", weight="medium", flex="1"),
            rx.text(T["generate.quantity"], size="2", weight="medium", width="120px"),
            width="100%",
        ),
        rx.foreach(state.gen_lines, lambda line, i: _line(state, line, i)),
        rx.button(
            rx.icon("plus", size=14),
            T["generate.add_line"],
            on_click=state.add_gen_line,
            variant="ghost",
            size="1",
            type="button",
            id="gen-add-line",
        ),
        rx.text(T["generate.order_hint"], size="1", color=rx.color("gray", 11)),
        width="100%",
        gap="8px",
    )


def generate_form(state) -> rx.Component:
    return rx.match(
        state.bulk_kind,
        ("generate_opportunity", _deal(state)),
        ("generate_order", _order(state)),
        rx.fragment(),
    )

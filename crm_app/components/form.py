"""Form building blocks: a labelled field with its error shown right under it."""

from __future__ import annotations

import reflex as rx

from crm_app.services.records.fields import ENTITIES, FieldDef
from crm_app.services.records.form_layouts import FORMS
from crm_app.state.session import SessionState

T = SessionState.t


def labelled(
    label_key: str,
    control: rx.Component,
    error: rx.Var | str = "",
    required: bool = False,
    hint_key: str | None = None,
    field_id: str = "",
    notice: rx.Var | None = None,
    control_id: str = "",
) -> rx.Component:
    """A control under its label; the label names the control (a click on it focuses the control,
    a screen reader reads it) by ``control_id``, else by the control's own id."""
    target = control_id or getattr(control, "id", None)
    return rx.box(
        rx.text(
            T[label_key],
            rx.cond(required, rx.text.span(" *", color=rx.color("red", 10)), rx.fragment()),
            as_="label",
            size="2",
            weight="medium",
            color=rx.color("gray", 11),
            custom_attrs={"htmlFor": target} if isinstance(target, str) and target else {},
        ),
        control,
        rx.cond(
            error != "",
            rx.text(
                error,
                size="1",
                color=rx.color("red", 11),
                class_name="field-error",
                id=f"error-{field_id}" if field_id else None,
            ),
            rx.cond(
                hint_key is not None,
                rx.text(T[hint_key] if hint_key else "", size="1", color=rx.color("gray", 11)),
                rx.fragment(),
            ),
        ),
        rx.cond(notice, rx.text(notice, size="1", color=rx.color("amber", 11), class_name="field-notice"))
        if notice is not None
        else rx.fragment(),
        display="flex",
        flex_direction="column",
        gap="4px",
        width="100%",
    )


def text_input(name: str, value: rx.Var, on_change, error: rx.Var, **props) -> rx.Component:
    return rx.input(
        id=f"field-{name}",
        name=name,
        value=value,
        on_change=on_change,
        color_scheme=rx.cond(error != "", "red", "gray"),
        width="100%",
        **props,
    )


def select_options(
    options: rx.Var,
    name: str,
    value: rx.Var,
    on_change,
    error: rx.Var,
    placeholder_key: str = "common.none",
    blank: bool = True,
    placeholder: rx.Var | None = None,
    **props,
) -> rx.Component:
    """A native select over [[value, label], ...] options (fast to drive from tests and keyboards);
    ``blank``: an empty choice first (not for a field that must have a value), reading
    ``placeholder`` or the catalog's ``placeholder_key``."""
    options = options if isinstance(options, rx.Var) else rx.Var.create(options)
    return rx.el.select(
        *([rx.el.option(T[placeholder_key] if placeholder is None else placeholder, value="")] if blank else []),
        rx.foreach(options, lambda o: rx.el.option(o[1], value=o[0])),
        id=f"field-{name}",
        name=name,
        value=value,
        on_change=on_change,
        class_name="native-select",
        style={"border_color": rx.cond(error != "", "var(--red-8)", "var(--gray-6)")},
        **props,
    )


def section(title_key: str, *children: rx.Component, columns: str = "3") -> rx.Component:
    """A card with a title and a responsive grid of fields."""
    return rx.card(
        rx.text(T[title_key], weight="bold", size="2", color=rx.color("gray", 12), margin_bottom="10px"),
        rx.grid(*children, columns=rx.breakpoints(initial="1", sm="2", lg=columns), gap="12px 16px", width="100%"),
        width="100%",
    )


class FormKit:
    """Fields bound to a form state that has ``values``, ``errors``, ``set_value`` and ``set_flag``."""

    def __init__(self, state) -> None:
        self.state = state

    def err(self, name: str) -> rx.Var:
        return self.state.errors[name] | ""

    def text(
        self, name: str, required: bool = False, hint_key: str | None = None, notice=None, **props
    ) -> rx.Component:
        s = self.state
        return labelled(
            f"field.{name}",
            text_input(name, s.values[name] | "", lambda v: s.set_value(name, v), self.err(name), **props),
            self.err(name),
            required=required,
            hint_key=hint_key,
            field_id=name,
            notice=notice,
        )

    def select(self, name: str, options, required: bool = False, notice=None) -> rx.Component:
        s = self.state
        on_change = lambda v: s.set_value(name, v)  # noqa: E731
        return labelled(
            f"field.{name}",
            select_options(options, name, s.values[name] | "", on_change, self.err(name), blank=not required),
            self.err(name),
            required=required,
            field_id=name,
            notice=notice,
        )

    def ward(self, name: str) -> rx.Component:
        """The wards of the province chosen; before one is, the picker says to choose it first."""
        s, wards = self.state, self.state.ward_options
        empty = wards.length() == 0
        picker = select_options(
            wards,
            name,
            s.values[name] | "",
            lambda v: s.set_value(name, v),
            self.err(name),
            placeholder=rx.cond(empty, T["places.province_first"], T["common.none"]),
            disabled=empty,
        )
        return labelled(f"field.{name}", picker, self.err(name), field_id=name)

    def _old_province(self) -> rx.Var:
        """Under the province picker: the province stored before the 2025 catalog that none
        matched, to be replaced by a choice."""
        old = self.state.values["old_province"] | ""
        return rx.cond(old != "", T["places.old_province"] + ": “" + old + "”", "")

    def check(self, name: str) -> rx.Component:
        s = self.state
        return rx.checkbox(
            T[f"field.{name}"],
            checked=s.values[name] == "1",
            id=f"field-{name}",
            on_change=lambda v: s.set_flag(name, v),
            size="2",
        )

    def textarea(self, name: str, rows: str = "4") -> rx.Component:
        s = self.state
        return rx.card(
            labelled(
                f"field.{name}",
                rx.text_area(
                    value=s.values[name] | "",
                    on_change=lambda v: s.set_value(name, v),
                    id=f"field-{name}",
                    rows=rows,
                    width="100%",
                ),
                self.err(name),
            ),
            width="100%",
        )

    def field(self, f: FieldDef) -> rx.Component:
        """The control the registry says ``f`` takes. A catalog or user field lists the state's
        ``<name without _id>_options`` (``category_options`` for ``category_id``)."""
        if f.widget == "textarea":
            return self.textarea(f.name, rows="3")
        if f.widget == "stars":
            return self.select(f.name, RATING_OPTIONS)
        if f.type == "bool":
            return self.check(f.name)
        if f.places == "province":
            return self.select(f.name, [list(pair) for pair in f.choice_pairs("vi")], notice=self._old_province())
        if f.type == "ward":  # the wards of the province chosen (FormStateMixin.ward_options)
            return self.ward(f.name)
        if f.type == "choice":
            return self.select(f.name, [[v, T[f"{f.choices}{v}"]] for v in f.values], required=f.required)
        if f.type in ("catalog", "user"):
            return self.select(f.name, getattr(self.state, f"{f.name.removesuffix('_id')}_options"), f.required)
        if f.type in ("text", "phones", "tags", "money", "number", "date"):
            props = {"type": "date"} if f.type == "date" else {"type": "email"} if f.norm == "email" else {}
            if f.type == "phones" or f.norm == "phone":  # an old number typed is said to be renumbered
                props["notice"] = self.state.renumbered[f.name] | ""
            return self.text(f.name, required=f.required, hint_key=f.hint_key or None, **props)
        raise ValueError(f"a {f.type} field ({f.name}) has no form control of its own: the page gives one")

    def sections(self, entity: str, own: dict[str, rx.Component] | None = None) -> list[rx.Component]:
        """The entity's form (services.records.form_layouts), the admin's custom fields after
        its sections when the state has them, the wide fields last; ``own``: the page's control
        for a field (a record picker, a stage)."""
        registry, own = ENTITIES[entity], own or {}
        cards, wide = [], []
        for part in FORMS[entity]:
            controls = [own[n] if n in own else self.field(registry.field(n)) for n in part.fields]
            if part.title_key:
                cards.append(section(part.title_key, *controls))
            else:
                wide += controls
        if hasattr(self.state, "custom_defs"):
            cards.append(custom_fields_section(self.state))
        return [*cards, *wide]


def _custom_input(S, d) -> rx.Component:
    """One custom field of a form: d = [name, label, type, options joined by "|"]."""
    name = d[0]
    value = S.values[name] | ""
    error = S.errors[name] | ""

    def on_change(v):
        return S.set_value(name, v)

    control = rx.match(
        d[2],
        (
            "bool",
            rx.checkbox(
                d[1], checked=value == "1", on_change=lambda v: S.set_flag(name, v), id="field-" + name.to(str)
            ),
        ),
        (
            "choice",
            rx.el.select(
                rx.el.option(T["common.none"], value=""),
                rx.foreach(d[3].split("|"), lambda o: rx.el.option(o, value=o)),
                value=value,
                on_change=on_change,
                class_name="native-select",
                id="field-" + name.to(str),
            ),
        ),
        ("date", rx.input(value=value, on_change=on_change, type="date", id="field-" + name.to(str), width="100%")),
        ("number", rx.input(value=value, on_change=on_change, type="number", id="field-" + name.to(str), width="100%")),
        rx.input(
            value=value,
            on_change=on_change,
            id="field-" + name.to(str),
            width="100%",
            placeholder=rx.cond(d[2] == "multichoice", d[3].split("|").join(", "), ""),
        ),
    )
    return rx.box(
        rx.cond(
            d[2] == "bool",
            rx.fragment(),
            rx.text(d[1], as_="label", size="2", weight="medium", color=rx.color("gray", 11)),
        ),
        control,
        rx.cond(
            error != "",
            rx.text(error, size="1", color=rx.color("red", 11), class_name="field-error", id="error-" + name.to(str)),
            rx.fragment(),
        ),
        display="flex",
        flex_direction="column",
        gap="4px",
        width="100%",
    )


def custom_fields_section(S) -> rx.Component:
    """The admin's custom fields of a form state that has ``custom_defs`` (FormStateMixin values)."""
    return rx.cond(
        S.custom_defs.length() > 0,
        section("cf.section", rx.foreach(S.custom_defs, lambda d: _custom_input(S, d))),
        rx.fragment(),
    )


RATING_OPTIONS = [[str(i), "★" * i] for i in range(1, 6)]

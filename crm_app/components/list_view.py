"""The list-view builder's controls, for any state built on ListStateMixin: the view bar
(switcher, save, save and activate, reset to shared, lock), the column picker with
drag-and-drop order and widths, the filter builder with AND / OR groups and saved filters,
and the selection bar with bulk actions and their progress."""

from __future__ import annotations

import reflex as rx

from crm_app import routes
from crm_app.components.board_page import board
from crm_app.components.data_table import data_table, search_box
from crm_app.components.dialog_footer import dialog_footer
from crm_app.components.dialogs import confirm_dialog
from crm_app.components.form import T
from crm_app.services.lists.bulk import MANAGER_ACTIONS
from crm_app.services.pipeline import view_board

SCOPES = ("personal", "team", "company")


def _select(
    options, value, on_change, id_: str, placeholder_key: str | None = None, width: str = "180px", label_index: int = 1
) -> rx.Component:
    return rx.el.select(
        rx.el.option(T[placeholder_key], value="") if placeholder_key else rx.fragment(),
        rx.foreach(options, lambda o: rx.el.option(o[label_index], value=o[0])),
        value=value,
        on_change=on_change,
        class_name="native-select",
        id=id_,
        style={"width": width},
    )


def scope_select(state, value, on_change, id_: str, **props) -> rx.Component:
    """Personal, team or company (the last two for managers and admins): a view's, a filter's or a
    static list's sharing."""
    return rx.el.select(
        rx.el.option(T["views.scope.personal"], value="personal"),
        rx.cond(state.is_manager, rx.el.option(T["views.scope.team"], value="team"), rx.fragment()),
        rx.cond(state.is_manager, rx.el.option(T["views.scope.company"], value="company"), rx.fragment()),
        value=value,
        on_change=on_change,
        class_name="native-select",
        id=id_,
        style={"width": "150px"},
        **props,
    )


# --- view bar ------------------------------------------------------------------------------------


def _delete_asking(title_key: str, on_confirm, question: rx.Var, element_id: str) -> rx.Component:
    """A trash button that deletes after a question naming what goes (``element_id``-confirm)."""
    return confirm_dialog(
        title_key,
        title_key,
        "common.delete",
        on_confirm,
        trigger=rx.button(
            rx.icon("trash-2", size=14),
            size="1",
            variant="ghost",
            color_scheme="red",
            title=T[title_key],
            aria_label=T[title_key],
            id=element_id,
        ),
        confirm_id=f"{element_id}-confirm",
        question=question,
    )


def _save_dialog(state) -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(T["views.save_as"]),
            rx.vstack(
                rx.text(T["views.name"], size="2", weight="medium"),
                rx.input(value=state.save_name, on_change=state.set_save_name, id="view-name", width="100%"),
                rx.text(T["views.scope"], size="2", weight="medium"),
                scope_select(state, state.save_scope, state.set_save_scope, "view-scope"),
                rx.checkbox(
                    T["views.save_activate"],
                    checked=state.save_activate,
                    on_change=state.set_save_activate,
                    id="view-activate",
                ),
                dialog_footer(
                    "action.save", state.create_view, confirm_id="view-create", on_cancel=state.close_save_dialog
                ),
                gap="10px",
            ),
            max_width="420px",
        ),
        open=state.save_dialog_open,
        on_open_change=lambda _open: state.close_save_dialog(),  # Escape or a click outside
    )


def view_bar(state) -> rx.Component:
    """View switcher and the view's actions, then the display type."""
    return rx.hstack(
        rx.icon("layout-list", size=16, color=rx.color("gray", 11)),
        rx.el.select(
            rx.el.option(T["views.default"], value=""),
            rx.foreach(state.view_options, lambda o: rx.el.option(o[1], value=o[0])),
            value=state.view_id,
            on_change=state.choose_view,
            class_name="native-select",
            aria_label=T["views.view"],
            id="view-switcher",
            style={"width": "220px"},
        ),
        rx.cond(
            state.view_overridden,
            rx.badge(T["views.personalised"], color_scheme="amber", id="view-personal"),
            rx.fragment(),
        ),
        rx.cond(
            state.view_locked, rx.badge(rx.icon("lock", size=12), T["views.locked"], color_scheme="gray"), rx.fragment()
        ),
        rx.cond(state.dirty, rx.badge(T["views.modified"], color_scheme="orange", id="view-dirty"), rx.fragment()),
        rx.button(
            rx.icon("save", size=14),
            T["views.save"],
            size="1",
            variant="soft",
            on_click=state.save_view(False),
            id="view-save",
        ),
        rx.button(
            rx.icon("circle-check", size=14),
            T["views.save_activate"],
            size="1",
            variant="soft",
            on_click=state.save_view(True),
            id="view-save-activate",
        ),
        rx.button(
            rx.icon("copy-plus", size=14),
            T["views.save_as"],
            size="1",
            variant="ghost",
            on_click=state.open_save_dialog(False),
            id="view-save-as",
        ),
        rx.cond(
            state.view_overridden,
            rx.button(
                rx.icon("undo-2", size=14),
                T["views.reset"],
                size="1",
                variant="ghost",
                color_scheme="amber",
                on_click=state.reset_view,
                id="view-reset",
            ),
            rx.fragment(),
        ),
        rx.cond(
            state.is_admin & (state.view_id != "") & (state.view_scope != "personal"),
            rx.button(
                rx.icon(rx.cond(state.view_locked, "lock-open", "lock"), size=14),
                T["views.lock_columns"],
                size="1",
                variant="ghost",
                color_scheme="gray",
                on_click=state.toggle_lock,
                id="view-lock",
            ),
            rx.fragment(),
        ),
        rx.cond(
            state.view_editable & state.is_manager,
            scope_select(state, state.view_scope, state.set_view_scope, "view-current-scope"),
            rx.fragment(),
        ),
        rx.cond(
            state.view_editable,
            _delete_asking("views.delete", state.delete_view, state.view_delete_question, "view-delete"),
            rx.fragment(),
        ),
        rx.spacer(),
        rx.hstack(  # the label and its choice stay together when the bar wraps
            rx.text(T["views.display"], size="1", color=rx.color("gray", 11), white_space="nowrap"),
            rx.el.select(
                rx.el.option(T["views.display.table"], value="table"),
                rx.el.option(T["views.display.cards"], value="cards"),
                rx.cond(  # a board only for the kinds of record that have cards
                    rx.Var.create(sorted(view_board.CARDS)).contains(state.entity),
                    rx.el.option(T["views.display.kanban"], value="kanban"),
                    rx.fragment(),
                ),
                value=state.display_type,
                on_change=state.set_display_type,
                class_name="native-select",
                aria_label=T["views.display"],
                id="view-display",
                style={"width": "110px"},
            ),
            align="center",
            gap="6px",
        ),
        rx.cond(
            state.display_type == "kanban",
            rx.hstack(
                rx.text(T["views.group_by"], size="1", color=rx.color("gray", 11)),
                _select(state.group_fields, state.group_by, state.set_group_by, "view-group-by", width="170px"),
                align="center",
                gap="6px",
            ),
            rx.fragment(),
        ),
        _save_dialog(state),
        align="center",
        gap="8px",
        width="100%",
        wrap="wrap",
        id="view-bar",
    )


# --- column picker -------------------------------------------------------------------------------


def _picked(state, column: rx.Var, index: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.icon("grip-vertical", size=14, color=rx.color("gray", 11)),
        rx.text(state.field_labels[column], size="2", flex="1"),
        rx.icon_button(
            rx.icon("minus", size=12),
            size="1",
            variant="soft",
            color_scheme="gray",
            on_click=state.resize_column(column, -1),
            title=T["views.width"],
            on_mouse_down=rx.stop_propagation,
            class_name="narrower",
        ),
        rx.text(
            state.picker_width_labels[column],
            size="1",
            color=rx.color("gray", 11),
            min_width="44px",
            text_align="center",
            class_name="width-label",
        ),
        rx.icon_button(
            rx.icon("plus", size=12),
            size="1",
            variant="soft",
            color_scheme="gray",
            on_click=state.resize_column(column, 1),
            title=T["views.width"],
            on_mouse_down=rx.stop_propagation,
            class_name="wider",
        ),
        rx.icon_button(
            rx.icon("x", size=12),
            size="1",
            variant="ghost",
            color_scheme="red",
            on_click=state.toggle_column(column),
            on_mouse_down=rx.stop_propagation,
            class_name="unpick",
        ),
        on_mouse_down=state.start_drag(index),
        on_mouse_enter=state.drag_over(index),
        on_mouse_up=state.drop_on(index),
        class_name=rx.cond(state.drop_index == index, "picked-column drop-target", "picked-column"),
        data_column=column,
        align="center",
        gap="6px",
        width="100%",
    )


def column_picker(state) -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(T["views.columns_title"]),
            rx.text(T["views.columns_hint"], size="1", color=rx.color("gray", 11)),
            rx.grid(
                rx.vstack(
                    rx.text(T["views.shown"], size="2", weight="bold"),
                    rx.vstack(
                        rx.foreach(state.picker_columns, lambda c, i: _picked(state, c, i)),
                        gap="4px",
                        width="100%",
                        id="picked-columns",
                        on_mouse_leave=state.cancel_drag,
                    ),
                    width="100%",
                ),
                rx.vstack(
                    rx.text(T["views.available"], size="2", weight="bold"),
                    rx.box(
                        rx.foreach(
                            state.column_fields,
                            lambda f: rx.checkbox(
                                f[1],
                                checked=state.picker_columns.contains(f[0]),
                                on_change=lambda _v: state.toggle_column(f[0]),
                                size="1",
                                class_name="column-choice",
                                data_column=f[0],
                            ),
                        ),
                        class_name="picker-list column-choices",
                    ),
                    width="100%",
                ),
                columns="2",
                gap="16px",
                margin_top="10px",
            ),
            dialog_footer("views.apply", state.apply_columns, confirm_id="columns-apply", on_cancel=state.close_picker),
            max_width="760px",
        ),
        open=state.picker_open,
        on_open_change=lambda _open: state.close_picker(),
    )


# --- filter builder ------------------------------------------------------------------------------


def _choice_chips(state, row: rx.Var, g: rx.Var, i: rx.Var) -> rx.Component:
    """The choices of a condition's field, each ticked or not by a click."""
    return rx.flex(
        rx.foreach(
            state.field_choices[row.field],
            lambda c: rx.badge(
                c[1],
                variant=rx.cond(row.selected.contains(c[0]), "solid", "outline"),
                on_click=state.toggle_row_choice(g, i, c[0]),
                cursor="pointer",
                class_name="filter-choice",
                data_value=c[0],
            ),
        ),
        wrap="wrap",
        gap="4px",
        max_width="460px",
    )


def _value_input(state, row: rx.Var, g: rx.Var, i: rx.Var) -> rx.Component:
    def box(value, on_change, type_: str = "text", width: str = "200px", placeholder=""):
        return rx.input(
            value=value,
            on_change=on_change,
            type=type_,
            width=width,
            size="1",
            placeholder=placeholder,
            class_name="filter-value",
        )

    set_value = lambda v: state.set_row_value(g, i, v)  # noqa: E731
    set_value2 = lambda v: state.set_row_value2(g, i, v)  # noqa: E731
    return rx.match(
        row.kind,
        ("none", rx.fragment()),
        (
            "text",
            box(
                row.value,
                set_value,
                placeholder=rx.cond(
                    (row.operator == "any_of") | (row.operator == "none_of"), T["filter.value_hint_many"], ""
                ),
            ),
        ),
        ("number", box(row.value, set_value, "number", "120px")),
        ("days", box(row.value, set_value, "number", "90px")),
        ("date", box(row.value, set_value, "date", "150px")),
        (
            "pair_number",
            rx.hstack(
                box(row.value, set_value, "number", "100px"),
                rx.text("–"),
                box(row.value2, set_value2, "number", "100px"),
                align="center",
                gap="4px",
            ),
        ),
        (
            "pair_date",
            rx.hstack(
                box(row.value, set_value, "date", "150px"),
                rx.text("–"),
                box(row.value2, set_value2, "date", "150px"),
                align="center",
                gap="4px",
            ),
        ),
        ("choices", _choice_chips(state, row, g, i)),
        (
            "choices_date",
            rx.hstack(
                _choice_chips(state, row, g, i),
                rx.text(T["filter.since"], size="1"),
                box(row.value, set_value, "date", "150px"),
                align="center",
                gap="6px",
                wrap="wrap",
            ),
        ),
        rx.fragment(),
    )


def _filter_row(state, row: rx.Var, g: rx.Var, i: rx.Var) -> rx.Component:
    return rx.hstack(
        _select(state.filter_fields, row.field, lambda v: state.set_row_field(g, i, v), "", width="190px"),
        _select(state.field_ops[row.field], row.operator, lambda v: state.set_row_operator(g, i, v), "", width="160px"),
        _value_input(state, row, g, i),
        rx.icon_button(
            rx.icon("x", size=12),
            size="1",
            variant="ghost",
            color_scheme="red",
            on_click=state.remove_row(g, i),
            title=T["filter.remove"],
            class_name="filter-remove",
        ),
        align="center",
        gap="6px",
        class_name="filter-row",
        wrap="wrap",
    )


def _op_select(value, on_change, id_: str = "") -> rx.Component:
    return rx.el.select(
        rx.el.option(T["filter.match_all"], value="and"),
        rx.el.option(T["filter.match_any"], value="or"),
        value=value,
        on_change=on_change,
        class_name="native-select group-op",
        id=id_ or None,
        style={"width": "220px"},
    )


def _group(state, group: rx.Var, g: rx.Var) -> rx.Component:
    rows = rx.foreach(group.rows, lambda r, i: _filter_row(state, r, g, i))
    return rx.cond(
        g == 0,
        rx.vstack(rows, gap="6px", width="100%", class_name="filter-root-rows"),
        rx.box(
            rx.hstack(
                rx.text(T["filter.title"], size="1", color=rx.color("gray", 11)),
                _op_select(group.op, lambda v: state.set_group_op(g, v)),
                align="center",
                gap="6px",
            ),
            rx.vstack(rows, gap="6px", margin_top="6px"),
            rx.button(
                rx.icon("plus", size=12),
                T["filter.add"],
                size="1",
                variant="ghost",
                on_click=state.add_row(g),
                class_name="filter-add-in-group",
                margin_top="4px",
            ),
            class_name="filter-group",
        ),
    )


def filter_groups(state) -> rx.Component:
    """The builder's conditions and groups (a list's filter panel; an automation rule's conditions)."""
    return rx.foreach(state.groups, lambda grp, g: _group(state, grp, g))


def filter_add_buttons(state) -> tuple[rx.Component, rx.Component]:
    """Add a condition, add a group of conditions."""
    return (
        rx.button(
            rx.icon("plus", size=12),
            T["filter.add"],
            size="1",
            variant="soft",
            on_click=state.add_row(0),
            id="filter-add",
        ),
        rx.button(
            rx.icon("brackets", size=12),
            T["filter.add_group"],
            size="1",
            variant="soft",
            on_click=state.add_group,
            id="filter-add-group",
        ),
    )


def filter_panel(state) -> rx.Component:
    return rx.cond(
        state.filter_open,
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.text(T["filter.title"], weight="bold", size="2"),
                    _op_select(state.root_op, state.set_root_op, "filter-root-op"),
                    rx.spacer(),
                    rx.text(T["filter.saved"], size="1", color=rx.color("gray", 11)),
                    _select(
                        state.saved_filter_options,
                        state.saved_filter_id,
                        state.use_saved_filter,
                        "saved-filters",
                        placeholder_key="common.none",
                        width="200px",
                    ),
                    rx.cond(
                        state.saved_filter_deletable,
                        _delete_asking(
                            "filter.delete",
                            state.delete_saved_filter,
                            state.saved_filter_delete_question,
                            "saved-filter-delete",
                        ),
                        rx.fragment(),
                    ),
                    align="center",
                    gap="8px",
                    width="100%",
                ),
                filter_groups(state),
                rx.hstack(
                    *filter_add_buttons(state),
                    rx.spacer(),
                    rx.input(
                        value=state.filter_name,
                        on_change=state.set_filter_name,
                        size="1",
                        width="170px",
                        placeholder=T["filter.save_name"],
                        id="filter-name",
                    ),
                    scope_select(state, state.filter_scope, state.set_filter_scope, "filter-scope"),
                    rx.button(
                        rx.icon("bookmark-plus", size=12),
                        T["filter.save"],
                        size="1",
                        variant="soft",
                        on_click=state.save_filter,
                        id="filter-save",
                    ),
                    rx.button(
                        T["filter.clear"],
                        size="1",
                        variant="soft",
                        color_scheme="gray",
                        on_click=state.clear_filter,
                        id="filter-clear",
                    ),
                    rx.button(
                        rx.icon("filter", size=12),
                        T["filter.apply"],
                        size="1",
                        on_click=state.apply_filter,
                        id="filter-apply",
                    ),
                    align="center",
                    gap="6px",
                    width="100%",
                    wrap="wrap",
                ),
                gap="8px",
                width="100%",
            ),
            width="100%",
            margin_bottom="10px",
            id="filter-panel",
        ),
        rx.fragment(),
    )


def list_toolbar(state) -> rx.Component:
    """Search, the filter and column buttons, beside the view bar."""
    return rx.hstack(
        search_box(state),
        rx.button(
            rx.icon("filter", size=14),
            T["filter.title"],
            rx.cond(
                state.filter_count > 0, rx.badge(state.filter_count, variant="solid", radius="full"), rx.fragment()
            ),
            variant=rx.cond(state.filter_open, "solid", "soft"),
            on_click=state.toggle_filter,
            id="filter-toggle",
        ),
        rx.button(
            rx.icon("columns-3", size=14),
            T["views.columns"],
            variant="soft",
            on_click=state.open_picker,
            id="columns-open",
        ),
        align="center",
        gap="8px",
    )


# --- selection and bulk actions -------------------------------------------------------------------

CUSTOMER_ACTIONS = (
    "update_field",
    "add_tags",
    "remove_tags",
    "add_to_list",
    "remove_from_list",
    "change_owner",
    "add_to_campaign",
    "generate_opportunity",
    "generate_order",
    "archive",
)
CONTACT_ACTIONS = ("update_field", "add_to_list", "remove_from_list", "add_to_campaign", "change_owner", "archive")
ACTIVITY_ACTIONS = ("mark_done", "change_assignee", "add_to_list", "remove_from_list", "delete")
ARCHIVE_ACTIONS = ("restore",)


def _bulk_button(state, action: str) -> rx.Component:
    button = rx.button(
        T[f"bulk.{action}"],
        size="1",
        variant="soft",
        color_scheme="red" if action in ("archive", "delete") else "indigo",
        on_click=state.open_bulk(action),
        id=f"bulk-{action}",
    )
    # updating fields and changing owners in bulk are for managers and admins: not offered to others
    return rx.cond(state.is_manager, button, rx.fragment()) if action in MANAGER_ACTIONS else button


def bulk_bar(state, actions: tuple[str, ...], select_all: bool = True, extra=None) -> rx.Component:
    """The selection's bar: its count, "select all matching", the bulk actions (``extra``: a
    page's own buttons beside them) and clearing the selection."""
    return rx.cond(
        (state.selected_ids.length() > 0) | state.all_matching,
        rx.hstack(
            rx.text(state.selection_label, weight="bold", size="2", id="selection-label"),
            rx.cond(
                state.all_matching | (state.total <= state.rows.length()),
                rx.fragment(),
                rx.button(  # a button, not a link: a link to "#" reloaded the page and lost the selection
                    state.select_all_label,
                    on_click=state.select_all_matching,
                    size="2",
                    variant="ghost",
                    id="select-all-matching",
                ),
            )
            if select_all
            else rx.fragment(),
            rx.spacer(),
            *[_bulk_button(state, a) for a in actions],
            extra if extra is not None else rx.fragment(),
            rx.button(
                T["bulk.clear"],
                size="1",
                variant="ghost",
                color_scheme="gray",
                on_click=state.clear_selection,
                id="selection-clear",
            ),
            align="center",
            gap="8px",
            width="100%",
            wrap="wrap",  # every action stays in reach on a narrow window
            class_name="bulk-bar",
            id="bulk-bar",
        ),
        rx.fragment(),
    )


def _bulk_value(state) -> rx.Component:
    value_box = rx.input(value=state.bulk_value, on_change=state.set_bulk_value, id="bulk-value", width="100%")
    field_type = state.field_types[state.bulk_field]
    field_value = rx.cond(
        state.bulk_mode == "clear",
        rx.fragment(),
        rx.match(
            field_type,
            (
                "choice",
                _select(
                    state.field_choices[state.bulk_field],
                    state.bulk_value,
                    state.set_bulk_value,
                    "bulk-value",
                    "common.none",
                    "100%",
                ),
            ),
            (
                "catalog",
                _select(
                    state.field_choices[state.bulk_field],
                    state.bulk_value,
                    state.set_bulk_value,
                    "bulk-value",
                    "common.none",
                    "100%",
                ),
            ),
            (
                "bool",
                rx.el.select(
                    rx.el.option(T["common.yes"], value="1"),
                    rx.el.option(T["common.no"], value="0"),
                    value=state.bulk_value,
                    on_change=state.set_bulk_value,
                    class_name="native-select",
                    id="bulk-value",
                ),
            ),
            ("date", rx.input(value=state.bulk_value, on_change=state.set_bulk_value, type="date", id="bulk-value")),
            value_box,
        ),
    )
    return rx.match(
        state.bulk_kind,
        (
            "update_field",
            rx.vstack(
                rx.text(T["filter.field"], size="2", weight="medium"),
                _select(state.bulk_fields, state.bulk_field, state.set_bulk_field, "bulk-field", width="100%"),
                rx.text(T["bulk.mode"], size="2", weight="medium"),
                rx.el.select(  # a field that is never empty (a customer's type) can only be replaced
                    rx.cond(
                        state.bulk_required.contains(state.bulk_field),
                        rx.fragment(),
                        rx.el.option(T["bulk.mode.add"], value="add"),
                    ),
                    rx.el.option(T["bulk.mode.replace"], value="replace"),
                    rx.cond(
                        state.bulk_required.contains(state.bulk_field),
                        rx.fragment(),
                        rx.el.option(T["bulk.mode.clear"], value="clear"),
                    ),
                    value=state.bulk_mode,
                    on_change=state.set_bulk_mode,
                    class_name="native-select",
                    id="bulk-mode",
                ),
                rx.text(T["filter.value"], size="2", weight="medium"),
                field_value,
                width="100%",
                gap="6px",
            ),
        ),
        ("add_tags", rx.vstack(rx.text(T["bulk.tags_hint"], size="2"), value_box, width="100%")),
        ("remove_tags", rx.vstack(rx.text(T["bulk.tags_hint"], size="2"), value_box, width="100%")),
        ("add_to_list", _list_choice(state)),
        ("remove_from_list", _list_choice(state)),
        ("add_to_campaign", _campaign_choice(state)),
        (
            "change_owner",
            rx.vstack(
                rx.text(T["field.owner_id"], size="2"),
                _select(
                    state.assign_choices, state.bulk_value, state.set_bulk_value, "bulk-value", "common.choose", "100%"
                ),
                width="100%",
            ),
        ),
        (
            "change_assignee",
            rx.vstack(
                rx.text(T["field.assignee_id"], size="2"),
                _select(
                    state.assign_choices, state.bulk_value, state.set_bulk_value, "bulk-value", "common.choose", "100%"
                ),
                width="100%",
            ),
        ),
        ("archive", rx.text(T["bulk.confirm_archive"], size="2")),
        ("mark_done", rx.text(T["bulk.confirm_mark_done"], size="2")),
        ("delete", rx.text(T["bulk.confirm_delete"], size="2", color=rx.color("red", 11))),
        rx.fragment(),
    )


def _list_choice(state) -> rx.Component:
    """The static list a bulk action adds to or removes from; none yet: where to make one."""
    return rx.cond(
        state.list_options.length() > 0,
        rx.vstack(
            rx.text(T["lists.pick"], size="2"),
            _select(state.list_options, state.bulk_value, state.set_bulk_value, "bulk-value", width="100%"),
            width="100%",
        ),
        rx.text(T["lists.none_yet"], size="2", color=rx.color("gray", 11), id="bulk-no-list"),
    )


def _campaign_choice(state) -> rx.Component:
    """The campaign "Chọn vào chiến dịch" adds to, or a new one made here (seed 002 §4.3)."""
    quick = rx.hstack(
        rx.input(
            value=state.new_campaign,
            on_change=state.set_new_campaign,
            placeholder=T["campaign.quick_name"],
            aria_label=T["campaign.quick_name"],
            id="bulk-new-campaign",
            flex="1",
        ),
        rx.button(
            rx.icon("plus", size=14),
            T["campaign.quick_add"],
            variant="soft",
            on_click=state.quick_campaign,
            disabled=state.new_campaign.strip() == "",
            type="button",
        ),
        width="100%",
        gap="8px",
    )
    return rx.vstack(_campaign_pick(state), quick, width="100%", gap="10px")


def _campaign_pick(state) -> rx.Component:
    return rx.cond(
        state.campaign_options.length() > 0,
        rx.vstack(
            rx.text(T["campaign.pick"], size="2"),
            rx.el.select(
                rx.foreach(state.campaign_options, lambda o: rx.el.option(o[1], value=o[0])),
                value=state.bulk_value,
                on_change=state.set_bulk_value,
                class_name="native-select",
                id="bulk-value",
                aria_label=T["campaign.pick"],
                style={"width": "100%"},
            ),
            width="100%",
        ),
        rx.text(T["campaign.none_yet"], size="2", color=rx.color("gray", 11), id="bulk-no-campaign"),
    )


def _nothing_to_run(state) -> rx.Var:
    """Nothing chosen to do yet: no list to add to, no new owner picked, or the run has ended
    (its selection is cleared: a second click would change nothing)."""
    no_list = ((state.bulk_kind == "add_to_list") | (state.bulk_kind == "remove_from_list")) & (
        state.list_options.length() == 0
    )
    no_owner = ((state.bulk_kind == "change_owner") | (state.bulk_kind == "change_assignee")) & (state.bulk_value == "")
    no_campaign = (state.bulk_kind == "add_to_campaign") & (state.bulk_value == "")
    return no_list | no_owner | no_campaign | (state.bulk_report != "")


def bulk_dialog(state, own_form=None) -> rx.Component:
    """The dialog of a bulk action: what to do, its progress and its report (``own_form``: the
    inputs of a list's own actions)."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(T["bulk." + state.bulk_kind.to(str)]),
            rx.vstack(
                rx.badge(state.bulk_target, size="2", id="bulk-target"),
                _bulk_value(state),
                own_form if own_form is not None else rx.fragment(),
                rx.cond(
                    state.bulk_running | (state.bulk_total > 0),
                    rx.vstack(
                        rx.progress(value=state.bulk_percent, width="100%", id="bulk-progress"),
                        rx.text(state.bulk_done, " / ", state.bulk_total, size="1", color=rx.color("gray", 11)),
                        width="100%",
                    ),
                    rx.fragment(),
                ),
                rx.cond(
                    state.bulk_report != "",
                    rx.callout(
                        state.bulk_report, icon="circle-check", color_scheme="green", size="1", id="bulk-report"
                    ),
                    rx.fragment(),
                ),
                rx.hstack(
                    rx.button(
                        T["action.close"],
                        variant="soft",
                        color_scheme="gray",
                        on_click=state.close_bulk,
                        disabled=state.bulk_running,
                        id="bulk-close",
                    ),
                    rx.button(
                        rx.cond(state.bulk_running, rx.spinner(size="1"), rx.icon("play", size=14)),
                        T["bulk.run"],
                        on_click=state.run_bulk,
                        disabled=state.bulk_running | _nothing_to_run(state),
                        id="bulk-run",
                    ),
                    justify="end",
                    width="100%",
                ),
                gap="12px",
                width="100%",
            ),
            max_width="480px",
        ),
        open=state.bulk_open,
        on_open_change=lambda _open: state.close_bulk(),  # not while it runs (close_bulk says)
    )


def list_view(
    state,
    actions: tuple[str, ...],
    empty_key: str = "list.empty",
    row_action=None,
    with_views: bool = True,
    extra=None,
    select_all: bool = True,
    bulk_extra=None,
    bulk_form=None,
) -> rx.Component:
    """Everything of a view-driven list page below its header: the rows as a table or cards, or
    the board of the view's group field when its display type is kanban. ``extra`` goes at the
    end of the toolbar (a page's own buttons); ``bulk_form``: the inputs of the page's own bulk
    actions in their dialog."""
    return rx.vstack(
        rx.hstack(
            list_toolbar(state),
            rx.spacer(),
            extra if extra is not None else rx.fragment(),
            width="100%",
            align="center",
            gap="8px",
            wrap="wrap",  # a page's own buttons go under the toolbar on a narrow window (1024 px)
        ),
        view_bar(state) if with_views else rx.fragment(),
        rx.cond(
            state.shown_list != "",
            rx.callout(
                rx.hstack(
                    rx.text(T["lists.showing"], " “", state.shown_list, "”"),
                    rx.link(T["lists.all"], href=routes.CUSTOMER_LISTS, id="shown-list-all"),
                    gap="12px",
                    wrap="wrap",
                ),
                icon="list",
                size="1",
                id="shown-list",
                width="100%",
            ),
            rx.fragment(),
        ),
        filter_panel(state),
        bulk_bar(state, actions, select_all, bulk_extra),
        rx.cond(
            state.display_type == "kanban",
            board(state, state.open_row),
            data_table(state, empty_key=empty_key, row_action=row_action),
        ),
        column_picker(state),
        bulk_dialog(state, bulk_form),
        # the inner box is mounted again under each language (the outer one's key): the state
        # reads the list's labels again in the new one
        rx.box(rx.box(on_mount=state.follow_language), key=state.lang, display="none"),
        width="100%",
        gap="8px",
    )

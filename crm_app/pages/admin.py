"""Admin: users and teams, and whether sales share their records with the team."""

import reflex as rx

from crm_app.components.dialog_footer import dialog_footer
from crm_app.components.form import FormKit, T, labelled, select_options
from crm_app.components.shell import app_shell, page_header, refused_or
from crm_app.state.admin import AdminState as S

F = FormKit(S)


def _new_user_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.trigger(rx.button(rx.icon("user-plus", size=16), T["admin.new_user"], id="new-user")),
        rx.dialog.content(
            rx.dialog.title(T["admin.new_user"]),
            rx.form(
                rx.vstack(
                    labelled(
                        "admin.username",
                        rx.input(
                            value=S.values["username"] | "",
                            id="field-username",
                            on_change=lambda v: S.set_value("username", v),
                        ),
                        F.err("username"),
                        required=True,
                        field_id="username",
                    ),
                    labelled(
                        "admin.full_name",
                        rx.input(
                            value=S.values["full_name"] | "",
                            id="field-full_name",
                            on_change=lambda v: S.set_value("full_name", v),
                        ),
                        F.err("full_name"),
                        required=True,
                        field_id="full_name",
                    ),
                    labelled(
                        "admin.email",
                        rx.input(
                            value=S.values["email"] | "", id="field-email", on_change=lambda v: S.set_value("email", v)
                        ),
                        F.err("email"),
                        required=True,
                        field_id="email",
                    ),
                    labelled(
                        "admin.password",
                        rx.input(
                            value=S.values["password"] | "",
                            id="field-password",
                            type="password",
                            on_change=lambda v: S.set_value("password", v),
                        ),
                        F.err("password"),
                        required=True,
                        field_id="password",
                    ),
                    labelled(
                        "admin.role",
                        select_options(
                            S.role_options,
                            "role",
                            S.values["role"] | "sales",
                            lambda v: S.set_value("role", v),
                            F.err("role"),
                        ),
                        F.err("role"),
                    ),
                    labelled(
                        "admin.team",
                        select_options(
                            S.team_options,
                            "team_id",
                            S.values["team_id"] | "",
                            lambda v: S.set_value("team_id", v),
                            F.err("team_id"),
                            placeholder_key="admin.no_team",
                        ),
                        F.err("team_id"),
                    ),
                    dialog_footer("action.create", submit=True, confirm_id="create-user"),
                    gap="10px",
                ),
                on_submit=S.create_user,
                reset_on_submit=False,
            ),
            max_width="460px",
        ),
        open=S.dialog_open,
        on_open_change=S.set_dialog_open,
    )


def _user_row(u) -> rx.Component:
    return rx.table.row(
        rx.table.cell(u["username"]),
        rx.table.cell(u["full_name"]),
        rx.table.cell(u["email"]),
        rx.table.cell(T["role." + u["role"].to(str)]),
        rx.table.cell(
            rx.el.select(
                rx.el.option(T["admin.no_team"], value=""),
                rx.foreach(S.team_options, lambda o: rx.el.option(o[1], value=o[0])),
                value=u["team_id"],
                on_change=lambda v: S.set_user_team(u["id"], v),
                class_name="native-select",
            )
        ),
        rx.table.cell(
            rx.cond(
                u["active"] == "True",
                rx.badge(T["admin.active"], color_scheme="green"),
                rx.badge(T["admin.inactive"], color_scheme="gray"),
            )
        ),
        rx.table.cell(
            rx.cond(
                u["active"] == "True",
                rx.button(
                    T["action.deactivate"],
                    size="1",
                    variant="soft",
                    color_scheme="red",
                    on_click=S.toggle_user(u["id"], False),
                ),
                rx.button(
                    T["action.activate"],
                    size="1",
                    variant="soft",
                    color_scheme="green",
                    on_click=S.toggle_user(u["id"], True),
                ),
            )
        ),
        data_username=u["username"],
    )


def _teams() -> rx.Component:
    return rx.card(
        rx.text(T["admin.teams_title"], weight="bold", size="3"),
        rx.form(
            rx.hstack(
                rx.input(
                    value=S.team_name,
                    on_change=S.set_team_name,
                    placeholder=T["admin.team_name"],
                    id="field-team-name",
                    width="100%",
                ),
                rx.button(rx.icon("plus", size=14), T["admin.new_team"], type="submit", id="create-team"),
                width="100%",
                gap="8px",
                margin_top="10px",
            ),
            on_submit=S.create_team,
            reset_on_submit=False,
        ),
        rx.cond(S.team_error != "", rx.text(S.team_error, size="1", color=rx.color("red", 11)), rx.fragment()),
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell(T["admin.team_name"]),
                    rx.table.column_header_cell(T["admin.members"]),
                    rx.table.column_header_cell(""),
                )
            ),
            rx.table.body(
                rx.foreach(
                    S.team_rows,
                    lambda t: rx.table.row(
                        rx.table.cell(t["name"]),
                        rx.table.cell(t["members"]),
                        rx.table.cell(
                            rx.cond(
                                t["active"] == "True",
                                rx.button(
                                    T["action.deactivate"],
                                    size="1",
                                    variant="soft",
                                    color_scheme="red",
                                    on_click=S.toggle_team(t["id"], False),
                                ),
                                rx.button(
                                    T["action.activate"],
                                    size="1",
                                    variant="soft",
                                    color_scheme="green",
                                    on_click=S.toggle_team(t["id"], True),
                                ),
                            )
                        ),
                    ),
                )
            ),
            size="1",
            width="100%",
            margin_top="10px",
        ),
        width="100%",
    )


def _sharing() -> rx.Component:
    return rx.card(
        rx.text(T["sharing.title"], weight="bold", size="3"),
        rx.text(T["sharing.hint"], size="1", color=rx.color("gray", 11), margin_top="4px"),
        labelled(
            "sharing.mode",
            select_options(
                S.sharing_options,
                "team_sharing",
                S.sharing_mode,
                S.set_sharing_mode,
                "",
                blank=False,
                aria_label=T["sharing.mode"],
            ),
        ),
        width="100%",
        id="team-sharing",
    )


def admin_users_page() -> rx.Component:
    return app_shell(
        refused_or(
            S,
            page_header("nav.users", _new_user_dialog()),
            rx.grid(
                rx.card(
                    rx.text(T["admin.users_title"], weight="bold", size="3"),
                    rx.box(
                        rx.table.root(
                            rx.table.header(
                                rx.table.row(
                                    *[
                                        rx.table.column_header_cell(T[k])
                                        for k in (
                                            "admin.username",
                                            "admin.full_name",
                                            "admin.email",
                                            "admin.role",
                                            "admin.team",
                                            "admin.active",
                                        )
                                    ],
                                    rx.table.column_header_cell(""),
                                )
                            ),
                            rx.table.body(rx.foreach(S.user_rows, _user_row)),
                            size="1",
                            width="100%",
                            margin_top="10px",
                            id="users-table",
                        ),
                        class_name="table-scroll",
                    ),
                    width="100%",
                ),
                rx.vstack(_teams(), _sharing(), gap="14px", width="100%"),
                columns=rx.breakpoints(initial="1", xl="3fr 1fr"),
                gap="14px",
                width="100%",
            ),
        )
    )

"""The login page."""

import reflex as rx
from reflex.components.el.elements.base import BaseHTML

from crm_app import routes
from crm_app.components.form import T
from crm_app.state.session import LoginState, SessionState


class PostForm(BaseHTML):
    """A form the browser posts itself (Reflex's own forms always stop that to send an event):
    the login route answers with the HttpOnly session cookie, which no event could set."""

    tag = "form"
    action: rx.Var[str]
    method: rx.Var[str]


def _language(lang: str) -> rx.Component:
    return rx.button(
        T[f"lang.{lang}"],
        on_click=SessionState.set_language(lang),
        type="button",
        variant="ghost",
        size="1",
        id=f"login-lang-{lang}",
    )


def login_page() -> rx.Component:
    return rx.center(
        rx.card(
            PostForm.create(
                rx.vstack(
                    rx.hstack(
                        rx.icon("handshake", size=28, color=rx.color("accent", 9)),
                        rx.heading(T["app.name"], size="6"),
                        align="center",
                        gap="10px",
                    ),
                    rx.text(T["login.subtitle"], color=rx.color("gray", 11), size="2"),
                    rx.heading(T["login.title"], size="4", margin_top="12px"),
                    rx.el.label(T["login.username"], html_for="login-username", class_name="form-label"),
                    rx.input(
                        id="login-username",
                        name="username",
                        width="100%",
                        size="3",
                        auto_focus=True,
                        auto_complete="username",
                    ),
                    rx.el.label(T["login.password"], html_for="login-password", class_name="form-label"),
                    rx.input(
                        id="login-password",
                        name="password",
                        type="password",
                        width="100%",
                        size="3",
                        auto_complete="current-password",
                    ),
                    rx.cond(
                        LoginState.error != "",
                        rx.callout(
                            LoginState.error,
                            icon="triangle-alert",
                            color_scheme="red",
                            size="1",
                            width="100%",
                            id="login-error",
                        ),
                        rx.fragment(),
                    ),
                    rx.button(
                        T["login.submit"], id="login-submit", type="submit", width="100%", size="3", margin_top="8px"
                    ),
                    rx.hstack(
                        _language("vi"),
                        rx.text("·", size="1", color=rx.color("gray", 11)),
                        _language("en"),
                        justify="center",
                        width="100%",
                        margin_top="6px",
                    ),
                    gap="8px",
                    width="100%",
                ),
                action=routes.AUTH_LOGIN,
                method="post",
                id="login-form",
            ),
            width="380px",
            padding="28px",
            size="3",
        ),
        min_height="100vh",
        background=rx.color("gray", 2),
    )

"""The pieces the tabs share: type icons, status badges, the toolbar, muted text."""

from __future__ import annotations

import reflex as rx

from crm_app.components import read_only

TYPE_ICONS = (
    ("call", "phone"),
    ("meeting", "users"),
    ("email", "mail"),
    ("task", "square-check"),
    ("note", "sticky-note"),
)


STATUS_COLORS = (
    ("done", "green"),
    ("planned", "blue"),
    ("in_progress", "amber"),
    ("cancelled", "gray"),
    ("sent", "green"),
    ("outbox", "amber"),
    ("failed", "red"),
    ("new", "blue"),
    ("confirmed", "indigo"),
    ("delivered", "green"),
    ("draft", "gray"),
    ("accepted", "green"),
    ("rejected", "red"),
    ("active", "green"),
    ("paused", "amber"),
    ("ended", "gray"),
    ("responded", "indigo"),
    ("converted", "green"),
    ("unsubscribed", "red"),
)


def type_icon(code: rx.Var) -> rx.Component:
    return rx.match(code, *[(c, rx.icon(name, size=16)) for c, name in TYPE_ICONS], rx.icon("circle", size=16))


def status_badge(code: rx.Var, label: rx.Var) -> rx.Component:
    return rx.badge(label, color_scheme=rx.match(code, *STATUS_COLORS, "gray"), variant="soft")


def for_editors(S, *children: rx.Component) -> rx.Component:
    """Controls that change the record (``S``: its page state or a tab's) or its children: shown to
    those who may change it (not on a teammate's record shared read-only)."""
    return read_only.for_editors(S.can_edit, *children)


def toolbar(S, *children: rx.Component) -> rx.Component:
    """A tab's buttons that add to the record (``S``: its page state or a tab's)."""
    return for_editors(S, rx.hstack(*children, gap="8px", align="center", width="100%", wrap="wrap"))


def muted(*children, **props) -> rx.Component:
    return rx.text(*children, size="1", color=rx.color("gray", 11), **props)

"""Admin: users and teams, and whether sales share their records with the team."""

from __future__ import annotations

import reflex as rx

from crm_app.models.app_setting import TEAM_SHARING_MODES
from crm_app.services.errors import ValidationFailed
from crm_app.services.people import team_sharing, users
from crm_app.services.people.permissions import require_admin
from crm_app.state.form_state import FormStateMixin
from crm_app.state.session import SessionState


class AdminState(FormStateMixin, SessionState):
    user_rows: list[dict[str, str]] = []
    team_rows: list[dict[str, str]] = []
    dialog_open: bool = False
    team_name: str = ""
    team_error: str = ""
    denied: str = ""  # why the page is not shown (not an admin)
    sharing_mode: str = "off"  # records shared with the team: off, read or edit

    def _refresh(self, session) -> None:
        self.user_rows = [{k: str(v) for k, v in u.items()} for u in users.list_users(session)]
        self.team_rows = [{k: str(v) for k, v in t.items()} for t in users.list_teams(session)]
        self.sharing_mode = team_sharing.mode(session)

    @rx.event
    def open(self):
        try:
            with self._service() as (session, actor):
                require_admin(actor)
                self._refresh(session)
        except Exception as exc:  # noqa: BLE001
            self.user_rows, self.team_rows = [], []
            return self._refused(exc)
        self.denied = ""

    @rx.event
    def set_dialog_open(self, value: bool):
        self.dialog_open = value
        if value:
            self.values, self.errors = {"role": "sales", "language": "vi"}, {}

    @rx.event
    def create_user(self, _form: dict | None = None):
        try:
            with self._service() as (session, actor):
                user = users.create_user(session, actor, dict(self.values))
                self._refresh(session)
        except ValidationFailed as exc:
            return self._show_errors(exc)
        self.dialog_open = False
        return rx.toast.success(self._msg("admin.user_created", name=user.full_name))

    @rx.event
    def toggle_user(self, user_id: str, active: bool):
        try:
            with self._service() as (session, actor):
                users.set_active(session, actor, int(user_id), active)
                self._refresh(session)
        except ValidationFailed as exc:
            return self._first_error(exc)
        return rx.toast.success(self._msg("admin.user_updated"))

    @rx.event
    def set_user_team(self, user_id: str, team_id: str):
        with self._service() as (session, actor):
            users.set_membership(session, actor, int(user_id), [int(team_id)] if team_id.isdigit() else [])
            self._refresh(session)
        return rx.toast.success(self._msg("admin.user_updated"))

    @rx.event
    def set_team_name(self, value: str):
        self.team_name, self.team_error = value, ""

    @rx.event
    def create_team(self, _form: dict | None = None):
        try:
            with self._service() as (session, actor):
                team = users.create_team(session, actor, self.team_name)
                self._refresh(session)
        except ValidationFailed as exc:
            key, params = next(iter(exc.errors.values()))
            self.team_error = self._msg(key, **params)
            return
        self.team_name = ""
        return rx.toast.success(self._msg("admin.team_created", name=team.name))

    @rx.event
    def toggle_team(self, team_id: str, active: bool):
        with self._service() as (session, actor):
            users.set_team_active(session, actor, int(team_id), active)
            self._refresh(session)
        return rx.toast.success(self._msg("admin.team_updated"))

    @rx.event
    def set_sharing_mode(self, value: str):
        try:
            with self._service() as (session, actor):
                changed = team_sharing.set_mode(session, actor, value)
                self._refresh(session)
        except ValidationFailed as exc:
            return self._first_error(exc)
        if changed:
            return rx.toast.success(self._msg("sharing.saved", mode=self._msg(f"sharing.mode.{value}")))

    @rx.var
    def sharing_options(self) -> list[list[str]]:
        return [[m, self.t[f"sharing.mode.{m}"]] for m in TEAM_SHARING_MODES]

    @rx.var
    def team_options(self) -> list[list[str]]:
        return [[t["id"], t["name"]] for t in self.team_rows if t["active"] == "True"]

    @rx.var
    def role_options(self) -> list[list[str]]:
        return [[r, self.t[f"role.{r}"]] for r in ("sales", "manager", "admin")]

"""Admin: what each role may export of each kind of record (services.people.export_rights)."""

from __future__ import annotations

import reflex as rx

from crm_app.services.errors import NotAllowed, ValidationFailed
from crm_app.services.people import export_rights
from crm_app.services.people.permissions import require_admin
from crm_app.state.session import SessionState


class ExportRightsState(SessionState):
    denied: str = ""  # why the page is not shown (not an admin)
    right_role: str = "sales"
    right_entity: str = "customer"
    allowed: bool = True
    fields: list[list[str]] = []  # [name, label] of every field an export can carry
    hidden: list[str] = []  # the fields the role may not export
    stored: list[str] = []  # allowed ("1"/"") and hidden as stored: what the ticks are compared with

    @rx.var
    def role_options(self) -> list[list[str]]:
        return [[r, self._msg(f"role.{r}")] for r in export_rights.EDITABLE_ROLES]

    @rx.var
    def entity_options(self) -> list[list[str]]:
        return [[e, self._msg(f"entity.{e}")] for e in export_rights.ENTITIES]

    def _read(self, session) -> None:
        rights = export_rights.of_role(session, self.right_role, self.right_entity)
        self.fields = [list(pair) for pair in export_rights.exportable_fields(session, self.right_entity, self.lang)]
        self.allowed = rights.allowed
        self.hidden = [name for name, _label in self.fields if name in rights.hidden]
        self.stored = self._ticks()

    def _ticks(self) -> list[str]:
        return ["1" if self.allowed else "", *sorted(self.hidden)]

    @rx.var
    def unsaved(self) -> bool:
        return self._ticks() != self.stored

    @rx.event
    def open(self):
        self.fields = []
        try:
            with self._service() as (session, actor):
                require_admin(actor)
                self.denied = ""
                self._read(session)
        except NotAllowed as exc:
            return self._refused(exc)

    @rx.event
    def choose(self, what: str, value: str):
        """Another role or kind of record: its rights as stored (refused while the ticks shown
        are not saved, so they are not lost)."""
        if self.unsaved:
            title = export_rights.title(self.right_role, self.right_entity, self.lang)
            return rx.toast.warning(self._msg("export_rights.unsaved", title=title))
        if what == "role" and value in export_rights.EDITABLE_ROLES:
            self.right_role = value
        elif what == "entity" and value in export_rights.ENTITIES:
            self.right_entity = value
        with self._service() as (session, actor):
            require_admin(actor)
            self._read(session)

    @rx.event
    def discard(self):
        with self._service() as (session, actor):
            require_admin(actor)
            self._read(session)

    @rx.event
    def set_allowed(self, value: bool):
        self.allowed = bool(value)

    @rx.event
    def toggle_field(self, name: str, may: bool):
        rest = [n for n in self.hidden if n != name]
        self.hidden = rest if may else [*rest, name]

    @rx.event
    def save(self):
        title = export_rights.title(self.right_role, self.right_entity, self.lang)
        try:
            with self._service() as (session, actor):
                changed = export_rights.save(
                    session, actor, self.right_role, self.right_entity, self.allowed, self.hidden, self.lang
                )
        except ValidationFailed as exc:
            return self._first_error(exc)
        self.stored = self._ticks()
        if not changed:
            return rx.toast.info(self._msg("export_rights.unchanged", title=title))
        return rx.toast.success(self._msg("export_rights.saved", title=title))

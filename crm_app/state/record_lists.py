"""The lists page (Quản lý danh sách): the lists the user sees with their sizes, owners and
sharing; create (shared as views are), rename, reshare, delete."""

from __future__ import annotations

import reflex as rx

from crm_app import routes
from crm_app.services.errors import ValidationFailed
from crm_app.services.lists import record_lists
from crm_app.services.people import sharing, users
from crm_app.services.records.fields import ENTITIES
from crm_app.state.session import SessionState

# The kinds of record a static list gathers: those whose registry has a "lists" field.
LIST_ENTITIES = tuple(name for name, entity in ENTITIES.items() if entity.field("lists") is not None)


class RecordListsState(SessionState):
    list_entity: str = "customer"  # whose lists the page shows
    lists: list[list[str]] = []  # [id, name, members, owner's name, scope, "1" if the user may change it]
    new_name: str = ""
    new_scope: str = "personal"
    editing_id: str = ""
    editing_name: str = ""

    def _refresh(self, session, actor) -> None:
        found = record_lists.visible(session, actor, self.list_entity)
        names = users.names_by_id(session, {rl.owner_id for rl, _n in found})
        self.lists = [
            [
                str(rl.id),
                rl.name,
                f"{n:,}".replace(",", "."),
                names.get(rl.owner_id, ""),
                rl.scope,
                "1" if sharing.may_edit(actor, rl) else "",
            ]
            for rl, n in found
        ]

    @rx.var
    def entity_options(self) -> list[list[str]]:
        return [[e, self._msg(f"entity.{e}")] for e in LIST_ENTITIES]

    @rx.event
    def set_list_entity(self, value: str):
        if value in LIST_ENTITIES:
            self.list_entity, self.editing_id = value, ""
            with self._service() as (session, actor):
                self._refresh(session, actor)

    @rx.event
    def open(self):
        self.new_name, self.new_scope, self.editing_id = "", "personal", ""
        with self._service() as (session, actor):
            self._refresh(session, actor)

    @rx.event
    def set_new_name(self, value: str):
        self.new_name = value

    @rx.event
    def set_new_scope(self, value: str):
        self.new_scope = value

    @rx.event
    def set_editing_name(self, value: str):
        self.editing_name = value

    @rx.event
    def start_rename(self, list_id: str, name: str):
        self.editing_id, self.editing_name = list_id, name

    @rx.event
    def cancel_rename(self):
        self.editing_id = ""

    def _write(self, action, done_key: str, on_success=None):
        try:
            with self._service() as (session, actor):
                action(session, actor)
                self._refresh(session, actor)
        except ValidationFailed as exc:
            return self._first_error(exc)
        if on_success:
            on_success()
        return rx.toast.success(self._msg(done_key))

    def _clear_new(self) -> None:
        self.new_name = ""

    def _stop_editing(self) -> None:
        self.editing_id = ""

    @rx.event
    def create(self, _form: dict | None = None):
        return self._write(
            lambda s, a: record_lists.create(s, a, self.list_entity, {"name": self.new_name, "scope": self.new_scope}),
            "lists.created",
            self._clear_new,
        )

    @rx.event
    def rename(self, _form: dict | None = None):
        list_id = int(self.editing_id)
        return self._write(
            lambda s, a: record_lists.rename(s, a, list_id, {"name": self.editing_name}),
            "lists.renamed",
            self._stop_editing,
        )

    @rx.event
    def set_scope(self, list_id: str, scope: str):
        return self._write(lambda s, a: record_lists.set_scope(s, a, int(list_id), scope), "lists.scope_changed")

    @rx.event
    def delete(self, list_id: str):
        return self._write(lambda s, a: record_lists.delete(s, a, int(list_id)), "lists.deleted")

    @rx.event
    def show(self, list_id: str):
        return rx.redirect(routes.list_members_url(self.list_entity, list_id))

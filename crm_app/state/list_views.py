"""A list page's saved views: choosing, saving, resetting and sharing them, the display type."""

from __future__ import annotations

import reflex as rx

from crm_app.services.errors import ValidationFailed
from crm_app.services.lists import saved_filters, views
from crm_app.services.people import sharing
from crm_app.state.events import non_empty


class ViewsMixin(rx.State, mixin=True):
    """Part of ListStateMixin: the views of the list."""

    # views
    view_options: list[list[str]] = []
    view_id: str = ""
    view_name: str = ""
    view_scope: str = ""
    view_editable: bool = False
    view_overridden: bool = False
    view_locked: bool = False
    dirty: bool = False
    save_dialog_open: bool = False
    save_name: str = ""
    save_scope: str = "personal"
    save_activate: bool = False

    def _load_views(self, session, actor) -> None:
        self.view_options = [[str(v.id), v.name, v.scope] for v in views.visible(session, actor, self.entity)]
        self.saved_filter_options = [
            [str(f.id), f.name, f.scope, "1" if sharing.may_edit(actor, f) else ""]
            for f in saved_filters.visible(session, actor, self.entity)
        ]

    def _show_view(self, session, actor, view) -> None:
        if view is None:
            self.view_id, self.view_name, self.view_scope = "", "", ""
            self.view_editable, self.view_overridden, self.view_locked = False, False, False
            self._apply_view_spec(views.default_spec(self.entity))
        else:
            self.view_id, self.view_name, self.view_scope = str(view.id), view.name, view.scope
            self.view_editable = views.sharing.may_edit(actor, view)
            self.view_overridden = views.override_of(session, actor, view) is not None
            self.view_locked = view.columns_locked
            self._apply_view_spec(views.effective(session, actor, view))
        self.dirty = False

    @rx.event
    # --- views -------------------------------------------------------------------------------

    @rx.event
    def choose_view(self, view_id: str):
        with self._service() as (session, actor):
            self._show_view(session, actor, views.get(session, actor, int(view_id)) if view_id.isdigit() else None)
        return self._reload()

    def _after_view_write(self, key: str):
        with self._service() as (session, actor):
            self._load_views(session, actor)
            self._show_view(session, actor, views.get(session, actor, int(self.view_id)))
        return non_empty(rx.toast.success(self._msg(key)), self._reload())

    @rx.event
    def save_view(self, activate: bool = False):
        """ "Save" / "Save and activate": the view itself, or the user's own version of a shared one."""
        if not self.view_id:
            return self.open_save_dialog(activate)
        with self._service() as (session, actor):
            kind = views.save(session, actor, int(self.view_id), self._view_spec(), activate=activate)
        return self._after_view_write("views.saved" if kind == "shared" else "views.saved_personal")

    @rx.event
    def open_save_dialog(self, activate: bool = False):
        self.save_name, self.save_scope, self.save_activate, self.save_dialog_open = "", "personal", activate, True

    @rx.event
    def close_save_dialog(self):
        self.save_dialog_open = False

    @rx.event
    def set_save_name(self, value: str):
        self.save_name = value

    @rx.event
    def set_save_scope(self, value: str):
        self.save_scope = value

    @rx.event
    def set_save_activate(self, value: bool):
        self.save_activate = value

    @rx.event
    def create_view(self, _form: dict | None = None):
        try:
            with self._service() as (session, actor):
                view = views.create(
                    session,
                    actor,
                    self.entity,
                    {"name": self.save_name, "scope": self.save_scope},
                    self._view_spec(),
                    activate=self.save_activate,
                )
        except ValidationFailed as exc:
            return self._first_error(exc)
        self.view_id, self.save_dialog_open = str(view.id), False
        return self._after_view_write("views.saved")

    @rx.event
    def reset_view(self):
        with self._service() as (session, actor):
            views.reset_to_shared(session, actor, int(self.view_id))
        return self._after_view_write("views.reset_done")

    @rx.event
    def toggle_lock(self):
        with self._service() as (session, actor):
            views.set_columns_locked(session, actor, int(self.view_id), not self.view_locked)
        return self._after_view_write("views.saved")

    @rx.event
    def set_view_scope(self, scope: str):
        """The shown view shared with the team, the company or kept personal (its owner)."""
        if not self.view_id:
            return
        try:
            with self._service() as (session, actor):
                changed = views.set_scope(session, actor, int(self.view_id), scope)
        except ValidationFailed as exc:
            return self._first_error(exc)
        if changed:
            return self._after_view_write("views.scope_changed")

    @rx.var
    def view_delete_question(self) -> str:
        return self._msg("views.delete_question", name=self.view_name)

    @rx.event
    def delete_view(self):
        with self._service() as (session, actor):
            views.delete(session, actor, int(self.view_id))
            self._load_views(session, actor)
            self._show_view(session, actor, None)
        return non_empty(rx.toast.success(self._msg("views.deleted")), self._reload())

    @rx.event
    def set_display_type(self, value: str):
        if value not in ("table", "cards", "kanban"):
            return
        self.display_type = value
        if value != "kanban":
            self.group_by = ""
        elif not self.group_by and self.group_fields:
            self.group_by = self.group_fields[0][0]
        self.dirty = True
        return self._reload()

    @rx.event
    def set_group_by(self, value: str):
        if value not in self.field_types:
            return
        self.group_by = value
        self.dirty = True
        return self._reload(recount=False)

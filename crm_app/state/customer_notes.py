"""Notes of the open record (a customer, or a contact: those naming it): add, edit in a dialog,
delete with a confirmation."""

from __future__ import annotations

from datetime import timedelta

import reflex as rx

from crm_app.services.customer import notes
from crm_app.services.errors import ValidationFailed
from crm_app.services.formatting import fmt_datetime
from crm_app.services.people import users
from crm_app.state.confirm_delete import ConfirmDeleteMixin
from crm_app.state.customer_detail import CustomerDetailState

EDIT_MARGIN = timedelta(seconds=2)  # created_at and updated_at of a new note differ by microseconds


class NoteTabMixin(ConfirmDeleteMixin, mixin=True):
    """The Notes tab of a record page (state/record_page.py)."""

    notes: list[dict[str, str]] = []
    draft: str = ""
    draft_error: str = ""
    dialog_open: bool = False
    editing_id: int = 0

    @rx.event
    def load(self):
        with self._service() as (session, actor):
            rows = notes.of_record(session, actor, self._record())
            names = users.names_by_id(session, {n.created_by_id for n in rows})
        self.notes = [
            {
                "id": str(n.id),
                "body": n.body,
                "by": names.get(n.created_by_id, ""),
                "at": fmt_datetime(n.created_at),
                "edited": fmt_datetime(n.updated_at) if n.updated_at - n.created_at > EDIT_MARGIN else "",
            }
            for n in rows
        ]

    @rx.event
    def set_draft(self, value: str):
        self.draft, self.draft_error = value, ""

    @rx.event
    def open_new(self):
        self._home()  # a contact without a company takes no note: said now, not on save
        self.draft, self.draft_error, self.editing_id, self.dialog_open = "", "", 0, True

    @rx.event
    def open_edit(self, note_id: str):
        note = next((n for n in self.notes if n["id"] == note_id), None)
        if note is not None:
            self.draft, self.draft_error, self.editing_id, self.dialog_open = note["body"], "", int(note_id), True

    @rx.event
    def set_dialog_open(self, value: bool):
        self.dialog_open = value

    @rx.event
    def save(self):
        try:
            with self._service() as (session, actor):
                if self.editing_id:
                    notes.update(session, actor, self.editing_id, {"body": self.draft})
                else:
                    customer_id, contact_id = self._home()
                    notes.create(session, actor, customer_id, {"body": self.draft}, contact_id=contact_id)
        except ValidationFailed as exc:
            key, params = exc.errors["body"]
            self.draft_error = self._msg(key, **params)
            return
        self.dialog_open, self.draft = False, ""
        self.load()
        return rx.toast.success(self._msg("notes.saved"))

    def _delete_record(self, session, actor, record_id: int) -> None:
        notes.delete(session, actor, record_id)


class NoteState(NoteTabMixin, CustomerDetailState):
    pass

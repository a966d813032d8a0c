"""Delete with a confirmation, for the lists of a customer's children (activities, notes, files).

The row's delete button asks (``ask_delete``), the dialog confirms (``delete``) or cancels. The
state using it provides ``service``/``fail``/``msg``/``load`` (SessionState and a list loader) and
names the service call in ``_delete_record``.
"""

from __future__ import annotations

import reflex as rx


class ConfirmDeleteMixin(rx.State, mixin=True):
    delete_id: int = 0

    def _delete_record(self, session, actor, record_id: int) -> None:
        raise NotImplementedError

    @rx.event
    def ask_delete(self, record_id: str):
        self.delete_id = int(record_id)

    @rx.event
    def cancel_delete(self, _open: bool = False):
        self.delete_id = 0

    @rx.event
    def delete(self):
        with self._service() as (session, actor):
            self._delete_record(session, actor, self.delete_id)
        self.delete_id = 0
        return [rx.toast.success(self._deleted_message()), *self._after_delete()]

    def _deleted_message(self) -> str:
        return self._msg("common.deleted")

    def _after_delete(self) -> list:
        """The list reloads; a state may return events to run as well."""
        self.load()
        return []

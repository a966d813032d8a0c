"""The activity dialog: on a customer's follow-ups tab (ActivityDialogMixin) and outside it
(calendar, activities list, dashboard: ActivityEditorMixin, with a customer picker); edit,
delete after a confirmation.

A page state mixing in the editor reloads what it shows in ``_reload``.
"""

from __future__ import annotations

import reflex as rx

from crm_app.models.activity import ACTIVITY_STATUSES
from crm_app.services.customer import contacts
from crm_app.services.errors import ValidationFailed
from crm_app.services.formatting import VN_OFFSET
from crm_app.services.lists.query import assignable_options
from crm_app.services.people import work_scope
from crm_app.services.work import activities
from crm_app.state.confirm_delete import ConfirmDeleteMixin
from crm_app.state.form_state import FormStateMixin
from crm_app.state.record_picker import RecordPickerMixin

FORM_FIELDS = ("type_code", "subject", "content", "at", "due_at", "status", "assignee_id", "contact_id")


def local_input(value) -> str:
    """A stored UTC time as the value of a datetime-local input, in Vietnam time."""
    return (value + VN_OFFSET).strftime("%Y-%m-%dT%H:%M") if value else ""


def form_values(act) -> dict[str, str]:
    """The activity dialog's values of a stored activity."""
    return {
        "type_code": act.type_code,
        "subject": act.subject,
        "content": act.content,
        "at": local_input(act.at),
        "due_at": local_input(act.due_at),
        "status": act.status,
        "assignee_id": str(act.assignee_id or ""),
        "contact_id": str(act.contact_id or ""),
    }


def type_choices(session, lang: str) -> list[list[str]]:
    """The activity types a new activity may take: [code, label] of the active ones."""
    codes = set(activities.type_codes(session))
    return [[c, label] for c, label in activities.type_labels(session, lang).items() if c in codes]


class ActivityDialogMixin(ConfirmDeleteMixin, FormStateMixin, mixin=True):
    """The activity dialog wherever it opens: its options, save, delete after a confirmation.
    A state names the dialog's customer (``_dialog_customer_id``) and what follows a save or a
    deletion (``_after_change``: events to run, after reloading what it shows)."""

    dialog_open: bool = False
    editing_id: int = 0
    # what the user may change on the open activity (activities.rights): every field, or its status
    # alone (its assignee, who may not change its customer), or nothing
    access: str = activities.ALL
    type_options: list[list[str]] = []
    assignee_options: list[list[str]] = []
    contact_options: list[list[str]] = []

    def _dialog_customer_id(self) -> int:
        raise NotImplementedError

    def _after_change(self) -> list:
        raise NotImplementedError

    def _fill_options(self, session, actor, assignee_id: int | None = None) -> None:
        """The dialog's choices; ``assignee_id``: the open activity's, shown even when the user may
        not give a task to that person."""
        customer_id = self._dialog_customer_id()
        self.type_options = type_choices(session, self.lang)
        self.assignee_options = assignable_options(session, actor, assignee_id)
        self.contact_options = (
            [[str(c.id), c.full_name] for c in contacts.of_customer(session, actor, customer_id)] if customer_id else []
        )

    @rx.event
    def set_dialog_open(self, value: bool):
        self.dialog_open = value

    @rx.event
    def save(self):
        customer_id = self._dialog_customer_id()
        if not self.editing_id and not customer_id:
            self.errors = {**self.errors, "customer_id": self._msg("err.required")}
            return rx.toast.error(self._msg("err.form_invalid"))
        fields = ("status",) if self.access == activities.STATUS else FORM_FIELDS
        data = {k: self.values.get(k, "") for k in fields}
        try:
            with self._service() as (session, actor):
                if self.editing_id:
                    activities.update(session, actor, self.editing_id, data)
                else:
                    activities.create(session, actor, customer_id, data)
        except ValidationFailed as exc:
            return self._show_errors(exc)
        self.dialog_open = False
        return [rx.toast.success(self._msg("act.saved")), *self._after_change(), *self._after_save()]

    def _after_save(self) -> list:
        """Events that follow a save only."""
        return []

    @rx.event
    def mark_done(self, activity_id: str):
        with self._service() as (session, actor):
            activities.update(session, actor, int(activity_id), {"status": "done"})
        return [rx.toast.success(self._msg(self._done_message_key())), *self._after_change()]

    def _done_message_key(self) -> str:
        return "act.saved"

    def _delete_record(self, session, actor, record_id: int) -> None:
        activities.delete(session, actor, record_id)

    def _after_delete(self) -> list:
        return self._after_change()

    @rx.var
    def status_options(self) -> list[list[str]]:
        return [[s, self._msg(f"act.status.{s}")] for s in ACTIVITY_STATUSES]

    @rx.var
    def is_task_form(self) -> bool:
        return self.values.get("type_code", "") == activities.TASK

    def _show_activity(self, session, actor, act) -> None:
        """The dialog on a stored activity, offering what the user may change on it."""
        self._fill_options(session, actor, act.assignee_id)
        self.access = activities.rights(session, actor, act)
        self.values = form_values(act)
        self.errors, self.editing_id, self.dialog_open = {}, act.id, True

    def _show_new(self, values: dict[str, str]) -> None:
        self.access, self.values = activities.ALL, values
        self.errors, self.editing_id, self.dialog_open = {}, 0, True


class ActivityEditorMixin(RecordPickerMixin, ActivityDialogMixin, mixin=True):
    """The dialog outside a customer's page, with a customer picker."""

    picker_entity = "activity"
    edit_customer_id: int = 0

    def _narrowing(self, field: str) -> dict:
        return {"limit": 8}

    def _chosen(self, field: str, record_id: str) -> None:
        """The customer is the dialog's own (fixed once saved); its contacts are offered."""
        self.edit_customer_id = int(record_id) if record_id.isdigit() else 0
        self.errors.pop("customer_id", None)
        self.values["contact_id"] = ""
        if not self.edit_customer_id:
            self.contact_options = []
            return
        with self._service() as (session, actor):
            self._fill_options(session, actor)

    def _dialog_customer_id(self) -> int:
        return self.edit_customer_id

    def _reload(self):
        """The page reloads what it shows (overridden by each page state); may return events."""

    def _after_change(self) -> list:
        events = self._reload()
        return events if isinstance(events, list) else [events] if events is not None else []

    @rx.event
    def open_new_on(self, day: str):
        """A new activity planned on ``day`` (YYYY-MM-DD) at 09:00: a call, or a task due then."""
        self.edit_customer_id, self.pick_label, self.pick_query, self.pick_options = 0, {}, {}, {}
        with self._service() as (session, actor):
            self._fill_options(session, actor)
        when = f"{day}T09:00" if len(day) == 10 else ""
        self._show_new(
            {
                "type_code": activities.TASK,
                "subject": "",
                "content": "",
                "at": when,
                "due_at": when,
                "status": "planned",
                "assignee_id": str(self.user_id),
                "contact_id": "",
            }
        )

    @rx.event
    def open_new_today(self):
        return self.open_new_on(work_scope.local_today().isoformat())

    @rx.event
    def open_edit(self, activity_id: str):
        with self._service() as (session, actor):
            act = activities.get(session, actor, int(activity_id))
            self.edit_customer_id = act.customer_id
            self._show_references(session, actor, {"customer_id": act.customer_id})
            if not self.pick_label.get("customer_id"):  # its assignee reads the name, as the list shows it
                self.pick_label["customer_id"] = activities.customer_label(session, act)
            self._show_activity(session, actor, act)

    @rx.event
    def ask_delete_open(self):
        """Delete from the open dialog: close it, then confirm."""
        self.delete_id, self.dialog_open = self.editing_id, False

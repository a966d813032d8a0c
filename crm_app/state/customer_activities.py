"""Follow-ups and tasks of the open record (a customer, or a contact: those naming it): the
timeline, the tasks list and the activity dialog."""

from __future__ import annotations

import asyncio

import reflex as rx
from sqlmodel import select

from crm_app.models import Activity, Contact
from crm_app.services.formatting import fmt_datetime
from crm_app.services.people import users
from crm_app.services.work import activities
from crm_app.state.activity_editor import ActivityDialogMixin
from crm_app.state.customer_detail import CustomerDetailState
from crm_app.state.customer_mail import deliver_now


class ActivityTabMixin(ActivityDialogMixin, mixin=True):
    """The Follow-ups and Tasks tabs of a record page (state/record_page.py)."""

    timeline: list[dict[str, str]] = []
    tasks: list[dict[str, str]] = []

    def _dialog_customer_id(self) -> int:
        return self.home_customer_id

    def _after_change(self) -> list:
        self.load()
        return []

    def _rows(self, session, actor, items: list[Activity]) -> list[dict[str, str]]:
        labels = activities.type_labels(session, self.lang)
        user_ids = {a.assignee_id for a in items} | {a.created_by_id for a in items}
        names = users.names_by_id(session, user_ids)
        contact_ids = sorted({a.contact_id for a in items if a.contact_id})
        contact_names = (
            dict(session.exec(select(Contact.id, Contact.full_name).where(Contact.id.in_(contact_ids))).all())
            if contact_ids
            else {}
        )
        return [
            {
                "id": str(a.id),
                "type_code": a.type_code,
                "type": labels.get(a.type_code, a.type_code),
                "subject": a.subject,
                "content": a.content,
                "at": fmt_datetime(a.at),
                "due": fmt_datetime(a.due_at),
                "status_code": a.status,
                "status": self._msg(f"act.status.{a.status}"),
                "assignee": names.get(a.assignee_id, ""),
                "by": names.get(a.created_by_id, ""),
                "contact": contact_names.get(a.contact_id, ""),
                "access": activities.rights(session, actor, a),  # what the row offers
            }
            for a in items
        ]

    @rx.event
    def load(self):
        with self._service() as (session, actor):
            record = self._record()
            self._follow_page_rights(session, actor)
            self.timeline = self._rows(session, actor, activities.of_record(session, actor, record))
            self.tasks = self._rows(
                session, actor, activities.of_record(session, actor, record, only_type=activities.TASK)
            )

    @rx.event
    def open_new(self, type_code: str):
        """A new activity of the record: on a contact's page, of its company and naming it."""
        _customer_id, contact_id = self._home()
        with self._service() as (session, actor):
            self._fill_options(session, actor)
        is_task = type_code == activities.TASK
        self._show_new(
            {
                "type_code": type_code,
                "subject": "",
                "content": "",
                "at": "",
                "due_at": "",
                "status": "planned" if is_task else "done",
                "assignee_id": str(self.user_id) if is_task else "",
                "contact_id": str(contact_id or ""),
            }
        )

    @rx.event
    def open_edit(self, activity_id: str):
        with self._service() as (session, actor):
            self._show_activity(session, actor, activities.get(session, actor, int(activity_id)))

    def _after_save(self) -> list:
        return [type(self).deliver_mail]

    @rx.event(background=True)
    async def deliver_mail(self):
        """A task's mail to its assignee goes out now, without holding up the page."""
        await asyncio.to_thread(deliver_now)


class ActivityState(ActivityTabMixin, CustomerDetailState):
    pass

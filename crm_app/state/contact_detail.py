"""The contact page: header (name, title, company, numbers, e-mail), the Overview edited in
place, and the tabs a customer has: follow-ups, tasks, notes, e-mails, files and history, listing
what names the contact (state/record_page.py)."""

from __future__ import annotations

import reflex as rx

from crm_app import routes
from crm_app.models import Customer
from crm_app.services.customer import contacts
from crm_app.services.errors import NotAllowed
from crm_app.services.lists.query import display_rows
from crm_app.services.records.fields import ENTITIES, entity_def
from crm_app.state.customer_activities import ActivityTabMixin
from crm_app.state.customer_files import FileTabMixin
from crm_app.state.customer_mail import MailTabMixin
from crm_app.state.customer_notes import NoteTabMixin
from crm_app.state.form_state import renumber_notice
from crm_app.state.form_values import as_form_values
from crm_app.state.history import HistoryTabMixin
from crm_app.state.record_page import RecordPageMixin
from crm_app.state.session import SessionState

# The Overview: every field of the registry but the lists (each user sees their own).
OVERVIEW_FIELDS = tuple(f.name for f in ENTITIES["contact"].fields if f.name != "lists")
# The fields edited in place; the company and the manager take the form's pickers.
INLINE_EDITORS = {
    "full_name": "text",
    "title": "text",
    "email": "text",
    "phone": "text",
    "mobile": "text",
    "province": "select",
    "ward": "select",
    "owner_id": "select",
    "rating": "select",
    "email_opt_out": "bool",
    "do_not_call": "bool",
    "reference_only": "bool",
    "notify_on_change": "bool",
    "portal_access": "bool",
    "support_start": "date",
    "support_end": "date",
    "description": "text",
}


class ContactDetailState(RecordPageMixin, SessionState):
    contact_id: int = 0
    found: bool = False
    denied: str = ""
    archived: bool = False
    header: dict[str, str] = {}

    def _record(self) -> tuple[str, int]:
        return "contact", self.contact_id

    def _tab_loaders(self) -> dict[str, tuple]:
        return {
            "followups": (ContactActivityState.load,),
            "tasks": (ContactActivityState.load,),
            "notes": (ContactNoteState.load,),
            "emails": (ContactMailState.load,),
            "files": (ContactFileState.load,),
            "history": (ContactHistoryState.load,),
        }

    @rx.event
    def open(self):
        raw = self.router.url.path.rstrip("/").split("/")[-1]
        self.contact_id = int(raw) if raw.isdigit() else 0
        self.found, self.denied, self.tab, self.edit_field = False, "", "overview", ""
        self.home_customer_id = self.home_contact_id = 0  # nothing is added before the contact is shown
        return self._reload() or self._open_tab()

    def _reload(self):
        try:
            with self._service() as (session, actor):
                contact = contacts.get(session, actor, self.contact_id)
                entity = entity_def(session, "contact")
                shown = [*OVERVIEW_FIELDS, *(f.name for f in entity.custom_fields)]
                row = display_rows(session, entity, [contact], shown, self.lang)[0]
                company = session.get(Customer, contact.customer_id) if contact.customer_id else None
                # the company is a link for whoever may open it, its name for the others
                company_open = company is not None and actor.sees_owner(company.owner_id)
                self.can_edit = actor.edits_owner(contact.owner_id)
                # work is added to the company: one the user may change
                company_home = company_open and self.can_edit and actor.edits_owner(company.owner_id)
        except NotAllowed as exc:
            return self._refused(exc)
        self.archived = contact.archived
        self.home_customer_id = company.id if company_home else 0
        self.home_contact_id = contact.id
        self.home_refusal = "err.contact_company_hidden" if company and not company_home else "err.contact_no_company"
        self.header = {
            "name": contact.full_name,
            "title": contact.title,
            "company": company.full_name if company else "",
            "company_url": routes.customer_url(company.id) if company_open else "",
            "phone": contact.phone,
            "mobile": contact.mobile,
            "email": contact.email,
            "owner": row["owner_id"],
        }
        self._show_overview(entity, row, shown)
        self.found = True

    def _inline_editors(self) -> dict[str, str]:
        return INLINE_EDITORS

    def _edit_values(self, session, actor) -> dict[str, str]:
        return as_form_values(contacts.snapshot(session, contacts.get(session, actor, self.contact_id)))

    def _save_field(self, session, actor, name: str, value: str) -> list:
        contacts.update(session, actor, self.contact_id, {name: value})
        notice = renumber_notice(value, self.lang) if name in ("phone", "mobile") else ""
        return [rx.toast.info(notice, duration=10000)] if notice else []

    @rx.event
    def edit(self):
        """The whole form: the company and the manager are picked there."""
        return rx.redirect(routes.contact_edit_url(self.contact_id))


class ContactActivityState(ActivityTabMixin, ContactDetailState):
    pass


class ContactNoteState(NoteTabMixin, ContactDetailState):
    pass


class ContactMailState(MailTabMixin, ContactDetailState):
    pass


class ContactFileState(FileTabMixin, ContactDetailState):
    pass


class ContactHistoryState(HistoryTabMixin, ContactDetailState):
    pass

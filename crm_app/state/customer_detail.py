"""The customer page: header, quick actions and the Overview tab."""

from __future__ import annotations

import reflex as rx

from crm_app import routes
from crm_app.models import User
from crm_app.services.customer import contacts, customer_status, customers
from crm_app.services.errors import NotAllowed
from crm_app.services.lists import query
from crm_app.services.lists.query import display_rows
from crm_app.services.records.fields import CUSTOMER, entity_def
from crm_app.state.form_state import renumber_notice
from crm_app.state.form_values import as_form_values
from crm_app.state.record_page import RecordPageMixin
from crm_app.state.session import SessionState

# The Overview tab: every field of the registry but the phones (shown under their own heading)
# and the static lists (each user sees their own); no filter-only condition (what it bought).
OVERVIEW_FIELDS = tuple(f.name for f in CUSTOMER.fields if f.name not in ("phone", "phones", "lists") and not f.virtual)
# The Overview fields edited in place, and their editor; the others are computed or need the form's
# picker (assigned_to_id).
INLINE_EDITORS = {
    "full_name": "text",
    "kind": "select",
    "status": "select",
    "email": "text",
    "website": "text",
    "country": "text",
    "province": "select",
    "ward": "select",
    "address": "text",
    "tax_code": "text",
    "birthday": "date",
    "gender": "select",
    "category_id": "select",
    "source_id": "select",
    "owner_id": "select",
    "tags": "text",
    "rating": "select",
    "email_opt_out": "bool",
    "do_not_call": "bool",
    "phones": "text",
}
# The handlers that load each tab's rows when it is opened. The tabs' states are substates of
# CustomerDetailState, so they register themselves here (state/customer_tabs.py) rather than be
# imported by it.
TAB_LOADERS: dict[str, tuple] = {}


class CustomerDetailState(RecordPageMixin, SessionState):
    customer_id: int = 0
    found: bool = False
    header: dict[str, str] = {}
    phones: list[str] = []
    tags: list[str] = []
    related_contacts: list[dict[str, str]] = []
    members: list[list[str]] = []  # people assigned to this organisation: [id, name]
    archived: bool = False
    confirm_archive: bool = False
    confirm_convert: bool = False
    denied: str = ""
    similar: list[dict[str, str]] = []  # records sharing a phone or the email
    status_code: str = ""

    def _record(self) -> tuple[str, int]:
        return "customer", self.customer_id

    def _tab_loaders(self) -> dict[str, tuple]:
        return TAB_LOADERS

    @rx.event
    def open(self):
        raw = self.router.url.path.rstrip("/").split("/")[-1]
        self.customer_id = int(raw) if raw.isdigit() else 0
        self.found, self.denied, self.tab = False, "", "overview"
        return self._reload() or self._open_tab()  # a link to one tab, e.g. ?tab=sales from a deal's order

    def _reload(self):
        try:
            with self._service() as (session, actor):
                customer = customers.get(session, actor, self.customer_id)
                entity = entity_def(session, "customer")
                shown = [*OVERVIEW_FIELDS, *(f.name for f in entity.custom_fields)]
                row = display_rows(session, entity, [customer], shown, self.lang)[0]
                self.phones = customers.phones_of(session, customer.id)
                self.tags = customers.tags_of(session, customer.id)
                self.related_contacts = [
                    {
                        "id": str(c.id),
                        "name": c.full_name,
                        "title": c.title,
                        "phone": c.phone or c.mobile,
                        "email": c.email,
                    }
                    for c in contacts.of_customer(session, actor, customer.id)
                ]
                self.members = [[str(i), n] for i, n in customers.members_of(session, actor, customer.id)]
                self.similar = [
                    {k: str(v) for k, v in m.items()} for m in customers.similar_to(session, actor, customer)
                ]
                owner = session.get(User, customer.owner_id) if customer.owner_id else None
                self.can_edit = actor.edits_owner(customer.owner_id)
        except NotAllowed as exc:
            if exc.key != "err.session_invalid":
                self.denied = self._msg(exc.key)
            return self._fail(exc)
        self.archived = customer.archived
        self.status_code = customer.status
        self.home_customer_id, self.home_contact_id = customer.id, 0
        self.header = {
            "name": customer.full_name,
            "code": customer.code,
            "kind": row["kind"],
            "status": row["status"],
            "owner": owner.full_name if owner else "",
            "phone": customer.phone,
            "email": customer.email,
            "assigned_to": row["assigned_to_id"],
            "assigned_to_id": str(customer.assigned_to_id or ""),
            "last_purchase": row["last_purchase_at"] or "—",
        }
        self._show_overview(entity, row, shown)
        self.found = True

    def _inline_editors(self) -> dict[str, str]:
        return INLINE_EDITORS

    def _edit_values(self, session, actor) -> dict[str, str]:
        return as_form_values(customers.snapshot(session, customers.get(session, actor, self.customer_id)))

    def _options_for(self, session, actor, name: str, values: dict) -> list[list[str]]:
        if name in ("category_id", "source_id"):
            return [[str(i), n] for i, n in query.catalog_options(session, name.removesuffix("_id"), self.lang)]
        return super()._options_for(session, actor, name, values)

    def _save_field(self, session, actor, name: str, value: str) -> list:
        """The form's validation and duplicate rule: a phone of an old numbering or a record
        sharing a phone or the email is told."""
        result = customers.update(session, actor, self.customer_id, {name: value})
        events = []
        if name == "phones" and (notice := renumber_notice(value, self.lang)):
            events.append(rx.toast.info(notice, duration=10000))
        for match in result.warnings:
            events.append(
                rx.toast.warning(
                    self._msg("customers.warning_same_contact", by=self._msg(f"field.{match.by}"))
                    + f": {match.code} – {match.full_name}",
                    duration=10000,
                )
            )
        return events

    @rx.event
    def refresh_header(self):
        """Re-read the record after a child changed one of its fields (e.g. the last purchase date)."""
        return self._reload()

    @rx.event
    def change_status(self, step: str):
        """Promote a lead to potential, or convert to an internal customer."""
        move = {"promote": customer_status.promote_lead, "convert": customer_status.convert_to_customer}.get(step)
        if move is None:
            return
        self.confirm_convert = False
        with self._service() as (session, actor):
            move(session, actor, self.customer_id)
        self._reload()
        return rx.toast.success(self._msg("quick.promoted" if step == "promote" else "quick.converted"))

    @rx.event
    def set_confirm_convert(self, value: bool):
        self.confirm_convert = value

    @rx.var
    def convert_question(self) -> str:
        return self._msg("quick.convert_question", code=self.header.get("code", ""), name=self.header.get("name", ""))

    @rx.event
    def set_confirm_archive(self, value: bool):
        self.confirm_archive = value

    @rx.event
    def set_archived(self, archived: bool):
        self.confirm_archive = False
        with self._service() as (session, actor):
            customers.set_archived(session, actor, self.customer_id, archived)
        self.archived = archived
        return rx.toast.success(self._msg("customers.archived" if archived else "customers.restored"))

    @rx.event
    def clone(self):
        return rx.redirect(f"{routes.CUSTOMER_NEW}?clone={self.customer_id}")

    @rx.event
    def edit(self):
        return rx.redirect(routes.customer_edit_url(self.customer_id))

"""The customer page: header, quick actions and the Overview tab."""

from __future__ import annotations

import reflex as rx

from crm_app import routes
from crm_app.models import User
from crm_app.services.customer import contacts, customer_status, customers
from crm_app.services.errors import NotAllowed, ValidationFailed
from crm_app.services.lists import query
from crm_app.services.lists.query import display_rows
from crm_app.services.records.fields import CUSTOMER, entity_def
from crm_app.state.form_state import renumber_notice, ward_options
from crm_app.state.form_values import as_form_values
from crm_app.state.off_loop import on_loop
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
# A custom field's editor on the Overview tab, by its type (several choices: the form).
CUSTOM_EDITORS = {"text": "text", "number": "text", "date": "date", "choice": "select", "bool": "bool"}


class CustomerDetailState(SessionState):
    customer_id: int = 0
    found: bool = False
    header: dict[str, str] = {}
    fields: list[list[str]] = []  # [field key, display value, editor ("" = not in place), label]
    custom_editors: dict[str, str] = {}  # the custom fields edited in place: name -> editor
    custom_options: dict[str, list[str]] = {}  # a custom choice field's options
    phones: list[str] = []
    tags: list[str] = []
    related_contacts: list[dict[str, str]] = []
    members: list[list[str]] = []  # people assigned to this organisation: [id, name]
    archived: bool = False
    can_edit: bool = False  # False: a teammate's record shared read-only (no edit controls)
    confirm_archive: bool = False
    confirm_convert: bool = False
    denied: str = ""
    similar: list[dict[str, str]] = []  # records sharing a phone or the email
    status_code: str = ""
    tab: str = "overview"
    edit_field: str = ""  # the Overview field being edited in place
    edit_value: str = ""
    edit_label: str = ""  # the label of the field being edited (names its control)
    edit_error: str = ""
    edit_options: list[list[str]] = []

    @rx.event
    def open(self):
        raw = self.router.url.path.rstrip("/").split("/")[-1]
        self.customer_id = int(raw) if raw.isdigit() else 0
        self.found, self.denied, self.tab = False, "", "overview"
        failed = self._reload()
        wanted = self.router.url.query_parameters.get("tab", "")
        if failed or wanted not in TAB_LOADERS:
            return failed
        return self.select_tab(wanted)  # a link to one tab, e.g. ?tab=sales from a deal's order

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
        self.custom_editors = {f.name: CUSTOM_EDITORS[f.type] for f in entity.custom_fields if f.type in CUSTOM_EDITORS}
        self.custom_options = {f.name: list(f.values) for f in entity.custom_fields if f.type == "choice"}
        self.fields = [
            [name, row[name], self._editor(name), entity.field(name).label_in(self.lang)]
            for name in shown
            if row[name] or name != "old_province"  # shown only while there is one to fix
        ]
        self.found = True

    @rx.event
    def select_tab(self, tab: str):
        """Each tab reads its rows when it is opened (the Overview comes with the page)."""
        self.tab = tab
        return [load() for load in TAB_LOADERS.get(tab, ())]

    def _editor(self, name: str) -> str:
        if not self.can_edit:
            return ""
        return INLINE_EDITORS.get(name) or self.custom_editors.get(name, "")

    @rx.event
    def start_edit(self, name: str):
        """Edit one Overview field in place, with the form's validation and duplicate rule."""
        if not self._editor(name):
            return
        with self._service() as (session, actor):
            values = as_form_values(customers.snapshot(session, customers.get(session, actor, self.customer_id)))
            self.edit_options = self._options_for(session, actor, name, values)
        self.edit_field, self.edit_value, self.edit_error = name, values.get(name, ""), ""
        self.edit_label = next((f[3] for f in self.fields if f[0] == name), self._msg(f"field.{name}"))

    def _options_for(self, session, actor, name: str, values: dict) -> list[list[str]]:
        f = CUSTOMER.field(name)
        if f is not None and f.type == "choice" and f.custom_id is None:
            return [list(pair) for pair in f.choice_pairs(self.lang)]
        if name == "ward":
            return ward_options(values.get("province"))
        if name in ("category_id", "source_id"):
            return [[str(i), n] for i, n in query.catalog_options(session, name.removesuffix("_id"), self.lang)]
        if name == "owner_id":
            return [[str(i), n] for i, n in query.owner_options(session, actor)]
        if name == "rating":
            return [[str(i), "★" * i] for i in range(1, 6)]
        if name in ("email_opt_out", "do_not_call") or self.custom_editors.get(name) == "bool":
            return [["1", self._msg("common.yes")]]
        return [[option, option] for option in self.custom_options.get(name, [])]

    @rx.var
    def edit_kind(self) -> str:
        return INLINE_EDITORS.get(self.edit_field) or self.custom_editors.get(self.edit_field, "")

    @rx.event
    @on_loop
    def set_edit_value(self, value: str):
        self.edit_value, self.edit_error = value, ""

    @rx.event
    @on_loop
    def cancel_edit(self):
        self.edit_field, self.edit_error = "", ""

    @rx.event
    @on_loop
    def inline_key(self, key: str, _modifiers: dict):
        """Escape leaves the field as it was (Enter saves: the editor is a form)."""
        if key == "Escape":
            self.edit_field, self.edit_error = "", ""

    @rx.event
    def save_edit(self, _form: dict | None = None):
        name = self.edit_field
        if not self._editor(name):
            return
        try:
            with self._service() as (session, actor):
                result = customers.update(session, actor, self.customer_id, {name: self.edit_value})
        except ValidationFailed as exc:
            key, params = exc.errors.get(name) or next(iter(exc.errors.values()))
            self.edit_error = self._msg(key, **params)
            return
        self.edit_field = ""
        self._reload()
        events = [rx.toast.success(self._msg("common.saved"))]
        if name == "phones" and (notice := renumber_notice(self.edit_value, self.lang)):
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

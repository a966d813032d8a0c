"""What the page of a customer and the page of a contact share: the tabs, each loading its rows
when opened, and the Overview's fields edited in place (through the record's own service, so
its rules, rights and history apply).

A page state names its record (``_record``: ("customer", id) or ("contact", id)), the loaders of
its tabs (``_tab_loaders``), and for the Overview each field's editor (``_editor``), the values
the editors start from (``_edit_values``), a select's options (``_options_for``) and the save of
one field (``_save_field``, returning what to tell the user besides "saved").
"""

from __future__ import annotations

import reflex as rx

from crm_app.services.errors import ServiceError, ValidationFailed
from crm_app.services.lists import query
from crm_app.services.records import children
from crm_app.services.records.fields import ENTITIES, EntityDef
from crm_app.state.form_state import ward_options
from crm_app.state.off_loop import on_loop

# A custom field's editor on the Overview tab, by its type (several choices: the form).
CUSTOM_EDITORS = {"text": "text", "number": "text", "date": "date", "choice": "select", "bool": "bool"}


class RecordPageMixin(rx.State, mixin=True):
    # where a child added on the page goes (set when the page loads; each service checks it):
    # the customer, and on a contact's page the contact (its company the customer; 0: none)
    home_customer_id: int = 0
    home_contact_id: int = 0
    home_refusal: str = "err.contact_no_company"  # why nothing may be added when there is no customer
    can_edit: bool = False  # False: a teammate's record shared read-only (no edit controls)
    tab: str = "overview"
    fields: list[list[str]] = []  # the Overview: [field key, display value, editor ("" = not in place), label]
    custom_editors: dict[str, str] = {}  # the custom fields edited in place: name -> editor
    custom_options: dict[str, list[str]] = {}  # a custom choice field's options
    edit_field: str = ""  # the Overview field being edited in place
    edit_kind: str = ""  # its editor: text, select, date or bool
    edit_value: str = ""
    edit_label: str = ""  # the label of the field being edited (names its control)
    edit_error: str = ""
    edit_options: list[list[str]] = []  # a select's choices; an empty one first when the field may be empty

    def _record(self) -> children.Record:
        raise NotImplementedError

    def _tab_loaders(self) -> dict[str, tuple]:
        raise NotImplementedError

    def _inline_editors(self) -> dict[str, str]:
        """The registry's fields edited in place, and their editor."""
        raise NotImplementedError

    def _edit_values(self, session, actor) -> dict[str, str]:
        raise NotImplementedError

    def _follow_page_rights(self, session, actor) -> None:
        """A tab's state that mixes in a form has a ``can_edit`` of its own (True by default): it
        takes the page's, so a teammate's record shared read-only shows no control that changes
        it there either."""
        self.can_edit = actor.edits_owner(children.parent_for(session, actor, self._record()).owner_id)

    def _editor(self, name: str) -> str:
        if not self.can_edit:
            return ""
        return self._inline_editors().get(name) or self.custom_editors.get(name, "")

    def _show_overview(self, entity: EntityDef, row: dict[str, str], shown: list[str]) -> None:
        """The Overview's fields from the record's list cells (``display_rows``), custom ones too."""
        self.custom_editors = {f.name: CUSTOM_EDITORS[f.type] for f in entity.custom_fields if f.type in CUSTOM_EDITORS}
        self.custom_options = {f.name: list(f.values) for f in entity.custom_fields if f.type == "choice"}
        self.fields = [
            [name, row[name], self._editor(name), entity.field(name).label_in(self.lang)]
            for name in shown
            if row[name] or name != "old_province"  # shown only while there is one to fix
        ]

    def _options_for(self, session, actor, name: str, values: dict) -> list[list[str]]:
        """A select's options: a choice of the registry, the wards of the province, the owners the
        actor may give the record to, stars, yes (a flag) or a custom field's choices."""
        f = ENTITIES[self._record()[0]].field(name)
        if f is not None and f.type == "choice" and f.custom_id is None:
            return [list(pair) for pair in f.choice_pairs(self.lang)]
        if name == "ward":
            return ward_options(values.get("province"))
        if name == "owner_id":
            return query.assignable_options(session, actor, values.get("owner_id"))
        if name == "rating":
            return [[str(i), "★" * i] for i in range(1, 6)]
        if self._editor(name) == "bool":
            return [["1", self._msg("common.yes")]]
        return [[option, option] for option in self.custom_options.get(name, [])]

    def _required(self, name: str) -> bool:
        """A field that always has a value (an owner, a kind): its select offers no empty choice."""
        f = ENTITIES[self._record()[0]].field(name)
        return f is not None and f.required

    def _save_field(self, session, actor, name: str, value: str) -> list:
        raise NotImplementedError

    def _reload(self):
        raise NotImplementedError

    def _home(self) -> tuple[int, int | None]:
        """The customer and contact a new child goes to; ServiceError when there is none (a contact
        without a company, or at a company the user may not see)."""
        if not self.home_customer_id:
            raise ServiceError(self.home_refusal)
        return self.home_customer_id, self.home_contact_id or None

    def _open_tab(self):
        """The tab a link asks for (?tab=notes), once the page has loaded."""
        wanted = self.router.url.query_parameters.get("tab", "")
        return self.select_tab(wanted) if wanted in self._tab_loaders() else None

    @rx.event
    def select_tab(self, tab: str):
        """Each tab reads its rows when it is opened (the Overview comes with the page)."""
        self.tab = tab
        return [load() for load in self._tab_loaders().get(tab, ())]

    @rx.event
    def start_edit(self, name: str):
        """Edit one Overview field in place, with the form's validation."""
        kind = self._editor(name)
        if not kind:
            return
        with self._service() as (session, actor):
            values = self._edit_values(session, actor)
            options = self._options_for(session, actor, name, values)
        if kind == "select" and not self._required(name):
            options = [["", self._msg("common.none")], *options]
        self.edit_options = options
        self.edit_field, self.edit_kind, self.edit_value, self.edit_error = name, kind, values.get(name, ""), ""
        self.edit_label = next((f[3] for f in self.fields if f[0] == name), self._msg(f"field.{name}"))

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
                told = self._save_field(session, actor, name, self.edit_value)
        except ValidationFailed as exc:
            key, params = exc.errors.get(name) or next(iter(exc.errors.values()))
            self.edit_error = self._msg(key, **params)
            return
        self.edit_field = ""
        self._reload()
        return [rx.toast.success(self._msg("common.saved")), *told]

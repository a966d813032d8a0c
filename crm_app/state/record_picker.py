"""The reference pickers of a form (a contact's company and manager, an organisation a person is
assigned to, a deal's customer, an activity's customer): one per reference field of the entity's
registry, all through the same three handlers. The field's type says what is searched."""

from __future__ import annotations

from typing import ClassVar

import reflex as rx

from crm_app.services.customer import contacts, customers
from crm_app.services.errors import ValidationFailed
from crm_app.services.records.fields import ENTITIES

# What a reference field of each type searches: (session, actor, text, **narrowing) -> [(id, name)],
# and how a chosen record is named ("" when the user may not see it).
SEARCHES = {"customer": customers.pick, "contact": contacts.pick}
NAMES = {"customer": customers.picked_label, "contact": contacts.picked_label}


class RecordPickerMixin(rx.State, mixin=True):
    """Mixed into a form's state (with ``values``, ``errors`` and SessionState): ``picker_entity``
    names the registry entity whose reference fields are picked."""

    picker_entity: ClassVar[str] = ""
    pick_query: dict[str, str] = {}
    pick_options: dict[str, list[list[str]]] = {}
    pick_label: dict[str, str] = {}

    def _reference_type(self, field: str) -> str:
        f = ENTITIES[self.picker_entity].field(field)
        return f.type if f is not None and f.type in SEARCHES else ""

    def _narrowing(self, field: str) -> dict:
        """What a form keeps out of a picker's matches (itself, the wrong kind); none by default."""
        return {}

    def _chosen(self, field: str, record_id: str) -> None:
        """Where the form keeps the chosen record: its value of the field, by default."""
        self.values[field] = record_id
        self.errors.pop(field, None)

    def _show_references(self, session, actor, values: dict, drop_unseen: bool = False) -> None:
        """The names of the records a form's values refer to, for the pickers' badges (none for a
        record the user may not see; with ``drop_unseen`` it is dropped from the values)."""
        labels = {}
        for name in values:
            kind = self._reference_type(name)
            if kind:
                labels[name] = NAMES[kind](session, actor, values[name] or None)
                if not labels[name] and drop_unseen:
                    values[name] = None
        self.pick_label, self.pick_query, self.pick_options = labels, {}, {}

    def _check_picked(self, *, typed_elsewhere: tuple[str, ...] = ()) -> None:
        """Text left in a picker's box with no match chosen is refused, naming it: the record would
        otherwise be saved without the link the user meant (``typed_elsewhere``: fields whose text
        the form takes another way, a contact's new company)."""
        errors = {
            field: ("err.not_picked", {"value": text.strip()})
            for field, text in self.pick_query.items()
            if text.strip() and not self.values.get(field) and field not in typed_elsewhere
        }
        if errors:
            raise ValidationFailed(errors)

    @rx.event
    def search_ref(self, field: str, text: str):
        self._search(field, text)

    def _search(self, field: str, text: str) -> None:
        kind = self._reference_type(field)
        if not kind:
            return
        self.pick_query = {**self.pick_query, field: text}
        with self._service() as (session, actor):
            found = SEARCHES[kind](session, actor, text, **self._narrowing(field))
        self.pick_options = {**self.pick_options, field: [[str(i), name] for i, name in found]}

    @rx.event
    def offer_ref(self, field: str):
        """A picker narrowed to a few records (a deal's contact: its customer's people) lists
        them as soon as it is focused; the others wait for the first letters."""
        narrowing = self._narrowing(field) if self._reference_type(field) else {}
        if narrowing.get("customer_id") and not self.pick_query.get(field):
            self._search(field, "")

    @rx.event
    def choose_ref(self, field: str, record_id: str, label: str):
        if not self._reference_type(field):
            return
        self._chosen(field, record_id)
        self.pick_label = {**self.pick_label, field: label}
        self.pick_query = {**self.pick_query, field: ""}
        self.pick_options = {**self.pick_options, field: []}

    @rx.event
    def clear_ref(self, field: str):
        if not self._reference_type(field):
            return
        self._chosen(field, "")
        self.pick_label = {**self.pick_label, field: ""}

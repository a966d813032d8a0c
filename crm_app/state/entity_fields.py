"""The fields of an entity as the screens offer them (labels, types, filter operators, choices),
read for a list page or for anything else that builds a filter on an entity (automation rules)."""

from __future__ import annotations

import reflex as rx

from crm_app.services.lists import query, record_lists, views
from crm_app.services.records.fields import CATALOG_OF, entity_def
from crm_app.services.work import activities


class EntityFieldsMixin(rx.State, mixin=True):
    """Fields of ``self.entity`` in the user's language (``_load_fields`` reads them)."""

    # the entity's fields, in the user's language
    field_labels: dict[str, str] = {}
    field_types: dict[str, str] = {}
    column_fields: list[list[str]] = []
    filter_fields: list[list[str]] = []
    bulk_fields: list[list[str]] = []
    bulk_required: list[str] = []  # fields a bulk update may not clear
    group_fields: list[list[str]] = []
    field_ops: dict[str, list[list[str]]] = {}
    field_choices: dict[str, list[list[str]]] = {}
    list_options: list[list[str]] = []
    owner_choices: list[list[str]] = []  # users whose records the actor reads (filters)
    assign_choices: list[list[str]] = []  # users the actor may give records to (bulk, rules)
    labels_lang: str = ""  # the language the labels above (and a list's rows) were read in

    def _load_fields(self, session, actor) -> None:
        """The fields of ``self.entity`` as a filter builder, a column picker and bulk actions offer them."""
        entity = entity_def(session, self.entity)
        self.labels_lang = self.lang
        self.field_labels = {f.name: f.label_in(self.lang) for f in entity.fields}
        self.field_types = {f.name: f.type for f in entity.fields}
        self.column_fields = [[f.name, self.field_labels[f.name]] for f in entity.fields if f.column]
        self.filter_fields = [[f.name, self.field_labels[f.name]] for f in entity.fields if f.filter]
        self.bulk_fields = [[f.name, self.field_labels[f.name]] for f in entity.fields if f.bulk]
        self.bulk_required = [f.name for f in entity.fields if f.bulk and f.required]
        self.group_fields = [[f.name, self.field_labels[f.name]] for f in entity.fields if f.type in views.GROUP_TYPES]
        self.field_ops = {f.name: [[op, self._msg(f"op.{op}")] for op in f.operators] for f in entity.fields}
        self.owner_choices = [[str(i), n] for i, n in query.owner_options(session, actor)]
        self.assign_choices = query.assignable_options(session, actor)
        self.list_options = [
            [str(rl.id), f"{rl.name} ({n})"] for rl, n in record_lists.visible(session, actor, self.entity)
        ]
        choices: dict[str, list[list[str]]] = {}
        for f in entity.fields:
            if f.type in ("choice", "multichoice"):
                choices[f.name] = [list(pair) for pair in f.choice_pairs(self.lang)]
            elif f.type == "catalog":
                choices[f.name] = [
                    [str(i), n] for i, n in query.catalog_options(session, CATALOG_OF[f.name], self.lang)
                ]
            elif f.type in ("stage", "pipeline", "product"):
                choices[f.name] = [[str(i), n] for i, n in query.reference_options(session, f.type)]
            elif f.type == "purchases":
                choices[f.name] = [[str(i), n] for i, n in query.reference_options(session, "product")]
            elif f.type == "user":
                choices[f.name] = self.owner_choices
            elif f.type == "activity_type":
                choices[f.name] = [[code, label] for code, label in activities.type_labels(session, self.lang).items()]
            elif f.type == "list":
                choices[f.name] = [[i, label.rsplit(" (", 1)[0]] for i, label in self.list_options]
        self.field_choices = choices

"""The board of a saved view whose display type is kanban: any list grouped by any choice field.

``grouping`` turns (entity, field) into a ``board.Grouping`` — a column per value of a choice,
catalog, user or stage field, custom choice fields included, plus a column for records
without a value where the field may be empty — so ``board.load`` gives the counts and value
totals over the view's whole filter and the cards 50 per column. A lead's status and a deal's
stage keep their own board (ranks, stage rules): the grouping and the move of those services.

``move`` changes the field of one record through the entity's own update service, so the
rights (per record), the validation and the history are those of the record's form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from crm_app.i18n import tr
from crm_app.models import CustomFieldValue, Opportunity
from crm_app.services.customer import contacts, customers
from crm_app.services.errors import NotAllowed, ServiceError
from crm_app.services.lists import query
from crm_app.services.lists.filters import BadSpec
from crm_app.services.lists.views import GROUP_TYPES
from crm_app.services.people.permissions import Actor
from crm_app.services.pipeline import board, leads, opportunities, pipelines
from crm_app.services.records.fields import EntityDef, FieldDef, entity_def

CATALOG_KINDS = {"category_id": "category", "source_id": "source", "lost_reason_id": "lost_reason"}


class _Card:
    """What a card shows per entity: title, subtitle, value field, per-row weight."""

    def __init__(self, title: str, subtitle: str | None, value: str | None = None, weight: str | None = None):
        self.title, self.subtitle, self.value, self.weight = title, subtitle, value, weight


CARDS = {
    "customer": _Card("full_name", "code"),
    "contact": _Card("full_name", "customer_id"),
    "lead": _Card("full_name", "company", "value"),
    "opportunity": _Card("name", "customer_id", "value", "probability"),
}

# The update service of each entity and the fields its form sets (a drop goes through it).
UPDATERS: dict[str, tuple[Callable, tuple[str, ...]]] = {
    "customer": (customers.update, customers.FORM_FIELDS),
    "contact": (contacts.update, contacts.FORM_FIELDS),
    "lead": (leads.update, leads.FORM_FIELDS),
    "opportunity": (opportunities.update, opportunities.FORM_FIELDS),
}


def group_field(session: Session, entity_name: str, field_name: str) -> tuple[EntityDef, FieldDef]:
    """The entity and the field a board groups by; BadSpec when it is unknown or not a choice."""
    entity = entity_def(session, entity_name)
    if entity is None or entity_name not in CARDS:
        raise BadSpec("err.unknown_entity", name=entity_name)
    field = entity.field(field_name) if isinstance(field_name, str) else None
    if field is None or field.type not in GROUP_TYPES:
        raise BadSpec("err.view_group_by")
    return entity, field


def grouping(session: Session, actor: Actor, entity_name: str, field_name: str, lang: str) -> board.Grouping:
    entity, field = group_field(session, entity_name, field_name)
    if (entity.name, field.name) == ("lead", "status"):
        return leads.grouping(lang)
    if field.type == "stage":
        return _stage_grouping(session, actor)
    card = CARDS[entity.name]
    group = None
    if field.custom_id is not None:
        v = CustomFieldValue
        group = (
            sa.select(v.text_value)
            .where(v.field_id == field.custom_id, v.record_id == entity.model.id)
            .limit(1)
            .scalar_subquery()
        )
    return board.Grouping(
        entity=entity.name,
        group_field=field.name,
        columns=_columns(session, actor, field, lang),
        title_field=card.title,
        subtitle_field=card.subtitle,
        value_field=card.value,
        weight_field=card.weight,
        entered_field=None,
        rank_field=None,
        group=group,
    )


def _columns(session: Session, actor: Actor, field: FieldDef, lang: str) -> tuple[board.BoardColumn, ...]:
    if field.type == "choice":
        values = field.choice_pairs(lang)
    elif field.type == "catalog":
        values = list(query.catalog_options(session, CATALOG_KINDS[field.name], lang))
    else:  # user: the people the actor may give records to
        values = list(query.owner_options(session, actor))
    columns = [board.BoardColumn(value=v, label=label) for v, label in values]
    if field.type == "catalog" or field.custom_id is not None or field.places:  # the field may be empty
        empty = "" if field.places else None  # a text column is empty as ""
        columns.append(board.BoardColumn(value=empty, label=tr("board.no_value", lang)))
    return tuple(columns)


def _stage_grouping(session: Session, actor: Actor) -> board.Grouping:
    """Deals by stage over every pipeline the actor works in (named "pipeline · stage" when
    there are several), in their board order."""
    usable = pipelines.usable(session, actor)
    columns = tuple(
        board.BoardColumn(
            value=s.id,
            label=f"{p.name} · {s.name}" if len(usable) > 1 else s.name,
            color=s.color,
            probability=s.probability,
            outcome=s.outcome,
            warn_days=s.warn_days,
        )
        for p in usable
        for s in pipelines.stages(session, p.id)
    )
    return board.Grouping(
        entity="opportunity",
        group_field="stage_id",
        columns=columns,
        title_field="name",
        subtitle_field="customer_id",
        weight_field="probability",
        scope=(Opportunity.pipeline_id.in_([p.id for p in usable]),),
    )


def move(
    session: Session,
    actor: Actor,
    entity_name: str,
    field_name: str,
    record_id: int,
    to_key: str,
    prev_id: int | None = None,
    next_id: int | None = None,
) -> bool:
    """Drop a card on the column ``to_key``: the record's field takes that column's value.
    Returns whether the value changed. Raises NotAllowed for a record the actor may not change,
    ValidationFailed when the record's rules refuse the value, ServiceError for a column that
    does not exist or a field a drop may not set."""
    g = grouping(session, actor, entity_name, field_name, "vi")
    column = g.column(str(to_key))
    if column is None:
        raise ServiceError("err.board_column")
    model = g.entity_def.model
    before = session.execute(sa.select(g.group_column()).where(model.id == record_id)).first()
    if before is None:
        raise NotAllowed()
    if (entity_name, field_name) == ("lead", "status"):
        leads.move(session, actor, record_id, column.value, prev_id, next_id)
    elif field_name == "stage_id":
        opportunities.move(session, actor, record_id, column.value, prev_id, next_id)
    else:
        update, form_fields = UPDATERS[entity_name]
        if field_name not in form_fields and not field_name.startswith("cf_"):
            raise ServiceError("err.board_field_fixed")
        update(session, actor, record_id, {field_name: _form_value(column.value)})
    return board.column_key(before[0]) != column.key


def _form_value(value: Any) -> Any:
    return "" if value is None else value

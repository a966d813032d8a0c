"""Opportunities (Cơ hội): create / update, moves between stages, won and lost, with history."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session

from crm_app.models import CatalogItem, Contact, Customer, Opportunity, PipelineStage
from crm_app.models._base import utcnow
from crm_app.services.errors import ServiceError, ValidationFailed
from crm_app.services.lists import query
from crm_app.services.people.permissions import Actor, check_owner_assignment, ensure_allowed
from crm_app.services.pipeline import board, pipelines
from crm_app.services.records import audit, record_service
from crm_app.services.validation import Cleaner
from crm_app.services.work import next_activity

ENTITY = "opportunity"
FORM_FIELDS = ("name", "customer_id", "contact_id", "value", "expected_close", "probability", "owner_id", "description")
MAX_VALUE = 10**15  # VND

# Called after an opportunity is won: f(session, actor, opportunity). The order of a won deal is
# made on the user's request (services.deals), not here.
WON_HANDLERS: list[Callable[[Session, Actor, Opportunity], None]] = []


@dataclass
class MoveResult:
    opportunity: Opportunity
    stage_changed: bool
    won: bool


def clean(data: dict) -> dict:
    c = Cleaner(data)
    values = {
        "name": c.text("name", 200, required=True),
        "customer_id": c.integer("customer_id"),
        "contact_id": c.integer("contact_id"),
        "value": c.money("value", MAX_VALUE) or 0,
        "expected_close": c.day("expected_close"),
        "probability": c.integer("probability", 0, 100),
        "owner_id": c.integer("owner_id"),
        "description": c.text("description", 5000, multiline=True),
    }
    c.done()
    return values


def _check_links(session: Session, actor: Actor, values: dict, before: dict | None = None) -> None:
    """A customer and a contact person the actor sees (one kept as it was stays); the contact one
    of the customer's people."""
    before = before or {}
    changed = {k for k in ("customer_id", "contact_id") if values[k] != before.get(k)}
    if values["customer_id"] is not None and "customer_id" in changed:
        customer = session.get(Customer, values["customer_id"])
        if customer is None or not actor.sees_owner(customer.owner_id):
            raise ValidationFailed({"customer_id": ("err.invalid_choice", {})})
    if values["contact_id"] is not None and changed:
        contact = session.get(Contact, values["contact_id"])
        if contact is None or ("contact_id" in changed and not actor.sees_owner(contact.owner_id)):
            raise ValidationFailed({"contact_id": ("err.invalid_choice", {})})
        if values["customer_id"] is not None and contact.customer_id != values["customer_id"]:
            raise ValidationFailed({"contact_id": ("err.contact_of_another_customer", {})})


def _lost_reason(session: Session, reason_id: int | str | None) -> int:
    try:
        rid = int(reason_id) if reason_id not in (None, "") else None
    except (TypeError, ValueError):
        rid = None
    item = session.get(CatalogItem, rid) if rid is not None else None
    if item is None or item.kind != "lost_reason" or not item.active:
        raise ValidationFailed({"lost_reason_id": ("err.lost_reason_required", {})})
    return item.id


def _stage_in(session: Session, pipeline_id: int, stage_id: int | None) -> PipelineStage:
    stage = session.get(PipelineStage, stage_id) if stage_id else None
    if stage is None or stage.pipeline_id != pipeline_id:
        raise ValidationFailed({"stage_id": ("err.invalid_choice", {})})
    return stage


KIND = record_service.RecordKind(entity=ENTITY, model=Opportunity, fields=FORM_FIELDS)


def snapshot(session: Session, opp: Opportunity) -> dict:
    data = {name: getattr(opp, name) for name in FORM_FIELDS}
    data.update(stage_id=opp.stage_id, pipeline_id=opp.pipeline_id, lost_reason_id=opp.lost_reason_id)
    return data


def _stage_values(opp: Opportunity) -> dict:
    """What a stage move changes, as history stores it: ids (named when read, in the reader's language)."""
    return {"stage_id": opp.stage_id, "probability": opp.probability, "lost_reason_id": opp.lost_reason_id}


def get(session: Session, actor: Actor, opp_id: int, change: bool = False) -> Opportunity:
    """The opportunity if the actor may see it (change it: ``change=True``); NotAllowed otherwise."""
    opp = session.get(Opportunity, opp_id)
    ensure_allowed(actor, opp, change)
    return opp


def create(session: Session, actor: Actor, data: dict, lead_id: int | None = None) -> Opportunity:
    """A new opportunity, first in its stage (the pipeline's first open stage unless named)."""
    values = clean(data)
    pipeline_id = data.get("pipeline_id")
    try:
        pipeline = pipelines.get(session, actor, int(pipeline_id)) if pipeline_id not in (None, "") else None
    except (TypeError, ValueError):
        pipeline = None
    if pipeline is None:
        usable = pipelines.usable(session, actor)
        if pipeline_id not in (None, "") or not usable:
            raise ValidationFailed({"pipeline_id": ("err.invalid_choice", {})})
        pipeline = usable[0]
    stage_id = data.get("stage_id")
    stage = (
        _stage_in(session, pipeline.id, int(stage_id))
        if str(stage_id or "").isdigit()
        else pipelines.first_open_stage(session, pipeline.id)
    )
    if values["owner_id"] is None:
        values["owner_id"] = actor.id
    check_owner_assignment(actor, values["owner_id"])
    _check_links(session, actor, values)
    lost_reason_id = _lost_reason(session, data.get("lost_reason_id")) if stage.outcome == "lost" else None
    if values["probability"] is None:
        values["probability"] = stage.probability
    now = utcnow()
    return record_service.create(
        session,
        KIND,
        actor,
        values,
        pipeline_id=pipeline.id,
        stage_id=stage.id,
        rank=board.top_rank(session, Opportunity, "stage_id", stage.id),
        stage_entered_at=now,
        lost_reason_id=lost_reason_id,
        closed_at=now if stage.outcome != "open" else None,
        lead_id=lead_id,
    )


def update(session: Session, actor: Actor, opp_id: int, data: dict) -> Opportunity:
    """The form's fields; stages change through ``move``."""
    opp = get(session, actor, opp_id, change=True)
    before = {name: getattr(opp, name) for name in FORM_FIELDS}
    values = clean({**before, **{k: v for k, v in data.items() if k in FORM_FIELDS}})
    if values["owner_id"] is None:
        values["owner_id"] = opp.owner_id
    if values["owner_id"] != opp.owner_id:
        check_owner_assignment(actor, values["owner_id"])
    _check_links(session, actor, values, before)
    if values["probability"] is None:
        values["probability"] = opp.probability
    record_service.update(session, KIND, actor, opp, before, values)
    return opp


def move(
    session: Session,
    actor: Actor,
    opp_id: int,
    to_stage_id: int,
    prev_id: int | None = None,
    next_id: int | None = None,
    lost_reason_id: int | str | None = None,
) -> MoveResult:
    """Drop a card on a stage between two cards. A new stage sets the stage's probability and
    the time it was entered; a lost stage needs a reason from the catalog; a won one runs
    WON_HANDLERS. Written to the history at once."""
    opp = get(session, actor, opp_id, change=True)
    if opp.archived:
        raise ServiceError("err.record_archived")
    pipelines.get(session, actor, opp.pipeline_id)
    stage = _stage_in(session, opp.pipeline_id, to_stage_id)
    changed = stage.id != opp.stage_id
    before = _stage_values(opp)
    if changed:
        opp.lost_reason_id = _lost_reason(session, lost_reason_id) if stage.outcome == "lost" else None
        now = utcnow()
        opp.probability = stage.probability
        opp.stage_entered_at = now
        opp.closed_at = now if stage.outcome != "open" else None
        record_service.touch(opp, actor)
    board.place(session, Opportunity, "stage_id", opp, stage.id, prev_id, next_id)
    if changed:
        audit.record(session, ENTITY, opp.id, "update", actor.id, before, _stage_values(opp))
    won = changed and stage.outcome == "won"
    if won:
        for handler in WON_HANDLERS:
            handler(session, actor, opp)
    return MoveResult(opp, changed, won)


def set_archived(session: Session, actor: Actor, opp_id: int, archived: bool) -> Opportunity:
    opp = get(session, actor, opp_id, change=True)
    record_service.set_archived(session, KIND, actor, opp, archived)
    return opp


# --- the board ---------------------------------------------------------------------------------


def grouping(session: Session, pipeline_id: int) -> board.Grouping:
    """The board of one pipeline: a column per stage."""
    columns = tuple(
        board.BoardColumn(
            value=s.id, label=s.name, color=s.color, probability=s.probability, outcome=s.outcome, warn_days=s.warn_days
        )
        for s in pipelines.stages(session, pipeline_id)
    )
    return board.Grouping(
        entity=ENTITY,
        group_field="stage_id",
        columns=columns,
        title_field="name",
        subtitle_field="customer_id",
        weight_field="probability",
        scope=(Opportunity.pipeline_id == pipeline_id,),
    )


board.CARD_NOTES[ENTITY] = next_activity.of_opportunities


def board_spec(search: str = "") -> query.ListSpec:
    return query.ListSpec(entity=ENTITY, search=search)


def lost_reasons(session: Session, lang: str) -> list[tuple[int, str]]:
    return query.catalog_options(session, "lost_reason", lang)

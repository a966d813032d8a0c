"""Pipelines and their ordered stages: who may use which, and the admin's edits."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from crm_app.models import Opportunity, Pipeline, PipelineStage, Team, TeamMember
from crm_app.models.pipeline import OUTCOMES
from crm_app.services.errors import NotAllowed, ServiceError
from crm_app.services.people.permissions import Actor, require_admin
from crm_app.services.records import audit
from crm_app.services.validation import Cleaner

ENTITY = "pipeline"
COLORS = ("gray", "blue", "cyan", "teal", "green", "amber", "orange", "red", "purple", "pink")

# The default sales pipeline: (vi, en, colour, probability, outcome, days-in-stage warning)
DEFAULT_STAGES: tuple[tuple[str, str, str, int, str, int | None], ...] = (
    ("Mới", "New", "gray", 10, "open", 7),
    ("Đã liên hệ", "Contacted", "blue", 20, "open", 7),
    ("Đánh giá nhu cầu", "Needs analysis", "cyan", 30, "open", 14),
    ("Gửi báo giá", "Quote sent", "teal", 50, "open", 14),
    ("Đàm phán", "Negotiation", "amber", 70, "open", 21),
    ("Chờ ký hợp đồng", "Awaiting contract", "orange", 90, "open", 10),
    ("Thành công", "Won", "green", 100, "won", None),
    ("Thất bại", "Lost", "red", 0, "lost", None),
)
DEFAULT_PIPELINE = ("Bán hàng", "Sales")
# A new pipeline starts with these, so that it is usable at once.
NEW_PIPELINE_STAGES = (DEFAULT_STAGES[0], DEFAULT_STAGES[6], DEFAULT_STAGES[7])


def ensure_default_pipeline(session: Session, lang: str = "vi") -> Pipeline:
    """The first pipeline, created with the default stages on an empty table."""
    existing = session.exec(select(Pipeline).order_by(Pipeline.position, Pipeline.id)).first()
    if existing is not None:
        return existing
    pipeline = Pipeline(name=DEFAULT_PIPELINE[1 if lang == "en" else 0])
    session.add(pipeline)
    session.flush()
    _add_stages(session, pipeline.id, DEFAULT_STAGES, lang)
    session.commit()
    return pipeline


def _add_stages(session: Session, pipeline_id: int, stages, lang: str) -> None:
    for pos, (vi, en, color, prob, outcome, warn) in enumerate(stages):
        session.add(
            PipelineStage(
                pipeline_id=pipeline_id,
                name=en if lang == "en" else vi,
                color=color,
                probability=prob,
                outcome=outcome,
                warn_days=warn,
                position=pos,
            )
        )


# --- reading -----------------------------------------------------------------------------------


def _team_ids(session: Session, actor: Actor) -> set[int]:
    return set(session.exec(select(TeamMember.team_id).where(TeamMember.user_id == actor.id)).all())


def usable(session: Session, actor: Actor, include_inactive: bool = False) -> list[Pipeline]:
    """Pipelines the actor works in: every one for admins, else the unrestricted ones and
    those of the actor's teams."""
    stmt = select(Pipeline)
    if not include_inactive:
        stmt = stmt.where(Pipeline.active == sa.true())
    if not actor.is_admin:
        stmt = stmt.where(sa.or_(Pipeline.team_id.is_(None), Pipeline.team_id.in_(sorted(_team_ids(session, actor)))))
    return list(session.exec(stmt.order_by(Pipeline.position, Pipeline.id)).all())


def get(session: Session, actor: Actor, pipeline_id: int) -> Pipeline:
    pipeline = session.get(Pipeline, pipeline_id)
    if pipeline is None:
        raise NotAllowed()
    if not actor.is_admin and pipeline.team_id is not None and pipeline.team_id not in _team_ids(session, actor):
        raise NotAllowed("err.pipeline_not_allowed")
    return pipeline


def stages(session: Session, pipeline_id: int) -> list[PipelineStage]:
    return list(
        session.exec(
            select(PipelineStage)
            .where(PipelineStage.pipeline_id == pipeline_id)
            .order_by(PipelineStage.position, PipelineStage.id)
        ).all()
    )


def first_open_stage(session: Session, pipeline_id: int) -> PipelineStage:
    for stage in stages(session, pipeline_id):
        if stage.outcome == "open":
            return stage
    raise ServiceError("err.pipeline_no_open_stage")


def team_options(session: Session) -> list[tuple[int, str]]:
    return list(session.exec(select(Team.id, Team.name).where(Team.active == sa.true()).order_by(Team.name)).all())


# --- the admin's edits -------------------------------------------------------------------------


def _clean_pipeline(session: Session, data: dict) -> dict:
    c = Cleaner(data)
    values = {"name": c.text("name", 120, required=True), "team_id": c.integer("team_id")}
    if values["team_id"] is not None and session.get(Team, values["team_id"]) is None:
        c.error("team_id", "err.invalid_choice")
    c.done()
    return values


def create_pipeline(session: Session, actor: Actor, data: dict, lang: str = "vi") -> Pipeline:
    require_admin(actor)
    values = _clean_pipeline(session, data)
    last = session.exec(select(sa.func.max(Pipeline.position))).one() or 0
    pipeline = Pipeline(name=values["name"], team_id=values["team_id"], position=last + 1)
    session.add(pipeline)
    session.flush()
    _add_stages(session, pipeline.id, NEW_PIPELINE_STAGES, lang)
    audit.record(session, ENTITY, pipeline.id, "create", actor.id, {}, values)
    session.flush()
    return pipeline


def update_pipeline(session: Session, actor: Actor, pipeline_id: int, data: dict) -> Pipeline:
    require_admin(actor)
    pipeline = get(session, actor, pipeline_id)
    before = {"name": pipeline.name, "team_id": pipeline.team_id}
    values = _clean_pipeline(session, {**before, **data})
    pipeline.name, pipeline.team_id = values["name"], values["team_id"]
    session.add(pipeline)
    audit.record(session, ENTITY, pipeline.id, "update", actor.id, before, values)
    session.flush()
    return pipeline


def _clean_stage(data: dict) -> dict:
    c = Cleaner(data)
    values = {
        "name": c.text("name", 80, required=True),
        "color": c.choice("color", COLORS, "gray"),
        "probability": c.integer("probability", 0, 100) or 0,
        "outcome": c.choice("outcome", OUTCOMES, "open"),
        "warn_days": c.integer("warn_days", 1, 365),
    }
    c.done()
    return values


def _stage_snapshot(stage: PipelineStage) -> dict:
    return {
        "name": stage.name,
        "color": stage.color,
        "probability": stage.probability,
        "outcome": stage.outcome,
        "warn_days": stage.warn_days,
    }


def add_stage(session: Session, actor: Actor, pipeline_id: int, data: dict) -> PipelineStage:
    """A new stage, placed before the won and lost stages (or last)."""
    require_admin(actor)
    get(session, actor, pipeline_id)
    values = _clean_stage(data)
    current = stages(session, pipeline_id)
    closed = [s for s in current if s.outcome != "open"]
    position = closed[0].position if closed and values["outcome"] == "open" else len(current)
    for s in current:
        if s.position >= position:
            s.position += 1
            session.add(s)
    stage = PipelineStage(pipeline_id=pipeline_id, position=position, **values)
    session.add(stage)
    session.flush()
    audit.record(session, ENTITY, pipeline_id, "update", actor.id, {}, {"stage_added": values["name"]})
    session.flush()
    return stage


def update_stage(session: Session, actor: Actor, stage_id: int, data: dict) -> PipelineStage:
    require_admin(actor)
    stage = session.get(PipelineStage, stage_id)
    if stage is None:
        raise NotAllowed()
    before = _stage_snapshot(stage)
    values = _clean_stage({**before, **data})
    for name, value in values.items():
        setattr(stage, name, value)
    session.add(stage)
    audit.record(
        session,
        ENTITY,
        stage.pipeline_id,
        "update",
        actor.id,
        {f"stage.{k}": v for k, v in before.items()},
        {f"stage.{k}": v for k, v in values.items()},
    )
    session.flush()
    return stage


def reorder_stages(session: Session, actor: Actor, pipeline_id: int, stage_ids: list[int]) -> list[PipelineStage]:
    """Put the stages in this order; the list must name every stage of the pipeline once."""
    require_admin(actor)
    get(session, actor, pipeline_id)
    current = stages(session, pipeline_id)
    if sorted(stage_ids) != sorted(s.id for s in current):
        raise ServiceError("err.stage_order_invalid")
    by_id = {s.id: s for s in current}
    before = ", ".join(s.name for s in current)
    for pos, sid in enumerate(stage_ids):
        by_id[sid].position = pos
        session.add(by_id[sid])
    audit.record(
        session,
        ENTITY,
        pipeline_id,
        "update",
        actor.id,
        {"stages": before},
        {"stages": ", ".join(by_id[i].name for i in stage_ids)},
    )
    session.flush()
    return stages(session, pipeline_id)


def delete_stage(session: Session, actor: Actor, stage_id: int) -> None:
    """Only an empty stage can go; a pipeline keeps at least one open stage."""
    require_admin(actor)
    stage = session.get(PipelineStage, stage_id)
    if stage is None:
        raise NotAllowed()
    used = session.exec(select(Opportunity.id).where(Opportunity.stage_id == stage_id).limit(1)).first()
    if used is not None:
        raise ServiceError("err.stage_not_empty")
    others = [s for s in stages(session, stage.pipeline_id) if s.id != stage_id]
    if not any(s.outcome == "open" for s in others):
        raise ServiceError("err.pipeline_no_open_stage")
    session.delete(stage)
    audit.record(
        session, ENTITY, stage.pipeline_id, "update", actor.id, {"stage_removed": None}, {"stage_removed": stage.name}
    )
    session.flush()

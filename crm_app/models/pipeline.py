"""Pipelines with ordered stages, and the opportunities (Cơ hội) that move through them.

Cards keep their order inside a column by ``rank``: gapped integers (RANK_GAP apart),
so a move writes one row; the cards after a drop are spread again only when two
neighbours leave no gap (services.board).
"""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from crm_app.models._base import utcnow

OUTCOMES = ("open", "won", "lost")
RANK_GAP = 1 << 20


class Pipeline(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    position: int = 0
    active: bool = True
    # None: every team; else only members of this team (and admins) use it
    team_id: int | None = Field(default=None, foreign_key="team.id")
    created_at: datetime = Field(default_factory=utcnow)


class PipelineStage(SQLModel, table=True):
    __tablename__ = "pipeline_stage"
    __table_args__ = (Index("ix_pipeline_stage_pos", "pipeline_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    pipeline_id: int = Field(foreign_key="pipeline.id")
    name: str = Field(max_length=80)
    color: str = Field(default="gray", max_length=16)
    probability: int = 0  # percent
    outcome: str = Field(default="open", max_length=8)  # open / won / lost
    warn_days: int | None = None  # a card older than this in the stage is marked
    position: int = 0


class Opportunity(SQLModel, table=True):
    __table_args__ = (
        # the board: one covering range per pipeline for the column totals, one per column for its cards
        # (name_norm last: a search filters the totals from the index too)
        Index(
            "ix_opportunity_board",
            "pipeline_id",
            "archived",
            "stage_id",
            "value",
            "probability",
            "owner_id",
            "name_norm",
        ),
        Index(
            "ix_opportunity_owner_board",
            "owner_id",
            "pipeline_id",
            "archived",
            "stage_id",
            "value",
            "probability",
            "name_norm",
        ),  # the same for a salesperson's (or a team's) board
        Index("ix_opportunity_column", "stage_id", "archived", "rank", "id"),
        Index("ix_opportunity_owner_column", "owner_id", "stage_id", "archived", "rank", "id"),
        Index("ix_opportunity_arch_id", "archived", "id", "owner_id"),
        Index("ix_opportunity_arch_name", "archived", "name_norm", "id", "owner_id"),
        Index("ix_opportunity_arch_updated", "archived", "updated_at", "id", "owner_id"),
        Index("ix_opportunity_owner_arch_id", "owner_id", "archived", "id"),
        # the dashboard: deals won and lost in a period
        Index("ix_opportunity_owner_closed", "owner_id", "closed_at", "stage_id", "value", "archived"),
        Index("ix_opportunity_closed", "closed_at", "stage_id", "value", "owner_id", "archived"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    name_norm: str = Field(default="", max_length=200)
    customer_id: int | None = Field(default=None, foreign_key="customer.id", index=True)
    contact_id: int | None = Field(default=None, foreign_key="contact.id")
    value: int = Field(default=0, sa_type=sa.BigInteger)  # VND
    expected_close: date | None = None
    probability: int = 0  # percent; set from the stage on every stage change
    pipeline_id: int = Field(foreign_key="pipeline.id")
    stage_id: int = Field(foreign_key="pipeline_stage.id")
    rank: int = Field(default=0, sa_type=sa.BigInteger)
    stage_entered_at: datetime = Field(default_factory=utcnow)
    lost_reason_id: int | None = Field(default=None, foreign_key="catalogitem.id")
    closed_at: datetime | None = None
    lead_id: int | None = Field(default=None, foreign_key="lead.id")
    owner_id: int | None = Field(default=None, foreign_key="user.id")
    description: str = Field(default="", max_length=5000)
    archived: bool = False
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_by_id: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow)

"""Automation rules (Quy tắc tự động) and the log of their runs.

A rule names an entity, a trigger, conditions (a list filter spec) and ordered actions (JSON,
checked by services.automation.rules); each run is one row of AutomationRun with its counts.
"""

from datetime import date, datetime

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from crm_app.models._base import utcnow

TRIGGERS = ("manual", "created", "updated", "field_changed", "stage_changed", "date")
RUN_SOURCES = ("manual", "event", "schedule")
RUN_STATUSES = ("running", "done", "failed", "stopped")  # stopped: a chain of rules too long
EVENT_KINDS = ("created", "updated")


class AutomationRule(SQLModel, table=True):
    __table_args__ = (Index("ix_automationrule_entity", "entity", "active"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    entity: str = Field(max_length=32)
    trigger: str = Field(default="manual", max_length=24)
    trigger_field: str = Field(default="", max_length=64)  # field_changed / date: the field watched
    trigger_value: str = Field(default="", max_length=200)  # field_changed: the value; date: days
    conditions: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    actions: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    active: bool = True
    checked_on: date | None = None  # a date rule: the day it last looked for its records
    next_owner: int = 0  # round-robin owners: where the next record's turn starts
    # a deleted rule is kept, so history rows and runs made by it still name it
    deleted: bool = False
    created_by_id: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class AutomationRun(SQLModel, table=True):
    __table_args__ = (Index("ix_automationrun_rule", "rule_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    rule_id: int = Field(foreign_key="automationrule.id")
    source: str = Field(default="manual", max_length=16)
    started_by_id: int | None = Field(default=None, foreign_key="user.id")  # None: an event or the schedule
    job_id: int | None = None
    status: str = Field(default="running", max_length=16)
    selected: int = 0
    matched: int = 0
    changed: int = 0
    skipped: int = 0  # records the one who ran it may not change
    failed: int = 0
    reasons: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))  # [[record, reason]]
    actions: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))  # changed per action
    started_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None


class AutomationEvent(SQLModel, table=True):
    """A change to a record that event rules may act on: written in the change's own transaction
    (so it exists exactly when the change is committed), then read by the worker outside the
    user's request (services.automation.events)."""

    __table_args__ = (Index("ix_automationevent_status", "status", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    entity: str = Field(max_length=32)
    record_id: int
    kind: str = Field(max_length=16)
    changes: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))  # field -> new value
    user_id: int | None = None
    # the rules whose changes made this one, in order: none of them acts on it again
    chain: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = Field(default="queued", max_length=16)  # queued / working / done / failed
    created_at: datetime = Field(default_factory=utcnow)
    # when a worker took it: a claim older than the lease is a dead worker's, taken back
    claimed_at: datetime | None = None
    attempts: int = 0  # claims so far: one that kills its worker each time is given up

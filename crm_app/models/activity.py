"""Work around a customer: activities (calls, meetings, emails, tasks, notes as follow-ups),
free notes, and in-app notifications.

An activity relates to a customer and optionally one of its contacts; a task is an activity of
type "task" with an assignee, a due time and a status. Other modules (leads, opportunities,
calendar, dashboard) reuse this table: it has room for more nullable links later.
"""

from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from crm_app.models._base import utcnow

ACTIVITY_STATUSES = ("planned", "in_progress", "done", "cancelled")


class Activity(SQLModel, table=True):
    __table_args__ = (
        Index("ix_activity_customer_at", "customer_id", "at", "id"),
        Index("ix_activity_assignee_status_due", "assignee_id", "status", "due_at"),
        # a customer's open activities by due time, covering: the next activity on deal cards
        Index("ix_activity_customer_open", "customer_id", "status", "due_at", "at", "id"),
        # the list, the calendar and the dashboard: a time range of what an owner (or a team,
        # or everyone) sees, covering the columns they group by
        Index("ix_activity_owner_at", "owner_id", "archived", "at", "id", "type_code", "assignee_id", "created_by_id"),
        Index("ix_activity_arch_at", "archived", "at", "id", "owner_id", "type_code", "assignee_id", "created_by_id"),
        Index("ix_activity_owner_due", "owner_id", "due_at"),
        # a contact's follow-ups, newest first (the contact page)
        Index("ix_activity_contact_at", "contact_id", "at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id")
    contact_id: int | None = Field(default=None, foreign_key="contact.id")
    type_code: str = Field(max_length=40)  # a code of the "activity_type" catalog
    subject: str = Field(default="", max_length=200)
    content: str = Field(default="", max_length=5000)
    at: datetime = Field(default_factory=utcnow)  # when it happened or is planned
    due_at: datetime | None = None
    status: str = Field(default="done", max_length=16)
    assignee_id: int | None = Field(default=None, foreign_key="user.id")
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_by_id: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow)
    # copies of the customer's owner and archive flag, kept by triggers (activity_triggers): lists,
    # the calendar and the dashboard filter what a user sees from the activity's own indexes
    owner_id: int | None = None
    archived: bool = False
    name_norm: str = Field(default="", max_length=200)  # the subject without diacritics, for search


class ActivityDay(SQLModel, table=True):
    """How many activities fall on a day (Vietnam time; a task on its due day), per owner (copy),
    archive flag, person (assignee, else author) and type: kept by triggers (activity_day_ddl), read
    by the dashboard instead of counting a team's month of activities row by row."""

    __tablename__ = "activity_day"
    __table_args__ = (Index("ix_activity_day_day", "archived", "day", "owner_id", "person_id", "n"),)

    owner_id: int = Field(default=0, primary_key=True)  # 0: none
    archived: bool = Field(default=False, primary_key=True)
    day: date = Field(primary_key=True)
    person_id: int = Field(default=0, primary_key=True)
    type_code: str = Field(primary_key=True, max_length=40)
    n: int = 0


class Note(SQLModel, table=True):
    __table_args__ = (
        Index("ix_note_customer_id", "customer_id", "id"),
        Index("ix_note_contact_id", "contact_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id")
    contact_id: int | None = Field(default=None, foreign_key="contact.id")  # written on the contact's page
    body: str = Field(max_length=10000)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_by_id: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow)


class Watcher(SQLModel, table=True):
    """A user who hears of every change to a record (besides its owner)."""

    __table_args__ = (Index("ix_watcher_record", "entity", "record_id", "user_id", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    entity: str = Field(max_length=32)
    record_id: int
    user_id: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)


class Notification(SQLModel, table=True):
    __table_args__ = (Index("ix_notification_user_read", "user_id", "read", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id")
    text: str = Field(max_length=500)
    link: str = Field(default="", max_length=300)
    read: bool = False
    created_at: datetime = Field(default_factory=utcnow)


# --- the owner and archive copies ------------------------------------------------------------

_OWNER = "(SELECT owner_id FROM customer WHERE id = NEW.customer_id)"
_ARCHIVED = "(SELECT archived FROM customer WHERE id = NEW.customer_id)"


def activity_trigger_ddl(dialect: str) -> list[str]:
    """Triggers giving an activity its customer's owner and archive flag, on insert, on a move to
    another customer, and when the customer's owner or archive flag changes."""
    if dialect == "sqlite":
        stmts = [
            f"CREATE TRIGGER activity_vis_{name} AFTER {event} ON activity "
            f"WHEN NEW.owner_id IS NOT {_OWNER} OR NEW.archived IS NOT {_ARCHIVED} BEGIN "
            f"UPDATE activity SET owner_id = {_OWNER}, archived = {_ARCHIVED} WHERE id = NEW.id; END"
            for name, event in (("ins", "INSERT"), ("move", "UPDATE OF customer_id"))
        ]
        stmts.append(
            "CREATE TRIGGER activity_vis_customer AFTER UPDATE OF owner_id, archived ON customer "
            "WHEN NEW.owner_id IS NOT OLD.owner_id OR NEW.archived IS NOT OLD.archived BEGIN "
            "UPDATE activity SET owner_id = NEW.owner_id, archived = NEW.archived "
            "WHERE customer_id = NEW.id; END"
        )
        return stmts
    return [
        """CREATE OR REPLACE FUNCTION activity_vis_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT c.owner_id, c.archived INTO NEW.owner_id, NEW.archived FROM customer c WHERE c.id = NEW.customer_id;
    RETURN NEW;
END $$""",
        (
            "CREATE TRIGGER activity_vis_row BEFORE INSERT OR UPDATE OF customer_id ON activity "
            "FOR EACH ROW EXECUTE FUNCTION activity_vis_row()"
        ),
        """CREATE OR REPLACE FUNCTION activity_vis_customer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.owner_id IS DISTINCT FROM OLD.owner_id OR NEW.archived IS DISTINCT FROM OLD.archived THEN
        UPDATE activity SET owner_id = NEW.owner_id, archived = NEW.archived WHERE customer_id = NEW.id;
    END IF;
    RETURN NEW;
END $$""",
        (
            "CREATE TRIGGER activity_vis_customer AFTER UPDATE OF owner_id, archived ON customer "
            "FOR EACH ROW EXECUTE FUNCTION activity_vis_customer()"
        ),
    ]


def drop_activity_trigger_ddl(dialect: str) -> list[str]:
    if dialect == "sqlite":
        return [f"DROP TRIGGER IF EXISTS activity_vis_{n}" for n in ("ins", "move", "customer")]
    return [
        "DROP TRIGGER IF EXISTS activity_vis_row ON activity",
        "DROP TRIGGER IF EXISTS activity_vis_customer ON customer",
        "DROP FUNCTION IF EXISTS activity_vis_row()",
        "DROP FUNCTION IF EXISTS activity_vis_customer()",
    ]


# --- the day counts --------------------------------------------------------------------------

_DAY_COLUMNS = "owner_id, archived, day, person_id, type_code"


def _day_key(row: str, dialect: str) -> str:
    position = f"CASE WHEN {row}.type_code = 'task' AND {row}.due_at IS NOT NULL THEN {row}.due_at ELSE {row}.at END"
    day = (
        f"date({position}, '+7 hours')"
        if dialect == "sqlite"
        else f"(({position}) AT TIME ZONE 'Asia/Ho_Chi_Minh')::date"
    )
    return (
        f"coalesce({row}.owner_id, 0), {row}.archived, {day}, "
        f"coalesce({row}.assignee_id, {row}.created_by_id, 0), {row}.type_code"
    )


def activity_day_ddl(dialect: str) -> list[str]:
    """Triggers keeping activity_day: a row counted in on insert, out on delete, moved on update."""
    add = (
        f"INSERT INTO activity_day ({_DAY_COLUMNS}, n) VALUES ({_day_key('NEW', dialect)}, 1) "
        f"ON CONFLICT ({_DAY_COLUMNS}) DO UPDATE SET n = activity_day.n + 1;"
    )
    remove = f"UPDATE activity_day SET n = n - 1 WHERE ({_DAY_COLUMNS}) = ({_day_key('OLD', dialect)});"
    watched = "owner_id, archived, at, due_at, type_code, assignee_id, created_by_id"
    if dialect == "sqlite":
        return [
            f"CREATE TRIGGER activity_day_ins AFTER INSERT ON activity BEGIN {add} END",
            f"CREATE TRIGGER activity_day_del AFTER DELETE ON activity BEGIN {remove} END",
            f"CREATE TRIGGER activity_day_upd AFTER UPDATE OF {watched} ON activity BEGIN {remove} {add} END",
        ]
    return [
        f"""CREATE OR REPLACE FUNCTION activity_day_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN {remove} END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN {add} END IF;
    RETURN NULL;
END $$""",
        (
            f"CREATE TRIGGER activity_day_sync AFTER INSERT OR DELETE OR UPDATE OF {watched} ON activity "
            "FOR EACH ROW EXECUTE FUNCTION activity_day_sync()"
        ),
    ]


def drop_activity_day_ddl(dialect: str) -> list[str]:
    if dialect == "sqlite":
        return [f"DROP TRIGGER IF EXISTS activity_day_{n}" for n in ("ins", "del", "upd")]
    return ["DROP TRIGGER IF EXISTS activity_day_sync ON activity", "DROP FUNCTION IF EXISTS activity_day_sync()"]


def activity_day_backfill(dialect: str) -> str:
    """Every activity counted again (after a bulk load with the triggers set aside)."""
    return (
        f"INSERT INTO activity_day ({_DAY_COLUMNS}, n) SELECT {_day_key('activity', dialect)}, count(*) "
        f"FROM activity GROUP BY 1, 2, 3, 4, 5"
    )

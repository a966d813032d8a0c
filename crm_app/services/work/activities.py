"""Activities of a customer (the follow-ups timeline) and tasks (activities of type "task" with an
assignee, a due time and a status). Assigning a task notifies the assignee in the app and by mail.

Whoever may see (change) the customer sees (changes) its activities; the assignee of an activity
also sees it, without seeing the rest of the customer, and changes its status and its date (a
task's due time: the assignee plans their own work and reschedules it on the calendar) alone."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, select

from crm_app import routes
from crm_app.i18n import tr
from crm_app.models import Activity, CatalogItem, Contact, Customer, User
from crm_app.models._base import utcnow
from crm_app.models.activity import ACTIVITY_STATUSES
from crm_app.services.customer import customers
from crm_app.services.errors import NotAllowed, ValidationFailed
from crm_app.services.formatting import fmt_datetime
from crm_app.services.mail import outbox
from crm_app.services.people.permissions import Actor, check_owner_assignment
from crm_app.services.people.work_scope import local_date
from crm_app.services.records import audit, catalogs, children, record_service
from crm_app.services.validation import Cleaner
from crm_app.services.work import notifications

ENTITY = "activity"
TASK = "task"
FIELDS = ("type_code", "subject", "content", "at", "due_at", "status", "assignee_id", "contact_id")


def type_codes(session: Session) -> list[str]:
    return [item.code for item in catalogs.items(session, "activity_type")]


def clean(session: Session, actor: Actor, customer_id: int, data: dict, current_type: str | None = None) -> dict:
    """Validated values; a type the admin has since deactivated stays valid on the activities using it."""
    c = Cleaner(data)
    allowed = type_codes(session) + ([current_type] if current_type else [])
    values = {
        "type_code": c.choice("type_code", allowed),
        "subject": c.text("subject", 200),
        "content": c.text("content", 5000, multiline=True),
        "at": c.moment("at") or utcnow(),
        "due_at": c.moment("due_at"),
        "status": c.choice("status", ACTIVITY_STATUSES, "done"),
        "assignee_id": c.integer("assignee_id"),
        "contact_id": c.integer("contact_id"),
    }
    if not values["subject"] and not values["content"]:
        c.error("subject", "err.required")
    is_task = values["type_code"] == TASK
    if is_task and values["assignee_id"] is None:
        c.error("assignee_id", "err.required")
    if is_task and values["due_at"] is None:
        c.error("due_at", "err.required")
    if values["assignee_id"] is not None:
        user = session.get(User, values["assignee_id"])
        if user is None or not user.active or not actor.sees_owner(user.id):
            c.error("assignee_id", "err.invalid_choice")
    if values["contact_id"] is not None:
        contact = session.get(Contact, values["contact_id"])
        if contact is None or contact.customer_id != customer_id:
            c.error("contact_id", "err.invalid_choice")
    c.done()
    return values


KIND = record_service.RecordKind(entity=ENTITY, model=Activity, fields=FIELDS, child_of_customer=True)


def _notify_assignee(session: Session, actor: Actor, activity: Activity, customer_name: str) -> None:
    """The assignee of a task hears of it in the app and by e-mail (not when assigning oneself)."""
    if activity.type_code != TASK or not activity.assignee_id or activity.assignee_id == actor.id:
        return
    user = session.get(User, activity.assignee_id)
    lang = user.language
    params = {
        "who": actor.full_name,
        "task": activity.subject or activity.content[:80],
        "customer": customer_name,
        "due": fmt_datetime(activity.due_at),
    }
    link = routes.customer_url(activity.customer_id)
    notifications.notify(session, user.id, tr("tasks.notify_text", lang, **params), link)
    outbox.queue_internal(
        session, user.email, tr("tasks.mail_subject", lang, **params), tr("tasks.mail_body", lang, **params)
    )


def create(session: Session, actor: Actor, customer_id: int, data: dict) -> Activity:
    customer = children.customer_for(session, actor, customer_id)
    values = clean(session, actor, customer.id, data)
    check_owner_assignment(actor, values["assignee_id"])
    activity = record_service.create(
        session, KIND, actor, values, customer_id=customer.id, owner_id=customer.owner_id, archived=customer.archived
    )
    _notify_assignee(session, actor, activity, customer.full_name)
    session.flush()
    return activity


def _assigned(session: Session, actor: Actor, activity_id: int) -> Activity | None:
    """The activity if it is assigned to the actor."""
    row = session.get(Activity, activity_id) if activity_id else None
    return row if row is not None and row.assignee_id == actor.id else None


# What an actor may change on an activity they see (``rights``): "status" is its assignee's share,
# the status and the date (``schedule_field``).
ALL, STATUS, NOTHING = "all", "status", "none"


def schedule_field(activity: Activity) -> str:
    """The date the calendar places an activity at and a drop moves: a task's due time, else its time."""
    return "due_at" if activity.type_code == TASK and activity.due_at else "at"


def rights(session: Session, actor: Actor, activity: Activity) -> str:
    """Everything (the actor changes its customer), its status and date alone (its assignee, who
    does not) or nothing (a teammate's customer shared read-only); deleting it takes everything."""
    customer = session.get(Customer, activity.customer_id)
    if customer is not None and actor.sees_owner(customer.owner_id) and actor.edits_owner(customer.owner_id):
        return ALL
    return STATUS if activity.assignee_id == actor.id else NOTHING


def customer_label(session: Session, activity: Activity) -> str:
    """The name of an activity's customer as a picker shows it, for its assignee, who reads it on
    the activities list without seeing the rest of the customer."""
    customer = session.get(Customer, activity.customer_id)
    return customers.picked_name(customer.full_name, customer.code) if customer else ""


def update(session: Session, actor: Actor, activity_id: int, data: dict) -> Activity:
    activity = get(session, actor, activity_id)
    allowed = rights(session, actor, activity)
    if allowed == NOTHING:
        raise NotAllowed("err.read_only_record")
    before = record_service.snapshot(session, KIND, activity)
    values = clean(session, actor, activity.customer_id, {**before, **data}, current_type=activity.type_code)
    assignee_fields = ("status", schedule_field(activity))
    if allowed == STATUS and any(name not in assignee_fields for name, _old, _new in audit.diff(before, values)):
        raise NotAllowed("err.assignee_status_date_only")
    if values["assignee_id"] != activity.assignee_id:
        check_owner_assignment(actor, values["assignee_id"])
    reassigned = values["assignee_id"] != activity.assignee_id or values["type_code"] != activity.type_code
    record_service.update(session, KIND, actor, activity, before, values)
    if reassigned:
        customer = children.customer_for(session, actor, activity.customer_id, change=False)
        _notify_assignee(session, actor, activity, customer.full_name)
    session.flush()
    return activity


def delete(session: Session, actor: Actor, activity_id: int) -> None:
    activity = children.child_for(session, actor, Activity, activity_id)
    record_service.delete(session, KIND, actor, activity)


def reschedule(session: Session, actor: Actor, activity_id: int, day: str) -> Activity:
    """Move an activity (a task: its due time) to another day at the same time of day (a calendar drop)."""
    try:
        target = date.fromisoformat(day)
    except (TypeError, ValueError):
        raise ValidationFailed({"at": ("err.invalid_date", {})}) from None
    activity = get(session, actor, activity_id)
    field = schedule_field(activity)
    current = getattr(activity, field)
    shift = timedelta(days=(target - local_date(current)).days)
    if not shift:
        return activity
    return update(session, actor, activity.id, {field: current + shift})


def get(session: Session, actor: Actor, activity_id: int) -> Activity:
    """An activity the actor sees: through its customer, or as its assignee."""
    return _assigned(session, actor, activity_id) or children.child_for(
        session, actor, Activity, activity_id, change=False
    )


def of_record(
    session: Session, actor: Actor, record: children.Record, only_type: str | None = None, limit: int = 100
) -> list[Activity]:
    """The activities of a customer, or those with a contact, newest first."""
    stmt = children.of_record(session, actor, Activity, record)
    if only_type:
        stmt = stmt.where(Activity.type_code == only_type)
    return list(session.exec(stmt.order_by(Activity.at.desc(), Activity.id.desc()).limit(limit)).all())


def of_customer(
    session: Session, actor: Actor, customer_id: int, only_type: str | None = None, limit: int = 100
) -> list[Activity]:
    return of_record(session, actor, ("customer", customer_id), only_type, limit)


def log(
    session: Session,
    actor: Actor,
    customer_id: int,
    type_code: str,
    subject: str,
    content: str = "",
    contact_id: int | None = None,
) -> Activity:
    """A done activity written by the system on a user's behalf (e.g. an e-mail sent)."""
    customer = session.get(Customer, customer_id)
    values = dict.fromkeys(FIELDS) | {
        "type_code": type_code,
        "subject": subject[:200],
        "content": content[:5000],
        "at": utcnow(),
        "status": "done",
        "contact_id": contact_id,
    }
    return record_service.create(
        session, KIND, actor, values, customer_id=customer_id, owner_id=customer.owner_id, archived=customer.archived
    )


def type_labels(session: Session, lang: str) -> dict[str, str]:
    rows = session.exec(select(CatalogItem).where(CatalogItem.kind == "activity_type")).all()
    return {r.code: catalogs.label(r, lang) for r in rows}

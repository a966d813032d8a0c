"""Bulk actions on a selection of records: a few rows, or every record matching a list's filter.

Actions: update a field (mode add / replace / clear; custom fields included), add or
remove tags, add to or remove from a list, change owner, archive, restore; on activities:
mark done, change the assignee, delete (each through the activity service, one by one, so its
rights, notifications and the customer's History tab are as for a single change); on customers:
make an opportunity or an order for each (services.pipeline.generate, one by one likewise); on
customers and contacts: add to a campaign (services.campaigns, its members).

- Everything the user chose is checked before any row changes (``plan``).
- Rights are checked per record: rows the actor may not change are skipped and
  counted. Updating fields and changing owners are for managers and admins (SPEC §1).
- The work runs in chunks of ``CHUNK`` records, each chunk set-based (one UPDATE, one
  multi-row INSERT of history rows) and committed on its own: a failure stops the run
  and leaves the chunks already done, whose counts were reported (``run_steps`` yields
  the running totals after each chunk, for a progress bar).
- "add" fills a single-valued field only where it is empty and adds to a multi-valued
  one (tags, multi-choice); "replace" sets it everywhere; "clear" empties it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from crm_app.models import AuditLog, CatalogItem, CustomerTag, CustomFieldValue, RecordListMember, Tag, User
from crm_app.models._base import utcnow
from crm_app.services import bulk_insert, jobs
from crm_app.services.automation import events
from crm_app.services.campaigns import campaigns
from crm_app.services.errors import NotAllowed, ValidationFailed
from crm_app.services.lists import query, record_lists
from crm_app.services.lists.filters import BadSpec
from crm_app.services.normalize import normalize_name, tag_names
from crm_app.services.people.permissions import Actor, check_owner_assignment
from crm_app.services.pipeline import generate
from crm_app.services.records import audit, catalogs, custom_fields, field_values, record_service
from crm_app.services.records.fields import CATALOG_OF, EntityDef, FieldDef, entity_def
from crm_app.services.validation import Cleaner
from crm_app.services.work import activities

CHUNK = 1000
ACTIONS = (
    "update_field",
    "add_tags",
    "remove_tags",
    "add_to_list",
    "remove_from_list",
    "change_owner",
    "archive",
    "restore",
    "mark_done",
    "change_assignee",
    "delete",
    "add_to_campaign",
    *generate.KINDS,
)
ACTIVITY_ONLY = ("mark_done", "change_assignee", "delete")
CUSTOMER_ONLY = generate.KINDS
# What each kind of record takes: activities their own actions and the lists; the others the rest.
ACTIONS_OF_ACTIVITY = (*ACTIVITY_ONLY, "add_to_list", "remove_from_list")
MODES = ("add", "replace", "clear")
MANAGER_ACTIONS = ("update_field", "change_owner")
_TEXT_LIMITS = {"province": 80, "country": 80, "title": 120}


@dataclass
class Selection:
    """Either ``ids`` (rows ticked on the screen) or ``spec`` (every record of a list as filtered)."""

    ids: list[int] | None = None
    spec: query.ListSpec | None = None


@dataclass
class Action:
    kind: str
    field: str = ""
    mode: str = "replace"
    value: Any = None


@dataclass
class Result:
    total: int = 0
    done: int = 0
    changed: int = 0
    unchanged: int = 0
    skipped: int = 0  # records the actor may not change (or that do not exist)


@dataclass
class _Plan:
    entity: EntityDef
    action: Action
    field: FieldDef | None = None
    value: Any = None
    extra: dict = dc_field(default_factory=dict)


# --- checking what was asked ---------------------------------------------------------------------


def plan(session: Session, actor: Actor, entity_name: str, action: Action) -> _Plan:
    entity = entity_def(session, entity_name)
    if entity is None:
        raise BadSpec("err.unknown_entity", name=entity_name)
    fitting = ACTIONS_OF_ACTIVITY if entity.name == "activity" else tuple(a for a in ACTIONS if a not in ACTIVITY_ONLY)
    if action.kind not in fitting or (action.kind in CUSTOMER_ONLY and entity.name != "customer"):
        raise BadSpec("err.invalid_choice")
    if action.kind == "add_to_campaign" and entity.name not in campaigns.MEMBER_ENTITIES:
        raise BadSpec("err.invalid_choice")
    if action.kind in MANAGER_ACTIONS and not actor.is_manager:
        raise NotAllowed("err.bulk_managers_only")
    p = _Plan(entity=entity, action=action)
    if action.kind == "update_field":
        p.field = entity.field(action.field)
        if p.field is None or not p.field.bulk:
            raise BadSpec("err.bulk_field", name=p.field or action.field)
        if action.mode not in MODES:
            raise BadSpec("err.invalid_choice")
        if action.mode != "clear":
            p.value = _clean_value(session, p.field, action.value)
        elif p.field.required:
            raise BadSpec("err.bulk_cannot_clear", name=p.field)
    elif action.kind in ("add_tags", "remove_tags"):
        p.field = entity.field("tags")
        if p.field is None:
            raise BadSpec("err.bulk_field", name="tags")
        p.value = _clean_value(session, p.field, action.value)
    elif action.kind in ("add_to_list", "remove_from_list"):
        target = record_lists.get(session, actor, _int(action.value, "list"))
        if target.entity != entity.name:
            raise NotAllowed()
        p.extra["list"] = target
    elif action.kind == "add_to_campaign":
        p.extra["campaign"] = campaigns.get(session, actor, _int(action.value, "campaign"), change=True)
    elif action.kind in CUSTOMER_ONLY:
        p.extra["template"] = generate.check(session, actor, action.kind, action.value)
    elif action.kind in ("change_owner", "change_assignee"):
        name = "owner_id" if action.kind == "change_owner" else "assignee_id"
        user = session.get(User, _int(action.value, name))
        if user is None or not user.active:
            raise ValidationFailed({name: ("err.invalid_choice", {})})
        check_owner_assignment(actor, user.id)
        p.value = user.id
    return p


def _each_activity(session: Session, actor: Actor, p: _Plan, ids: list[int], result: Result) -> list[int]:
    """An activity action on each record through the activity service; those the actor may not
    change are skipped (counted), the others committed with the chunk."""
    changed = []
    change = {"mark_done": {"status": "done"}, "change_assignee": {"assignee_id": p.value}}.get(p.action.kind)
    for rid in ids:
        try:
            with session.begin_nested():
                if change is None:
                    activities.delete(session, actor, rid)
                    changed.append(rid)
                    continue
                current = activities.get(session, actor, rid)
                if all(getattr(current, k) == v for k, v in change.items()):
                    continue
                activities.update(session, actor, rid, change)
                changed.append(rid)
        except (NotAllowed, ValidationFailed):  # not theirs, or a record the change does not fit
            result.skipped += 1
    return changed


def _each_generated(session: Session, actor: Actor, p: _Plan, ids: list[int], result: Result) -> list[int]:
    """An opportunity or order made for each customer through its service; customers the actor may
    not change are skipped (counted)."""
    made = []
    for rid in ids:
        try:
            with session.begin_nested():
                generate.make(session, actor, p.extra["template"], rid)
            made.append(rid)
        except NotAllowed:
            result.skipped += 1
    return made


def _int(value: Any, name: str) -> int:
    """The id chosen for ``name``: nothing chosen is asked for, anything else not an id refused."""
    if value is None or str(value).strip() == "":
        raise ValidationFailed({name: ("err.required", {})})
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationFailed({name: ("err.bulk_choice", {"value": str(value)[:40]})}) from None


def _clean_value(session: Session, f: FieldDef, value: Any) -> Any:
    c = Cleaner({f.name: value})
    if f.custom_id is not None:
        clean = custom_fields.clean_value(c, f)
        empty = clean is None or clean == [] or (f.type != "bool" and clean == "")
    elif f.type == "tags":
        clean = tag_names(value)
        empty = not clean
    elif f.type == "text":
        clean = c.text(f.name, _TEXT_LIMITS.get(f.name, 200))
        empty = not clean
    elif f.places == "province":
        clean = c.province(f.name)
        empty = not clean
    elif f.type == "choice":
        clean = c.choice(f.name, f.values)
        empty = False
    elif f.type == "catalog":
        clean = c.integer(f.name)
        item = session.get(CatalogItem, clean) if clean is not None else None
        if item is None or item.kind != CATALOG_OF[f.name]:
            c.error(f.name, "err.invalid_choice")
        empty = False
    elif f.type == "number":
        clean = c.integer(f.name, 0, 5)
        empty = clean is None
    else:  # bool
        clean = c.flag(f.name)
        empty = False
    if empty and not c.errors:
        c.error(f.name, "err.required")
    c.done()
    return clean


# --- running ---------------------------------------------------------------------------------------


def run(
    session: Session, actor: Actor, entity: str, selection: Selection, action: Action, chunk: int = CHUNK
) -> Result:
    *_, last = run_steps(session, actor, entity, selection, action, chunk)  # the totals after the last chunk
    return last


def run_steps(
    session: Session,
    actor: Actor,
    entity: str,
    selection: Selection,
    action: Action,
    chunk: int = CHUNK,
    job_id: int | None = None,
) -> Iterator[Result]:
    """Runs the action chunk by chunk, yielding the running totals after each (first: before any);
    ``job_id``: the durable job whose progress each chunk writes as it commits."""
    p = plan(session, actor, entity, action)
    model = p.entity.model
    result = Result()
    if selection.spec is not None:
        spec = selection.spec
        if spec.entity != entity:
            raise BadSpec("err.unknown_entity", name=spec.entity)
        result.total = query.count(session, actor, spec)
        clauses = query.where_clauses(actor, spec, session)
        yield result
        last = 0
        while True:
            ids = list(
                session.execute(sa.select(model.id).where(*clauses, model.id > last).order_by(model.id).limit(chunk))
                .scalars()
                .all()
            )
            if not ids:
                break
            last = ids[-1]
            _run_part(session, actor, p, ids, result, job_id)
            yield result
        return
    wanted = sorted({int(i) for i in selection.ids or []})
    result.total = len(wanted)
    yield result
    for start in range(0, len(wanted), chunk):
        _run_part(session, actor, p, wanted[start : start + chunk], result, job_id)
        yield result


def _run_part(session: Session, actor: Actor, p: _Plan, part: list[int], result: Result, job_id: int | None) -> None:
    """One chunk: the records the actor may change are changed, the others (missing, hidden, or
    a teammate's shared read-only record) counted as skipped."""
    model = p.entity.model
    owners = dict(session.execute(sa.select(model.id, model.owner_id).where(model.id.in_(part))).all())
    # an action done one record at a time through its service leaves the rights to it (a task's
    # assignee may close it without seeing its customer's other records)
    by_service = p.action.kind in (*ACTIVITY_ONLY, *CUSTOMER_ONLY)
    allowed = [
        i
        for i in part
        if i in owners and (by_service or (actor.sees_owner(owners[i]) and actor.edits_owner(owners[i])))
    ]
    result.skipped += len(part) - len(allowed)
    result.done += len(part) - len(allowed)
    if allowed:
        _chunk(session, actor, p, allowed, result, job_id)


def _chunk(session: Session, actor: Actor, p: _Plan, ids: list[int], result: Result, job_id: int | None = None) -> None:
    now = utcnow()
    skipped_before = result.skipped
    history: list[dict] = []
    kind = p.action.kind
    if kind in ACTIVITY_ONLY:
        changed = _each_activity(session, actor, p, ids, result)
    elif kind in CUSTOMER_ONLY:
        changed = _each_generated(session, actor, p, ids, result)
    elif kind in ("archive", "restore"):
        changed, rows = record_service.set_archived_many(session, p.entity.name, actor, ids, kind == "archive", now)
        history += rows
    elif kind == "change_owner":
        changed, rows = record_service.set_column_many(
            session, p.entity.name, actor, "owner_id", ids, lambda old: p.value, now
        )
        history += rows
    elif kind == "add_to_list":
        changed = _add_to_list(session, actor, p, ids, now, history)
    elif kind == "remove_from_list":
        changed = _remove_from_list(session, actor, p, ids, now, history)
    elif kind == "add_to_campaign":  # membership is no change of the record itself; counted by history
        campaigns.add_rows(session, actor, p.extra["campaign"], p.entity.name, ids, history)
        changed = []
    elif p.field.type == "tags" or p.field.custom_id is not None:
        # values kept in rows of their own: the records are stamped as changed here
        changed = (_set_tags if p.field.type == "tags" else _set_custom)(session, p, ids, now, history, actor)
        if changed:
            session.execute(
                sa.update(p.entity.model)
                .where(p.entity.model.id.in_(changed))
                .values(updated_at=now, updated_by_id=actor.id)
            )
    else:
        changed, rows = record_service.set_column_many(
            session, p.entity.name, actor, p.field.name, ids, _new_value(p), now
        )
        history += rows
    if kind in ("add_to_list", "remove_from_list", "add_to_campaign"):
        changed = [h["entity_id"] for h in history]
    if history:
        bulk_insert.insert_many(session, AuditLog.__table__, history)
        events.note_rows(session, history, audit.rule_chain())  # for the event rules, after commit
    jobs.progress_in(session, job_id, result.done + len(ids), result.total)
    session.commit()
    result.done += len(ids)
    result.changed += len(changed)
    result.unchanged += len(ids) - len(changed) - (result.skipped - skipped_before)


def _new_value(p: _Plan):
    """old value -> new value of a built-in column under the action's mode."""
    mode, f = p.action.mode, p.field
    if mode == "clear":
        empty = {"text": "", "choice": "", "catalog": None, "number": 0, "bool": False}[f.type]
        return lambda old: empty
    if mode == "add" and f.type != "bool":
        return lambda old: p.value if audit.is_blank(old) else old
    return lambda old: p.value


def _add_to_list(session, actor, p: _Plan, ids, now, history) -> list[int]:
    target = p.extra["list"]
    present = set(
        session.execute(
            sa.select(RecordListMember.record_id).where(
                RecordListMember.list_id == target.id, RecordListMember.record_id.in_(ids)
            )
        )
        .scalars()
        .all()
    )
    new = [i for i in ids if i not in present]
    if new:
        session.execute(sa.insert(RecordListMember), [{"list_id": target.id, "record_id": i} for i in new])
        history += [audit.row(p.entity.name, i, "list_add", actor.id, now, "lists", None, target.name) for i in new]
    return []  # membership is not a change of the record itself (updated_at stays); counted by history


def _remove_from_list(session, actor, p: _Plan, ids, now, history) -> list[int]:
    target = p.extra["list"]
    present = list(
        session.execute(
            sa.select(RecordListMember.record_id).where(
                RecordListMember.list_id == target.id, RecordListMember.record_id.in_(ids)
            )
        )
        .scalars()
        .all()
    )
    if present:
        session.execute(
            sa.delete(RecordListMember).where(
                RecordListMember.list_id == target.id, RecordListMember.record_id.in_(present)
            )
        )
        history += [
            audit.row(p.entity.name, i, "list_remove", actor.id, now, "lists", target.name, None) for i in present
        ]
    return []


def _set_tags(session, p: _Plan, ids, now, history, actor) -> list[int]:
    kind, mode = p.action.kind, p.action.mode
    names = p.value or []
    current = catalogs.tags_for_customers(session, ids)
    wanted_norms = {normalize_name(n) for n in names}
    tag_ids = {normalize_name(name): tag for name, tag in catalogs.tag_ids(session, names).items()}
    stored_names = dict(session.execute(sa.select(Tag.name_norm, Tag.name).where(Tag.id.in_(tag_ids.values()))).all())
    changed, removals, inserts = [], [], []
    for rid in ids:
        old = current.get(rid, [])
        old_norms = {normalize_name(n) for n in old}
        if kind == "remove_tags":
            new_norms = old_norms - wanted_norms
        elif kind == "add_tags" or mode == "add":
            new_norms = old_norms | wanted_norms
        elif mode == "replace":
            new_norms = set(wanted_norms)
        else:  # clear
            new_norms = set()
        if new_norms == old_norms:
            continue
        changed.append(rid)
        removals += [(rid, n) for n in old_norms - new_norms]
        inserts += [{"customer_id": rid, "tag_id": tag_ids[n]} for n in new_norms - old_norms]
        by_norm = {**stored_names, **{normalize_name(n): n for n in old}}
        new = sorted((by_norm[n] for n in new_norms), key=normalize_name)
        history.append(
            audit.row(p.entity.name, rid, "update", actor.id, now, "tags", sorted(old, key=normalize_name), new)
        )
    if removals:
        norms = sorted({n for _, n in removals})
        removed_ids = dict(session.execute(sa.select(Tag.name_norm, Tag.id).where(Tag.name_norm.in_(norms))).all())
        for norm in norms:
            rids = [r for r, n in removals if n == norm]
            session.execute(
                sa.delete(CustomerTag).where(CustomerTag.tag_id == removed_ids[norm], CustomerTag.customer_id.in_(rids))
            )
    if inserts:
        bulk_insert.insert_many(session, CustomerTag.__table__, inserts)
    return changed


def _set_custom(session, p: _Plan, ids, now, history, actor) -> list[int]:
    f, mode = p.field, p.action.mode
    current = field_values.custom_values(session, [f.custom_id], ids)
    changed, rows = [], []
    for rid in ids:
        old = [x for x in current.get((f.custom_id, rid), []) if x is not None]
        if mode == "clear":
            new = []
        elif f.type == "multichoice":
            new = list(p.value) if mode == "replace" else sorted(set(old) | set(p.value), key=f.values.index)
        elif mode == "add" and old:
            new = old
        else:
            new = [p.value] if p.value not in (None, False) else []
        if f.type == "bool":
            old = [bool(x) for x in old if x]
        if sorted(map(str, old)) == sorted(map(str, new)):
            continue
        changed.append(rid)
        rows += custom_fields.value_rows(f, rid, new if f.type == "multichoice" else (new[0] if new else None))
        history.append(audit.row(p.entity.name, rid, "update", actor.id, now, f.name, old, new))
    if changed:
        session.execute(
            sa.delete(CustomFieldValue).where(
                CustomFieldValue.field_id == f.custom_id, CustomFieldValue.record_id.in_(changed)
            )
        )
    custom_fields.insert_rows(session, rows)
    return changed

"""The one way a record is written: create, update, archive and restore, one record or many.

Entity services keep their own rules (validation, the duplicate rule, links, stage moves,
conversion) and hand the write to this module, which

- sets the table's columns from clean values, shadow columns (``name_norm``, ``phone_norm`` ...)
  computed from the field registry (a field with ``norm`` sorts by its shadow column);
- keeps the values stored apart (a customer's phones and tags) and custom fields;
- writes the history as codes and ids, with the record as its root, and no row without a change
  (history is labelled when read: services.records.history);
- stamps who changed the record and when, only when something changed.

Nothing here commits: the caller owns the transaction (a screen's handler commits when it ends,
an import or a bulk action per chunk), so a record and whatever else the caller writes with it
are kept or lost together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlmodel import Session

from crm_app.models import AuditLog, IdCounter
from crm_app.models._base import utcnow
from crm_app.services import places
from crm_app.services.bulk_insert import insert_many
from crm_app.services.normalize import (
    given_name_columns,
    normalize_email,
    normalize_name,
    normalize_phone,
    suffix_key,
)
from crm_app.services.people.permissions import Actor
from crm_app.services.records import audit, custom_fields
from crm_app.services.records.fields import ENTITIES

NORMALIZERS: dict[str, Callable[[str | None], str]] = {
    "name": normalize_name,
    "email": normalize_email,
    "phone": normalize_phone,
}
LOOKUP_BATCH = 500


@dataclass(frozen=True)
class StoredApart:
    """Values a record keeps in rows of their own (a customer's phones, its tags)."""

    name: str
    load: Callable[[Session, list[int]], dict[int, list]]  # record ids -> {id: values}
    remove: Callable[[Session, list[int]], None]  # every row of these records
    add: Callable[[Session, list[tuple[int, list]]], None]  # (record id, values) pairs


@dataclass(frozen=True)
class RecordKind:
    entity: str
    model: type
    fields: tuple[str, ...]  # what a form sends and history compares, in form order
    apart: tuple[StoredApart, ...] = ()
    # Columns computed from the values besides the registry's shadows (a customer's first phone).
    derived: Callable[[dict], dict] | None = None
    number: Callable[[int], str] | None = None  # the code a new record gets from its id
    custom: bool = False  # has custom fields
    # A customer's child (an activity, a note): its history shows on the customer's History tab.
    child_of_customer: bool = False
    _shadows: tuple[tuple[str, str, Callable], ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        registry = ENTITIES.get(self.entity)
        shadows = tuple(
            (f.name, f.sort_column, NORMALIZERS[f.norm])
            for f in (registry.fields if registry else ())
            if f.norm and f.sort_column and f.sort_column != f.name
        )
        object.__setattr__(self, "_shadows", shadows)

    def root(self, row) -> tuple[str, int] | None:
        """The record whose History tab shows this one's changes (None: its own)."""
        return ("customer", row.customer_id) if self.child_of_customer else None

    @property
    def apart_names(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.apart)

    def columns(self, values: dict) -> dict:
        """The table's columns for clean values, shadow columns included."""
        apart = self.apart_names
        cols = {name: values[name] for name in self.fields if name not in apart}
        if self.derived is not None:
            cols.update(self.derived(values))
        for name, shadow, normalize in self._shadows:
            if name in cols:
                cols[shadow] = normalize(cols[name])
        for number in ("phone", "mobile"):  # a contact's or lead's numbers, backwards too
            if f"{number}_norm" in cols and hasattr(self.model, f"{number}_rev"):
                cols[f"{number}_rev"] = suffix_key(cols[f"{number}_norm"])
        if cols.get("province") and hasattr(self.model, "old_province"):
            cols["old_province"] = ""  # a province chosen is the fix of one no longer known
        if "full_name" in cols and hasattr(self.model, "given_norm"):
            cols.update(given_columns(self.entity, cols["full_name"], cols.get("kind")))
        return cols


def given_columns(entity: str, full_name: str, kind: str | None) -> dict[str, str]:
    """The given name a list shows and sorts by: a person's, or an organisation's whole name (a
    customer of another kind than individual; contacts and leads are people)."""
    return given_name_columns(full_name, person=entity != "customer" or kind in (None, "individual"))


# --- reading what history compares ----------------------------------------------------------------


def snapshot(session: Session, kind: RecordKind, row) -> dict:
    """The form values of a stored record (what a form shows and history compares)."""
    data = {name: getattr(row, name) for name in kind.fields if name not in kind.apart_names}
    for apart in kind.apart:
        data[apart.name] = apart.load(session, [row.id]).get(row.id, [])
    if kind.custom:
        data.update(custom_fields.snapshot(session, kind.entity, row.id))
    return data


def snapshots(session: Session, kind: RecordKind, ids: Iterable[int]) -> dict[int, dict]:
    """``snapshot`` of many records, a few queries per ``LOOKUP_BATCH`` of them."""
    table = kind.model.__table__
    names = [n for n in kind.fields if n not in kind.apart_names]
    out: dict[int, dict] = {}
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), LOOKUP_BATCH):
        chunk = wanted[start : start + LOOKUP_BATCH]
        stmt = sa.select(table.c.id, *(table.c[n] for n in names)).where(table.c.id.in_(chunk))
        for row in session.execute(stmt):
            out[row[0]] = dict(zip(names, row[1:], strict=True))
        for apart in kind.apart:
            loaded = apart.load(session, chunk)
            for rid in chunk:
                if rid in out:
                    out[rid][apart.name] = loaded.get(rid, [])
    if kind.custom:
        custom_fields.add_to_snapshots(session, kind.entity, out)
    return out


# --- one record -------------------------------------------------------------------------------------


def new_ids(session: Session, kind: RecordKind, n: int = 1) -> int | None:
    """The first of ``n`` ids never given before to this kind of record (models.id_counter), on
    SQLite; None on PostgreSQL, whose sequences never give an id twice. The caller's transaction
    holds SQLite's write lock from here, so no one else takes the same ids."""
    if session.get_bind().dialect.name != "sqlite" or n < 1:
        return None
    table = kind.model.__table__
    highest = session.execute(sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0))).scalar_one()
    counter = session.get(IdCounter, kind.entity)
    if counter is None:
        counter = IdCounter(entity=kind.entity, last_id=0)
    first = max(highest, counter.last_id) + 1
    counter.last_id = first + n - 1
    session.add(counter)
    session.flush()
    return first


def create(session: Session, kind: RecordKind, actor: Actor, values: dict, **columns) -> object:
    """A new record from clean ``values`` and the entity's own ``columns`` (a rank, a stage ...);
    flushed, so it has its id and code."""
    row = kind.model(**kind.columns(values), **columns, created_by_id=actor.id, updated_by_id=actor.id)
    row.id = new_ids(session, kind)
    session.add(row)
    session.flush()
    given = dict(values)
    if kind.number is not None:
        row.code = kind.number(row.id)
        given = {"code": row.code, **given}
    for apart in kind.apart:
        apart.add(session, [(row.id, values[apart.name])])
    if kind.custom:
        custom_fields.store(session, kind.entity, row.id, values)
    registry = ENTITIES.get(kind.entity)
    # the entity's own columns a user chose (a stage) are history; a child's links to its customer are not
    history = (
        {name: value for name, value in columns.items() if registry.field(name) is not None}
        if registry is not None and not kind.child_of_customer
        else {}
    )
    audit.record(session, kind.entity, row.id, "create", actor.id, {}, {**given, **history}, root=kind.root(row))
    return row


def update(session: Session, kind: RecordKind, actor: Actor, row, before: dict, values: dict) -> list[str]:
    """Write clean ``values`` over a record whose ``snapshot`` was ``before``; returns the names
    of the fields that changed (none: nothing is written, not even who changed it)."""
    changed = [name for name, _old, _new in audit.diff(before, values)]
    if not changed:
        return []
    for name, value in kind.columns(values).items():
        setattr(row, name, value)
    touch(row, actor)
    session.add(row)
    for apart in kind.apart:
        if apart.name in changed:
            apart.remove(session, [row.id])
            apart.add(session, [(row.id, values[apart.name])])
    if kind.custom:
        custom_fields.store(session, kind.entity, row.id, values)
    audit.record(session, kind.entity, row.id, "update", actor.id, before, values, root=kind.root(row))
    return changed


def delete(session: Session, kind: RecordKind, actor: Actor, row) -> None:
    """Remove a record for good (a customer's activity or note; the main records are archived),
    its history saying what it held."""
    before = snapshot(session, kind, row)
    audit.record(session, kind.entity, row.id, "delete", actor.id, before, dict.fromkeys(before), root=kind.root(row))
    for apart in kind.apart:
        apart.remove(session, [row.id])
    session.delete(row)
    session.flush()


def set_archived(session: Session, kind: RecordKind, actor: Actor, row, archived: bool) -> bool:
    """Archive or restore; False when it already was."""
    if row.archived == archived:
        return False
    row.archived = archived
    if hasattr(row, "archived_at"):
        row.archived_at = utcnow() if archived else None
    touch(row, actor)
    session.add(row)
    audit.record(session, kind.entity, row.id, "archive" if archived else "restore", actor.id, root=kind.root(row))
    return True


def touch(row, actor: Actor) -> None:
    """Who changed the record, and when."""
    row.updated_by_id, row.updated_at = actor.id, utcnow()


# --- many records (an import, a restore of an import) ----------------------------------------------


def update_many(
    session: Session, kind: RecordKind, actor: Actor, changes: list[tuple[int, dict, dict]], note: str | None = None
) -> None:
    """Write ``(id, before, after)`` changes set-based: one executemany UPDATE, the values stored
    apart and custom fields of the records, and their history field by field, with ``note`` (the
    file of an import) as one more row of each changed record saying where the change came from."""
    # each record's field changes, worked out once (an import sends thousands)
    diffs = {rid: d for rid, before, after in changes if (d := audit.diff(before, after))}
    changes = [(rid, before, after) for rid, before, after in changes if rid in diffs]
    if not changes:
        return
    now = utcnow()
    table = kind.model.__table__
    rows = [(rid, kind.columns(after)) for rid, _b, after in changes]
    cols = list(rows[0][1])
    stmt = (
        sa.update(table)
        .where(table.c.id == sa.bindparam("_id"))
        .values({c: sa.bindparam(f"_{c}") for c in [*cols, "updated_by_id", "updated_at"]})
    )
    session.execute(
        stmt,
        [
            {"_id": rid, **{f"_{k}": v for k, v in columns.items()}, "_updated_by_id": actor.id, "_updated_at": now}
            for rid, columns in rows
        ],
    )
    for apart in kind.apart:
        moved = [
            (rid, after[apart.name])
            for rid, _before, after in changes
            if any(name == apart.name for name, _old, _new in diffs[rid])
        ]
        ids = [rid for rid, _v in moved]
        for start in range(0, len(ids), LOOKUP_BATCH):
            apart.remove(session, ids[start : start + LOOKUP_BATCH])
        apart.add(session, moved)
    if kind.custom:
        custom_fields.write_changes(session, kind.entity, changes)
    insert_many(
        session,
        AuditLog.__table__,
        [
            audit.row(kind.entity, rid, "update", actor.id, now, name, old, new)
            for rid, _b, _a in changes
            for name, old, new in diffs[rid]
        ]
        + (
            [audit.row(kind.entity, rid, "update", actor.id, now, "import", None, note) for rid, _b, _a in changes]
            if note
            else []
        ),
    )


def set_column_many(
    session: Session, entity: str, actor: Actor, column: str, ids: list[int], new_of: Callable, now
) -> tuple[list[int], list[dict]]:
    """One column of many records (a bulk update, a change of owner) set to ``new_of(old)``: one
    UPDATE per new value, its shadow column with it (from the registry), who changed them and
    when; returns the changed ids and their history rows, for the caller to insert with the
    rest of its chunk."""
    registry = ENTITIES[entity]
    model = registry.model
    f = registry.field(column)
    shadow = (f.sort_column, NORMALIZERS[f.norm]) if f is not None and f.norm and f.sort_column != column else None
    changes: dict = {}
    history = []
    for rid, old in session.execute(sa.select(model.id, getattr(model, column)).where(model.id.in_(ids))).all():
        new = new_of(old)
        if new != old:
            changes.setdefault(new, []).append(rid)
            history.append(audit.row(entity, rid, "update", actor.id, now, column, old, new))
    for new, rids in changes.items():
        values = {column: new, "updated_at": now, "updated_by_id": actor.id}
        if shadow is not None:
            values[shadow[0]] = shadow[1](new)
        session.execute(sa.update(model).where(model.id.in_(rids)).values(values))
    changed = sorted(r for rids in changes.values() for r in rids)
    if column == "kind" and changed and hasattr(model, "given_norm"):  # a person became an organisation
        named = session.execute(sa.select(model.id, model.full_name, model.kind).where(model.id.in_(changed)))
        session.execute(
            sa.update(model.__table__).where(model.__table__.c.id == sa.bindparam("_id")),
            [{"_id": rid, **given_columns(entity, name, kind)} for rid, name, kind in named],
        )
    if column == "province" and changed:
        history += _province_moved(session, entity, model, changed, actor, now)
    return changed, history


def _province_moved(session: Session, entity: str, model: type, ids: list[int], actor: Actor, now) -> list[dict]:
    """Records given another province: a ward of the old one goes (with its history row), and an
    old province to fix is fixed (as a form's save does: RecordKind.columns)."""
    rows = session.execute(sa.select(model.id, model.province, model.ward).where(model.id.in_(ids))).all()
    gone = [(rid, ward) for rid, province, ward in rows if ward and places.ward_province(ward) != province]
    if gone:
        session.execute(sa.update(model).where(model.id.in_([rid for rid, _ in gone])).values(ward=""))
    if hasattr(model, "old_province"):
        session.execute(sa.update(model).where(model.id.in_(ids), model.province != "").values(old_province=""))
    return [audit.row(entity, rid, "update", actor.id, now, "ward", ward, "") for rid, ward in gone]


def set_archived_many(
    session: Session, entity: str, actor: Actor, ids: list[int], archived: bool, now
) -> tuple[list[int], list[dict]]:
    """Archive or restore many records; those already so are left alone. Returns the changed ids
    and their history rows."""
    model = ENTITIES[entity].model
    archived_now = sa.true() if archived else sa.false()
    changed = list(
        session.execute(sa.select(model.id).where(model.id.in_(ids), model.archived != archived_now)).scalars().all()
    )
    if changed:
        values = {"archived": archived, "updated_at": now, "updated_by_id": actor.id}
        if hasattr(model, "archived_at"):
            values["archived_at"] = now if archived else None
        session.execute(sa.update(model).where(model.id.in_(changed)).values(values))
    action = "archive" if archived else "restore"
    return changed, [audit.row(entity, rid, action, actor.id, now) for rid in changed]


def insert_new(
    session: Session,
    kind: RecordKind,
    actor: Actor,
    rows: list[dict],
    first_id: int,
    note: str,
    extra: Callable[[int, dict], dict] | None = None,
) -> list[dict]:
    """Insert clean ``rows`` with ids from ``first_id`` set-based (an import), each with the
    entity's ``extra(index, values)`` columns; the values stored apart go with them and each
    record gets one history row naming where it came from (``note``). Returns the table rows."""
    now = utcnow()
    records = []
    for k, values in enumerate(rows):
        rid = first_id + k
        record = {
            **kind.columns(values),
            "id": rid,
            "archived": False,
            "created_by_id": actor.id,
            "updated_by_id": actor.id,
            "created_at": now,
            "updated_at": now,
        }
        if kind.number is not None:
            record["code"] = kind.number(rid)
        if extra is not None:
            record.update(extra(k, values))
        records.append(record)
    insert_many(session, kind.model.__table__, records)
    for apart in kind.apart:
        apart.add(session, [(first_id + k, values[apart.name]) for k, values in enumerate(rows)])
    insert_many(
        session,
        AuditLog.__table__,
        [audit.row(kind.entity, r["id"], "create", actor.id, now, "import", None, note) for r in records],
    )
    return records

"""Deleting records for good, with what depends on them, read from the foreign keys.

For the rows to delete, every foreign key pointing at their table decides what happens to the
rows behind it: a key that must have a value (an activity's customer, a quote's customer, a
quote line's quote) makes those rows go too, and their own dependants in turn; a key that may
be empty (a contact's company, a deal's customer, a lead converted into it, a person assigned to
the organisation) is emptied: those records stay, no longer linked. Rows the database removes
itself (``ON DELETE CASCADE``: phones, tags, search keys) are left to it. ``plan`` counts it all
first, for the confirmation that names it; ``erase`` does it, in the caller's transaction.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from crm_app.i18n import tr

BATCH = 5_000


class RecordCounts:
    """Records by kind as a message names them, in the reader's language ("2 ghi chú, 1 hoạt động")."""

    # a table -> the catalog's name of its records
    KINDS = {
        "emailmessage": "email",
        "storedfile": "file",
        "salesdocument": "salesdocument",
    }

    def __init__(self, by_table: dict[str, int]) -> None:
        self.by_table = by_table

    def label_in(self, lang: str) -> str:
        named = [(n, tr("entity." + self.KINDS.get(table, table), lang).lower()) for table, n in self.by_table.items()]
        # most first; as many of two kinds: by name, whatever order the tables were met in
        return ", ".join(f"{n} {name}" for n, name in sorted(named, key=lambda p: (-p[0], p[1])))


@dataclass
class Plan:
    table: str
    ids: list[int]
    deleted: Counter = field(default_factory=Counter)  # dependants going with them, by table
    unlinked: Counter = field(default_factory=Counter)  # records staying, no longer linked, by table
    # ("delete" | "unlink", table, column, ids): dependants before the rows they point at
    steps: list[tuple] = field(default_factory=list)


def _references(table: sa.Table) -> list[sa.ForeignKey]:
    return [
        fk
        for other in SQLModel.metadata.sorted_tables
        for fk in other.foreign_keys
        if fk.column.table is table and (fk.ondelete or "").upper() != "CASCADE"
    ]


def plan(session: Session, table: sa.Table, ids: list[int]) -> Plan:
    """What deleting ``ids`` of ``table`` takes with it and what it unlinks."""
    out = Plan(table.name, list(ids))
    _walk(session, table, list(ids), out, {table.name})
    out.steps.append(("delete", table, table.c.id, list(ids)))
    return out


def _walk(session: Session, table: sa.Table, ids: list[int], out: Plan, path: set[str]) -> None:
    for fk in _references(table):
        child, column = fk.parent.table, fk.parent
        if column.nullable or child.name in path:  # a link (or a row of the same kind): emptied
            found = _ids_where(session, child, column, ids)
            if child is table:
                found = [i for i in found if i not in set(out.ids)]
            if found:
                out.unlinked[child.name] += len(found)
                out.steps.append(("unlink", child, column, ids))
            continue
        if "id" not in child.c:  # a row of links without an id of its own (members, watchers)
            n = _count_where(session, child, column, ids)
            if n:
                out.deleted[child.name] += n
                out.steps.append(("delete", child, column, ids))
            continue
        found = _ids_where(session, child, column, ids)
        if not found:
            continue
        out.deleted[child.name] += len(found)
        _walk(session, child, found, out, path | {child.name})  # their dependants first
        out.steps.append(("delete", child, child.c.id, found))  # then them, before what they point at


def _ids_where(session: Session, table: sa.Table, column: sa.Column, ids: list[int]) -> list[int]:
    found: list[int] = []
    for start in range(0, len(ids), BATCH):
        found += session.execute(sa.select(table.c.id).where(column.in_(ids[start : start + BATCH]))).scalars()
    return found


def _count_where(session: Session, table: sa.Table, column: sa.Column, ids: list[int]) -> int:
    return sum(
        session.execute(
            sa.select(sa.func.count()).select_from(table).where(column.in_(ids[start : start + BATCH]))
        ).scalar_one()
        for start in range(0, len(ids), BATCH)
    )


def erase(session: Session, planned: Plan) -> None:
    """Carry out a plan: links emptied first, then dependants before what they point at."""
    unlinks = [s for s in planned.steps if s[0] == "unlink"]
    deletes = [s for s in planned.steps if s[0] == "delete"]
    for _kind, table, column, ids in unlinks:
        for start in range(0, len(ids), BATCH):
            session.execute(sa.update(table).where(column.in_(ids[start : start + BATCH])).values({column.name: None}))
    for _kind, table, column, ids in deletes:
        for start in range(0, len(ids), BATCH):
            session.execute(sa.delete(table).where(column.in_(ids[start : start + BATCH])))

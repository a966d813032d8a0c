"""How many records each owner has, archived or not: PostgreSQL's count of a whole list.

PostgreSQL counts rows by reading them (an admin's list of 1,000,000 customers: 43 ms, both
CPUs); SQLite counts a table from its b-tree pages (1 ms) and keeps this table empty. On
PostgreSQL, statement triggers keep ``record_tally`` in step with every insert, delete and
change of owner or archive flag of the tallied tables, whatever writes them (forms, imports and
their undo, merges, bulk updates): one row per (table, owner, archived), owner 0 for none. A
statement touching many records writes one row per owner it touches, in the order of the key,
so that two such statements wait for each other rather than deadlock.

The triggers are created by the migration that added this table and, for schemas made with
``SQLModel.metadata.create_all``, by the ``after_create`` hook below.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

TALLIED = ("customer", "contact", "lead")


class RecordTally(SQLModel, table=True):
    __tablename__ = "record_tally"

    table_name: str = Field(primary_key=True, max_length=40)
    owner_id: int = Field(primary_key=True)  # 0: no owner
    archived: bool = Field(primary_key=True)
    n: int = Field(default=0, sa_type=sa.BigInteger)


def _tally(changes: str) -> str:
    """Add ``changes`` (rows of owner_id, archived and a change d) to the tally: one row per owner
    and flag that changed, in the key's order."""
    return (
        f"INSERT INTO record_tally (table_name, owner_id, archived, n) "
        f"SELECT TG_TABLE_NAME, owner_id, archived, sum(d) FROM ({changes}) changes "
        f"GROUP BY 2, 3 HAVING sum(d) <> 0 ORDER BY 2, 3 "
        f"ON CONFLICT (table_name, owner_id, archived) DO UPDATE SET n = record_tally.n + excluded.n"
    )


_ADDED = _tally("SELECT coalesce(owner_id, 0) AS owner_id, archived, 1 AS d FROM new_rows")
_REMOVED = _tally("SELECT coalesce(owner_id, 0) AS owner_id, archived, -1 AS d FROM old_rows")
# a statement changing records: only those whose owner or archive flag changed move
_MOVED = _tally(
    "SELECT c.owner_id, c.archived, c.d FROM old_rows o JOIN new_rows w ON w.id = o.id CROSS JOIN LATERAL "
    "(VALUES (coalesce(o.owner_id, 0), o.archived, -1), (coalesce(w.owner_id, 0), w.archived, 1)) "
    "AS c(owner_id, archived, d) "
    "WHERE o.owner_id IS DISTINCT FROM w.owner_id OR o.archived IS DISTINCT FROM w.archived"
)


def _function(name: str, body: str) -> str:
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body}; RETURN NULL; END $$"
    )


def _trigger(table: str, event: str, tables: str, function: str) -> str:
    name = f"{table}_tally_{event[:3].lower()}"
    return (
        f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {tables} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
    )


def trigger_ddl(dialect: str) -> list[str]:
    """PostgreSQL: the functions and the statement triggers of every tallied table (PostgreSQL
    takes transition tables on triggers of one event each)."""
    if dialect != "postgresql":
        return []
    stmts = [
        _function("record_tally_added", _ADDED),
        _function("record_tally_removed", _REMOVED),
        _function("record_tally_moved", _MOVED),
    ]
    for table in TALLIED:
        stmts += [
            _trigger(table, "INSERT", "NEW TABLE AS new_rows", "record_tally_added"),
            _trigger(table, "DELETE", "OLD TABLE AS old_rows", "record_tally_removed"),
            _trigger(table, "UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows", "record_tally_moved"),
        ]
    return stmts


def backfill_sql(dialect: str) -> list[str]:
    """PostgreSQL: the tally counted again from the records."""
    if dialect != "postgresql":
        return []
    return ["DELETE FROM record_tally"] + [
        f"INSERT INTO record_tally (table_name, owner_id, archived, n) "
        f"SELECT '{table}', coalesce(owner_id, 0), archived, count(*) FROM {table} GROUP BY 2, 3"
        for table in TALLIED
    ]


@sa.event.listens_for(SQLModel.metadata, "after_create")
def _create_triggers(_metadata, connection: sa.Connection, tables=None, **_kw) -> None:
    """create_all (tests): add the triggers once the tally and the tallied tables exist."""
    names = {t.name for t in tables} if tables is not None else None
    if names is not None and not {"record_tally", *TALLIED} <= names:
        return
    for stmt in trigger_ddl(connection.dialect.name):
        connection.exec_driver_sql(stmt)

"""Inserting many rows at once (imports, bulk updates), as fast as the database allows.

SQLAlchemy's executemany builds and processes every row's parameters in Python: for an
import of 100,000 customers (some 600,000 rows across the tables) that cost more than
the database's own work. On SQLite the rows go straight to the driver as tuples, each
value passed through its column type's bind processor only where the type has one
(dates, times, booleans). Other databases keep SQLAlchemy's insert, whose
"insertmanyvalues" batching is already what they do best.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session


def insert_many(session: Session, table: sa.Table, rows: list[dict], or_ignore: bool = False) -> None:
    """Insert ``rows`` (dicts with the same keys) into ``table`` in the session's transaction.
    Columns left out take their scalar Python default; ``or_ignore`` (SQLite) skips rows that
    break a unique constraint."""
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    names = list(rows[0])
    fixed = {
        c.name: c.default.arg
        for c in table.columns
        if c.name not in rows[0] and c.default is not None and c.default.is_scalar
    }
    computed = [
        c.name for c in table.columns if c.name not in rows[0] and c.default is not None and not c.default.is_scalar
    ]
    if dialect.name != "sqlite" or computed:
        stmt = sa.insert(table).prefix_with("OR IGNORE", dialect="sqlite") if or_ignore else sa.insert(table)
        session.execute(stmt, rows)
        return
    columns = [*names, *fixed]
    # column by column: the same value (a timestamp, False) goes through its processor once
    data = [[row[n] for row in rows] for n in names] + [[v] * len(rows) for v in fixed.values()]
    for i, name in enumerate(columns):
        process = table.c[name].type._cached_bind_processor(dialect)
        if process is not None:
            data[i] = _processed(process, data[i])
    quote = dialect.identifier_preparer.quote
    sql = (
        f"INSERT {'OR IGNORE ' if or_ignore else ''}INTO {quote(table.name)} "
        f"({', '.join(quote(n) for n in columns)}) VALUES ({', '.join('?' * len(columns))})"
    )
    connection.exec_driver_sql(sql, list(zip(*data, strict=True)))


def _processed(process, column: list) -> list:
    done: dict = {None: None}
    out = []
    for value in column:
        try:
            found = done[value]
        except KeyError:
            found = done[value] = process(value)
        except TypeError:  # unhashable
            found = process(value)
        out.append(found)
    return out

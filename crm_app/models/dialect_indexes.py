"""Indexes built on one kind of database only (``Index(...).ddl_if(dialect="postgresql")``: the
name key ranges) are compared on that database only.

The rule is registered with Alembic's autogenerate itself, so that every comparison follows it:
``alembic check`` (crm_app.tools.schema_check) and the schema check Reflex runs when the app
starts, which configures Alembic on its own (no ``include_object`` of alembic/env.py). On its own
database such an index is still compared: a missing one is reported there.
"""

from __future__ import annotations

import re
import warnings

from alembic.autogenerate import comparators
from alembic.operations import ops
from alembic.util import DispatchPriority, PriorityDispatchResult


def built_elsewhere(index, dialect: str) -> bool:
    """An index whose DDL runs on another kind of database only."""
    condition = getattr(index, "_ddl_if", None)
    return condition is not None and condition.dialect is not None and condition.dialect != dialect


def _elsewhere(autogen_context, metadata_table) -> set[str]:
    if metadata_table is None:
        return set()
    dialect = autogen_context.dialect.name
    return {index.name for index in metadata_table.indexes if built_elsewhere(index, dialect)}


@comparators.dispatch_for("table", priority=DispatchPriority.FIRST, subgroup="indexes")
def _quiet_uncompared_indexes(autogen_context, modify_ops, schema, tname, conn_table, metadata_table):
    """Alembic warns that it cannot compare an expression index SQLite cannot read back: an
    index never built on this database needs no comparing, so no warning."""
    dialect = autogen_context.dialect.name
    for name in _elsewhere(autogen_context, metadata_table):
        skipped = re.escape(
            f"autogenerate skipping metadata-specified expression-based index '{name}'; dialect '{dialect}'"
        )
        warnings.filterwarnings("ignore", message=skipped, category=UserWarning)
    return PriorityDispatchResult.CONTINUE


@comparators.dispatch_for("table", priority=DispatchPriority.LAST, subgroup="indexes")
def _skip_indexes_of_other_databases(autogen_context, modify_ops, schema, tname, conn_table, metadata_table):
    """Runs after Alembic's own comparison of a table's indexes: drops what it found about an
    index this database never builds."""
    elsewhere = _elsewhere(autogen_context, metadata_table)
    if elsewhere:
        modify_ops.ops = [
            op
            for op in modify_ops.ops
            if not (isinstance(op, ops.CreateIndexOp | ops.DropIndexOp) and op.index_name in elsewhere)
        ]
    return PriorityDispatchResult.CONTINUE

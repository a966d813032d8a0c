"""Schema comparison: an index built on PostgreSQL only is not reported missing on SQLite (by any
comparison, Reflex's start-up check included), while a missing index of this database still is."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import crm_app.models  # noqa: F401  (registers the rule)


def _missing_indexes(metadata: sa.MetaData) -> set[str]:
    engine = sa.create_engine("sqlite://")
    with engine.connect() as connection:
        connection.execute(sa.text("CREATE TABLE thing (id INTEGER PRIMARY KEY, name VARCHAR(20))"))
        diffs = compare_metadata(MigrationContext.configure(connection), metadata)
    return {d[1].name for d in diffs if d[0] == "add_index"}


def test_an_index_of_another_database_is_skipped_and_one_of_this_database_reported():
    metadata = sa.MetaData()
    table = sa.Table("thing", metadata, sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(20)))
    sa.Index("ix_thing_everywhere", table.c.name)
    sa.Index("ix_thing_pg", table.c.name, table.c.id).ddl_if(dialect="postgresql")
    sa.Index("ix_thing_sqlite", table.c.id, table.c.name).ddl_if(dialect="sqlite")
    assert _missing_indexes(metadata) == {"ix_thing_everywhere", "ix_thing_sqlite"}


def test_the_app_models_compare_clean_in_reflexs_own_check(tmp_path):
    """What ``reflex run`` checks at start-up (it prints "Detected database schema changes"
    otherwise): the migrated database against the models, without alembic/env.py."""
    from reflex import model

    from crm_app.db import migrate

    url = f"sqlite:///{tmp_path / 'check.db'}"
    migrate(url)
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        assert model.alembic_autogenerate(connection=connection, write_migration_scripts=False) is False
    engine.dispose()

"""Alembic environment: the database URL is the app's (DATABASE_URL or the SQLite default)."""

from alembic import context
from sqlmodel import SQLModel

import crm_app.models  # noqa: F401  (registers every table)
from crm_app.db import make_engine
from crm_app.settings import settings

config = context.config
target_metadata = SQLModel.metadata


def _url() -> str:
    return config.get_main_option("sqlalchemy.url") or settings.database_url


def _include_object(obj, _name, type_, _reflected, _compare_to) -> bool:
    """An index made for another database only (Index.ddl_if, e.g. PostgreSQL's name key
    ranges) is not compared on this one."""
    if type_ != "index" or obj is None or getattr(obj, "_ddl_if", None) is None:
        return True
    dialect = obj._ddl_if.dialect
    return dialect is None or dialect == context.get_context().dialect.name


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = make_engine(_url())
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            include_object=_include_object,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

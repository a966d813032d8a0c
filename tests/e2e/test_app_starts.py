"""The app builds, starts and serves its login page; its start-up says nothing wrong of the
database schema."""

import pytest
from playwright.sync_api import Page, expect


def test_login_page_has_the_username_input(page: Page, base_url: str) -> None:
    page.goto(base_url + "/login")
    expect(page.locator("input#login-username")).to_be_visible(timeout=30_000)
    expect(page.locator("input#login-password")).to_be_visible()
    expect(page.locator("#login-submit")).to_be_visible()


def test_the_start_up_finds_the_schema_up_to_date(app_log, base_url: str) -> None:
    """Reflex compares the models with the database at start-up: a PostgreSQL-only index must not
    read as a missing one on SQLite (models.dialect_indexes)."""
    if app_log is None:
        pytest.skip("the app was started elsewhere (--base-url)")
    text = app_log.read_text(encoding="utf-8", errors="replace")
    assert "reflex run" in text  # the log of this start
    assert "Detected database schema changes" not in text
    assert "Target database is not up to date" not in text

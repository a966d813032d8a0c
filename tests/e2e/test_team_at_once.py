"""Several people at once: one user's slow or failing work never costs another user's input."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from playwright.sync_api import Page, expect
from ui_steps import signed_in

from crm_app.models import Customer
from crm_app.services.customer import customers
from crm_app.services.people.permissions import load_actor

ADMIN = ("admin", "Admin@12345")


@contextmanager
def writes_blocked(url: str, customer_id: int) -> Iterator[None]:
    """Another program holds a write lock the app's save of this customer needs: SQLite's one
    write lock, or the customer's row on PostgreSQL."""
    if url.startswith("sqlite"):
        blocker = sqlite3.connect(url.split("///", 1)[1], timeout=5, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        return
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        conn.execute(sa.text("SELECT id FROM customer WHERE id = :id FOR UPDATE"), {"id": customer_id})
        try:
            yield
        finally:
            conn.rollback()
    engine.dispose()


def test_a_save_that_fails_on_the_server_keeps_the_input_and_says_what_to_do(
    page: Page, base_url, login, app_db, app_db_url, shot
):
    owner_id = app_db.user("admin").id
    with app_db.session() as s:
        cust = customers.create(s, load_actor(s, owner_id), {"full_name": "Đỗ Minh Khoa"}).customer
    login(*ADMIN)
    page.goto(f"{base_url}/customers/{cust.id}")
    page.click("#edit-address")
    page.fill("#field-inline", "12 Lý Thường Kiệt, Hoàn Kiếm")

    # Another program holds the lock past the app's wait (10 s): the save fails.
    with writes_blocked(app_db_url, cust.id):
        page.click("#inline-save")
        toast = page.get_by_text("Hệ thống đang bận ghi một việc lớn")
        expect(toast).to_be_visible(timeout=25_000)
        expect(page.get_by_text("An error occurred")).to_have_count(0)
        expect(page.locator("#field-inline")).to_have_value("12 Lý Thường Kiệt, Hoàn Kiếm")
        shot("server_error_keeps_input")

    with app_db.session() as s:
        assert s.get(Customer, cust.id).address == ""  # nothing half-saved
    # The lock is gone: the same click saves what is still on screen.
    page.click("#inline-save")
    expect(page.locator("#value-address")).to_have_text("12 Lý Thường Kiệt, Hoàn Kiếm")
    with app_db.session() as s:
        assert s.get(Customer, cust.id).address == "12 Lý Thường Kiệt, Hoàn Kiếm"


def test_a_slow_handler_of_one_user_does_not_hold_up_another(page: Page, base_url, login, app_db, app_db_url, browser):
    """While one user's save waits on the database for seconds, a second user's page opens and
    their own typing and reading go on (each handler runs off the shared event loop)."""
    owner_id = app_db.user("admin").id
    with app_db.session() as s:
        slow = customers.create(s, load_actor(s, owner_id), {"full_name": "Lê Thị Chờ"}).customer
        other = customers.create(s, load_actor(s, owner_id), {"full_name": "Phạm Văn Nhanh"}).customer
    login(*ADMIN)
    page.goto(f"{base_url}/customers/{slow.id}")
    page.click("#edit-address")
    page.fill("#field-inline", "Chờ khóa")

    context, second = signed_in(browser, base_url, *ADMIN)

    with writes_blocked(app_db_url, slow.id):
        page.click("#inline-save")  # waits on the lock for up to 10 s in the server
        time.sleep(0.5)
        started = time.monotonic()
        second.goto(f"{base_url}/customers/{other.id}")
        expect(second.locator("#customer-name")).to_have_text("Phạm Văn Nhanh", timeout=5_000)
        second.click("#edit-website")
        second.fill("#field-inline", "https://nhanh.vn")
        expect(second.locator("#field-inline")).to_have_value("https://nhanh.vn")
        waited = time.monotonic() - started
    assert waited < 5, f"the second user waited {waited:.1f} s behind the first user's save"
    # the first user's save then goes through
    expect(page.locator("#value-address")).to_have_text("Chờ khóa", timeout=15_000)
    context.close()

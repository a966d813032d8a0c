"""Steps several end-to-end tests take in the browser the same way."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from sqlmodel import select

from crm_app.models import CustomField


def signed_in(browser, base_url: str, username: str, password: str):
    """A second browser (its own cookies) signed in as another user: (context, page)."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="vi-VN")
    other = context.new_page()
    other.goto(f"{base_url}/login")
    expect(other.locator("#login-username")).to_be_editable()
    other.fill("#login-username", username)
    other.fill("#login-password", password)
    other.click("#login-submit")
    other.wait_for_url(re.compile(r"/dashboard"))  # the landing page after login
    return context, other


def drag_onto(page: Page, item, target, *, grab_at: float | None = None, drop_at: float = 30) -> None:
    """Mouse down on the item (``grab_at`` px below its top, else its middle), move in steps to
    ``drop_at`` px below the target's top, mouse up: a drag as a person makes it, past the
    drag threshold first."""
    item.scroll_into_view_if_needed()
    box = item.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + (box["height"] / 2 if grab_at is None else grab_at)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 8, y + 8, steps=4)  # past the drag threshold
    tbox = target.bounding_box()
    page.mouse.move(tbox["x"] + tbox["width"] / 2, tbox["y"] + drop_at, steps=25)
    page.wait_for_timeout(300)
    page.mouse.up()


def create_custom_field(
    page: Page, base_url: str, app_db, label: str, kind: str, options: str, key: str
) -> CustomField:
    """A signed-in admin creates a customer custom field on its admin page; returns it as stored."""
    page.goto(f"{base_url}/admin/fields")
    page.fill("#field-label", label)
    page.select_option("#field-type", kind)
    page.fill("#field-options", options)
    page.click("#cf-create")
    expect(page.locator(f'.cf-row[data-key="cf_{key}"]')).to_be_visible()
    with app_db.session() as s:
        return s.exec(select(CustomField).where(CustomField.key == key)).one()

"""Every main page fits a 1024 px window: nothing scrolls sideways, buttons keep their words."""

import pytest
from playwright.sync_api import Page, expect

ADMIN = ("admin", "Admin@12345")


@pytest.mark.parametrize("path", ["/customers", "/contacts", "/leads", "/opportunities", "/activities", "/dashboard"])
def test_a_page_fits_a_1024_px_window(page: Page, base_url, login, path, shot):
    page.set_viewport_size({"width": 1024, "height": 768})
    login(*ADMIN)
    page.goto(base_url + path)
    expect(page.locator("#page-title")).to_be_visible()
    page.wait_for_timeout(500)  # the page's data in place
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    shot(f"narrow{path.replace('/', '_')}")
    assert overflow <= 0, f"{path} scrolls sideways by {overflow} px"
    for button in page.locator(".page-actions button").all():  # one line each
        box = button.bounding_box()
        assert box is None or box["height"] < 48, f"{path}: a button wraps its words"

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


@pytest.mark.parametrize("width", [1024, 1366])
def test_a_customer_page_fits_the_window_with_its_name_on_one_line(page: Page, base_url, login, app_db, width, shot):
    admin = app_db.user("admin").id
    customer = app_db.create_customer(admin, full_name="Công ty TNHH Thương mại Dịch vụ Ánh Dương", kind="business")
    page.set_viewport_size({"width": width, "height": 768})
    login(*ADMIN)
    page.goto(f"{base_url}/customers/{customer.id}")
    name = page.locator("#customer-name")
    expect(name).to_have_text("Công ty TNHH Thương mại Dịch vụ Ánh Dương")
    page.wait_for_timeout(300)
    shot(f"narrow_customer_{width}")
    line = page.evaluate("parseFloat(getComputedStyle(document.querySelector('#customer-name')).lineHeight)")
    assert name.bounding_box()["height"] < 1.6 * line, "the name wraps"
    last_tab = page.locator(".customer-tabs [role=tab]").last
    box = last_tab.bounding_box()
    assert box["x"] + box["width"] <= width, "the last tab is cut off"
    last_tab.click()
    expect(last_tab).to_have_attribute("aria-selected", "true")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the customer page scrolls sideways by {overflow} px"

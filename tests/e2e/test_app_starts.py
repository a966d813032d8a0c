"""The app builds, starts and serves its login page."""

from playwright.sync_api import Page, expect


def test_login_page_has_the_username_input(page: Page, base_url: str) -> None:
    page.goto(base_url + "/login")
    expect(page.locator("input#login-username")).to_be_visible(timeout=30_000)
    expect(page.locator("input#login-password")).to_be_visible()
    expect(page.locator("#login-submit")).to_be_visible()

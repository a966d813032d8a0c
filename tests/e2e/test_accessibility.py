"""Every main page passes axe-core's WCAG 2 A and AA rules: controls have names, texts their contrast."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
ADMIN = ("admin", "Admin@12345")
RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]}}


def _violations(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async (rules) => (await axe.run(document, rules)).violations", RULES)
    return [f"{v['id']} ({len(v['nodes'])}): {v['help']} — e.g. {v['nodes'][0]['target']}" for v in found]


def test_the_login_page_passes_axe(page: Page, base_url):
    page.goto(f"{base_url}/login")
    expect(page.get_by_label("Tên đăng nhập")).to_be_editable()
    assert _violations(page) == []


@pytest.mark.parametrize(
    "path",
    [
        "/dashboard",
        "/customers",
        "/customers/{customer}",
        "/customers/{customer}?tab=products",
        "/customer-products",
        "/contacts",
        "/leads",
        "/activities",
        "/opportunities/board",
        "/calendar",
        "/import",
    ],
)
def test_a_page_passes_axe(page: Page, base_url, login, app_db, path):
    if "{customer}" in path:
        found = app_db.customers_named("khach tiep can")  # one customer for its page and its tabs
        customer = (
            found[0]
            if found
            else app_db.create_customer(app_db.user("admin").id, full_name="Khách Tiếp Cận", email="tc@vidu.vn")
        )
        path = path.format(customer=customer.id)
    login(*ADMIN)
    page.goto(base_url + path)
    expect(page.locator("#page-title, #customer-name").first).to_be_visible()
    page.wait_for_timeout(1000)  # the page's data in place
    assert _violations(page) == []

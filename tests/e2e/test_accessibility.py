"""Every main page passes axe-core's WCAG 2 A and AA rules: controls have names, texts their contrast."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from crm_app.services.customer import contacts
from crm_app.services.people.permissions import load_actor

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
        "/contacts/{contact}",
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
    if "{contact}" in path:
        admin_id = app_db.user("admin").id
        company = app_db.create_customer(admin_id, full_name="Công ty Tiếp Cận", kind="business")
        with app_db.session() as s:
            person = contacts.create(
                s,
                load_actor(s, admin_id),
                {"full_name": "Người Tiếp Cận", "customer_id": company.id, "phone": "0905 000 111"},
            )
        path = path.format(contact=person.id)
    login(*ADMIN)
    page.goto(base_url + path)
    expect(page.locator("#page-title, #customer-name, #contact-name").first).to_be_visible()
    page.wait_for_timeout(1000)  # the page's data in place
    assert _violations(page) == []


def test_a_forms_labels_name_their_controls(page: Page, base_url, login, app_db):
    """A click on a label focuses its control; a control is found by its label, the "assigned to"
    picker's search box too; what is typed through the labels is what the form saves."""
    admin_id = app_db.user("admin").id
    app_db.create_customer(admin_id, full_name="Trường Nhãn Liền", kind="public", phones="0236 383 1111")
    page.set_viewport_size({"width": 1024, "height": 768})
    login(*ADMIN)
    page.goto(f"{base_url}/customers/new")
    name = page.locator("#field-full_name")
    expect(name).to_be_visible()
    page.locator("label", has_text="Họ và tên").click()
    expect(name).to_be_focused()
    page.get_by_label("Họ và tên").fill("Lý Thị Nhãn")
    page.get_by_label("Số điện thoại").fill("0904 222 391")
    page.get_by_label("Tỉnh/Thành phố").select_option(label="Đà Nẵng")
    page.get_by_label("Gán cho").fill("lien nhan")
    page.get_by_role("button", name="Trường Nhãn Liền (", exact=False).click()
    expect(page.locator("#assigned_to-selected")).to_contain_text("Trường Nhãn Liền")
    page.click("#customer-save")
    expect(page).to_have_url(re.compile(r"/customers/\d+/?$"))
    saved = app_db.customers_named("ly thi nhan")
    assert len(saved) == 1 and saved[0].province == "48"
    assert saved[0].assigned_to_id == app_db.customers_named("truong nhan lien")[0].id

"""The owner of a customer changed in place on its page: the select lists the users the actor may
give the record to, the present owner chosen, and no empty choice; the change is stored and shown
in the History tab."""

from playwright.sync_api import Page, expect

from crm_app.models import Customer
from crm_app.services.lists import query
from crm_app.services.people.permissions import load_actor

MANAGER = ("quanly.hn", "Quanly@2026")  # demo manager of the team Kinh doanh Hà Nội


def test_a_manager_gives_a_customer_to_a_teammate_in_place(page: Page, base_url, login, app_db, shot):
    lan, minh, manager = (app_db.user(n).id for n in ("sale.lan", "sale.minh", "quanly.hn"))
    customer = app_db.create_customer(lan, full_name="Khách Đổi Người Phụ Trách")
    with app_db.session() as s:
        assignable = query.assignable_options(s, load_actor(s, manager), lan)
    login(*MANAGER)
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"{base_url}/customers/{customer.id}")
    page.get_by_role("button", name="Sửa: Nhân viên phụ trách").click()

    owner = page.get_by_label("Nhân viên phụ trách", exact=True)
    expect(owner).to_have_value(str(lan))  # the present owner is chosen
    options = owner.locator("option")
    expect(options).to_have_count(len(assignable))  # the team's users, no empty choice
    assert [[o.get_attribute("value"), o.inner_text()] for o in options.all()] == assignable
    assert "Nguyễn Thị Hoa" not in [name for _, name in assignable]  # another team's salesperson
    shot("owner_in_place_options")

    owner.select_option(label="Phạm Quang Minh")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator("#value-owner_id")).to_have_text("Phạm Quang Minh")
    with app_db.session() as s:
        assert s.get(Customer, customer.id).owner_id == minh

    page.get_by_role("tab", name="Lịch sử").click()
    row = page.locator("#history-table .history-row", has_text="Nhân viên phụ trách").first
    expect(row.locator(".history-old")).to_have_text("Trần Thị Lan")
    expect(row.locator(".history-new")).to_have_text("Phạm Quang Minh")
    shot("owner_in_place_history")

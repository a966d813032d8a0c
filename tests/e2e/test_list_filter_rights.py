"""A list opened on a static list its user does not see (another salesperson's personal list, a
stale or forged link) is refused with a message naming the list's number; nothing of that list
shows and nothing changes."""

import sqlalchemy as sa
from playwright.sync_api import Page, expect

from crm_app.models import RecordListMember
from crm_app.services.lists import record_lists
from crm_app.services.people.permissions import load_actor

SALES = ("sale.lan", "Sale@2026")


def test_a_sales_user_cannot_open_another_users_personal_list(page: Page, base_url, login, app_db, shot):
    minh = app_db.user("sale.minh").id
    member = app_db.create_customer(minh, full_name="Khách Trong Danh Sách Của Minh")
    with app_db.session() as s:
        theirs = record_lists.create(s, load_actor(s, minh), "customer", {"name": "Khách VIP của Minh"})
        record_lists.add_members(s, load_actor(s, minh), theirs.id, [member.id])
        list_id = theirs.id

    login(*SALES)
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"{base_url}/customers?list={list_id}")
    expect(page.get_by_text(f"Không có danh sách số {list_id} trong các danh sách bạn xem được")).to_be_visible()
    expect(page.get_by_text("Khách Trong Danh Sách Của Minh")).to_have_count(0)
    expect(page.get_by_text("Khách VIP của Minh")).to_have_count(0)
    shot("list_filter_refused")
    with app_db.session() as s:
        members = s.execute(sa.select(RecordListMember.record_id).where(RecordListMember.list_id == list_id)).all()
        assert [m[0] for m in members] == [member.id]

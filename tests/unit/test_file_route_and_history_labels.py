"""The download route checks the session cookie and the right to the customer; history rows read
as names and labels, not ids."""

import warnings
from datetime import date

import pytest

with warnings.catch_warnings():  # starlette prefers httpx2 for its test client; httpx works the same here
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from crm_app import api
from crm_app.services.customer import customers, files
from crm_app.services.people import auth
from crm_app.services.people.session_cookie import COOKIE
from crm_app.services.records import history
from crm_app.settings import settings
from tests.unit.factories import default_catalogs, make_customer, make_org


@pytest.fixture
def org(session):
    return make_org(session)


@pytest.fixture
def stored(session, org, tmp_path, monkeypatch):
    monkeypatch.setattr(files, "settings", type(settings)(files_dir=tmp_path / "files"))
    cust = make_customer(session, org.sales_a, "Nguyễn Văn An")
    return files.save(session, org.sales_a, cust.id, "Báo giá.pdf", b"%PDF-1.4 noi dung")


def _get(session, user, file_id):
    client = TestClient(api.api)
    if user is not None:
        client.cookies.set(COOKIE, auth.start_session(session, user.id))
    return client.get(f"/api/files/{file_id}")


def test_owner_downloads_the_bytes_with_the_name(session, org, stored):
    response = _get(session, org.sales_a, stored.id)
    assert response.status_code == 200 and response.content == b"%PDF-1.4 noi dung"
    assert "attachment" in response.headers["content-disposition"]
    assert "B%C3%A1o%20gi%C3%A1.pdf" in response.headers["content-disposition"]
    assert _get(session, org.manager, stored.id).status_code == 200


def test_others_get_nothing(session, org, stored):
    assert _get(session, None, stored.id).status_code == 401
    for actor in (org.sales_b, org.other_manager):
        response = _get(session, actor, stored.id)
        assert response.status_code == 403 and b"PDF" not in response.content
    # A missing id answers like a forbidden one: ids cannot be probed.
    assert _get(session, org.sales_a, stored.id + 1).status_code == 403
    assert TestClient(api.api).get("/api/files/abc").status_code == 404


def test_history_rows_read_as_names_and_labels(session, org):
    ids = default_catalogs(session)
    cust = make_customer(session, org.manager, "Trần Thị Bình", owner_id=org.sales_a.id, birthday="1990-05-02")
    customers.update(
        session,
        org.manager,
        cust.id,
        {
            "owner_id": org.sales_b.id,
            "status": "potential",
            "category_id": ids["category"]["vip"],
            "email_opt_out": True,
        },
    )
    rows = {
        r["field"]: r
        for r in history.describe(session, history.of_customer(session, org.admin, cust.id), "vi")
        if r["action"] == "Sửa"
    }
    assert (rows["Nhân viên phụ trách"]["old"], rows["Nhân viên phụ trách"]["new"]) == ("Sales A", "Sales B")
    assert (rows["Trạng thái"]["old"], rows["Trạng thái"]["new"]) == ("Đầu mối", "Tiềm năng")
    assert rows["Loại (tệp khách hàng)"]["new"] == "VIP" and rows["Từ chối nhận email"]["new"] == "Có"
    assert all(r["who"] == "Manager Hn" for r in rows.values())
    from crm_app.services.work import activities

    activities.create(session, org.manager, cust.id, {"type_code": "meeting", "subject": "Gặp"})
    created = history.describe(session, history.of_customer(session, org.admin, cust.id), "en")
    assert any(r["field"] == "Activity type" and r["new"] == "Meeting" and r["entity"] == "Activity" for r in created)
    assert any(r["field"] == "Birthday" and r["new"] == date(1990, 5, 2).strftime("%d/%m/%Y") for r in created)

"""The download route: a generated file goes to its own signed-in user only, once."""

from __future__ import annotations

from starlette.testclient import TestClient

from crm_app.api import api
from crm_app.services.people import auth
from crm_app.services.people.session_cookie import COOKIE
from crm_app.services.transfer import downloads
from tests.unit.factories import make_org


def test_download_only_for_its_user(session, monkeypatch, tmp_path):
    monkeypatch.setattr(downloads, "FOLDER", tmp_path)
    org = make_org(session)
    token, path = downloads.new_file(org.sales_a.id, "khách.csv")
    path.write_bytes(b"a,b\n")
    client = TestClient(api)
    link = downloads.url(token, "khách.csv")
    assert client.get(link).status_code == 401
    other = auth.start_session(session, org.sales_b.id)
    assert client.get(link, cookies={COOKIE: other}).status_code == 404
    mine = auth.start_session(session, org.sales_a.id)
    response = client.get(link, cookies={COOKIE: mine})
    assert response.status_code == 200 and response.content == b"a,b\n"
    assert "attachment" in response.headers["content-disposition"]
    downloads.purge_old(now=path.stat().st_mtime + downloads.KEEP_SECONDS + 1)
    assert client.get(link, cookies={COOKIE: mine}).status_code == 404  # removed after an hour

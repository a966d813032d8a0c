"""Signing in and out over HTTP: the session cookie is HttpOnly and SameSite=Lax (Secure under
HTTPS), a refusal comes back to the login page naming its reason, other sites cannot post."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from crm_app import routes
from crm_app.api import api
from crm_app.models import AuthSession
from crm_app.services.people import auth
from crm_app.services.people.session_cookie import COOKIE
from tests.unit.factories import PASSWORD, make_user, use_cheap_hashing


@pytest.fixture
def cheap_hashing(monkeypatch):
    use_cheap_hashing(monkeypatch)


def _client(base_url: str = "http://testserver") -> TestClient:
    return TestClient(api, base_url=base_url, follow_redirects=False)


def test_a_login_sets_an_httponly_lax_cookie_and_opens_the_dashboard(session, cheap_hashing):
    user = make_user(session, "nv.an")
    response = _client().post(routes.AUTH_LOGIN, data={"username": "nv.an", "password": PASSWORD})
    assert response.status_code == 303 and response.headers["location"] == routes.DASHBOARD
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie and "Path=/" in cookie
    token = response.cookies[COOKIE]
    session.expire_all()
    assert auth.user_for_token(session, token).id == user.id


def test_under_https_the_cookie_is_secure(session, cheap_hashing):
    make_user(session, "nv.an")
    response = _client("https://crm.example").post(routes.AUTH_LOGIN, data={"username": "nv.an", "password": PASSWORD})
    assert "Secure" in response.headers["set-cookie"]


def test_a_refusal_goes_back_to_the_login_page_with_its_reason(session, cheap_hashing):
    make_user(session, "nv.an")
    response = _client().post(routes.AUTH_LOGIN, data={"username": "nv.an", "password": "sai-mat-khau"})
    assert response.status_code == 303
    assert response.headers["location"] == f"{routes.LOGIN}?error=err.login_failed&u=nv.an"  # the name stays
    assert "set-cookie" not in response.headers


def test_another_site_cannot_post_the_login_or_logout(session, cheap_hashing):
    make_user(session, "nv.an")
    evil = {"origin": "https://evil.example"}
    data = {"username": "nv.an", "password": PASSWORD}
    assert _client().post(routes.AUTH_LOGIN, data=data, headers=evil).status_code == 403
    assert _client().post(routes.AUTH_LOGOUT, headers=evil).status_code == 403
    same = {"origin": "http://testserver"}
    assert _client().post(routes.AUTH_LOGIN, data=data, headers=same).status_code == 303


def test_an_oversized_login_form_is_refused_unread(session):
    response = _client().post(routes.AUTH_LOGIN, data={"username": "x", "password": "y" * 10_000})
    assert response.status_code == 403


def test_logout_ends_the_session_and_the_cookie(session, cheap_hashing):
    make_user(session, "nv.an")
    client = _client()
    token = client.post(routes.AUTH_LOGIN, data={"username": "nv.an", "password": PASSWORD}).cookies[COOKIE]
    response = client.post(routes.AUTH_LOGOUT, cookies={COOKIE: token})
    assert response.status_code == 303 and response.headers["location"] == routes.LOGIN
    assert f'{COOKIE}=""' in response.headers["set-cookie"] or "Max-Age=0" in response.headers["set-cookie"]
    session.expire_all()
    assert session.get(AuthSession, auth._digest(token)) is None


def test_the_token_is_read_from_a_cookie_header():
    assert auth.token_in(f"a=1; {COOKIE}=abc123; b=2", COOKIE) == "abc123"
    assert auth.token_in("", COOKIE) == "" and auth.token_in('bad="', COOKIE) == ""

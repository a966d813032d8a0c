"""Passwords, login with lock-out, and server-side sessions."""

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from crm_app.models import AuthSession, LoginThrottle, User
from crm_app.services.errors import AuthError, NotAllowed, ValidationFailed
from crm_app.services.people import auth, users
from crm_app.settings import settings
from tests.unit.factories import (
    PASSWORD,
    actor_of,
    make_admin,
    make_team,
    make_user,
    stored_counts,
    use_cheap_hashing,
)

T0 = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def cheap_hashing(monkeypatch):
    use_cheap_hashing(monkeypatch)


HOME, ELSEWHERE = "10.0.0.7", "203.0.113.9"  # the owner's address, an attacker's


def _login_error(session, login, password, now=T0, client=HOME) -> AuthError:
    with pytest.raises(AuthError) as exc:
        auth.authenticate(session, login, password, client=client, now=now)
    return exc.value


# --- hashing -----------------------------------------------------------------------------------------


def test_hash_is_argon2id_and_a_100_character_password_counts_every_character():
    password = ("Mật khẩu rất dài 2024 " * 5)[:100]
    assert len(password) == 100 and len(password.encode()) > 72
    digest = auth.hash_password(password)
    assert digest.startswith("$argon2id$")
    cost = dict(part.split("=") for part in digest.split("$")[3].split(","))
    assert int(cost["m"]) >= 19456 and int(cost["t"]) >= 2  # at least the OWASP minimum for argon2id
    assert password not in digest
    assert auth.verify_password(password, digest) is True
    # a wrong password, and no 72-byte truncation as in bcrypt: a change at the end is a different password
    assert auth.verify_password(password[:-1] + "x", digest) is False


def test_hash_is_salted_and_malformed_hashes_never_match(cheap_hashing):
    digest = auth.hash_password(PASSWORD)
    assert digest.startswith("$argon2id$")
    assert auth.hash_password(PASSWORD) != digest  # a new salt each time
    assert auth.verify_password("", digest) is False
    assert auth.verify_password(PASSWORD, "not a hash") is False
    assert auth.verify_password(PASSWORD, "") is False
    assert auth.verify_password(PASSWORD, "$2b$12$abcdefghijklmnopqrstuv") is False


def test_user_with_a_long_password_logs_in(session, cheap_hashing):
    password = "a1" * 50
    user = make_user(session, "nv.dai", password=password)
    assert user.password_hash.startswith("$argon2id$")
    assert auth.authenticate(session, "nv.dai", password, now=T0).id == user.id
    assert _login_error(session, "nv.dai", password[:72]).key == "err.login_failed"


# --- login -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("login", ["nv.an", "NV.AN", "  Nv.An ", "nv.an@congty.vn", "NV.An@CongTy.VN"])
def test_login_by_username_or_email_in_any_case(session, cheap_hashing, login):
    user = make_user(session, "nv.an")
    logged_in = auth.authenticate(session, login, PASSWORD, now=T0)
    assert logged_in.id == user.id
    session.expire_all()
    assert session.get(User, user.id).last_login_at == T0


def test_wrong_password_fails_and_is_counted(session, cheap_hashing):
    user = make_user(session, "nv.an")
    error = _login_error(session, "nv.an", "MatKhau2025")
    assert error.key == "err.login_failed"
    throttle = session.get(LoginThrottle, f"user:{user.id}@{HOME}")
    assert (throttle.failures, throttle.locked_until, throttle.last_failure_at) == (1, None, T0)
    assert _login_error(session, "Nv.An", "sai").key == "err.login_failed"
    assert session.get(LoginThrottle, f"user:{user.id}@{HOME}").failures == 2
    # the email counts against the same account
    assert _login_error(session, user.email.upper(), "sai").key == "err.login_failed"
    assert session.get(LoginThrottle, f"user:{user.id}@{HOME}").failures == 3
    assert session.get(LoginThrottle, f"address:{HOME}").failures == 3


def test_empty_login_or_password(session):
    assert _login_error(session, "", PASSWORD).key == "err.login_required"
    assert _login_error(session, "   ", PASSWORD).key == "err.login_required"
    assert _login_error(session, "nv.an", "").key == "err.login_required"
    assert stored_counts(session)["LoginThrottle"] == 0


def test_repeated_failures_make_each_next_try_wait_longer(session, cheap_hashing):
    user = make_user(session, "nv.an")
    limit = settings.max_failed_logins
    for i in range(limit):
        assert _login_error(session, "nv.an", f"sai{i}").key == "err.login_failed"
    # from this address, the next try waits 1 s, then 2 s, 4 s ... the right password included
    error = _login_error(session, "nv.an", PASSWORD)
    assert (error.key, error.params) == ("err.login_wait", {"seconds": 1})
    assert _login_error(session, "NV.AN", "sai", now=T0 + timedelta(seconds=1)).key == "err.login_failed"
    error = _login_error(session, "nv.an", PASSWORD, now=T0 + timedelta(seconds=2))
    assert (error.key, error.params) == ("err.login_wait", {"seconds": 1})
    assert _login_error(session, "nv.an", "sai", now=T0 + timedelta(seconds=3)).key == "err.login_failed"
    assert session.get(LoginThrottle, f"user:{user.id}@{HOME}").locked_until == T0 + timedelta(seconds=7)
    # once the wait is over the right password works and the counters are cleared
    assert auth.authenticate(session, "nv.an", PASSWORD, client=HOME, now=T0 + timedelta(seconds=7)).id == user.id
    assert session.get(LoginThrottle, f"user:{user.id}@{HOME}") is None
    assert session.get(LoginThrottle, f"address:{HOME}") is None


def test_the_wait_never_passes_the_longest_one(session, cheap_hashing):
    make_user(session, "nv.an")
    now = T0
    for _ in range(40):
        with pytest.raises(AuthError):
            auth.authenticate(session, "nv.an", "sai", client=HOME, now=now)
        now += timedelta(minutes=settings.lockout_minutes)
    error = _login_error(session, "nv.an", PASSWORD, now=now - timedelta(minutes=settings.lockout_minutes))
    assert error.params["seconds"] <= settings.lockout_minutes * 60


def test_failures_from_another_address_do_not_keep_the_owner_out(session, cheap_hashing):
    user = make_user(session, "nv.an")
    for i in range(settings.max_failed_logins * 3):
        _login_error(session, "nv.an", f"sai{i}", client=ELSEWHERE)
    assert _login_error(session, "nv.an", PASSWORD, client=ELSEWHERE).key == "err.login_wait"
    assert auth.authenticate(session, "nv.an", PASSWORD, client=HOME, now=T0).id == user.id


def test_one_address_trying_many_accounts_is_slowed_down(session, cheap_hashing):
    make_user(session, "nv.an")
    for i in range(auth.ADDRESS_FAILURES):
        assert _login_error(session, f"ten.{i}", "sai", client=ELSEWHERE).key == "err.login_failed"
    assert _login_error(session, "nv.an", PASSWORD, client=ELSEWHERE).key == "err.login_wait"


def test_failures_below_the_limit_do_not_slow_down_and_success_clears_them(session, cheap_hashing):
    user = make_user(session, "nv.an")
    for _ in range(settings.max_failed_logins - 1):
        _login_error(session, "nv.an", "sai")
    assert auth.authenticate(session, "nv.an", PASSWORD, client=HOME, now=T0).id == user.id
    assert session.get(LoginThrottle, f"user:{user.id}@{HOME}") is None
    for _ in range(settings.max_failed_logins - 1):
        assert _login_error(session, "nv.an", "sai").key == "err.login_failed"


def test_unknown_users_are_throttled_too(session, cheap_hashing):
    for _ in range(settings.max_failed_logins):
        assert _login_error(session, "khong.co.ai", PASSWORD).key == "err.login_failed"
    assert _login_error(session, "khong.co.ai", PASSWORD).key == "err.login_wait"
    assert session.get(LoginThrottle, f"khong.co.ai@{HOME}").failures == settings.max_failed_logins
    assert stored_counts(session)["User"] == 0


def test_a_deactivated_account_answers_as_a_wrong_password(session, cheap_hashing):
    admin = make_admin(session)
    user = make_user(session, "nv.an")
    users.set_active(session, admin, user.id, False)
    right, wrong = _login_error(session, "nv.an", PASSWORD), _login_error(session, "nv.an", "sai")
    assert (right.key, right.params) == (wrong.key, wrong.params) == ("err.login_failed", {})
    users.set_active(session, admin, user.id, True)
    assert auth.authenticate(session, "nv.an", PASSWORD, client=HOME, now=T0).id == user.id


# --- sessions ----------------------------------------------------------------------------------------


def test_session_token_finds_its_user_and_only_its_hash_is_stored(session):
    user = make_user(session, "nv.an")
    token = auth.start_session(session, user.id, now=T0)
    assert len(token) >= 40
    row = session.exec(select(AuthSession)).one()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest() != token
    assert row.user_id == user.id
    assert row.expires_at == T0 + timedelta(hours=settings.session_hours)
    assert auth.user_for_token(session, token, now=T0 + timedelta(hours=1)).id == user.id
    assert auth.user_for_token(session, token + "x", now=T0) is None
    assert auth.user_for_token(session, "", now=T0) is None
    other = auth.start_session(session, user.id, now=T0)
    assert other != token


def test_session_expires(session):
    user = make_user(session, "nv.an")
    token = auth.start_session(session, user.id, now=T0)
    end = T0 + timedelta(hours=settings.session_hours)
    assert auth.user_for_token(session, token, now=end - timedelta(seconds=1)).id == user.id
    assert auth.user_for_token(session, token, now=end + timedelta(seconds=1)) is None
    assert stored_counts(session)["AuthSession"] == 0  # the expired row is removed
    assert auth.user_for_token(session, token, now=T0) is None


def test_end_session(session):
    user = make_user(session, "nv.an")
    token = auth.start_session(session, user.id, now=T0)
    kept = auth.start_session(session, user.id, now=T0)
    auth.end_session(session, token)
    assert auth.user_for_token(session, token, now=T0) is None
    assert auth.user_for_token(session, kept, now=T0).id == user.id
    assert stored_counts(session)["AuthSession"] == 1


def test_deactivating_a_user_ends_their_sessions(session):
    admin = make_admin(session)
    user = make_user(session, "nv.an")
    other = make_user(session, "nv.binh")
    tokens = [auth.start_session(session, user.id, now=T0) for _ in range(2)]
    other_token = auth.start_session(session, other.id, now=T0)

    users.set_active(session, admin, user.id, False)
    assert all(auth.user_for_token(session, t, now=T0) is None for t in tokens)
    assert session.exec(select(AuthSession).where(AuthSession.user_id == user.id)).all() == []
    assert auth.user_for_token(session, other_token, now=T0).id == other.id
    # coming back does not revive the old sessions
    users.set_active(session, admin, user.id, True)
    assert all(auth.user_for_token(session, t, now=T0) is None for t in tokens)


# --- create_user validation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "key"),
    [
        ({"password": "ab1"}, "password", "err.password_short"),
        ({"password": ""}, "password", "err.password_short"),
        ({"password": "matkhaudai"}, "password", "err.password_weak"),
        ({"password": "12345678"}, "password", "err.password_weak"),
        ({"password": "a1" * 129}, "password", "err.password_long"),
        ({"username": "nv an"}, "username", "err.invalid_username"),
        ({"username": "ab"}, "username", "err.invalid_username"),
        ({"username": "nguyễn"}, "username", "err.invalid_username"),
        ({"username": "an;drop"}, "username", "err.invalid_username"),
        ({"username": ""}, "username", "err.required"),
        ({"email": ""}, "email", "err.required"),
        ({"email": "an@"}, "email", "err.invalid_email"),
        ({"full_name": " "}, "full_name", "err.required"),
        ({"role": "boss"}, "role", "err.invalid_choice"),
        ({"language": "fr"}, "language", "err.invalid_choice"),
        ({"team_id": 4242}, "team_id", "err.invalid_choice"),
    ],
)
def test_create_user_refuses_bad_input(session, changes, field, key):
    data = {
        "username": "nv.moi",
        "email": "moi@congty.vn",
        "full_name": "Nhân viên mới",
        "password": PASSWORD,
        **changes,
    }
    with pytest.raises(ValidationFailed) as exc:
        users.create_user(session, None, data)
    assert exc.value.errors[field][0] == key
    assert set(exc.value.errors) == {field}
    assert stored_counts(session)["User"] == 0


def test_create_user_refuses_taken_username_and_email(session):
    make_user(session, "nv.an")
    before = stored_counts(session)
    with pytest.raises(ValidationFailed) as exc:
        users.create_user(
            session, None, {"username": "NV.AN", "email": "NV.AN@CongTy.vn", "full_name": "Trùng", "password": PASSWORD}
        )
    assert exc.value.errors["username"][0] == "err.username_taken"
    assert exc.value.errors["email"][0] == "err.email_taken"
    assert stored_counts(session) == before


def test_create_user_stores_clean_values_and_membership(session, cheap_hashing):
    team = make_team(session, "Nhóm Hà Nội")
    user = users.create_user(
        session,
        None,
        {
            "username": " Nv.Moi ",
            "email": " Moi@CongTy.VN",
            "full_name": "  Trần  Văn Mới ",
            "password": PASSWORD,
            "role": "manager",
            "language": "en",
            "team_id": str(team.id),
        },
    )
    session.expire_all()
    stored = session.get(User, user.id)
    assert (stored.username, stored.email, stored.full_name, stored.role, stored.language, stored.active) == (
        "nv.moi",
        "moi@congty.vn",
        "Trần Văn Mới",
        "manager",
        "en",
        True,
    )
    assert stored.password_hash.startswith("$argon2id$") and PASSWORD not in stored.password_hash
    assert users.list_teams(session) == [{"id": team.id, "name": "Nhóm Hà Nội", "active": True, "members": 1}]


def test_only_an_admin_creates_users(session):
    sales = make_user(session, "nv.an")
    with pytest.raises(NotAllowed) as exc:
        users.create_user(
            session,
            actor_of(session, sales),
            {"username": "nv.moi", "email": "moi@congty.vn", "full_name": "Mới", "password": PASSWORD},
        )
    assert exc.value.key == "err.admin_only"
    assert stored_counts(session)["User"] == 1

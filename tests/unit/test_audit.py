"""History: how values are compared and written."""

from datetime import UTC, date, datetime, timedelta, timezone

from crm_app.models import AuditLog
from crm_app.services.records import audit
from tests.unit.factories import make_sales


def test_diff_of_dates():
    day = date(2024, 1, 2)
    assert audit.diff({"d": day}, {"d": date(2024, 1, 2)}) == []
    assert audit.diff({"d": None}, {"d": day}) == [("d", None, "2024-01-02")]
    assert audit.diff({"d": day}, {"d": date(2024, 2, 1)}) == [("d", "2024-01-02", "2024-02-01")]
    assert audit.diff({"d": day}, {"d": None}) == [("d", "2024-01-02", None)]
    assert audit.diff({"d": "2024-01-02"}, {"d": day}) == []
    moment = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert audit.diff({}, {"t": moment}) == [("t", None, "2024-01-02T03:04:00+00:00")]


def test_moments_compare_to_the_minute_in_utc():
    """A form shows and sends a time to the minute: the stored seconds are no change, nor is a
    time read back without its zone (SQLite) or given in Vietnam time."""
    stored = datetime(2026, 12, 4, 14, 3, 27, 123456, tzinfo=UTC)
    assert audit.diff({"at": stored}, {"at": datetime(2026, 12, 4, 14, 3, tzinfo=UTC)}) == []
    assert audit.diff({"at": stored.replace(tzinfo=None)}, {"at": stored}) == []
    assert audit.diff({"at": stored}, {"at": datetime(2026, 12, 4, 21, 3, tzinfo=timezone(timedelta(hours=7)))}) == []
    assert audit.diff({"at": stored}, {"at": datetime(2026, 12, 4, 14, 4, tzinfo=UTC)}) == [
        ("at", "2026-12-04T14:03:00+00:00", "2026-12-04T14:04:00+00:00")
    ]


def test_diff_of_bools():
    assert audit.diff({"b": False}, {"b": True}) == [("b", "0", "1")]
    assert audit.diff({"b": True}, {"b": False}) == [("b", "1", "0")]
    assert audit.diff({"b": True}, {"b": True}) == []
    assert audit.diff({"b": None}, {"b": False}) == [("b", None, "0")]


def test_diff_of_lists():
    assert audit.diff({"p": ["0912345678"]}, {"p": ["0912345678"]}) == []
    assert audit.diff({"p": ["0912345678"]}, {"p": ["0912345678", "0987654321"]}) == [
        ("p", "0912345678", "0912345678, 0987654321")
    ]
    assert audit.diff({"p": ["a", "b"]}, {"p": ["b", "a"]}) == [("p", "a, b", "b, a")]  # order counts (first phone)
    assert audit.diff({"p": []}, {"p": None}) == []
    assert audit.diff({"p": []}, {"p": ("x",)}) == [("p", None, "x")]
    assert audit.diff({"p": ["x"]}, {"p": []}) == [("p", "x", None)]


def test_diff_of_empty_values():
    assert audit.diff({"s": None}, {"s": ""}) == []
    assert audit.diff({"s": ""}, {"s": None}) == []
    assert audit.diff({}, {"s": ""}) == []
    assert audit.diff({"s": ""}, {"s": "x"}) == [("s", None, "x")]
    assert audit.diff({"s": "x"}, {"s": ""}) == [("s", "x", None)]
    assert audit.diff({"n": None}, {"n": 0}) == [("n", None, "0")]


def test_diff_of_text_and_numbers():
    assert audit.diff({"n": 1}, {"n": "1"}) == []
    assert audit.diff({"n": 1}, {"n": 2}) == [("n", "1", "2")]
    assert audit.diff({"s": "Hà Nội"}, {"s": "Hà Nội "}) == [("s", "Hà Nội", "Hà Nội ")]


def test_diff_follows_the_order_of_the_new_values_and_ignores_fields_only_before():
    before = {"a": 1, "b": 2, "gone": "x"}
    after = {"c": 3, "b": 5, "a": 1}
    assert audit.diff(before, after) == [("c", None, "3"), ("b", "2", "5")]


def test_record_writes_one_row_per_change(session):
    user = make_sales(session, "nv.an")
    written = audit.record(
        session,
        "customer",
        7,
        "update",
        user.id,
        {"a": 1, "b": "x", "c": None},
        {"a": 2, "b": "x", "c": date(2024, 5, 6)},
    )
    session.commit()
    assert written == 2
    rows = audit.history(session, "customer", 7)
    assert [(r.action, r.field, r.old_value, r.new_value, r.user_id) for r in rows] == [
        ("update", "c", None, "2024-05-06", user.id),
        ("update", "a", "1", "2", user.id),
    ]
    assert all(r.at is not None for r in rows)


def test_record_of_an_update_without_changes_writes_nothing(session):
    assert audit.record(session, "customer", 7, "update", None, {"a": 1}, {"a": "1"}) == 0
    session.commit()
    assert audit.history(session, "customer", 7) == []


def test_record_of_an_action_without_values_writes_one_row(session):
    assert audit.record(session, "contact", 3, "archive", None) == 1
    assert audit.record(session, "contact", 3, "restore", None) == 1
    session.commit()
    rows = audit.history(session, "contact", 3)
    assert [(r.action, r.field, r.old_value, r.new_value) for r in rows] == [
        ("restore", None, None, None),
        ("archive", None, None, None),
    ]
    assert audit.history(session, "customer", 3) == []
    assert len(audit.history(session, "contact", 3, limit=1)) == 1
    assert session.get(AuditLog, rows[0].id).entity == "contact"

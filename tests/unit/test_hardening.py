"""What an attacker with a sales account tried, each closed: names of invisible characters,
right-to-left tricks in file names, notification links to other sites, an endless search."""

from __future__ import annotations

import pytest

from crm_app import routes
from crm_app.models import Notification
from crm_app.services.customer import customers, files
from crm_app.services.errors import ValidationFailed
from crm_app.services.lists import query
from crm_app.services.lists.filters import BadSpec
from crm_app.services.work import notifications


@pytest.mark.parametrize("name", ["\u200b\u200b", "\u3164\u3164", "\u202e\u202d", "\ufeff", "...", "- -"])
def test_a_name_must_show_a_letter(session, org, name):
    with pytest.raises(ValidationFailed) as exc:
        customers.create(session, org.sales_a, {"full_name": name})
    assert exc.value.errors["full_name"][0] in ("err.required", "err.needs_letter")


def test_invisible_characters_are_taken_out_of_names(session, org):
    made = customers.create(session, org.sales_a, {"full_name": "Nguyễn\u200b Văn\u202e An"}).customer
    assert made.full_name == "Nguyễn Văn An"


@pytest.mark.parametrize(
    ("typed", "shown"),
    [("zs\u202etxt.exe", "zstxt.exe"), ("bao\u200bgia.pdf", "baogia.pdf"), ("\u2067a.pdf\u2069", "a.pdf")],
)
def test_file_names_lose_their_direction_marks(typed, shown):
    assert files.sanitize_name(typed) == shown


@pytest.mark.parametrize(
    ("link", "stays"),
    [
        ("/customers/12", True),
        ("/customers/12?tab=sales", True),
        ("//evil.example/x", False),
        ("/\\evil.example", False),
        ("https://evil.example", False),
        ("javascript:alert(1)", False),
        ("", False),
    ],
)
def test_only_links_inside_the_app_are_followed(link, stays):
    assert routes.in_app(link) is stays


def test_a_notification_leads_only_inside_the_app(session, org):
    good = notifications.notify(session, org.sales_a.id, "Việc mới", "/customers/1")
    bad = notifications.notify(session, org.sales_a.id, "Lừa", "//evil.example/x")
    session.commit()
    assert bad.link == ""
    assert notifications.open_one(session, org.sales_a.id, good.id) == "/customers/1"
    assert notifications.open_one(session, org.sales_b.id, good.id) is None  # not theirs
    forged = Notification(user_id=org.sales_a.id, text="cũ", link="//evil.example/y")  # written before the check
    session.add(forged)
    session.commit()
    assert notifications.open_one(session, org.sales_a.id, forged.id) is None


def test_an_endless_search_is_refused_with_a_message(session, org):
    with pytest.raises(BadSpec) as exc:
        query.fetch_page(session, org.sales_a, query.ListSpec(entity="customer", search="a" * 60_000))
    assert (exc.value.key, exc.value.params) == ("err.search_too_long", {"max": query.MAX_SEARCH})

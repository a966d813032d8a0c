"""A filter condition "in the list N" names only a list its user sees: another user's personal
list, a list of another kind of record or one that does not exist is refused, naming the number,
and nothing is stored."""

import pytest

from crm_app.models import ListView, SavedFilter
from crm_app.services.lists import query, record_lists, saved_filters, views
from crm_app.services.lists.filters import BadSpec
from tests.unit.factories import count, default_catalogs, make_customer, make_org

MISSING = 999_999


@pytest.fixture
def org(session):
    default_catalogs(session)
    return make_org(session)


def _in_list(list_id) -> dict:
    return {"op": "and", "items": [{"field": "lists", "operator": "any_of", "value": [str(list_id)]}]}


def _refused(call, value) -> None:
    with pytest.raises(BadSpec) as refused:
        call()
    assert (refused.value.key, refused.value.params) == ("err.filter_list_unseen", {"value": value})


def test_a_sales_user_cannot_filter_on_another_users_personal_list(session, org):
    theirs = record_lists.create(session, org.sales_a, "customer", {"name": "Khách VIP của A"})
    mine = make_customer(session, org.sales_b, "Khách Của B")
    record_lists.add_members(session, org.sales_a, theirs.id, [make_customer(session, org.sales_a, "Khách A").id])
    session.commit()
    spec = query.ListSpec(entity="customer", columns=["full_name"], filter=_in_list(theirs.id))

    _refused(lambda: query.fetch_page(session, org.sales_b, spec), theirs.id)
    _refused(lambda: query.count_upto(session, org.sales_b, spec), theirs.id)
    _refused(
        lambda: views.create(session, org.sales_b, "customer", {"name": "Lọc VIP"}, {"filter": spec.filter}), theirs.id
    )
    _refused(lambda: saved_filters.create(session, org.sales_b, "customer", {"name": "VIP"}, spec.filter), theirs.id)
    # nested in a group, or among lists she does see: refused the same
    nested = {
        "op": "or",
        "items": [{"field": "full_name", "operator": "contains", "value": "Khách"}, _in_list(theirs.id)],
    }
    _refused(
        lambda: query.fetch_page(session, org.sales_b, query.ListSpec(entity="customer", filter=nested)), theirs.id
    )
    session.rollback()
    assert (count(session, ListView), count(session, SavedFilter)) == (0, 0)
    # her own records, unfiltered, are untouched; the list's owner filters on it
    assert [r["id"] for r in query.fetch_page(session, org.sales_b, query.ListSpec(entity="customer")).rows] == [
        mine.id
    ]
    assert len(query.fetch_page(session, org.sales_a, spec).rows) == 1


def test_a_list_that_does_not_exist_or_is_of_another_kind_is_refused(session, org):
    contacts_list = record_lists.create(session, org.sales_a, "contact", {"name": "Người liên hệ hội chợ"})
    session.commit()
    for list_id in (MISSING, contacts_list.id):
        spec = query.ListSpec(entity="customer", filter=_in_list(list_id))
        _refused(lambda spec=spec: query.fetch_page(session, org.sales_a, spec), list_id)
    session.rollback()
    none_of = {"op": "and", "items": [{"field": "lists", "operator": "none_of", "value": [MISSING]}]}
    _refused(lambda: query.count_upto(session, org.sales_a, query.ListSpec(entity="customer", filter=none_of)), MISSING)


def test_a_list_shared_with_the_team_filters_for_a_teammate(session, org):
    shared = record_lists.create(session, org.manager, "customer", {"name": "Khách hội chợ", "scope": "team"})
    session.commit()
    spec = query.ListSpec(entity="customer", filter=_in_list(shared.id))
    assert query.fetch_page(session, org.sales_b, spec).rows == []  # seen: filtered, not refused
    _refused(lambda: query.fetch_page(session, org.other_sales, spec), shared.id)  # another team's

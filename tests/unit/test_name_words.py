"""The stored words of names looked up from inside (services.lists.name_words)."""

from crm_app.models import NameWord
from crm_app.services.lists import name_words


def _add(session, *words):
    session.add_all([NameWord(word=w) for w in words])
    session.commit()


def test_words_holding_or_ending_with_the_text(session):
    _add(session, "nguyen", "uyen", "huyen", "khuyen", "uyenanh", "an", "012586", "0586")
    assert name_words.matching(session, "uyen", ending=False, limit=25) == [
        "huyen",
        "khuyen",
        "nguyen",
        "uyen",
        "uyenanh",
    ]
    assert name_words.matching(session, "uyen", ending=True, limit=25) == ["huyen", "khuyen", "nguyen", "uyen"]
    assert name_words.matching(session, "586", ending=True, limit=25) == ["012586", "0586"]
    assert name_words.matching(session, "zz", ending=False, limit=25) == []
    assert len(name_words.matching(session, "uyen", ending=False, limit=2)) == 2  # stops at the limit
    # the text is never read as a pattern
    assert name_words.matching(session, "%", ending=False, limit=25) == []
    assert name_words.matching(session, "_", ending=False, limit=25) == []


def test_a_word_stored_later_is_found(session):
    _add(session, "minh", "hoa")
    assert name_words.matching(session, "uyen", ending=False, limit=25) == []
    _add(session, "huyen")  # by another user's save, say
    assert name_words.matching(session, "uyen", ending=False, limit=25) == ["huyen"]
    assert name_words.matching(session, "in", ending=False, limit=25) == ["minh"]


def test_a_word_holding_the_text_twice_is_given_once(session):
    _add(session, "anan", "banana")
    assert name_words.matching(session, "an", ending=False, limit=25) == ["anan", "banana"]
    assert name_words.matching(session, "an", ending=True, limit=25) == ["anan"]

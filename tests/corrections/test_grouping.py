"""Grouping a report with the open reports of its passage: searched before the article's row is
locked, against the nearest recorded passages, without searching every open group again."""

import random
import string

import pytest
from django.db import connection

from corrections import grouping, passages, services
from tests.factories import ArticleFactory

SENTENCE = "The river rose by four metres overnight, flooding the old town."
OTHER = "The mayor said the clean-up would take a month."


@pytest.fixture
def article(db):
    return ArticleFactory(paragraphs=[SENTENCE, OTHER])


def _report(article, quote: str, **fields):
    return services.create_correction_report(article=article, message="Wrong.", quote=quote, **fields)


def _random_quote(rng: random.Random) -> str:
    return "".join(rng.choice(string.ascii_lowercase + "   ") for _ in range(1000))


@pytest.fixture
def searches(monkeypatch):
    """Every search for a passage in the article's text, and whether a transaction was open."""
    calls = []
    original = passages.find_passage

    def spy(*args, **kwargs):
        calls.append(connection.in_atomic_block)
        return original(*args, **kwargs)

    monkeypatch.setattr(passages, "find_passage", spy)
    return calls


def test_a_new_report_searches_the_article_once_however_many_groups_are_open(article, searches):
    rng = random.Random(3)
    for _ in range(14):
        _report(article, _random_quote(rng))
    searches.clear()

    _report(article, _random_quote(rng))

    assert len(searches) == 1


@pytest.mark.django_db(transaction=True)
def test_the_article_is_not_locked_while_the_passage_is_searched(searches):
    article = ArticleFactory(paragraphs=[SENTENCE, OTHER])
    _report(article, "rose by four metres overnight")

    _report(article, "four metres overnight, flooding the old town")

    assert searches == [False, False]


def test_a_report_joins_its_passage_among_many_open_groups(article, settings, monkeypatch):
    monkeypatch.setattr(grouping, "MATCH_CANDIDATES", 3)
    rng = random.Random(4)
    for _ in range(10):
        _report(article, _random_quote(rng))
    first = _report(article, "rose by four metres overnight")
    for _ in range(10):
        _report(article, _random_quote(rng))

    second = _report(article, "four metres overnight, flooding")

    assert second.group_id == first.pk


def test_a_group_whose_passage_was_edited_is_still_found(article):
    first = _report(article, "rose by four metres overnight")
    block = article.blocks.get(position=1)
    block.text = "Heavy rain fell. " + SENTENCE
    block.save()

    second = _report(article, "four metres overnight, flooding the old town")

    assert second.group_id == first.pk


@pytest.mark.django_db(transaction=True)
def test_a_report_filed_while_another_was_being_matched_still_joins_it(monkeypatch):
    article = ArticleFactory(paragraphs=[SENTENCE, OTHER])
    search_before_lock = grouping.find_group
    other = []

    def meanwhile(*args, **kwargs):
        # Another reader's report of the same passage is filed between this one's search and its lock.
        if not other:
            other.append(None)
            other[0] = services.create_correction_report(
                article=article, message="Me first.", quote="rose by four metres"
            )
        return search_before_lock(*args, **kwargs)

    monkeypatch.setattr(grouping, "find_group", meanwhile)

    mine = services.create_correction_report(article=article, message="Wrong.", quote="four metres overnight")

    assert mine.group_id == other[0].pk != mine.pk

import pytest

from tests.factories import ArticleFactory, UserFactory, make_comment

PASSWORD = "correct horse battery staple"


@pytest.fixture
def article(db):
    return ArticleFactory(slug="story", headline="Ninety-eight thousand flee")


@pytest.fixture
def alice(db):
    return UserFactory(username="alice")


@pytest.fixture
def bob(db):
    return UserFactory(username="bob")


@pytest.fixture
def refused(article, alice):
    """Alice's comment, rejected as spam."""
    return make_comment(
        article=article, author=alice, body="Refused words", status="rejected", rejection_reason="it is spam"
    )

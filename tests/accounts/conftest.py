import pytest

from tests.factories import ArticleFactory, UserFactory

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

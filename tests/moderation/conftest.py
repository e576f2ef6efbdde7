import pytest

from tests.factories import ArticleFactory, moderator


@pytest.fixture
def article():
    return ArticleFactory(slug="story")


@pytest.fixture
def alice():
    """A moderator."""
    return moderator(username="alice")


@pytest.fixture
def bob():
    """Another moderator."""
    return moderator(username="bob")

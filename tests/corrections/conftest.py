import pytest

from tests.factories import ArticleFactory, desk_editor

SENTENCE = "The river rose by four metres overnight, flooding the old town."


@pytest.fixture
def article():
    """The reported sentence in the article's second paragraph."""
    return ArticleFactory(paragraphs=["The storm came at night.", SENTENCE])


@pytest.fixture
def editor(client):
    """A desk member, signed in."""
    user = desk_editor(username="desk")
    client.force_login(user)
    return user

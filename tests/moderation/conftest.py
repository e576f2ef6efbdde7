import pytest

from tests.factories import UserFactory, moderator


@pytest.fixture
def alice():
    """A moderator."""
    return moderator(username="alice")


@pytest.fixture
def bob():
    """Another moderator."""
    return moderator(username="bob")


@pytest.fixture
def carol():
    """A commenter."""
    return UserFactory(username="carol")


@pytest.fixture
def mod(client):
    """A moderator, logged in on `client`."""
    user = moderator(username="mo")
    client.force_login(user)
    return user

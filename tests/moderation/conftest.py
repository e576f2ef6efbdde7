import pytest

from tests.factories import moderator


@pytest.fixture
def alice():
    """A moderator."""
    return moderator(username="alice")


@pytest.fixture
def bob():
    """Another moderator."""
    return moderator(username="bob")

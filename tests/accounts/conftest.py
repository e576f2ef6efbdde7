import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

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


def api(user=None) -> APIClient:
    client = APIClient()
    if user:
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client

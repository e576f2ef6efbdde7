import time
import uuid

import jwt
import pytest
from rest_framework.test import APIClient

NEWSROOM = "https://news.example.com"
SECRET = "a-newsroom-secret-of-at-least-32-bytes"
KID = "2026-11"
READER = {"id": "u-1", "username": "alice", "email": "alice@news.example.com"}


@pytest.fixture(autouse=True)
def newsroom(settings):
    """The newsroom's site is permitted and signs its readers in with SECRET under KID."""
    settings.EMBED_ORIGINS = settings.CORS_ALLOWED_ORIGINS = [NEWSROOM]
    settings.SSO_JWT_SECRET, settings.SSO_JWT_KID = SECRET, KID
    settings.SSO_JWT_SECRET_PREVIOUS = settings.SSO_JWT_KID_PREVIOUS = ""
    return settings


def token(
    user: dict | None = None,
    *,
    secret: str = SECRET,
    kid: str | None = KID,
    issued: float | None = None,
    lifetime: int = 3600,
    jti: str | None = "fresh",
    algorithm: str = "HS256",
    **claims,
) -> str:
    """A reader's JWT as the newsroom signs it (Coral's shape); every part can be made wrong."""
    now = int(issued if issued is not None else time.time())
    body = {"user": user or READER, "iat": now, "exp": now + lifetime, **claims}
    if jti:
        body["jti"] = uuid.uuid4().hex if jti == "fresh" else jti
    return jwt.encode(body, secret, algorithm=algorithm, headers={"kid": kid} if kid else None)


def bearer(value: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {value}")
    return client


def story_url(path: str = "/2026/11/a-story/") -> str:
    return NEWSROOM + path

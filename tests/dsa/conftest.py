from datetime import timedelta

import pytest
from django.test import TestCase
from django.utils import timezone

from moderation import services
from moderation.models import ReviewItem
from tests.factories import UserFactory, decide_item, make_comment
from tests.moderation.conftest import alice, bob  # noqa: F401  (the same two moderators)


@pytest.fixture
def writer():
    """A commenter whose comments get restricted."""
    return UserFactory(username="writer")


@pytest.fixture
def published(article, writer):
    return make_comment(article=article, author=writer, body="A published opinion about the story.")


def send_notice(client, noticed, **data):
    """POST /api/v1/notices/ about a comment, with everything the law asks unless overridden."""
    body = {
        "comment": noticed.pk,
        "category": "defamation",
        "explanation": "It says I stole money from the council, which is false.",
        "good_faith": True,
        **data,
    }
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post("/api/v1/notices/", body, content_type="application/json")


def decide(comment, *, moderator, action: str, **choices):
    """A moderator's decision on the comment's open item, its on-commit work (mails) run."""
    item = ReviewItem.objects.get(comment=comment, decided_at__isnull=True)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return decide_item(item, moderator=moderator, action=action, **choices)


def public_ids(client, slug: str = "story") -> list[int]:
    return [c["id"] for c in client.get(f"/api/v1/articles/{slug}/comments/").json()["results"]]


def suspend(user, *, moderator, days: int = 7):
    """A week's suspension, its statement's mail run."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.apply_sanction(
            user=user,
            moderator=moderator,
            kind="suspend",
            reason="Cool off.",
            until=timezone.now() + timedelta(days=days),
        )

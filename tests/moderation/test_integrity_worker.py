"""The four attacks on "only judged text is public", end to end through the API with a real
Celery worker process on the real Redis and PostgreSQL."""

import pytest

from comments.models import Comment, CommentFlag
from moderation.models import ModerationSettings, ReviewItem, Sanction
from tests.clients import api
from tests.conftest import wait_for
from tests.factories import ArticleFactory, UserFactory, established_reader, moderator

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def public_bodies(slug: str) -> list[str]:
    return [c["body"] for c in api().get(f"/api/v1/articles/{slug}/comments/").json()["results"]]


def _status(pk: int) -> str:
    return Comment.objects.get(pk=pk).status


def test_a_moderator_cannot_approve_an_edit_they_never_saw(celery_worker, postgres):
    ArticleFactory(slug="story")
    author, mod = UserFactory(), moderator(username="mo")
    posted = api(author).post(
        "/api/v1/articles/story/comments/", {"body": "Worth a read: https://example.com/a"}, format="json"
    )
    pk = posted.json()["id"]
    wait_for(lambda: _status(pk) == "in_review", message="the new commenter's link to be held")
    claimed = api(mod).post("/api/v1/moderation/queue/claim/", {"queue": "premod"}, format="json").json()
    item = claimed["results"][0]
    assert item["comment"]["version"] == 1

    edited = api(author).patch(
        f"/api/v1/comments/{pk}/", {"body": "You idiot, buy at scam.example"}, format="json"
    )
    assert edited.status_code == 200
    wait_for(lambda: Comment.objects.get(pk=pk).checked_version == 2, message="the edit to be checked")
    stale = api(mod).post(
        f"/api/v1/moderation/items/{item['id']}/decision/", {"action": "approve", "version": 1}, format="json"
    )

    assert stale.status_code == 409
    assert stale.json()["item"]["comment"]["body"] == "You idiot, buy at scam.example"
    assert _status(pk) == "in_review"
    assert public_bodies("story") == []
    checks = stale.json()["item"]["checks"]
    assert checks and all(c["verdict"] != "skipped" for c in checks)


def test_an_edit_of_a_withheld_comment_does_not_publish_it(celery_worker, postgres):
    ArticleFactory(slug="story")
    author = established_reader()
    posted = api(author).post(
        "/api/v1/articles/story/comments/", {"body": "An unpopular opinion."}, format="json"
    )
    pk = posted.json()["id"]
    wait_for(lambda: _status(pk) == "approved", message="the comment to be approved")
    for _ in range(6):
        api(established_reader()).post(f"/api/v1/comments/{pk}/flags/", {"reason": "abuse"}, format="json")
    assert _status(pk) == "in_review"

    api(author).patch(f"/api/v1/comments/{pk}/", {"body": "An unpopular opinion!"}, format="json")
    wait_for(lambda: Comment.objects.get(pk=pk).checked_version == 2, message="the edit to be checked")

    assert _status(pk) == "in_review"
    assert public_bodies("story") == []
    item = ReviewItem.objects.get(comment_id=pk, decided_at__isnull=True)
    assert item.queue == "reported"


def test_fresh_and_banned_accounts_cannot_hide_a_comment(celery_worker, postgres):
    ArticleFactory(slug="story")
    mod = moderator(username="mo")
    posted = api(established_reader()).post(
        "/api/v1/articles/story/comments/", {"body": "A fair point, fairly made."}, format="json"
    )
    pk = posted.json()["id"]
    wait_for(lambda: _status(pk) == "approved", message="the comment to be approved")
    socks = [UserFactory() for _ in range(6)]
    banned = socks[0]
    Sanction.objects.create(user=banned, kind="ban", reason="sock puppets", created_by=mod)

    answers = [
        api(sock).post(f"/api/v1/comments/{pk}/flags/", {"reason": "abuse"}, format="json").status_code
        for sock in socks
    ]

    assert answers == [403, 201, 201, 201, 201, 201]
    assert _status(pk) == "approved"
    assert public_bodies("story") == ["A fair point, fairly made."]
    total = sum(CommentFlag.objects.filter(comment_id=pk).values_list("weight", flat=True))
    assert total < ModerationSettings.load().flags_to_report


def test_edits_are_rate_limited_so_each_one_does_not_queue_a_check(celery_worker, postgres, settings):
    from tests.moderation.test_integrity_flags import _one_window

    _one_window(settings)
    ArticleFactory(slug="story")
    author = established_reader()
    posted = api(author).post("/api/v1/articles/story/comments/", {"body": "v1"}, format="json")
    pk = posted.json()["id"]

    answers = [
        api(author).patch(f"/api/v1/comments/{pk}/", {"body": f"v{n}"}, format="json").status_code
        for n in range(2, 22)
    ]

    assert answers.count(200) == settings.COMMENT_EDIT_RATE_LIMIT
    assert answers[settings.COMMENT_EDIT_RATE_LIMIT :] == [429] * (20 - settings.COMMENT_EDIT_RATE_LIMIT)
    last = settings.COMMENT_EDIT_RATE_LIMIT + 1
    wait_for(
        lambda: Comment.objects.get(pk=pk).checked_version == last, message="the last edit to be checked"
    )
    comment = Comment.objects.get(pk=pk)
    assert comment.revisions.count() == settings.COMMENT_EDIT_RATE_LIMIT

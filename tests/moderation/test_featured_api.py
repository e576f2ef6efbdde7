"""PUT / DELETE /api/v1/moderation/comments/<id>/featured/ and the toolbar's Feature button."""

import pytest
from django.core import mail
from rest_framework.test import APIClient

from accounts import services as account_services
from comments.models import AuditRecord
from comments.notify import send_digest
from tests.clients import api
from tests.factories import UserFactory, make_comment, moderator

pytestmark = pytest.mark.django_db


def url(pk: int) -> str:
    return f"/api/v1/moderation/comments/{pk}/featured/"


@pytest.fixture
def comment(article):
    return make_comment(article=article, author=UserFactory(username="alice"), body="A fine point")


@pytest.mark.parametrize("method", ["put", "delete"])
def test_it_answers_401_without_credentials(comment, method):
    response = getattr(api(), method)(url(comment.pk))

    assert response.status_code == 401
    assert "WWW-Authenticate" in response


@pytest.mark.parametrize("method", ["put", "delete"])
def test_it_answers_403_to_a_reader(comment, method):
    response = getattr(api(UserFactory()), method)(url(comment.pk))

    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.featured_at is None


def test_a_session_without_its_csrf_token_is_refused(comment):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(moderator())

    assert client.put(url(comment.pk)).status_code == 403


@pytest.mark.parametrize("method", ["put", "delete"])
def test_an_unknown_comment_is_404(method):
    response = getattr(api(moderator()), method)(url(999999))

    assert response.status_code == 404
    assert response.json() == {"detail": "No such comment."}


def test_a_moderator_features_a_comment_once_however_often_they_ask(
    comment, django_capture_on_commit_callbacks
):
    mod = moderator(username="mod")

    with django_capture_on_commit_callbacks(execute=True):
        first = api(mod).put(url(comment.pk))
        second = api(mod).put(url(comment.pk))

    assert first.status_code == second.status_code == 200
    assert first.json()["featured"] is True and first.json()["featured_by"] == "mod"
    assert (first.json()["changed"], second.json()["changed"]) == (True, False)
    assert list(AuditRecord.objects.filter(comment=comment).values_list("action", "actor_name")) == [
        ("comments.comment.featured", "mod")
    ]


def test_featuring_mails_the_author_once(comment, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        api(moderator()).put(url(comment.pk))
        api(moderator()).put(url(comment.pk))

    send_digest(recipient_id=comment.author_id)  # in case the digest task is queued, not eager
    assert [m.subject for m in mail.outbox] == ["The Newsroom: Your comment was featured"]


def test_an_author_who_opted_out_is_not_mailed(comment, django_capture_on_commit_callbacks):
    account_services.set_notifications(user=comment.author, featured=False)

    with django_capture_on_commit_callbacks(execute=True):
        assert api(moderator()).put(url(comment.pk)).status_code == 200

    send_digest(recipient_id=comment.author_id)
    assert mail.outbox == []


@pytest.mark.parametrize("status", ["pending", "in_review", "rejected", "deleted"])
def test_only_a_published_comment_can_be_featured(article, status):
    comment = make_comment(article=article, status=status)

    response = api(moderator()).put(url(comment.pk))

    assert response.status_code == 400
    assert "Only a published comment" in response.json()["detail"]
    comment.refresh_from_db()
    assert comment.featured_at is None
    assert not AuditRecord.objects.filter(comment=comment).exists()


def test_unfeaturing_is_204_and_idempotent(comment, django_capture_on_commit_callbacks):
    mod = moderator()
    api(mod).put(url(comment.pk))

    first, second = api(mod).delete(url(comment.pk)), api(mod).delete(url(comment.pk))

    assert first.status_code == second.status_code == 204
    comment.refresh_from_db()
    assert comment.featured_at is None and comment.featured_by is None
    assert list(AuditRecord.objects.filter(comment=comment).values_list("action", flat=True)) == [
        "comments.comment.featured",
        "comments.comment.unfeatured",
    ]


def test_a_body_is_ignored_and_other_methods_are_405(comment):
    client = api(moderator())

    assert client.put(url(comment.pk), {"featured": "nonsense"}, format="json").status_code == 200
    assert client.get(url(comment.pk)).status_code == 405
    assert client.post(url(comment.pk)).status_code == 405


def test_the_toolbar_button_features_and_unfeatures(client, comment):
    client.force_login(moderator())
    target = f"/moderation/comments/{comment.pk}/featured/"

    response = client.post(target, {"featured": "1", "next": "/articles/story/#c"})
    comment.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == "/articles/story/#c"
    assert comment.featured_at is not None

    client.post(target, {"featured": "0"})
    comment.refresh_from_db()
    assert comment.featured_at is None


def test_the_toolbar_button_refuses_readers_and_bad_input(client, comment):
    target = f"/moderation/comments/{comment.pk}/featured/"
    client.force_login(UserFactory())
    assert client.post(target, {"featured": "1"}).status_code == 403

    client.force_login(moderator())
    answer = client.post(target, {"featured": "maybe"}, HTTP_ACCEPT="application/json")
    assert answer.status_code == 400
    assert client.get(target).status_code == 405
    assert client.post("/moderation/comments/999999/featured/", {"featured": "1"}).status_code == 404

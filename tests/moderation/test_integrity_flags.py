"""Flags cannot be weaponised, edits are rate limited, and what admin shows of both."""

from datetime import timedelta

import pytest
from django.test import TestCase
from django.utils import timezone

from comments.models import AuditRecord, Comment, CommentFlag
from comments.services import edit_comment, post_comment
from moderation import services
from moderation.models import ReviewItem, Sanction
from tests.clients import api
from tests.factories import ReviewItemFactory, UserFactory, established_reader, make_comment

pytestmark = pytest.mark.django_db


def public_bodies(slug="story") -> list[str]:
    return [c["body"] for c in api().get(f"/api/v1/articles/{slug}/comments/").json()["results"]]


def post_flag(user, comment, data):
    """A reader flags through the API; moderation weighs the flag once it is committed."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return api(user).post(f"/api/v1/comments/{comment.pk}/flags/", data, format="json")


# 4. Flags cannot be weaponised


def _signup(client, username: str, address: str) -> None:
    client.post(
        "/accounts/signup/",
        {
            "username": username,
            "email": f"{username}@example.com",
            "password1": "a-long-passphrase-9",
            "password2": "a-long-passphrase-9",
        },
        REMOTE_ADDR=address,
    )


def test_six_fresh_accounts_from_one_address_cannot_withhold_a_comment(client, article, settings):
    settings.SIGNUP_RATE_LIMIT = 12  # past the sign-up throttle, as from a shared address over the hours
    comment = make_comment(article=article, body="A reader's fair point", checked_version=1)
    for n in range(12):
        _signup(client, f"sock{n}", "203.0.113.9")
        client.logout()

    from django.contrib.auth import get_user_model

    socks = get_user_model().objects.filter(username__startswith="sock")
    assert socks.count() == 12
    for sock in socks[:6]:
        assert post_flag(sock, comment, {"reason": "abuse"}).status_code == 201

    assert Comment.objects.get(pk=comment.pk).status == "approved"
    assert not ReviewItem.objects.filter(comment=comment).exists()
    assert public_bodies() == ["A reader's fair point"]
    assert sum(CommentFlag.objects.filter(comment=comment).values_list("weight", flat=True)) == 0.25


def test_a_fresh_account_flag_counts_a_quarter_and_says_why(article):
    comment = make_comment(article=article, checked_version=1)

    response = post_flag(UserFactory(), comment, {"reason": "spam"})

    assert response.status_code == 201
    flag = CommentFlag.objects.get(comment=comment)
    assert flag.weight == 0.25
    assert "under a day old" in flag.weight_reason and "no approved comment" in flag.weight_reason


def test_an_established_account_flag_counts_one(article):
    comment = make_comment(article=article, checked_version=1)

    post_flag(established_reader(), comment, {"reason": "spam"})

    assert CommentFlag.objects.get(comment=comment).weight == 1.0


def test_established_accounts_signed_up_from_one_address_count_as_one_flagger(article):
    from accounts.models import Profile

    comment = make_comment(article=article, checked_version=1)
    first, second = established_reader(), established_reader()
    for user in (first, second):
        Profile.objects.update_or_create(user=user, defaults={"signup_address": "198.51.100.7"})

    for user in (first, second):
        post_flag(user, comment, {"reason": "abuse"})

    weights = list(
        CommentFlag.objects.filter(comment=comment).order_by("id").values_list("weight", flat=True)
    )
    assert weights == [1.0, 0.0]
    assert "same address" in CommentFlag.objects.filter(comment=comment).latest("id").weight_reason


@pytest.mark.parametrize("kind", ["ban", "suspend"])
def test_banned_and_suspended_readers_cannot_flag(article, alice, kind):
    comment = make_comment(article=article, checked_version=1)
    reader = established_reader()
    until = timezone.now() + timedelta(days=1) if kind == "suspend" else None
    Sanction.objects.create(user=reader, kind=kind, reason="abuse", until=until, created_by=alice)

    response = post_flag(reader, comment, {"reason": "abuse"})

    assert response.status_code == 403
    assert "flag" in response.json()["detail"]
    assert not CommentFlag.objects.exists()


def test_a_moderator_sees_each_flags_weight_and_why(article, alice):
    comment = make_comment(article=article, checked_version=1)
    post_flag(UserFactory(), comment, {"reason": "spam"})
    ReviewItem.objects.create(comment=comment, queue="reported", reason="flags")

    flags = api(alice).get("/api/v1/moderation/queue/?queue=reported").json()["results"][0]["flags"]

    assert flags[0]["weight"] == 0.25
    assert "under a day old" in flags[0]["weight_reason"]


# 5. Edits have their own limit


def _one_window(settings) -> None:
    """An hour-long window, started afresh if this one ends within a minute: the edits of a test
    never straddle two fixed windows, however loaded the machine."""
    import time

    settings.COMMENT_EDIT_RATE_PERIOD = 3600
    if time.time() % 3600 > 3540:
        time.sleep(3600 - time.time() % 3600)


def test_edits_beyond_the_limit_are_429_with_retry_after(article, settings):
    _one_window(settings)
    settings.COMMENT_EDIT_RATE_LIMIT = 3
    comment = make_comment(article=article, body="v1", checked_version=1)
    client = api(comment.author)

    answers = [
        client.patch(f"/api/v1/comments/{comment.pk}/", {"body": f"v{n}"}, format="json") for n in range(2, 6)
    ]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert int(answers[-1]["Retry-After"]) > 0
    assert Comment.objects.get(pk=comment.pk).edit_version == 4  # the refused edit stored nothing


def test_the_edit_form_shares_the_edit_limit(client, article, settings):
    _one_window(settings)
    settings.COMMENT_EDIT_RATE_LIMIT = 1
    comment = make_comment(article=article, body="v1", checked_version=1)
    api(comment.author).patch(f"/api/v1/comments/{comment.pk}/", {"body": "v2"}, format="json")
    client.force_login(comment.author)

    response = client.post(f"/comments/{comment.pk}/edit/", {"body": "v3"})

    assert response.status_code == 429
    assert response["Retry-After"]


# Admin


@pytest.mark.parametrize("model", ["reviewitem", "sanction"])
def test_admin_shows_review_items_and_sanctions_read_only_even_to_superusers(client, article, alice, model):
    from django.contrib.auth import get_user_model

    item = ReviewItemFactory(
        comment_fields={"checked_version": 1}, article=article, body="See https://example.com/offer"
    )
    sanction = Sanction.objects.create(
        user=item.comment.author, kind="premod", reason="links", created_by=alice
    )
    client.force_login(
        get_user_model().objects.create_superuser("root", "root@example.com", "pw-long-enough")
    )
    pk = item.pk if model == "reviewitem" else sanction.pk

    assert client.get(f"/admin/moderation/{model}/{pk}/change/").status_code == 200
    assert client.post(f"/admin/moderation/{model}/{pk}/change/", {}).status_code == 403
    assert client.get(f"/admin/moderation/{model}/add/").status_code == 403
    assert client.post(f"/admin/moderation/{model}/{pk}/delete/", {"post": "yes"}).status_code == 403


def test_admin_shows_audit_records_read_only_even_to_superusers(client, article):
    from django.contrib.auth import get_user_model

    comment = post_comment(article=article, author=UserFactory(), body="Audited")
    record = AuditRecord.objects.create(
        comment=comment, actor_name="system", action="x", from_status="pending", to_status="pending",
        comment_version=1,
    )  # fmt: skip
    client.force_login(
        get_user_model().objects.create_superuser("root", "root@example.com", "pw-long-enough")
    )

    assert client.post(f"/admin/comments/auditrecord/{record.pk}/change/", {}).status_code == 403
    assert client.post(f"/admin/comments/auditrecord/{record.pk}/delete/", {"post": "yes"}).status_code == 403


def test_a_ban_refuses_the_authors_waiting_edits_and_keeps_their_approved_text(
    article, alice, django_capture_on_commit_callbacks
):
    comment = make_comment(article=article, body="Approved words", checked_version=1)
    edit_comment(comment=comment, user=comment.author, body="Edited before the ban")

    with django_capture_on_commit_callbacks(execute=True):
        services.apply_sanction(user=comment.author, moderator=alice, kind="ban", reason="spam account")

    comment.refresh_from_db()
    assert (comment.status, comment.body, comment.edit_status) == ("approved", "Approved words", "rejected")


def test_the_queue_page_refuses_a_stale_version_and_shows_the_new_text_marked(client, article, alice):
    item = ReviewItemFactory(
        comment_fields={"checked_version": 1}, article=article, body="See https://example.com/offer"
    )
    edit_comment(comment=item.comment, user=item.comment.author, body="The new wording")
    client.force_login(alice)

    response = client.post(
        f"/moderation/items/{item.pk}/decision/", {"action": "approve", "version": 1}, follow=True
    )

    page = response.content.decode()
    assert "changed since you saw version 1" in page
    assert (
        "Changed since it came into the queue" in client.get(f"/moderation/items/{item.pk}/").content.decode()
    )
    assert Comment.objects.get(pk=item.comment_id).status == "in_review"
    fetched = client.post(
        f"/api/v1/moderation/items/{item.pk}/decision/",
        {"action": "approve", "version": 1},
        content_type="application/json",
    )
    assert (fetched.status_code, fetched.json()["item"]["comment"]["version"]) == (409, 2)

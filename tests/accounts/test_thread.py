"""What a signed-in reader sees in a thread: their rejected comments, why they may not post, the
commenters they ignore hidden; and email verification's hold on comments."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import services
from articles.models import SiteSettings
from comments.models import Comment
from moderation.models import ReviewItem, Sanction, WordListEntry
from moderation.services import decide
from tests.clients import api
from tests.factories import UserFactory, make_comment, moderator, post_checked

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def test_unverified_commenters_wait_for_a_moderator_when_the_site_requires_it(
    article, alice, django_capture_on_commit_callbacks
):
    SiteSettings.objects.update_or_create(pk=1, defaults={"require_verified_email": True})

    comment = post_checked(article, alice, "Hello all.", django_capture_on_commit_callbacks)

    assert comment.status == Comment.Status.IN_REVIEW
    assert comment.hold_reason == "comments from unconfirmed email addresses are checked by a moderator first"
    assert ReviewItem.objects.filter(comment=comment, queue="premod").exists()


def test_verified_commenters_are_not_held_for_their_address(
    article, alice, django_capture_on_commit_callbacks
):
    SiteSettings.objects.update_or_create(pk=1, defaults={"require_verified_email": True})
    services.verify_email(token=services.verification_token(alice))

    assert (
        post_checked(article, alice, "Hello all.", django_capture_on_commit_callbacks).status
        == Comment.Status.APPROVED
    )


def test_with_the_setting_off_unverified_commenters_are_not_held(
    article, alice, django_capture_on_commit_callbacks
):
    assert (
        post_checked(article, alice, "Hello all.", django_capture_on_commit_callbacks).status
        == Comment.Status.APPROVED
    )


def test_a_rejection_by_the_checks_keeps_its_plain_reason(article, alice, django_capture_on_commit_callbacks):
    WordListEntry.objects.create(phrase="grotesquerie", kind="banned")

    comment = post_checked(article, alice, "What grotesquerie.", django_capture_on_commit_callbacks)

    assert comment.status == Comment.Status.REJECTED
    assert comment.rejection_reason == "it breaks our rules on abusive language"


def test_a_moderators_rejection_keeps_the_reason_from_the_list(article, alice):
    comment = make_comment(article=article, author=alice, status="in_review")
    item = ReviewItem.objects.create(comment=comment, queue="premod", reason="links")

    decide(item_id=item.pk, version=comment.version, moderator=moderator(), action="reject", reason="spam")

    assert Comment.objects.get(pk=comment.pk).rejection_reason == "it is spam or advertising"


def test_the_author_sees_their_rejected_comment_in_place_with_the_reason(client, article, alice, refused):
    client.force_login(alice)

    page = html(client.get("/articles/story/"))

    assert "Refused words" in page
    assert "Not published: it is spam." in page


def test_the_author_sees_their_rejected_comment_in_the_api(article, alice, refused):

    results = api(alice).get("/api/v1/articles/story/comments/").json()["results"]

    assert (results[0]["not_published"], results[0]["rejection_reason"]) == (True, "it is spam")


def test_others_never_see_a_rejected_comment(client, article, alice, bob):
    make_comment(article=article, author=alice, body="Refused words", status="rejected")

    assert "Refused words" not in html(client.get("/articles/story/"))
    client.force_login(bob)
    assert "Refused words" not in html(client.get("/articles/story/"))


def test_a_bulk_rejection_without_a_reason_still_tells_the_author_something(client, article, alice):
    make_comment(article=article, author=alice, body="Refused words", status="rejected")
    client.force_login(alice)

    assert "Not published: it breaks our community rules." in html(client.get("/articles/story/"))


def test_a_suspended_commenter_sees_why_and_until_when_instead_of_the_box(client, article, alice):
    until = timezone.now() + timedelta(days=2)
    Sanction.objects.create(user=alice, kind="suspend", until=until, reason="Repeated personal attacks")
    make_comment(article=article, body="Someone else's comment")
    client.force_login(alice)

    page = html(client.get("/articles/story/"))

    assert 'name="body"' not in page  # neither the comment box nor a reply box
    assert f"suspended from commenting until {timezone.localtime(until):%d %B %Y}" in page
    assert "Reason: Repeated personal attacks." in page


def test_a_banned_commenter_sees_why_instead_of_the_box(client, article, alice):
    Sanction.objects.create(user=alice, kind="ban", reason="spam")
    client.force_login(alice)

    page = html(client.get("/articles/story/"))

    assert 'name="body"' not in page
    assert "Your account may no longer post comments. Reason: spam." in page


def test_a_lifted_sanction_brings_the_box_back(client, article, alice):
    Sanction.objects.create(user=alice, kind="ban", reason="spam", lifted_at=timezone.now())
    client.force_login(alice)

    assert 'name="body"' in html(client.get("/articles/story/"))


def test_an_ignored_commenters_comments_are_hidden_for_that_reader_only(client, article, alice, bob):
    make_comment(article=article, author=bob, body="Bob thinks so")
    services.ignore(user=alice, ignored_id=bob.pk)

    assert "Bob thinks so" in html(client.get("/articles/story/"))  # anonymous, and cached
    client.force_login(alice)
    page = html(client.get("/articles/story/"))
    assert "Bob thinks so" not in page
    assert "whom you ignore" in page
    client.logout()
    assert "Bob thinks so" in html(client.get("/articles/story/"))


def test_replies_under_an_ignored_comment_stay_in_place(client, article, alice, bob):
    top = make_comment(article=article, author=bob, body="Bob thinks so")
    make_comment(article=article, author=UserFactory(), parent=top, body="Carol answers")
    services.ignore(user=alice, ignored_id=bob.pk)

    results = api(alice).get("/api/v1/articles/story/comments/").json()["results"]

    assert (results[0]["ignored"], results[0]["body"]) == (True, "")
    assert results[0]["replies"][0]["body"] == "Carol answers"


def test_undoing_an_ignore_shows_their_comments_again(client, article, alice, bob):
    make_comment(article=article, author=bob, body="Bob thinks so")
    client.force_login(alice)
    client.post(f"/accounts/ignore/{bob.pk}/", {"next": "/articles/story/"})

    client.post(f"/accounts/ignore/{bob.pk}/undo/")

    assert "Bob thinks so" in html(client.get("/articles/story/"))


def test_ignoring_returns_to_the_page_it_came_from_but_never_elsewhere(client, article, alice, bob):
    client.force_login(alice)

    assert client.post(f"/accounts/ignore/{bob.pk}/", {"next": "/articles/story/#comments"})["Location"] == (
        "/articles/story/#comments"
    )
    assert client.post(f"/accounts/ignore/{bob.pk}/", {"next": "https://evil.example/"})["Location"] == "/"


def test_comments_show_the_display_name_and_the_reply_to_name(article, alice, bob):
    services.update_profile(user=alice, display_name="Alice A.")
    services.update_profile(user=bob, display_name="Bob B.")
    top = make_comment(article=article, author=alice)
    middle = make_comment(article=article, author=alice, parent=top)
    deep = make_comment(article=article, author=bob, parent=middle)
    make_comment(article=article, author=alice, parent=middle, reply_to=deep)

    results = api().get("/api/v1/articles/story/comments/").json()["results"]

    assert results[0]["author"] == "Alice A."
    assert results[0]["replies"][0]["replies"][1]["reply_to"] == {"id": deep.pk, "author": "Bob B."}

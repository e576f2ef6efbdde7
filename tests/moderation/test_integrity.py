"""Only judged text is ever public: decisions name the version they judge, an edit waits beside
the approved text and never lifts a hold (flags and edit limits: test_integrity_flags.py)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from comments.models import AuditRecord, Comment, CommentFlag
from comments.services import edit_comment
from moderation import errors, services
from moderation.models import ReviewItem
from moderation.services import moderate_comment, stale_pending
from tests.clients import api
from tests.factories import ReviewItemFactory, UserFactory, established_reader, make_comment

pytestmark = pytest.mark.django_db


def public_bodies(slug="story") -> list[str]:
    return [c["body"] for c in api().get(f"/api/v1/articles/{slug}/comments/").json()["results"]]


# 1. A decision names the version it judges


def test_approving_the_version_seen_after_the_author_edited_is_409_and_changes_nothing(article, alice):
    item = ReviewItemFactory(
        comment_fields={"checked_version": 1}, article=article, body="See https://example.com/offer"
    )
    author = item.comment.author
    services.claim(moderator=alice, queue="premod")
    api(author).patch(f"/api/v1/comments/{item.comment_id}/", {"body": "Scam at evil.example"}, format="json")

    response = api(alice).post(
        f"/api/v1/moderation/items/{item.pk}/decision/", {"action": "approve", "version": 1}, format="json"
    )

    assert response.status_code == 409
    now = response.json()["item"]
    assert (now["comment"]["version"], now["comment"]["body"]) == (2, "Scam at evil.example")
    assert [r["body"] for r in now["comment"]["revisions"]] == ["See https://example.com/offer"]
    assert Comment.objects.get(pk=item.comment_id).status == "in_review"
    assert ReviewItem.objects.get(pk=item.pk).is_open
    assert "Scam" not in " ".join(public_bodies())


def test_approving_the_version_now_shown_publishes_exactly_that_text(article, alice):
    item = ReviewItemFactory(
        comment_fields={"checked_version": 1}, article=article, body="See https://example.com/offer"
    )
    edit_comment(comment=item.comment, user=item.comment.author, body="A calmer text")

    response = api(alice).post(
        f"/api/v1/moderation/items/{item.pk}/decision/", {"action": "approve", "version": 2}, format="json"
    )

    assert response.status_code == 200
    assert public_bodies() == ["A calmer text"]
    record = AuditRecord.objects.filter(comment_id=item.comment_id).latest("id")
    assert (record.actor_name, record.comment_version) == ("alice", 2)


def test_a_queue_item_carries_the_version_to_decide_on(article, alice):
    item = ReviewItemFactory(
        comment_fields={"checked_version": 1}, article=article, body="See https://example.com/offer"
    )

    results = api(alice).get("/api/v1/moderation/queue/?queue=premod").json()["results"]

    assert results[0]["id"] == item.pk
    assert results[0]["comment"]["version"] == 1


def test_bulk_decisions_answer_409_for_items_whose_text_changed(article, alice):
    kept, changed = (
        ReviewItemFactory(
            comment_fields={"checked_version": 1}, article=article, body="one https://a.example"
        ),
        ReviewItemFactory(
            comment_fields={"checked_version": 1}, article=article, body="two https://b.example"
        ),
    )
    edit_comment(comment=changed.comment, user=changed.comment.author, body="two, now different")

    response = api(alice).post(
        "/api/v1/moderation/items/decisions/",
        {"items": [{"id": kept.pk, "version": 1}, {"id": changed.pk, "version": 1}], "action": "approve"},
        format="json",
    )

    assert [(r["id"], r["status"]) for r in response.json()["results"]] == [(kept.pk, 200), (changed.pk, 409)]
    assert Comment.objects.get(pk=changed.comment_id).status == "in_review"


def test_undo_of_a_published_edit_is_refused(article, alice):
    comment = make_comment(article=article, body="Original", checked_version=1)
    edit_comment(comment=comment, user=comment.author, body="Edited")
    item = ReviewItem.objects.create(comment=comment, queue="premod", reason="links", for_edit=True)
    services.decide(item_id=item.pk, version=2, moderator=alice, action="approve")

    with pytest.raises(errors.Conflict, match="published edit"):
        services.undo_last(moderator=alice)

    assert public_bodies() == ["Edited"]


# 2. What the public sees while an edit waits


def test_an_edit_waiting_for_its_checks_leaves_the_approved_text_public(
    article, django_capture_on_commit_callbacks
):
    comment = make_comment(article=article, body="Approved words", checked_version=1)
    reply = make_comment(article=article, body="A reply", parent=comment, checked_version=1)

    with django_capture_on_commit_callbacks(execute=False):  # the worker has not run yet
        response = api(comment.author).patch(
            f"/api/v1/comments/{comment.pk}/", {"body": "Unchecked words"}, format="json"
        )

    assert response.status_code == 200
    assert response.json()["body"] == "Approved words"
    assert response.json()["edit"]["status"] == "pending"
    assert response.json()["edit"]["body"] == "Unchecked words"
    thread = api().get("/api/v1/articles/story/comments/").json()["results"]
    assert (thread[0]["body"], thread[0]["replies"][0]["body"]) == ("Approved words", reply.body)
    assert "edit" not in thread[0]
    assert "Unchecked words" not in api().get("/articles/story/").content.decode()
    mine = api(comment.author).get("/api/v1/articles/story/comments/").json()["results"][0]
    assert mine["edit"]["body"] == "Unchecked words"


def test_an_edit_that_passes_its_checks_replaces_the_public_text(article, django_capture_on_commit_callbacks):
    comment = make_comment(article=article, body="Approved words", checked_version=1)

    with django_capture_on_commit_callbacks(execute=True):
        api(comment.author).patch(f"/api/v1/comments/{comment.pk}/", {"body": "Better words"}, format="json")

    assert public_bodies() == ["Better words"]
    comment.refresh_from_db()
    assert (comment.version, comment.edit_version, comment.checked_version) == (2, None, 2)


def test_a_rejected_edit_leaves_the_approved_text_public_and_tells_the_author(
    article, django_capture_on_commit_callbacks
):
    comment = make_comment(article=article, body="Approved words", checked_version=1)

    with django_capture_on_commit_callbacks(execute=True):
        api(comment.author).patch(f"/api/v1/comments/{comment.pk}/", {"body": "f u c k you"}, format="json")

    assert public_bodies() == ["Approved words"]
    mine = api(comment.author).get(f"/api/v1/comments/{comment.pk}/").json()
    assert (mine["body"], mine["edit"]["status"]) == ("Approved words", "rejected")
    reader = Client()
    reader.force_login(comment.author)
    page = reader.get("/articles/story/").content.decode()
    assert "Your edit was not published" in page


def test_a_held_edit_waits_in_the_queue_while_the_approved_text_stays_public(
    article, alice, django_capture_on_commit_callbacks
):
    comment = make_comment(article=article, author=UserFactory(), body="Approved words", checked_version=1)

    with django_capture_on_commit_callbacks(execute=True):
        edit_comment(comment=comment, user=comment.author, body="Now with https://shop.example/deal")

    item = ReviewItem.objects.get(comment=comment, decided_at__isnull=True)
    # Held by the link check and by the harm model's spam kind alike; the first that holds names it.
    assert item.for_edit and item.reason in ("links", "spam")
    assert public_bodies() == ["Approved words"]

    services.decide(item_id=item.pk, version=2, moderator=alice, action="reject", reason="spam")

    comment.refresh_from_db()
    assert (comment.status, comment.body, comment.edit_status) == ("approved", "Approved words", "rejected")
    assert public_bodies() == ["Approved words"]


# 3. An edit never lifts a hold


def test_an_edit_of_a_withheld_comment_stays_in_review_until_a_moderator_decides(
    article, alice, django_capture_on_commit_callbacks
):
    comment = make_comment(article=article, body="An opinion readers disliked", checked_version=1)
    for _ in range(6):
        CommentFlag.objects.create(comment=comment, user=established_reader(), reason="abuse")
    from moderation.flags import on_flag

    on_flag(comment_id=comment.pk, flag_id=CommentFlag.objects.filter(comment=comment).latest("id").pk)
    assert Comment.objects.get(pk=comment.pk).status == "in_review"

    with django_capture_on_commit_callbacks(execute=True):
        edit_comment(comment=comment, user=comment.author, body="An opinion readers disliked!")

    comment.refresh_from_db()
    assert comment.status == "in_review"
    item = ReviewItem.objects.get(comment=comment, decided_at__isnull=True)
    assert item.queue == "reported"
    assert public_bodies() == []
    checked = AuditRecord.objects.filter(comment=comment).latest("id")
    assert (checked.action, checked.comment_version) == ("moderation.comment.checked", 2)

    with django_capture_on_commit_callbacks(execute=True):
        services.decide(item_id=item.pk, version=2, moderator=alice, action="approve")

    assert public_bodies() == ["An opinion readers disliked!"]


def test_an_edit_of_a_reported_comment_is_held_for_the_moderator(article, django_capture_on_commit_callbacks):
    comment = make_comment(article=article, body="Reported but visible", checked_version=1)
    ReviewItem.objects.create(comment=comment, queue="reported", reason="flags")

    with django_capture_on_commit_callbacks(execute=True):
        edit_comment(comment=comment, user=comment.author, body="Reported but visible, edited")

    comment.refresh_from_db()
    assert (comment.body, comment.edit_status) == ("Reported but visible", "in_review")
    assert ReviewItem.objects.filter(comment=comment, decided_at__isnull=True).count() == 1
    assert public_bodies() == ["Reported but visible"]


def test_an_edit_of_a_rejected_comment_is_403(article):
    comment = make_comment(article=article, status="rejected")

    response = api(comment.author).patch(
        f"/api/v1/comments/{comment.pk}/", {"body": "Let me in"}, format="json"
    )

    assert response.status_code == 403
    assert Comment.objects.get(pk=comment.pk).body == comment.body


def test_every_version_is_checked_even_after_a_moderator_published_it(article, alice):
    item = ReviewItemFactory(
        comment_fields={"checked_version": 1}, article=article, body="See https://example.com/offer"
    )
    edit_comment(comment=item.comment, user=item.comment.author, body="The text the moderator read")
    services.decide(item_id=item.pk, version=2, moderator=alice, action="approve")

    assert moderate_comment(comment_id=item.comment_id, version=2) != "skipped"

    comment = Comment.objects.get(pk=item.comment_id)
    assert comment.checked_version == 2
    assert AuditRecord.objects.filter(comment=comment, action="moderation.comment.checked").exists()


def test_the_sweep_finds_edits_whose_checks_were_lost(article):
    comment = make_comment(article=article, body="Approved", checked_version=1)
    edit_comment(comment=comment, user=comment.author, body="Edited while the broker was away")
    Comment.objects.filter(pk=comment.pk).update(edited_at=timezone.now() - timedelta(minutes=5))

    assert (comment.pk, 2) in stale_pending(older_than_seconds=60)

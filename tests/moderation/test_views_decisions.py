from datetime import timedelta

import pytest
from django.utils import timezone

from comments.models import Comment
from moderation import services
from moderation.models import ReviewItem, Sanction
from tests.factories import ReviewItemFactory, UserFactory, decide_item, make_comment, moderator

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


# Decisions


@pytest.fixture
def item(article):
    """A held comment with a link, in the premod queue."""
    return ReviewItemFactory(article=article, body="Buy cheap watches at example.com")


def _decide(client, item, follow: bool = False, **choices):
    """The item page's decision form, sent for the comment's current version."""
    return client.post(
        f"/moderation/items/{item.pk}/decision/", {"version": item.comment.version, **choices}, follow=follow
    )


def test_approve_form_publishes_the_comment(client, mod, item):
    services.claim(moderator=mod, queue="premod")

    response = _decide(client, item, action="approve", follow=True)

    assert Comment.objects.get(pk=item.comment_id).status == "approved"
    assert "Approved the comment by" in text(response)


def test_reject_form_records_reason_and_note(client, mod, item):
    _decide(client, item, action="reject", reason="spam", note="watch ads")

    item.refresh_from_db()
    assert item.comment.status == "rejected"
    assert (item.decision_reason, item.decision_note) == ("spam", "watch ads")


def test_reject_without_a_reason_says_so_and_changes_nothing(client, mod, item):
    response = _decide(client, item, action="reject", follow=True)

    assert "Give a reason for the rejection." in text(response)
    assert Comment.objects.get(pk=item.comment_id).status == "in_review"


def test_escalate_moves_the_item_to_the_escalated_queue(client, mod, item):
    _decide(client, item, action="escalate", note="legal?")

    assert ReviewItem.objects.get(decided_at__isnull=True).queue == "escalated"


def test_decision_on_an_item_another_moderator_holds_shows_a_409_message(client, mod, item):
    services.claim(moderator=moderator(username="other"), queue="premod")

    response = _decide(client, item, action="approve", follow=True)

    assert "Another moderator holds this item." in text(response)
    assert Comment.objects.get(pk=item.comment_id).status == "in_review"


def test_decision_on_a_decided_item_answers_409_to_fetch(client, mod, item):
    decide_item(item, moderator=mod, action="approve")

    response = client.post(
        f"/api/v1/moderation/items/{item.pk}/decision/",
        {"version": item.comment.version, "action": "reject", "reason": "spam"},
        content_type="application/json",
    )

    assert response.status_code == 409
    assert response.json()["detail"] == "This item was already decided."


def test_decision_answers_json_for_fetch(client, mod, item):
    response = client.post(
        f"/api/v1/moderation/items/{item.pk}/decision/",
        {"version": item.comment.version, "action": "approve"},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["id"] == item.pk


def test_decision_on_a_missing_item_is_404_for_fetch(client, mod):
    response = client.post(
        "/api/v1/moderation/items/999/decision/",
        {"action": "approve", "version": 1},
        content_type="application/json",
    )

    assert response.status_code == 404


def test_next_outside_the_site_is_ignored(client, mod, item):
    response = _decide(client, item, action="approve", next="https://evil.example/")

    assert response["Location"] == "/moderation/?queue=premod"


def test_undo_puts_the_last_decision_back(client, mod, item):
    _decide(client, item, action="approve")

    response = client.post("/moderation/undo/", follow=True)

    assert f"Undone: item {item.pk} is open again and yours." in text(response)
    assert Comment.objects.get(pk=item.comment_id).status == "in_review"


def test_undo_button_shows_only_right_after_a_decision(client, mod, item):
    assert 'class="inline-form undo-form" hidden>' in text(client.get("/moderation/"))

    _decide(client, item, action="approve")

    assert 'class="inline-form undo-form">' in text(client.get("/moderation/"))


def test_undo_with_nothing_to_undo_says_so(client, mod):
    response = client.post("/moderation/undo/", follow=True)

    assert "Nothing to undo" in text(response)


def test_renew_extends_the_lease_of_held_items(client, mod, item):
    services.claim(moderator=mod, queue="premod")
    ReviewItem.objects.filter(pk=item.pk).update(lease_expires_at=timezone.now() + timedelta(seconds=5))

    response = client.post("/api/v1/moderation/queue/renew/")

    assert response.json()["count"] == 1
    assert ReviewItem.objects.get(pk=item.pk).lease_expires_at > timezone.now() + timedelta(seconds=60)


def test_release_gives_back_held_items(client, mod, item):
    services.claim(moderator=mod, queue="premod")

    client.post("/moderation/release/")

    assert ReviewItem.objects.get(pk=item.pk).claimed_by_id is None


# Bulk


def test_bulk_approve_says_which_items_succeeded(client, mod, article):
    mine, theirs = (
        ReviewItemFactory(article=article, body="one"),
        ReviewItemFactory(article=article, body="two"),
    )
    ReviewItem.objects.filter(pk=theirs.pk).update(
        claimed_by=moderator(username="other"), lease_expires_at=timezone.now() + timedelta(minutes=5)
    )

    response = client.post(
        "/moderation/bulk/", {"action": "approve", "items": [f"{mine.pk}:1", f"{theirs.pk}:1"]}, follow=True
    )

    page = text(response)
    assert f"Approved: item {mine.pk}." in page
    assert f"Item {theirs.pk} not approved: Another moderator holds this item." in page
    assert Comment.objects.get(pk=mine.comment_id).status == "approved"
    assert Comment.objects.get(pk=theirs.comment_id).status == "in_review"


def test_bulk_reject_answers_each_result_as_json(client, mod, article):
    first, second = (
        ReviewItemFactory(article=article, body="one"),
        ReviewItemFactory(article=article, body="two"),
    )

    response = client.post(
        "/api/v1/moderation/items/decisions/",
        {
            "action": "reject",
            "reason": "spam",
            "items": [
                {"id": first.pk, "version": 1},
                {"id": second.pk, "version": 1},
                {"id": 999, "version": 1},
            ],
        },
        content_type="application/json",
    )

    assert [(r["id"], r["ok"], r["status"]) for r in response.json()["results"]] == [
        (first.pk, True, 200),
        (second.pk, True, 200),
        (999, False, 404),
    ]


def test_bulk_without_selection_says_so(client, mod):
    response = client.post("/moderation/bulk/", {"action": "approve"}, follow=True)

    assert "Select at least one item." in text(response)


def test_reject_all_pending_of_an_author(client, mod, article):
    author = UserFactory()
    ReviewItemFactory(article=article, body="Buy cheap watches at example.com", author=author)
    make_comment(article=article, author=author, status="pending")
    kept = make_comment(article=article, author=author)

    response = client.post(f"/moderation/users/{author.pk}/reject-pending/", {"reason": "spam"}, follow=True)

    assert f"Rejected 2 pending comments of {author.username}." in text(response)
    assert list(
        Comment.objects.filter(author=author).exclude(pk=kept.pk).values_list("status", flat=True)
    ) == [
        "rejected",
        "rejected",
    ]


# Sanctions


def test_suspension_until_a_time_from_the_author_page(client, mod):
    author = UserFactory(username="loud")
    until = (timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")

    response = client.post(
        f"/moderation/users/{author.pk}/sanctions/",
        {"kind": "suspend", "until": until, "reason": "cool off"},
        follow=True,
    )

    sanction = Sanction.objects.get(user=author)
    assert (sanction.kind, sanction.until.strftime("%Y-%m-%dT%H:%M")) == ("suspend", until)
    assert f"Suspension: loud until {sanction.until:%Y-%m-%d %H:%M} UTC." in text(response)


def test_suspension_without_an_end_says_so(client, mod):
    author = UserFactory()

    response = client.post(
        f"/moderation/users/{author.pk}/sanctions/", {"kind": "suspend", "reason": "cool off"}, follow=True
    )

    assert "A suspension needs an end time." in text(response)
    assert not Sanction.objects.exists()


def test_ban_from_an_item_goes_back_to_the_item(client, mod, item):
    back = f"/moderation/items/{item.pk}/"

    response = client.post(
        f"/moderation/users/{item.comment.author_id}/sanctions/",
        {"kind": "ban", "reason": "spammer", "next": back},
    )

    assert response["Location"] == back
    assert Sanction.objects.get().kind == "ban"


def test_active_sanctions_are_listed_and_lifted(client, mod):
    author = UserFactory(username="quiet")
    sanction = Sanction.objects.create(user=author, kind="premod", reason="links")
    assert "Pre-moderation: links" in text(client.get("/moderation/sanctions/"))

    response = client.post(f"/moderation/sanctions/{sanction.pk}/lift/", follow=True)

    assert "Lifted the pre-moderation of quiet." in text(response)
    assert Sanction.objects.get().lifted_at is not None
    assert "No active sanctions." in text(client.get("/moderation/sanctions/"))


def test_lifting_twice_shows_a_409_message(client, mod):
    sanction = Sanction.objects.create(user=UserFactory(), kind="ban", reason="x", lifted_at=timezone.now())

    response = client.post(f"/moderation/sanctions/{sanction.pk}/lift/", follow=True)

    assert "This sanction was already lifted." in text(response)


# The toolbar on the article page


def test_toolbar_shows_on_comments_for_moderators(client, mod, article):
    comment = make_comment(article=article, body="Visible comment")

    page = text(client.get("/articles/story/"))

    assert f'action="/moderation/comments/{comment.pk}/decision/"' in page
    assert 'href="/moderation/">Moderation</a>' in page


def test_toolbar_is_hidden_from_commenters(client, article):
    make_comment(article=article, body="Visible comment")
    client.force_login(UserFactory())

    page = text(client.get("/articles/story/"))

    assert "Visible comment" in page
    assert "/moderation/" not in page


def test_anonymous_cached_section_never_has_the_toolbar(client, article):
    make_comment(article=article, body="Visible comment")
    client.force_login(moderator())
    client.get("/articles/story/")
    client.logout()

    first, cached = text(client.get("/articles/story/")), text(client.get("/articles/story/"))

    assert "Visible comment" in cached
    assert "/moderation/" not in first
    assert "/moderation/" not in cached


def test_toolbar_reject_hides_the_comment_and_goes_back(client, mod, article):
    comment = make_comment(article=article, body="Nasty words")

    response = client.post(
        f"/moderation/comments/{comment.pk}/decision/",
        {"action": "reject", "version": 1, "reason": "abuse", "next": "/articles/story/#comments"},
    )

    assert response["Location"] == "/articles/story/#comments"
    assert Comment.objects.get(pk=comment.pk).status == "rejected"
    assert "Nasty words" not in text(client.get("/articles/story/"))


def test_toolbar_approve_of_a_held_comment_closes_its_item(client, mod, item):
    response = client.post(
        f"/moderation/comments/{item.comment_id}/decision/", {"action": "approve", "version": 1}
    )

    assert response["Location"] == f"/articles/story/?comment={item.comment_id}#c{item.comment_id}"
    assert ReviewItem.objects.get(pk=item.pk).decision == "approve"


def test_toolbar_cannot_escalate(client, mod, article):
    comment = make_comment(article=article)

    response = client.post(
        f"/moderation/comments/{comment.pk}/decision/",
        {"action": "escalate", "version": 1},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 400


@pytest.mark.parametrize("where", ["author", "item"])
def test_a_suspension_without_an_end_says_so_once_and_keeps_what_was_typed(client, mod, item, where):
    author = item.comment.author
    back = {"author": "", "item": f"/moderation/items/{item.pk}/", "queue": "/moderation/?queue=premod"}[
        where
    ]

    response = client.post(
        f"/moderation/users/{author.pk}/sanctions/",
        {"kind": "suspend", "reason": "cool off", "duration": "", "next": back},
        follow=True,
    )

    assert text(response).count("A suspension needs an end time.") == 1
    assert 'value="cool off"' in text(response)


@pytest.mark.parametrize(("preset", "hours"), [("1h", 1), ("24h", 24), ("7d", 168)])
def test_a_suspension_preset_sets_its_end(client, mod, preset, hours):
    author = UserFactory()

    client.post(
        f"/moderation/users/{author.pk}/sanctions/",
        {"kind": "suspend", "duration": preset, "reason": "cool off"},
    )

    left = Sanction.objects.get(user=author).until - timezone.now()
    assert timedelta(hours=hours) - timedelta(minutes=1) < left <= timedelta(hours=hours)


def test_a_ban_can_reject_the_published_comments_too(client, mod, article):
    author = UserFactory(username="troll")
    kept_elsewhere = make_comment(article=article, body="Someone else's")
    published = [make_comment(article=article, author=author, body=f"Troll {n}") for n in range(2)]

    response = client.post(
        f"/moderation/users/{author.pk}/sanctions/",
        {"kind": "ban", "duration": "24h", "reason": "trolling", "reject_published": "1"},
        follow=True,
    )

    assert Sanction.objects.get(user=author).until is None
    assert {c.status for c in Comment.objects.filter(pk__in=[c.pk for c in published])} == {"rejected"}
    assert Comment.objects.get(pk=kept_elsewhere.pk).status == "approved"
    assert "Rejected 2 comments of theirs." in text(response)


def test_a_ban_alone_leaves_the_published_comments(client, mod, article):
    author = UserFactory()
    comment = make_comment(article=article, author=author)

    client.post(f"/moderation/users/{author.pk}/sanctions/", {"kind": "ban", "reason": "trolling"})

    assert Comment.objects.get(pk=comment.pk).status == "approved"


def test_the_suspended_reader_is_mailed_the_reason(client, mod, settings, django_capture_on_commit_callbacks):
    from django.core import mail

    settings.MODERATION_UNDO_SECONDS = 0
    author = UserFactory(email="loud@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/moderation/users/{author.pk}/sanctions/",
            {"kind": "suspend", "duration": "7d", "reason": "shouting at everyone"},
        )

    mails = [m for m in mail.outbox if m.to == ["loud@example.com"]]
    assert mails and "shouting at everyone" in mails[0].body

from datetime import timedelta

import pytest
from django.utils import timezone

from comments.models import AuditRecord, Comment, CommentFlag, CommentRevision
from moderation import services
from moderation.models import ReviewItem, Sanction
from tests.factories import ArticleFactory, ReviewItemFactory, UserFactory, make_comment, moderator

pytestmark = pytest.mark.django_db


@pytest.fixture
def mod(client):
    user = moderator(username="mo")
    client.force_login(user)
    return user


def text(response) -> str:
    return response.content.decode()


# Permissions

PAGES = ["/moderation/", "/moderation/items/{item}/", "/moderation/users/{author}/", "/moderation/sanctions/"]
ACTIONS = [
    "/moderation/claim/",
    "/moderation/renew/",
    "/moderation/release/",
    "/moderation/undo/",
    "/moderation/bulk/",
    "/moderation/items/{item}/decision/",
    "/moderation/users/{author}/reject-pending/",
    "/moderation/users/{author}/sanctions/",
    "/moderation/sanctions/{sanction}/lift/",
    "/moderation/comments/{comment}/decision/",
]


@pytest.fixture
def targets(article):
    item = ReviewItemFactory(article=article, body="Buy cheap watches at example.com")
    author = item.comment.author
    sanction = Sanction.objects.create(user=author, kind="premod", reason="links")
    return {"item": item.pk, "author": author.pk, "sanction": sanction.pk, "comment": item.comment_id}


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitor_is_sent_to_log_in_from_every_page(client, targets, url):
    url = url.format(**targets)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize("url", ACTIONS)
def test_anonymous_post_is_sent_to_log_in_and_changes_nothing(client, targets, url):
    response = client.post(url.format(**targets), {"action": "approve", "queue": "premod"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/moderation/"
    assert Comment.objects.get(pk=targets["comment"]).status == "in_review"


def test_anonymous_fetch_gets_401_not_the_login_page(client, targets):
    response = client.post(
        f"/moderation/items/{targets['item']}/decision/",
        {"action": "approve"},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 401


@pytest.mark.parametrize("url", PAGES)
def test_commenter_gets_403_on_every_page(client, targets, url):
    client.force_login(UserFactory())

    assert client.get(url.format(**targets)).status_code == 403


@pytest.mark.parametrize("url", ACTIONS)
def test_commenter_gets_403_on_every_action_and_changes_nothing(client, targets, url):
    client.force_login(UserFactory())

    response = client.post(
        url.format(**targets), {"action": "approve", "queue": "premod", "items": [targets["item"]]}
    )

    assert response.status_code == 403
    assert Comment.objects.get(pk=targets["comment"]).status == "in_review"
    assert ReviewItem.objects.get(pk=targets["item"]).claimed_by_id is None
    assert Sanction.objects.get(pk=targets["sanction"]).lifted_at is None


@pytest.mark.parametrize("url", PAGES)
def test_moderator_opens_every_page(client, mod, targets, url):
    assert client.get(url.format(**targets)).status_code == 200


def test_superuser_opens_the_queue(client):
    client.force_login(UserFactory(is_superuser=True))

    assert client.get("/moderation/").status_code == 200


def test_pages_refuse_other_methods(client, mod, targets):
    assert client.get("/moderation/claim/").status_code == 405
    assert client.post("/moderation/").status_code == 405


# The queue page


def test_tabs_show_each_queue_with_its_count_and_oldest_age(client, mod, article):
    old = ReviewItemFactory(article=article, body="Buy cheap watches at example.com")
    ReviewItem.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=3))
    ReviewItemFactory(article=article, body="Buy cheap watches at example.com")
    ReviewItemFactory(
        article=article, body="Buy cheap watches at example.com", queue="reported", reason="flags"
    )

    page = text(client.get("/moderation/"))

    assert 'data-queue="premod"' in page
    assert '<span class="tab-count" data-count="2">2</span>' in page
    assert '<span class="tab-count" data-count="1">1</span>' in page
    assert '<span class="tab-count" data-count="0">0</span>' in page
    assert "oldest 3\xa0hours" in page


def test_claim_button_leases_the_next_items_to_the_moderator(client, mod, article):
    items = [ReviewItemFactory(article=article, body=f"Held comment {n}") for n in range(12)]

    response = client.post("/moderation/claim/", {"queue": "premod", "count": 10}, follow=True)

    assert ReviewItem.objects.filter(claimed_by=mod).count() == 10
    assert "You hold 10 items of the premod queue." in text(response)
    assert f'id="item-{items[0].pk}"' in text(response)
    assert f'id="item-{items[11].pk}"' not in text(response)


def test_claim_answers_json_for_fetch(client, mod, article):
    item = ReviewItemFactory(article=article, body="Buy cheap watches at example.com")

    response = client.post("/moderation/claim/", {"queue": "premod"}, HTTP_ACCEPT="application/json")

    assert response.json()["items"] == [item.pk]


def test_claim_of_an_unknown_queue_says_why(client, mod):
    response = client.post("/moderation/claim/", {"queue": "nope"}, follow=True)

    assert "queue: Select a valid choice." in text(response)


def test_filters_narrow_the_items_by_article_and_reason(client, mod, article):
    other = ArticleFactory(slug="other", headline="Another story")
    mine = ReviewItemFactory(article=article, body="On the big story", reason="links")
    ReviewItemFactory(article=other, body="On another story", reason="links")
    ReviewItemFactory(article=article, body="Too toxic here", reason="toxicity")
    services.claim(moderator=mod, queue="premod")

    page = text(client.get("/moderation/?queue=premod&article=story&reason=links"))

    assert f'id="item-{mine.pk}"' in page
    assert "On another story" not in page
    assert "Too toxic here" not in page


def test_filter_by_flag_reason_finds_flagged_items(client, mod, article):
    flagged = ReviewItemFactory(article=article, body="Flagged as spam", queue="reported", reason="flags")
    ReviewItemFactory(article=article, body="Flagged as abuse", queue="reported", reason="flags")
    CommentFlag.objects.create(comment=flagged.comment, user=UserFactory(), reason="spam")
    services.claim(moderator=mod, queue="reported")

    page = text(client.get("/moderation/?queue=reported&reason=flag:spam"))

    assert "Flagged as spam" in page
    assert "Flagged as abuse" not in page


def test_waiting_list_shows_items_not_yet_claimed(client, mod, article):
    ReviewItemFactory(article=article, body="Nobody has this one")

    page = text(client.get("/moderation/?queue=premod"))

    assert "Waiting in premod (1)" in page
    assert "Nobody has this one" in page


def test_dashboard_partial_is_on_its_own_page(client, mod):
    assert "moderation/_dashboard.html" in [t.name for t in client.get("/moderation/dashboard/").templates]


# What an item shows


def test_comment_text_is_shown_escaped_never_as_html(client, mod, article):
    item = ReviewItemFactory(article=article, body='<script>alert("x")</script><b>bold</b>')

    page = text(client.get(f"/moderation/items/{item.pk}/"))

    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in page
    assert "<script>alert" not in page


def test_item_shows_its_article_and_parent_comment(client, mod, article):
    parent = make_comment(article=article, body="The comment being answered")
    reply = make_comment(article=article, body="A reply held", status="in_review", parent=parent)
    item = ReviewItem.objects.create(comment=reply, queue="premod", reason="links")

    page = text(client.get(f"/moderation/items/{item.pk}/"))

    assert f'href="/articles/story/#comment-{reply.pk}"' in page
    assert "The big story" in page
    assert "The comment being answered" in page


def test_item_shows_every_automated_verdict_with_score_and_explanation(client, mod, article):
    item = ReviewItemFactory(article=article, body="Buy cheap watches at example.com")
    AuditRecord.objects.create(
        comment=item.comment,
        actor_name="system:links@1",
        action="moderation.comment.held",
        from_status="pending",
        to_status="in_review",
        reasons=[
            {
                "name": "links",
                "verdict": "review",
                "score": 1.0,
                "explanation": "a link from a new commenter",
            },
            {
                "name": "toxicity",
                "verdict": "approve",
                "score": 0.1234,
                "explanation": "classifier probability",
            },
        ],
        comment_version=1,
    )

    page = text(client.get(f"/moderation/items/{item.pk}/"))

    assert "<td>links</td><td>review</td><td>1.00</td><td>a link from a new commenter</td>" in page
    assert "<td>toxicity</td><td>approve</td><td>0.12</td><td>classifier probability</td>" in page
    assert "Checked by system:links@1." in page


def test_item_shows_reader_flags_with_reasons_and_weight(client, mod, article):
    item = ReviewItemFactory(
        article=article, body="Buy cheap watches at example.com", queue="reported", reason="flags"
    )
    CommentFlag.objects.create(
        comment=item.comment, user=UserFactory(username="flagger"), reason="abuse", note="rude", weight=2.0
    )

    page = text(client.get(f"/moderation/items/{item.pk}/"))

    assert "<strong>Abuse</strong> by flagger (weight 2.00): “rude”" in page


def test_item_shows_earlier_revisions_of_an_edited_comment(client, mod, article):
    item = ReviewItemFactory(
        article=article, body="Now harmless", comment_fields={"edited_at": timezone.now(), "version": 2}
    )
    CommentRevision.objects.create(
        comment=item.comment, version=1, body="First <i>nasty</i> text", created_at=timezone.now()
    )

    page = text(client.get(f"/moderation/items/{item.pk}/"))

    assert "Earlier versions (1)" in page
    assert "First &lt;i&gt;nasty&lt;/i&gt; text" in page


def test_item_shows_author_history(client, mod, article):
    author = UserFactory(username="repeat")
    make_comment(article=article, author=author, body="Fine one")
    make_comment(article=article, author=author, body="Bad one", status="rejected")
    Sanction.objects.create(user=author, kind="premod", reason="too many links")
    item = ReviewItemFactory(article=article, body="Buy cheap watches at example.com", author=author)

    page = text(client.get(f"/moderation/items/{item.pk}/"))

    assert "Author repeat: 1 approved, 1 rejected, 1 waiting" in page
    assert "Pre-moderate: too many links" in page
    assert "Bad one" in page


def test_decided_item_shows_the_decision_and_no_forms(client, mod, article):
    item = ReviewItemFactory(article=article, body="Buy cheap watches at example.com")
    services.decide(
        item_id=item.pk, version=item.comment.review_version, moderator=mod, action="reject", reason="spam"
    )

    page = text(client.get(f"/moderation/items/{item.pk}/"))

    assert "decided: Reject by mo" in page
    assert f'action="/moderation/items/{item.pk}/decision/"' not in page


# Decisions


def test_approve_form_publishes_the_comment(client, mod, article):
    item = ReviewItemFactory(article=article, body="Buy cheap watches at example.com")
    services.claim(moderator=mod, queue="premod")

    response = client.post(
        f"/moderation/items/{item.pk}/decision/",
        {"version": item.comment.version, "action": "approve"},
        follow=True,
    )

    assert Comment.objects.get(pk=item.comment_id).status == "approved"
    assert "Approved the comment by" in text(response)


def test_reject_form_records_reason_and_note(client, mod, article):
    item = ReviewItemFactory(article=article, body="Buy cheap watches at example.com")

    client.post(
        f"/moderation/items/{item.pk}/decision/",
        {"version": item.comment.version, "action": "reject", "reason": "spam", "note": "watch ads"},
    )

    item.refresh_from_db()
    assert item.comment.status == "rejected"
    assert (item.decision_reason, item.decision_note) == ("spam", "watch ads")


def test_reject_without_a_reason_says_so_and_changes_nothing(client, mod, article):
    item = ReviewItemFactory(article=article, body="Buy cheap watches at example.com")

    response = client.post(
        f"/moderation/items/{item.pk}/decision/",
        {"version": item.comment.version, "action": "reject"},
        follow=True,
    )

    assert "Give a reason for the rejection." in text(response)
    assert Comment.objects.get(pk=item.comment_id).status == "in_review"


def test_escalate_moves_the_item_to_the_escalated_queue(client, mod, article):
    item = ReviewItemFactory(article=article, body="Buy cheap watches at example.com")

    client.post(
        f"/moderation/items/{item.pk}/decision/",
        {"version": item.comment.version, "action": "escalate", "note": "legal?"},
    )

    assert ReviewItem.objects.get(decided_at__isnull=True).queue == "escalated"


def test_decision_on_an_item_another_moderator_holds_shows_a_409_message(client, mod, article):
    item = ReviewItemFactory(article=article, body="Buy cheap watches at example.com")
    services.claim(moderator=moderator(username="other"), queue="premod")

    response = client.post(
        f"/moderation/items/{item.pk}/decision/",
        {"version": item.comment.version, "action": "approve"},
        follow=True,
    )

    assert "Another moderator holds this item." in text(response)
    assert Comment.objects.get(pk=item.comment_id).status == "in_review"


def test_decision_on_a_decided_item_answers_409_to_fetch(client, mod, article):
    item = ReviewItemFactory(article=article, body="Buy cheap watches at example.com")
    services.decide(item_id=item.pk, version=item.comment.review_version, moderator=mod, action="approve")

    response = client.post(
        f"/moderation/items/{item.pk}/decision/",
        {"version": item.comment.version, "action": "reject", "reason": "spam"},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 409
    assert response.json() == {"detail": "This item was already decided."}


def test_decision_answers_json_for_fetch(client, mod, article):
    item = ReviewItemFactory(article=article, body="Buy cheap watches at example.com")

    response = client.post(
        f"/moderation/items/{item.pk}/decision/",
        {"version": item.comment.version, "action": "approve"},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 200
    assert response.json()["item"] == item.pk


def test_decision_on_a_missing_item_is_404_for_fetch(client, mod):
    response = client.post(
        "/moderation/items/999/decision/", {"action": "approve", "version": 1}, HTTP_ACCEPT="application/json"
    )

    assert response.status_code == 404


def test_next_outside_the_site_is_ignored(client, mod, article):
    item = ReviewItemFactory(article=article, body="Buy cheap watches at example.com")

    response = client.post(
        f"/moderation/items/{item.pk}/decision/",
        {"version": item.comment.version, "action": "approve", "next": "https://evil.example/"},
    )

    assert response["Location"] == "/moderation/?queue=premod"


def test_undo_puts_the_last_decision_back(client, mod, article):
    item = ReviewItemFactory(article=article, body="Buy cheap watches at example.com")
    client.post(
        f"/moderation/items/{item.pk}/decision/", {"version": item.comment.version, "action": "approve"}
    )

    response = client.post("/moderation/undo/", follow=True)

    assert f"Undone: item {item.pk} is open again and yours." in text(response)
    assert Comment.objects.get(pk=item.comment_id).status == "in_review"


def test_undo_button_shows_only_right_after_a_decision(client, mod, article):
    item = ReviewItemFactory(article=article, body="Buy cheap watches at example.com")
    assert 'class="inline-form undo-form" hidden>' in text(client.get("/moderation/"))

    client.post(
        f"/moderation/items/{item.pk}/decision/", {"version": item.comment.version, "action": "approve"}
    )

    assert 'class="inline-form undo-form">' in text(client.get("/moderation/"))


def test_undo_with_nothing_to_undo_says_so(client, mod):
    response = client.post("/moderation/undo/", follow=True)

    assert "Nothing to undo" in text(response)


def test_renew_extends_the_lease_of_held_items(client, mod, article):
    item = ReviewItemFactory(article=article, body="Buy cheap watches at example.com")
    services.claim(moderator=mod, queue="premod")
    ReviewItem.objects.filter(pk=item.pk).update(lease_expires_at=timezone.now() + timedelta(seconds=5))

    response = client.post("/moderation/renew/", HTTP_ACCEPT="application/json")

    assert response.json()["renewed"] == 1
    assert ReviewItem.objects.get(pk=item.pk).lease_expires_at > timezone.now() + timedelta(seconds=60)


def test_release_gives_back_held_items(client, mod, article):
    item = ReviewItemFactory(article=article, body="Buy cheap watches at example.com")
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
        "/moderation/bulk/",
        {"action": "reject", "reason": "spam", "items": [f"{first.pk}:1", f"{second.pk}:1", "999:1"]},
        HTTP_ACCEPT="application/json",
    )

    assert [(r["item_id"], r["ok"], r["status"]) for r in response.json()["results"]] == [
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
    assert f"Suspend until a time: loud until {sanction.until:%Y-%m-%d %H:%M} UTC." in text(response)


def test_suspension_without_an_end_says_so(client, mod):
    author = UserFactory()

    response = client.post(
        f"/moderation/users/{author.pk}/sanctions/", {"kind": "suspend", "reason": "cool off"}, follow=True
    )

    assert "A suspension needs an end time." in text(response)
    assert not Sanction.objects.exists()


def test_ban_from_an_item_goes_back_to_the_item(client, mod, article):
    item = ReviewItemFactory(article=article, body="Buy cheap watches at example.com")
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
    assert "Pre-moderate: links" in text(client.get("/moderation/sanctions/"))

    response = client.post(f"/moderation/sanctions/{sanction.pk}/lift/", follow=True)

    assert "Lifted the premod of quiet." in text(response)
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


def test_toolbar_approve_of_a_held_comment_closes_its_item(client, mod, article):
    item = ReviewItemFactory(article=article, body="Buy cheap watches at example.com")

    response = client.post(
        f"/moderation/comments/{item.comment_id}/decision/", {"action": "approve", "version": 1}
    )

    assert response["Location"] == f"/articles/story/#comment-{item.comment_id}"
    assert ReviewItem.objects.get(pk=item.pk).decision == "approve"


def test_toolbar_cannot_escalate(client, mod, article):
    comment = make_comment(article=article)

    response = client.post(
        f"/moderation/comments/{comment.pk}/decision/",
        {"action": "escalate", "version": 1},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 400

"""The moderators' workbench: dashboard page, search, the per-story view, past decisions and
their reversal, notes on commenters, polled tab counts, and no destructive defaults."""

import pytest

from comments.models import AuditRecord, Comment
from moderation import services
from moderation.models import ModeratorNote, ReviewItem
from tests.factories import (
    ArticleFactory,
    ReviewItemFactory,
    UserFactory,
    desk_editor,
    make_comment,
    moderator,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def targets(article):
    item = ReviewItemFactory(article=article, body="Buy cheap watches")
    return {"item": item.pk, "author": item.comment.author_id}


PAGES = [
    "/moderation/dashboard/",
    "/moderation/search/?q=watches",
    "/moderation/articles/story/",
    "/moderation/counts/",
    "/moderation/?queue=approved",
    "/moderation/?queue=rejected",
]
ACTIONS = ["/moderation/items/{item}/reverse/", "/moderation/users/{author}/notes/"]


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitors_are_sent_to_log_in_from_the_new_pages(client, targets, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("url", ACTIONS)
def test_anonymous_posts_to_the_new_actions_change_nothing(client, targets, url):
    response = client.post(url.format(**targets), {"text": "A note", "reason": "spam"})

    assert response.status_code == 302
    assert not ModeratorNote.objects.exists()


@pytest.mark.parametrize("who", ["commenter", "desk"])
@pytest.mark.parametrize("url", PAGES)
def test_commenters_and_the_desk_may_not_open_the_new_pages(client, targets, url, who):
    client.force_login(UserFactory() if who == "commenter" else desk_editor())

    assert client.get(url).status_code == 403


@pytest.mark.parametrize("who", ["commenter", "desk"])
@pytest.mark.parametrize("url", ACTIONS)
def test_commenters_and_the_desk_may_not_use_the_new_actions(client, targets, url, who):
    client.force_login(UserFactory() if who == "commenter" else desk_editor())

    assert client.post(url.format(**targets), {"text": "A note"}).status_code == 403
    assert not ModeratorNote.objects.exists()


@pytest.mark.parametrize("url", PAGES)
def test_moderators_open_the_new_pages(client, mod, targets, url):
    assert client.get(url).status_code == 200


def test_the_queue_page_no_longer_carries_the_dashboard(client, mod, targets):
    html = client.get("/moderation/").content.decode()

    assert "The queues at a glance" not in html
    assert 'href="/moderation/dashboard/"' in html


# Counts


def test_counts_answer_304_while_nothing_changed_and_200_when_it_did(client, mod, article):
    ReviewItemFactory(article=article, body="Buy cheap watches")
    first = client.get("/moderation/counts/")

    same = client.get("/moderation/counts/", HTTP_IF_NONE_MATCH=first["ETag"])
    ReviewItemFactory(article=article, body="Another one")
    changed = client.get("/moderation/counts/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.json()["tabs"]["premod"]["count"] == 1
    assert same.status_code == 304
    assert changed.status_code == 200
    assert changed.json()["tabs"]["premod"]["count"] == 2
    assert "private" in changed["Cache-Control"]


def test_polling_the_counts_costs_three_queries_whatever_the_queues_hold(
    client, mod, article, django_assert_num_queries
):
    for n in range(30):
        ReviewItemFactory(article=article, body=f"Held {n}", queue=["premod", "reported", "escalated"][n % 3])

    client.get("/moderation/counts/")  # the moderator's user copy kept (their row and standing)

    # Moderator check, open items per queue, decisions of the last day (the user and the session
    # come from their kept copies).
    with django_assert_num_queries(3):
        client.get("/moderation/counts/")


# Search and the per-story view


def test_moderators_find_a_commenter_by_username_or_email(client, mod, article):
    UserFactory(username="troll42", email="hidden@example.org")

    by_name = client.get("/moderation/search/", {"q": "troll"}).content.decode()
    by_email = client.get("/moderation/search/", {"q": "hidden@exa"}).content.decode()

    assert "troll42" in by_name and "hidden@example.org" in by_name
    assert "troll42" in by_email


def test_moderators_find_comments_by_text_with_their_open_item(client, mod, article):
    item = ReviewItemFactory(article=article, body="The moon landing was staged")
    make_comment(article=article, body="Something else entirely")

    html = client.get("/moderation/search/", {"q": "moon landing"}).content.decode()

    assert "The moon landing was staged" in html
    assert f"/moderation/items/{item.pk}/" in html
    assert "Something else entirely" not in html


def test_the_story_view_shows_everything_waiting_on_it_from_every_queue(client, mod, article):
    ReviewItemFactory(article=article, body="Held in premod")
    ReviewItemFactory(article=article, body="Reported one", queue="reported")
    ReviewItemFactory(article=ArticleFactory(), body="On another story")

    html = client.get("/moderation/articles/story/").content.decode()

    assert "Held in premod" in html and "Reported one" in html
    assert "On another story" not in html


def test_moderators_get_a_moderate_this_story_link_on_the_article_and_readers_do_not(client, article):
    client.force_login(moderator())
    as_moderator = client.get("/articles/story/").content.decode()
    client.force_login(UserFactory())
    as_reader = client.get("/articles/story/").content.decode()

    assert 'href="/moderation/articles/story/">Moderate this story' in as_moderator
    assert "Moderate this story" not in as_reader


# Past decisions


def _decided(article, moderator_user, action, reason=""):
    item = ReviewItemFactory(article=article, body="Buy cheap watches")
    services.decide(item_id=item.pk, moderator=moderator_user, action=action, version=1, reason=reason)
    return ReviewItem.objects.get(pk=item.pk)


def test_the_approved_tab_lists_recent_approvals(client, mod, article):
    item = _decided(article, mod, "approve")

    html = client.get("/moderation/", {"queue": "approved"}).content.decode()

    assert f"Item {item.pk}</a>" in html
    assert "Reverse: reject it" in html


def test_reversing_an_approval_rejects_the_comment_with_an_audit_record(client, mod, article):
    item = _decided(article, mod, "approve")

    response = client.post(
        f"/moderation/items/{item.pk}/reverse/", {"reason": "abuse"}, HTTP_ACCEPT="application/json"
    )

    assert response.status_code == 200
    assert Comment.objects.get(pk=item.comment_id).status == "rejected"
    record = AuditRecord.objects.filter(comment_id=item.comment_id).latest("id")
    assert (record.actor, record.action, record.from_status, record.to_status) == (
        mod,
        "moderation.comment.rejected",
        "approved",
        "rejected",
    )
    assert f"reverses the approval of item {item.pk}" in record.reasons[0]["explanation"]


def test_reversing_an_approval_needs_a_reason(client, mod, article):
    item = _decided(article, mod, "approve")

    response = client.post(f"/moderation/items/{item.pk}/reverse/", HTTP_ACCEPT="application/json")

    assert response.status_code == 400
    assert Comment.objects.get(pk=item.comment_id).status == "approved"


def test_reversing_a_rejection_approves_the_comment(client, mod, article):
    item = _decided(article, mod, "reject", reason="spam")

    client.post(f"/moderation/items/{item.pk}/reverse/")

    assert Comment.objects.get(pk=item.comment_id).status == "approved"
    assert AuditRecord.objects.filter(comment_id=item.comment_id).latest("id").actor == mod


def test_a_decision_cannot_be_reversed_twice(client, mod, article):
    item = _decided(article, mod, "reject", reason="spam")
    client.post(f"/moderation/items/{item.pk}/reverse/")

    response = client.post(f"/moderation/items/{item.pk}/reverse/", HTTP_ACCEPT="application/json")

    assert response.status_code == 409
    assert AuditRecord.objects.filter(comment_id=item.comment_id).count() == 2


# Notes


def test_a_note_on_a_commenter_shows_on_every_item_of_theirs(client, mod, article):
    author = UserFactory(username="repeat")
    first = ReviewItemFactory(article=article, author=author, body="First")
    second = ReviewItemFactory(article=article, author=author, body="Second", queue="reported")

    client.post(f"/moderation/users/{author.pk}/notes/", {"text": "Warned by email on Monday"})

    for item in (first, second):
        assert "Warned by email on Monday" in client.get(f"/moderation/items/{item.pk}/").content.decode()
    assert "Warned by email on Monday" in client.get(f"/moderation/users/{author.pk}/").content.decode()


def test_notes_are_never_shown_to_readers(client, article):
    author = UserFactory(username="repeat")
    make_comment(article=article, author=author, body="Published")
    services.add_note(user=author, moderator=moderator(), text="Secret moderator note")
    client.force_login(author)

    assert "Secret moderator note" not in client.get("/articles/story/").content.decode()
    assert "Secret moderator note" not in client.get("/accounts/me/").content.decode()


def test_an_empty_note_is_refused(client, mod, article):
    author = UserFactory()

    response = client.post(
        f"/moderation/users/{author.pk}/notes/", {"text": " "}, HTTP_ACCEPT="application/json"
    )

    assert response.status_code == 400
    assert not ModeratorNote.objects.exists()


# No destructive defaults


def test_the_toolbar_reason_starts_empty(client, mod, article):
    make_comment(article=article, body="Published")

    html = client.get("/articles/story/").content.decode()

    assert '<select id="mod-reason-' in html
    # The moderator's own select (the reader's Report beside it has a reason select too).
    toolbar = html.split('<select id="mod-reason-', 1)[1]
    first_option = toolbar.split('name="reason" required>', 1)[1].split("</option>", 1)[0]
    assert first_option.strip() == '<option value="">Choose a reason'


def test_a_sanction_needs_its_kind_chosen(client, mod, article):
    author = UserFactory()

    response = client.post(f"/moderation/users/{author.pk}/sanctions/", {"reason": "Spam"}, follow=True)

    assert "kind: This field is required." in response.content.decode()
    assert not author.sanctions.exists()


def test_rejecting_all_pending_needs_a_reason_chosen(client, mod, article):
    item = ReviewItemFactory(article=article, body="Buy cheap watches")

    response = client.post(f"/moderation/users/{item.comment.author_id}/reject-pending/", follow=True)

    assert "reason: This field is required." in response.content.decode()
    assert Comment.objects.get(pk=item.comment_id).status == "in_review"

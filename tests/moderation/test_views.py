from datetime import timedelta

import pytest
from django.utils import timezone

from comments.models import AuditRecord, Comment, CommentFlag, CommentRevision
from moderation import services
from moderation.models import ReviewItem, Sanction
from tests.factories import ArticleFactory, ReviewItemFactory, UserFactory, decide_item, make_comment

pytestmark = pytest.mark.django_db


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


def test_the_script_claims_through_the_api_with_the_page_session(client, mod, article):
    item = ReviewItemFactory(article=article, body="Buy cheap watches at example.com")

    response = client.post(
        "/api/v1/moderation/queue/claim/", {"queue": "premod"}, content_type="application/json"
    )

    assert [entry["id"] for entry in response.json()["results"]] == [item.pk]


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

    assert f'href="/articles/story/?comment={reply.pk}#c{reply.pk}"' in page
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
    assert "Pre-moderation: too many links" in page
    assert "Bad one" in page


def test_decided_item_shows_the_decision_and_no_forms(client, mod, article):
    item = ReviewItemFactory(article=article, body="Buy cheap watches at example.com")
    decide_item(item, moderator=mod, action="reject", reason="spam")

    page = text(client.get(f"/moderation/items/{item.pk}/"))

    assert "decided: Reject by mo" in page
    assert f'action="/moderation/items/{item.pk}/decision/"' not in page

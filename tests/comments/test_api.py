import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from comments.models import AuditRecord, Comment, CommentFlag
from tests.clients import api
from tests.factories import ArticleFactory, UserFactory, make_comment, make_thread, moderator

pytestmark = pytest.mark.django_db


@pytest.fixture
def author():
    return UserFactory(username="alice")


def test_token_endpoint_trades_credentials_for_a_token(author):
    response = APIClient().post(
        "/api/v1/auth/token/",
        {"username": "alice", "password": "correct horse battery staple"},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["token"] == Token.objects.get(user=author).key


def test_posted_comment_is_pending_and_approved_after_commit(
    article, author, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api(author).post(
            "/api/v1/articles/story/comments/", {"body": "  Hello there  "}, format="json"
        )

    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    assert response.json()["body"] == "Hello there"
    comment = Comment.objects.get()
    assert comment.status == "approved"
    assert AuditRecord.objects.get(comment=comment).actor_name == "system"
    article.refresh_from_db()
    assert article.comment_count == 1


def test_pending_comment_is_shown_only_to_its_author(article, author):
    api(author).post("/api/v1/articles/story/comments/", {"body": "Mine"}, format="json")

    own = api(author).get("/api/v1/articles/story/comments/").json()["results"]
    other = api(UserFactory()).get("/api/v1/articles/story/comments/").json()["results"]

    assert own[0]["awaiting_moderation"] is True
    assert other == []


def test_posting_without_credentials_is_401_with_www_authenticate(article):
    response = APIClient().post("/api/v1/articles/story/comments/", {"body": "Hi"}, format="json")

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"body": ""}, "body"),
        ({"body": "   "}, "body"),
        ({"body": "x" * 5001}, "body"),
        ({"body": "nul \x00 byte"}, "body"),
        ({}, "body"),
        ({"body": "Hi", "parent": 999999}, "parent"),
        ({"body": "Hi", "parent": "abc"}, "parent"),
    ],
)
def test_bad_comment_input_is_400_with_the_field_and_stores_nothing(article, author, payload, field):
    response = api(author).post("/api/v1/articles/story/comments/", payload, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert "detail" in response.json()
    assert not Comment.objects.exists()


def test_parent_on_another_article_is_400(article, author):
    elsewhere = make_comment(article=ArticleFactory())

    response = api(author).post(
        "/api/v1/articles/story/comments/", {"body": "Hi", "parent": elsewhere.pk}, format="json"
    )

    assert response.status_code == 400
    assert "another article" in response.json()["parent"][0]


def test_malformed_json_is_400(article, author):
    response = api(author).post(
        "/api/v1/articles/story/comments/", '{"body": ', content_type="application/json"
    )

    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_oversized_request_is_413(article, author):
    response = api(author).post("/api/v1/articles/story/comments/", {"body": "x" * 300_000}, format="json")

    assert response.status_code == 413


def test_unknown_article_is_404(author):
    assert (
        api(author).post("/api/v1/articles/nope/comments/", {"body": "Hi"}, format="json").status_code == 404
    )
    assert APIClient().get("/api/v1/articles/nope/comments/").status_code == 404


def test_closed_article_refuses_comments_with_403(author):
    ArticleFactory(slug="closed", comments_close_at=timezone.now() - timezone.timedelta(minutes=1))

    response = api(author).post("/api/v1/articles/closed/comments/", {"body": "Hi"}, format="json")

    assert response.status_code == 403
    assert "closed" in response.json()["detail"]


def test_posting_faster_than_the_limit_is_429_with_retry_after(article, author, settings):
    settings.COMMENT_RATE_LIMIT = 2
    client = api(author)
    for n in range(2):
        assert (
            client.post("/api/v1/articles/story/comments/", {"body": f"c{n}"}, format="json").status_code
            == 201
        )

    response = client.post("/api/v1/articles/story/comments/", {"body": "one too many"}, format="json")

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert Comment.objects.count() == 2


def test_reply_to_a_third_level_comment_attaches_at_level_three_and_names_whom_it_answers(article, author):
    top = make_comment(article=article)
    second = make_comment(article=article, parent=top)
    third = make_comment(article=article, parent=second, author=UserFactory(username="carol"))

    response = api(author).post(
        "/api/v1/articles/story/comments/", {"body": "Re", "parent": third.pk}, format="json"
    )

    reply = Comment.objects.get(pk=response.json()["id"])
    assert reply.depth == 2
    assert reply.parent_id == second.pk
    assert response.json()["reply_to"] == {"id": third.pk, "author": "carol"}


def test_thread_nests_approved_replies_and_hides_rejected_ones(article, client):
    top = make_comment(article=article, body="Top")
    make_comment(article=article, parent=top, body="Visible reply")
    make_comment(article=article, parent=top, body="Rejected reply", status="rejected")

    results = client.get("/api/v1/articles/story/comments/").json()["results"]

    assert [r["body"] for r in results[0]["replies"]] == ["Visible reply"]


def test_pages_follow_the_cursor_without_repeats(article, client, settings):
    settings.COMMENT_PAGE_SIZE = 3
    for n in range(7):
        make_comment(article=article, body=f"c{n}")

    seen, url = [], "/api/v1/articles/story/comments/?sort=newest"
    while url:
        data = client.get(url).json()
        seen += [c["body"] for c in data["results"]]
        url = data["next"]

    assert seen == [f"c{n}" for n in reversed(range(7))]


def test_top_sort_orders_by_likes(article, client):
    make_comment(article=article, body="meh", like_count=1)
    make_comment(article=article, body="best", like_count=9)

    results = client.get("/api/v1/articles/story/comments/?sort=top").json()["results"]

    assert [c["body"] for c in results] == ["best", "meh"]


def test_bad_sort_or_cursor_is_400(article, client):
    assert client.get("/api/v1/articles/story/comments/?sort=loudest").status_code == 400
    assert client.get("/api/v1/articles/story/comments/?cursor=%%%").status_code == 400


def test_author_edits_within_the_window_and_keeps_a_revision(
    article, author, django_capture_on_commit_callbacks
):
    comment = make_comment(article=article, author=author, body="Frist")

    with django_capture_on_commit_callbacks(execute=True):
        response = api(author).patch(f"/api/v1/comments/{comment.pk}/", {"body": "First"}, format="json")

    assert response.status_code == 200
    assert response.json()["edited"] is True
    comment.refresh_from_db()
    assert comment.body == "First"
    assert comment.revisions.get().body == "Frist"
    assert list(comment.audit_records.values_list("action", flat=True)) == [
        "comments.comment.edited",
        "moderation.edit.approved",
    ]


def test_edit_after_the_window_is_403(article, author, settings):
    settings.COMMENT_EDIT_WINDOW_SECONDS = 0
    comment = make_comment(article=article, author=author)

    response = api(author).patch(f"/api/v1/comments/{comment.pk}/", {"body": "Changed"}, format="json")

    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.body == "A thoughtful comment."


@pytest.mark.parametrize("who", ["other", "moderator"])
def test_only_the_author_may_edit_or_delete(article, author, who):
    comment = make_comment(article=article, author=author)
    user = UserFactory() if who == "other" else moderator()

    assert (
        api(user).patch(f"/api/v1/comments/{comment.pk}/", {"body": "Hijack"}, format="json").status_code
        == 403
    )
    assert api(user).delete(f"/api/v1/comments/{comment.pk}/").status_code == 403
    assert APIClient().delete(f"/api/v1/comments/{comment.pk}/").status_code == 401


def test_deleted_comment_with_visible_replies_stays_as_a_placeholder(article, author, client):
    comment = make_comment(article=article, author=author, body="Original")
    make_comment(article=article, parent=comment, body="A reply")

    assert api(author).delete(f"/api/v1/comments/{comment.pk}/").status_code == 204

    results = client.get("/api/v1/articles/story/comments/").json()["results"]
    assert results[0]["body"] == "[deleted]"
    assert results[0]["author"] is None
    assert results[0]["replies"][0]["body"] == "A reply"
    article.refresh_from_db()
    assert article.comment_count == 1


def test_deleted_comment_without_replies_disappears(article, author, client):
    comment = make_comment(article=article, author=author)

    api(author).delete(f"/api/v1/comments/{comment.pk}/")

    assert client.get("/api/v1/articles/story/comments/").json()["results"] == []
    assert client.get(f"/api/v1/comments/{comment.pk}/").status_code == 404


def test_non_public_comment_is_404_to_others(article, author):
    comment = make_comment(article=article, author=author, status="pending")

    assert APIClient().get(f"/api/v1/comments/{comment.pk}/").status_code == 404
    assert api(UserFactory()).get(f"/api/v1/comments/{comment.pk}/").status_code == 404
    assert api(author).get(f"/api/v1/comments/{comment.pk}/").status_code == 200


def test_like_is_idempotent_and_unlike_removes_it(article):
    comment = make_comment(article=article)
    reader = UserFactory()

    api(reader).put(f"/api/v1/comments/{comment.pk}/like/")
    response = api(reader).put(f"/api/v1/comments/{comment.pk}/like/")
    assert response.json()["like_count"] == 1

    response = api(reader).delete(f"/api/v1/comments/{comment.pk}/like/")
    assert response.json()["like_count"] == 0


def test_author_cannot_like_own_comment(article, author):
    comment = make_comment(article=article, author=author)

    assert api(author).put(f"/api/v1/comments/{comment.pk}/like/").status_code == 403


def test_flag_is_recorded_once_per_user(article):
    comment = make_comment(article=article)
    reader = UserFactory()

    first = api(reader).post(
        f"/api/v1/comments/{comment.pk}/flags/", {"reason": "spam", "note": "ad"}, format="json"
    )
    second = api(reader).post(f"/api/v1/comments/{comment.pk}/flags/", {"reason": "abuse"}, format="json")

    assert first.status_code == 201
    assert second.status_code == 409
    assert CommentFlag.objects.get().reason == "spam"


def test_flag_with_unknown_reason_is_400(article):
    comment = make_comment(article=article)

    response = api(UserFactory()).post(
        f"/api/v1/comments/{comment.pk}/flags/", {"reason": "boring"}, format="json"
    )

    assert response.status_code == 400
    assert "reason" in response.json()


def test_likes_and_flags_need_credentials(article):
    comment = make_comment(article=article)

    assert APIClient().put(f"/api/v1/comments/{comment.pk}/like/").status_code == 401
    assert (
        APIClient()
        .post(f"/api/v1/comments/{comment.pk}/flags/", {"reason": "spam"}, format="json")
        .status_code
        == 401
    )


@pytest.mark.parametrize("count", [1, 200])
def test_comments_api_query_count_is_constant(article, client, count, django_assert_num_queries):
    make_thread(article, count)

    # Nothing cached yet: the article, a page of top-level comments, their first replies and the
    # first replies of those.
    with django_assert_num_queries(4):
        client.get("/api/v1/articles/story/comments/")


def test_thread_is_served_from_the_cache_until_it_changes(article, client, django_assert_num_queries):
    make_comment(article=article, body="cached")
    client.get("/api/v1/articles/story/comments/")

    with django_assert_num_queries(0):  # the article and the page both come from the cache
        client.get("/api/v1/articles/story/comments/")


def test_a_new_approved_comment_shows_despite_the_cache(article, client, django_capture_on_commit_callbacks):
    make_comment(article=article, body="first")
    client.get("/api/v1/articles/story/comments/")

    comment = make_comment(article=article, body="second", status="pending")
    from comments.services import change_status

    with django_capture_on_commit_callbacks(execute=True):
        change_status(
            comment_id=comment.pk, to_status="approved", actor_name="system", action="test.approved"
        )

    bodies = [c["body"] for c in client.get("/api/v1/articles/story/comments/").json()["results"]]
    assert bodies == ["first", "second"]


def test_unpublishing_an_article_is_seen_at_once_despite_the_cache(article, client):
    client.get("/api/v1/articles/story/comments/")

    article.published_at = timezone.now() + timezone.timedelta(days=1)
    article.save()

    assert client.get("/api/v1/articles/story/comments/").status_code == 404


def test_deleted_comments_stay_as_placeholders_down_to_a_visible_reply(article, client):
    top = make_comment(article=article, status="deleted")
    middle = make_comment(article=article, parent=top, status="deleted")
    make_comment(article=article, parent=middle, body="Still here")

    results = client.get("/api/v1/articles/story/comments/").json()["results"]

    assert results[0]["body"] == "[deleted]"
    assert results[0]["replies"][0]["body"] == "[deleted]"
    assert results[0]["replies"][0]["replies"][0]["body"] == "Still here"


def test_deleted_comment_whose_replies_are_not_public_disappears(article, client):
    top = make_comment(article=article, status="deleted")
    make_comment(article=article, parent=top, status="rejected")

    assert client.get("/api/v1/articles/story/comments/").json()["results"] == []

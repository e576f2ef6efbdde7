import pytest

from articles.models import SiteSettings
from comments.models import Comment
from tests.factories import ArticleFactory, UserFactory, make_comment, make_thread

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def test_anonymous_reader_sees_comments_and_a_login_prompt(client, article):
    make_comment(article=article, body="Approved words")

    page = html(client.get("/articles/story/"))

    assert "Approved words" in page
    assert "Log in to comment" in page
    assert "Comments (1)" in page
    assert "Write the first comment for this!" not in page


def test_signup_logs_the_reader_in(client):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "newbie",
            "email": "n@example.com",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
        },
        follow=True,
    )

    assert response.context["user"].username == "newbie"


def test_signup_applies_the_password_validators(client):
    response = client.post(
        "/accounts/signup/",
        {"username": "newbie", "email": "n@example.com", "password1": "123", "password2": "123"},
    )

    assert response.status_code == 200
    assert "too short" in html(response)


def test_login_and_logout_pages(client):
    UserFactory(username="alice")

    assert client.get("/accounts/login/").status_code == 200
    assert (
        client.post(
            "/accounts/login/", {"username": "alice", "password": "correct horse battery staple"}
        ).status_code
        == 302
    )
    assert client.post("/accounts/logout/").status_code == 302


def test_form_post_without_javascript_shows_own_comment_awaiting_moderation(client, article):
    client.force_login(UserFactory())

    response = client.post("/articles/story/comments/", {"body": "Plain form comment"}, follow=True)

    page = html(response)
    assert "Plain form comment" in page
    assert "awaiting moderation" in page
    assert "Comments (0)" in page
    assert "Write the first comment for this!" not in page


def test_approved_comment_replaces_the_empty_state(client, article, django_capture_on_commit_callbacks):
    client.force_login(UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/articles/story/comments/", {"body": "Approved now"})

    page = html(client.get("/articles/story/"))

    assert "Comments (1)" in page
    assert "Write the first comment for this!" not in page
    assert "awaiting-label" not in page


def test_reader_html_is_shown_as_text_and_links_are_inert(client, article):
    make_comment(
        article=article,
        body="<script>alert(1)</script> <img src=x onerror=alert(1)> see https://example.com/x",
    )

    page = html(client.get("/articles/story/"))

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert 'href="https://example.com/x" rel="nofollow ugc noopener"' in page


def test_paragraph_breaks_are_kept(client, article):
    make_comment(article=article, body="First paragraph.\n\nSecond paragraph.")

    assert "<p>First paragraph.</p><p>Second paragraph.</p>" in html(client.get("/articles/story/"))


def test_form_post_on_a_closed_article_is_403(client):
    ArticleFactory(slug="closed", comments_open=False)
    client.force_login(UserFactory())

    assert client.post("/articles/closed/comments/", {"body": "Too late"}).status_code == 403
    assert not Comment.objects.exists()


def test_form_post_faster_than_the_limit_is_429(client, article, settings):
    settings.COMMENT_RATE_LIMIT = 1
    client.force_login(UserFactory())
    client.post("/articles/story/comments/", {"body": "one"})

    response = client.post("/articles/story/comments/", {"body": "two"})

    assert response.status_code == 429
    assert response["Retry-After"]


def test_like_flag_reply_edit_and_delete_through_forms(client, article):
    author = UserFactory()
    theirs = make_comment(article=article, body="Someone else's")
    client.force_login(author)

    client.post(f"/comments/{theirs.pk}/like/")
    client.post(f"/comments/{theirs.pk}/flag/", {"reason": "off_topic"})
    client.post("/articles/story/comments/", {"body": "My reply", "parent": theirs.pk})
    mine = Comment.objects.get(author=author)
    client.post(f"/comments/{mine.pk}/edit/", {"body": "My edited reply"})
    client.post(f"/comments/{mine.pk}/delete/")

    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.like_count == 1
    assert theirs.flags.get().reason == "off_topic"
    assert mine.parent_id == theirs.pk
    assert mine.revisions.get().body == "My reply"
    assert mine.status == "deleted"


@pytest.mark.parametrize("count", [1, 200])
def test_article_page_query_count_is_constant(client, article, count, django_assert_num_queries):
    make_thread(article, count)
    SiteSettings.load()

    # No thread cached yet: the article, its blocks, their teasers, correction notices, then a
    # page of top-level comments, their first replies and the first replies of those (site
    # settings come from the cache).
    with django_assert_num_queries(7):
        client.get("/articles/story/")


def test_anonymous_page_comes_whole_from_the_cache(client, article, django_assert_num_queries):
    make_comment(article=article, body="Cached words")
    client.get("/articles/story/")

    with django_assert_num_queries(0):
        page = html(client.get("/articles/story/"))

    assert "Cached words" in page


def test_a_like_shows_on_the_cached_page_at_once(client, article, django_capture_on_commit_callbacks):
    from comments.likes import like_comment

    comment = make_comment(article=article)
    client.get("/articles/story/")

    with django_capture_on_commit_callbacks(execute=True):
        like_comment(comment=comment, user=UserFactory())

    assert "1 like<" in html(client.get("/articles/story/"))


def test_closing_comments_shows_on_the_cached_page_at_once(client, article):
    make_comment(article=article)
    client.get("/articles/story/")

    article.comments_open = False
    article.save()

    assert "Comments are closed for this article." in html(client.get("/articles/story/"))

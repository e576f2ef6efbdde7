"""/embed/?url= and the thread it leads to: framed by permitted sites only, cached for anonymous
readers, the reader's own with a newsroom token; and /embed.js."""

import pytest
from django.test import Client

from articles.models import Article, SiteSettings
from embed import services
from tests.embed.conftest import NEWSROOM, story_url, token
from tests.factories import ArticleFactory, make_comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    return services.create_story(url=story_url("/a/"), title="The valley floods")


def test_the_embed_address_leads_to_the_storys_thread_creating_it_on_first_ask(client):
    answer = client.get("/embed/", {"url": story_url("/a/?ref=home#top"), "title": "The valley floods"})

    story = Article.objects.get(canonical_url=story_url("/a/"))
    assert answer.status_code == 302
    assert answer["Location"] == f"/embed/{story.slug}/"
    assert story.headline == "The valley floods"


def test_the_embed_address_of_a_foreign_page_is_404_and_creates_nothing(client):
    answer = client.get("/embed/", {"url": "https://evil.example.org/a/"})

    assert answer.status_code == 404
    assert not Article.objects.exists()


def test_the_embed_address_without_a_page_is_400(client):
    assert client.get("/embed/").status_code == 400


def test_the_thread_may_be_framed_by_the_permitted_sites_only(client, story):
    answer = client.get(f"/embed/{story.slug}/")

    policy = answer["Content-Security-Policy"]
    assert f"frame-ancestors {NEWSROOM}" in policy
    assert "'none'" not in policy.split("frame-ancestors")[1].split(";")[0]
    assert "X-Frame-Options" not in answer


def test_every_other_page_still_refuses_every_frame(client, story):
    for path in ("/", story.get_absolute_url(), "/accounts/login/", "/api/v1/articles/"):
        answer = client.get(path)
        assert "frame-ancestors 'none'" in answer["Content-Security-Policy"], path
        assert answer["X-Frame-Options"] == "DENY", path


def test_a_story_whose_site_is_no_longer_permitted_has_no_embed(client, settings, story):
    settings.EMBED_ORIGINS = []

    assert client.get(f"/embed/{story.slug}/").status_code == 404


def test_a_hosted_article_has_no_embed(client):
    ArticleFactory(slug="ours")

    assert client.get("/embed/ours/").status_code == 404


def test_the_thread_shows_approved_comments_and_asks_anonymous_readers_to_sign_in(client, story):
    make_comment(article=story, body="Approved words")
    make_comment(article=story, body="Waiting words", status="pending")

    html = client.get(f"/embed/{story.slug}/").content.decode()

    assert "Approved words" in html
    assert "Waiting words" not in html
    assert "Log in to comment" in html
    assert "site-header" not in html  # the frame shows the thread only
    assert 'data-origins="https://news.example.com"' in html


def test_anonymous_readers_share_one_cached_thread(client, story, redis_client, django_assert_num_queries):
    for n in range(5):
        make_comment(article=story, body=f"Comment {n}")
    first = client.get(f"/embed/{story.slug}/")

    with django_assert_num_queries(0):
        again = Client().get(f"/embed/{story.slug}/")

    assert again.content == first.content
    assert again["Cache-Control"].startswith("public")
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]


@pytest.mark.parametrize("comments", [3, 30])
def test_an_uncached_thread_is_four_queries_whatever_its_length(story, comments, django_assert_num_queries):
    for n in range(comments):
        make_comment(article=story, body=f"Comment {n}")
    SiteSettings.load()

    # The story, the admins' origins (then kept in the cache), the page of comments and their replies.
    with django_assert_num_queries(4):
        assert Client().get(f"/embed/{story.slug}/").status_code == 200


def test_a_newsroom_reader_gets_their_own_thread_with_their_token(story):
    make_comment(article=story, body="Approved words")

    answer = Client().get(f"/embed/{story.slug}/", headers={"Authorization": f"Bearer {token()}"})

    html = answer.content.decode()
    assert answer["Cache-Control"] == "private, no-store"
    assert "Signed in as <strong>alice</strong>" in html
    assert 'class="comment-form"' in html
    assert "Log in to comment" not in html


def test_a_bad_token_on_the_thread_is_a_401(story):
    answer = Client().get(f"/embed/{story.slug}/", headers={"Authorization": f"Bearer {token(kid='x')}"})

    assert answer.status_code == 401
    assert answer["WWW-Authenticate"].startswith("Bearer")


def test_the_script_is_served_at_the_root_of_the_site(client):
    answer = client.get("/embed.js")

    assert answer.status_code == 200
    assert "javascript" in answer["Content-Type"]
    assert b"NewsroomComments" in b"".join(answer.streaming_content)


def test_a_newsroom_token_on_a_hosted_article_page_shows_it_as_that_reader_sees_it():
    ArticleFactory(slug="ours", headline="Our own story")

    answer = Client().get("/articles/ours/", headers={"Authorization": f"Bearer {token()}"})

    assert answer.status_code == 200
    assert "Signed in as <strong>alice</strong>" in answer.content.decode()
    assert answer["Cache-Control"] == "private, no-store"

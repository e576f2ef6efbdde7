"""GET /api/v1/stories/?url=: the story of a page on a permitted site, created on first ask."""

import pytest
from rest_framework.test import APIClient

from articles.models import Article
from embed.models import EmbedOrigin
from tests.embed.conftest import NEWSROOM, bearer, story_url, token

pytestmark = pytest.mark.django_db
STORIES = "/api/v1/stories/"


def _ask(url: str, **more):
    return APIClient().get(STORIES, {"url": url, **more})


def test_a_page_of_a_permitted_site_gets_its_story_on_first_ask():
    answer = _ask(story_url("/2026/11/floods/"), title="Floods in the valley")

    assert answer.status_code == 200
    story = Article.objects.get(canonical_url=f"{NEWSROOM}/2026/11/floods/")
    assert answer.json()["slug"] == story.slug
    assert answer.json()["headline"] == "Floods in the valley"
    assert answer.json()["canonical_url"] == f"{NEWSROOM}/2026/11/floods/"
    assert answer.json()["comments_open"] is True
    assert list(story.blocks.all()) == []


def test_the_same_page_with_a_query_a_fragment_or_capitals_is_the_same_story():
    first = _ask(story_url("/a/")).json()["slug"]

    again = _ask("HTTPS://News.Example.com:443/a/?utm_source=x#comments").json()["slug"]

    assert again == first
    assert Article.objects.filter(canonical_url__startswith=NEWSROOM).count() == 1


def test_the_trailing_slash_is_kept_as_given():
    _ask(story_url("/a/"))
    _ask(story_url("/a"))

    assert set(Article.objects.values_list("canonical_url", flat=True)) == {f"{NEWSROOM}/a/", f"{NEWSROOM}/a"}


def test_a_story_asked_for_again_keeps_its_headline():
    _ask(story_url("/a/"), title="The first title")

    answer = _ask(story_url("/a/"), title="Someone else's title")

    assert answer.json()["headline"] == "The first title"


def test_a_story_without_a_title_is_named_after_its_address():
    assert _ask(story_url("/2026/11/floods-in-the-valley/")).json()["headline"] == "Floods in the valley"


@pytest.mark.parametrize(
    "url", ["https://evil.example.org/a/", "http://news.example.com/a/", "https://news.example.com:8443/a/"]
)
def test_a_page_of_another_site_is_404_and_creates_nothing(url):
    answer = _ask(url)

    assert answer.status_code == 404
    assert answer.json() == {"detail": "This page is not on a site permitted to embed the comments."}
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    "url", ["", "news.example.com/a/", "javascript:alert(1)", "https://a b/", "x" * 2001]
)
def test_what_is_not_a_page_address_is_a_400(url):
    answer = _ask(url)

    assert answer.status_code == 400
    assert "url" in answer.json()
    assert not Article.objects.exists()


def test_a_site_added_in_admin_is_permitted_at_once(django_capture_on_commit_callbacks):
    _ask("https://other.example.net/a/")  # a miss, remembered in the cache
    with django_capture_on_commit_callbacks(execute=True):
        EmbedOrigin.objects.create(origin="https://other.example.net")

    assert _ask("https://other.example.net/a/").status_code == 200


def test_new_stories_are_limited_per_address_but_known_ones_are_not(settings, redis_client):
    settings.STORY_RATE_LIMIT = 2
    _ask(story_url("/1/"))
    _ask(story_url("/2/"))

    refused = _ask(story_url("/3/"))

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert _ask(story_url("/1/")).status_code == 200
    assert not Article.objects.filter(canonical_url=story_url("/3/")).exists()


def test_a_story_takes_comments_and_corrections_at_the_article_addresses():
    slug = _ask(story_url("/a/")).json()["slug"]

    posted = bearer(token()).post(
        f"/api/v1/articles/{slug}/comments/", {"body": "Well reported."}, format="json"
    )
    reported = APIClient().post(
        f"/api/v1/articles/{slug}/corrections/",
        {"message": "The river rose two metres, not three."},
        format="json",
    )

    assert posted.status_code == 201
    assert posted.json()["status"] == "pending"
    assert reported.status_code == 201
    assert APIClient().get(f"/api/v1/articles/{slug}/").json()["headline"] == "A"


def test_a_known_story_is_one_query(django_assert_num_queries):
    _ask(story_url("/a/"))

    with django_assert_num_queries(1):
        assert _ask(story_url("/a/")).status_code == 200

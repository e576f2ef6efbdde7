"""Editors' picks for readers: the "Featured" sort and tab, the Featured and Staff badges."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from comments import featuring
from tests.factories import ArticleFactory, UserFactory, make_comment, moderator

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return ArticleFactory(slug="story")


def _featured(article, body: str, *, minutes_ago: int, **kwargs):
    comment = make_comment(article=article, body=body, **kwargs)
    featuring.feature(comment_id=comment.pk, by=moderator(username="mod"))
    comment.featured_at = timezone.now() - timedelta(minutes=minutes_ago)
    comment.save(update_fields=["featured_at"])
    return comment


def _bodies(response) -> list[str]:
    return [c["body"] for c in response.json()["results"]]


def test_featured_sort_lists_only_approved_picks_newest_pick_first(article):
    make_comment(article=article, body="not a pick")
    _featured(article, "older pick", minutes_ago=10)
    top = _featured(article, "newer pick", minutes_ago=1)
    _featured(article, "a reply that was picked", minutes_ago=5, parent=top)
    withheld = _featured(article, "withheld since", minutes_ago=2)
    withheld.status = "rejected"
    withheld.save(update_fields=["status"])

    response = APIClient().get("/api/v1/articles/story/comments/?sort=featured")

    assert _bodies(response) == ["newer pick", "a reply that was picked", "older pick"]
    assert all(c["featured"] for c in response.json()["results"])


def test_featured_sort_pages_by_cursor(article, settings):
    settings.COMMENT_PAGE_SIZE = 2
    for n in range(5):
        _featured(article, f"pick {n}", minutes_ago=n)

    first = APIClient().get("/api/v1/articles/story/comments/?sort=featured").json()
    second = APIClient().get(first["next"]).json()
    third = APIClient().get(second["next"]).json()

    assert [c["body"] for c in first["results"] + second["results"] + third["results"]] == [
        f"pick {n}" for n in range(5)
    ]
    assert third["next"] is None


def test_a_made_up_featured_cursor_is_400(article):
    response = APIClient().get("/api/v1/articles/story/comments/?sort=featured&cursor=WzEsMl0")

    assert response.status_code == 400


def test_an_unknown_sort_is_still_400(article):
    assert APIClient().get("/api/v1/articles/story/comments/?sort=picks").status_code == 400


def test_comments_carry_featured_and_staff_badges_in_the_api(article):
    plain = make_comment(article=article, body="plain")
    staff = make_comment(article=article, body="from the desk", author=UserFactory(is_staff=True))
    featuring.feature(comment_id=plain.pk, by=moderator())

    results = {c["id"]: c for c in APIClient().get("/api/v1/articles/story/comments/").json()["results"]}

    assert (results[plain.pk]["featured"], results[plain.pk]["staff"]) == (True, False)
    assert (results[staff.pk]["featured"], results[staff.pk]["staff"]) == (False, True)


def test_featuring_shows_at_once_on_the_cached_page(article, client, django_capture_on_commit_callbacks):
    comment = make_comment(article=article, body="worth reading")
    assert "badge-featured" not in client.get("/articles/story/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        featuring.feature(comment_id=comment.pk, by=moderator())

    page = client.get("/articles/story/").content.decode()
    assert '<span class="badge badge-featured">Featured</span>' in page
    assert "worth reading" in client.get("/articles/story/?sort=featured").content.decode()


def test_unfeaturing_takes_it_off_the_featured_tab(article, client, django_capture_on_commit_callbacks):
    comment = _featured(article, "soon not a pick", minutes_ago=1)
    assert "soon not a pick" in client.get("/articles/story/?sort=featured").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        featuring.unfeature(comment_id=comment.pk, by=moderator())

    page = client.get("/articles/story/?sort=featured").content.decode()
    assert "soon not a pick" not in page
    assert "No editors' picks yet." in page


def test_the_page_has_a_featured_tab_and_staff_badges(article, client):
    make_comment(article=article, body="from the desk", author=UserFactory(is_staff=True))

    page = client.get("/articles/story/").content.decode()

    assert '<a href="?sort=featured#comments">Featured</a>' in page
    assert '<span class="badge badge-staff">Staff</span>' in page


def test_a_reader_sees_no_feature_button_a_moderator_does(article, client):
    make_comment(article=article, body="a comment")
    client.force_login(UserFactory())
    assert ">Feature<" not in client.get("/articles/story/").content.decode()

    client.force_login(moderator())
    assert ">Feature<" in client.get("/articles/story/").content.decode()


def test_own_pending_comments_are_not_added_to_the_featured_tab(article):
    reader = UserFactory()
    make_comment(article=article, author=reader, body="mine, waiting", status="pending")
    client = APIClient()
    client.force_authenticate(reader)

    assert _bodies(client.get("/api/v1/articles/story/comments/?sort=featured")) == []
    assert _bodies(client.get("/api/v1/articles/story/comments/")) == ["mine, waiting"]


@pytest.mark.parametrize("count", [1, 60])
def test_featured_page_query_count_is_constant(article, count, django_assert_num_queries):
    mod = moderator()
    for n in range(count):
        featuring.feature(comment_id=make_comment(article=article, body=f"c{n}").pk, by=mod)

    # Nothing cached: the article and one page of picks (a pick's replies are in the thread).
    with django_assert_num_queries(2):
        APIClient().get("/api/v1/articles/story/comments/?sort=featured")
    with django_assert_num_queries(0):
        APIClient().get("/api/v1/articles/story/comments/?sort=featured")


def test_the_authors_own_page_marks_a_featured_comment(article, client):
    author = UserFactory()
    featuring.feature(comment_id=make_comment(article=article, author=author).pk, by=moderator())
    client.force_login(author)

    assert (
        '<span class="badge badge-featured">Featured</span>' in client.get("/accounts/me/").content.decode()
    )
    assert client.get("/api/v1/me/comments/").json()["results"][0]["featured"] is True

"""Whole anonymous responses from the cache: headers, 304s, and every change a reader could see."""

import re

import pytest
from django.test import Client
from django.utils.http import http_date

from articles.models import SiteSettings
from comments import services as comment_services
from comments.models import Comment
from corrections import services as correction_services
from tests.factories import (
    ArticleFactory,
    CorrectionReportFactory,
    UserFactory,
    article_change_form,
    desk_editor,
    make_comment,
)

pytestmark = pytest.mark.django_db
PAGE = "/articles/story/"
API = "/api/v1/articles/story/comments/"


@pytest.fixture
def article():
    return ArticleFactory(slug="story", headline="The first headline", paragraphs=["The first words."])


def test_anonymous_page_may_be_kept_by_a_shared_cache(client, article):
    response = client.get(PAGE)

    assert response["Cache-Control"] == "public, max-age=10, stale-while-revalidate=30"
    assert response["ETag"]
    assert response["Last-Modified"]
    assert "Cookie" in response["Vary"]


def test_cache_lifetimes_come_from_settings(client, article, settings):
    settings.PUBLIC_MAX_AGE, settings.PUBLIC_STALE_WHILE_REVALIDATE = 60, 120

    response = client.get(PAGE)

    assert response["Cache-Control"] == "public, max-age=60, stale-while-revalidate=120"


def test_signed_in_reader_page_is_private(client, article):
    client.force_login(UserFactory())

    response = client.get(PAGE)

    assert response["Cache-Control"] == "private, no-store"
    assert "Cookie" in response["Vary"]
    assert not response.has_header("ETag")


def test_cached_anonymous_page_sets_no_cookie_and_carries_no_token(client, article):
    client.get(PAGE)

    response = client.get(PAGE)

    assert not response.cookies
    assert "csrfmiddlewaretoken" not in response.content.decode()


def test_unchanged_page_answers_304_to_its_etag(client, article):
    etag = client.get(PAGE)["ETag"]

    response = client.get(PAGE, headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert response["Cache-Control"].startswith("public")


def test_unchanged_page_answers_304_without_a_query(client, article, django_assert_num_queries):
    etag = client.get(PAGE)["ETag"]

    with django_assert_num_queries(0):
        response = client.get(PAGE, headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert not response.cookies


def test_page_from_the_cache_keeps_the_headers_it_was_built_with(client, article):
    built = client.get(PAGE)

    cached = client.get(PAGE)

    for header in ("Content-Security-Policy", "X-Frame-Options", "Content-Type", "Content-Length"):
        assert cached[header] == built[header]


def test_unchanged_page_answers_304_to_its_last_modified(client, article):
    last_modified = client.get(PAGE)["Last-Modified"]

    response = client.get(PAGE, headers={"If-Modified-Since": last_modified})

    assert response.status_code == 304


def test_page_changed_since_the_date_asked_is_sent_whole(client, article):
    client.get(PAGE)

    response = client.get(PAGE, headers={"If-Modified-Since": http_date(0)})

    assert response.status_code == 200


def test_pages_of_a_thread_have_their_own_etags(client, article):
    assert client.get(PAGE)["ETag"] != client.get(PAGE + "?sort=newest")["ETag"]


def test_query_parameters_that_change_nothing_share_the_cached_page(
    client, article, django_assert_num_queries
):
    client.get(PAGE)

    with django_assert_num_queries(0):
        response = client.get(PAGE + "?utm_source=newsletter")

    assert response.status_code == 200


def test_a_flash_message_makes_the_page_personal(client, article):
    client.get(PAGE)
    client.cookies["messages"] = "something"

    response = client.get(PAGE)

    assert response["Cache-Control"] == "private, no-store"


def test_anonymous_api_page_is_public_and_varies_by_token(client, article, django_assert_num_queries):
    client.get(API)

    with django_assert_num_queries(0):
        response = client.get(API)

    assert response["Cache-Control"].startswith("public, max-age=10")
    assert {"Cookie", "Authorization"} <= {v.strip() for v in response["Vary"].split(",")}
    assert client.get(API, headers={"If-None-Match": response["ETag"]}).status_code == 304


def test_api_page_for_a_token_holder_is_private(client, article):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=UserFactory())

    response = client.get(API, headers={"Authorization": f"Token {token.key}"})

    assert response["Cache-Control"] == "private, no-store"


def _seen(client) -> tuple[str, str]:
    """What the next anonymous reader gets: the page and the API's first page."""
    return client.get(PAGE).content.decode(), client.get(API).content.decode()


def _approve(comment: Comment) -> None:
    comment_services.change_status(
        comment_id=comment.pk,
        to_status=Comment.Status.APPROVED,
        actor_name="system",
        action="moderation.comment.approved",
    )


def test_posted_and_approved_comment_reaches_the_next_anonymous_reader(
    client, article, django_capture_on_commit_callbacks
):
    etag = client.get(PAGE)["ETag"]
    _seen(client)

    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_services.post_comment(article=article, author=UserFactory(), body="Fresh words")
    with django_capture_on_commit_callbacks(execute=True):
        _approve(comment)

    page, api = _seen(client)
    assert "Fresh words" in page and "Fresh words" in api
    assert client.get(PAGE, headers={"If-None-Match": etag}).status_code == 200


def test_approved_edit_reaches_the_next_anonymous_reader(client, article, django_capture_on_commit_callbacks):
    author = UserFactory()
    comment = make_comment(article=article, author=author, body="First thoughts")
    _seen(client)

    with django_capture_on_commit_callbacks(execute=True):
        comment_services.edit_comment(comment=comment, user=author, body="Second thoughts")
    with django_capture_on_commit_callbacks(execute=True):
        _approve(comment)

    page, api = _seen(client)
    assert "Second thoughts" in page and "Second thoughts" in api
    assert "First thoughts" not in page and "First thoughts" not in api


def test_deletion_reaches_the_next_anonymous_reader(client, article, django_capture_on_commit_callbacks):
    author = UserFactory()
    comment = make_comment(article=article, author=author, body="Soon gone")
    _seen(client)

    with django_capture_on_commit_callbacks(execute=True):
        comment_services.delete_comment(comment=comment, user=author)

    page, api = _seen(client)
    assert "Soon gone" not in page and "Soon gone" not in api


def test_published_correction_notice_reaches_the_next_anonymous_reader(
    client, article, django_capture_on_commit_callbacks
):
    report = CorrectionReportFactory(article=article)
    client.get(PAGE)

    with django_capture_on_commit_callbacks(execute=True):
        correction_services.publish_correction(
            report=report, text="We misnamed the town.", user=desk_editor()
        )

    assert "We misnamed the town." in client.get(PAGE).content.decode()


def _admin_edit(admin_client, article, **changes) -> None:
    data = article_change_form(article, **changes)
    response = admin_client.post(f"/admin/articles/article/{article.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_admin_edit_of_the_article_reaches_the_next_anonymous_reader(
    client, admin_client, article, django_capture_on_commit_callbacks
):
    client.get(PAGE)

    with django_capture_on_commit_callbacks(execute=True):
        _admin_edit(admin_client, article, headline="A better headline", **{"blocks-0-text": "Better words."})

    page = client.get(PAGE).content.decode()
    assert "A better headline" in page and "Better words." in page


def test_admin_edit_of_a_teased_article_reaches_pages_that_tease_it(client, admin_client, article):
    teaser = ArticleFactory(headline="The teased story")
    article.blocks.create(position=2, kind="related", heading="Related").teasers.add(teaser)
    client.get(PAGE)

    teaser.headline = "The renamed story"
    teaser.save()

    assert "The renamed story" in client.get(PAGE).content.decode()


def test_site_settings_reach_the_next_anonymous_reader(client):
    from django.utils import timezone

    ArticleFactory(slug="story", published_at=timezone.now() - timezone.timedelta(days=2))
    client.get(PAGE)

    site = SiteSettings.load()
    site.comments_close_after_days = 1
    site.save()

    assert "Comments are closed for this article." in client.get(PAGE).content.decode()


def test_page_of_an_article_whose_comments_close_soon_is_kept_only_until_then(client, article, redis_client):
    from django.utils import timezone

    article.comments_close_at = timezone.now() + timezone.timedelta(seconds=30)
    article.save()

    client.get(PAGE)

    ttls = [redis_client.ttl(key) for key in redis_client.keys("*:page:*")]
    assert ttls and all(0 < ttl <= 30 for ttl in ttls)


def test_anonymous_reader_reports_a_mistake_without_javascript_from_the_cached_page(article):
    reader = Client(enforce_csrf_checks=True)
    reader.get(PAGE)
    page = reader.get(PAGE).content.decode()
    form_url = re.search(r'href="([^"]+/corrections/new/)"', page).group(1)

    form = reader.get(form_url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.content.decode()).group(1)
    response = reader.post(form_url, {"csrfmiddlewaretoken": token, "message": "The town is misnamed."})

    assert "no-store" in form["Cache-Control"]
    assert response.status_code == 302
    assert article.correction_reports.get().message == "The town is misnamed."


def test_anonymous_reader_reports_a_mistake_as_json_without_a_token(article):
    reader = Client(enforce_csrf_checks=True)
    reader.get(PAGE)

    response = reader.post(
        "/api/v1/articles/story/corrections/", {"message": "Wrong date."}, content_type="application/json"
    )

    assert response.status_code == 201


def test_a_cross_site_form_cannot_post_a_report_to_the_api(article):
    reader = Client(enforce_csrf_checks=True)

    response = reader.post("/api/v1/articles/story/corrections/", "message=Wrong", content_type="text/plain")

    assert response.status_code == 415
    assert not article.correction_reports.exists()


def test_while_one_reader_builds_the_changed_page_the_others_get_the_previous_one(
    client, article, redis_client, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    author = UserFactory()
    comment = make_comment(article=article, author=author, body="Old words")
    client.get(PAGE)
    (stored,) = redis_client.keys("*:page:*")
    building = stored.decode().split(":", 2)[2] + ":building"
    cache.add(building, 1, 5)  # another process is building it
    with django_capture_on_commit_callbacks(execute=True):
        comment_services.delete_comment(comment=comment, user=author)

    assert "Old words" in client.get(PAGE).content.decode()
    cache.delete(building)
    assert "Old words" not in client.get(PAGE).content.decode()

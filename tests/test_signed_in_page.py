"""A signed-in reader's article page: the article and other readers' comments come from shared
caches, and nothing of one reader (CSRF token, own comments, moderator's tools) reaches another."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from comments import likes
from comments import services as comment_services
from comments.models import Comment
from corrections import services as correction_services
from tests.factories import (
    ArticleFactory,
    CorrectionReportFactory,
    UserFactory,
    desk_editor,
    make_comment,
    moderator,
)

pytestmark = pytest.mark.django_db
PAGE = "/articles/story/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def article():
    article = ArticleFactory(slug="story", headline="The first headline", paragraphs=["The first words."])
    writers = [UserFactory() for _ in range(5)]
    for n in range(12):
        make_comment(article=article, author=writers[n % 5], body=f"Comment number {n}")
    return article


def _reader(user=None) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user or UserFactory())
    return client


def test_signed_in_page_of_an_unchanged_thread_takes_no_queries(article, django_assert_num_queries):
    reader = _reader()
    reader.get(PAGE)

    # The session, the reader's state and the page come from Redis (readers/pages.py).
    with django_assert_num_queries(0):
        response = reader.get(PAGE)

    assert "Comment number 11" in response.content.decode()


def test_shared_copies_hold_no_readers_token(article, redis_client):
    page = _reader().get(PAGE).content.decode()

    shared = "".join(
        str(cache.get(key.decode().split(":", 2)[2]))
        for pattern in ("*:thread-items:*", "*:article-html:*", "*:reader-page:*")
        for key in redis_client.keys(pattern)
    )
    tokens = set(TOKEN.findall(page))
    assert tokens and not any(token in shared for token in tokens)


def test_a_reader_posts_with_the_token_on_a_page_built_from_anothers_copy(article):
    _reader().get(PAGE)
    reader = _reader()
    page = reader.get(PAGE).content.decode()

    form = re.search(
        r'<form method="post" action="(/articles/story/comments/)">\s*<input type="hidden" '
        + TOKEN.pattern
        + r'>\s*<input type="hidden" name="parent" value="(\d+)">',
        page,
    )
    response = reader.post(
        form.group(1), {"csrfmiddlewaretoken": form.group(2), "body": "A reply.", "parent": form.group(3)}
    )

    assert response.status_code == 302
    assert Comment.objects.filter(body="A reply.").exists()


def test_own_comment_offers_edit_and_others_offer_like(article):
    author = UserFactory()
    own = make_comment(article=article, author=author, body="My own words")
    _reader().get(PAGE)

    page = _reader(author).get(PAGE).content.decode()

    item = page[page.index(f'id="comment-{own.pk}"') :].split("</li>", 1)[0]
    assert f"/comments/{own.pk}/edit/" in item
    assert f"/comments/{own.pk}/like/" not in item
    assert page.count('class="inline-form like-form"') == 12


def test_others_see_like_on_a_comment_whose_author_loaded_the_page_first(article):
    author = UserFactory()
    own = make_comment(article=article, author=author, body="My own words")
    _reader(author).get(PAGE)

    page = _reader().get(PAGE).content.decode()

    assert f"/comments/{own.pk}/like/" in page
    assert f"/comments/{own.pk}/edit/" not in page


def test_liked_comment_is_pressed_for_its_liker_only(article):
    liker = UserFactory()
    likes.like_comment(comment=Comment.objects.filter(article=article).first(), user=liker)
    _reader().get(PAGE)

    mine = _reader(liker).get(PAGE).content.decode()
    theirs = _reader().get(PAGE).content.decode()

    assert mine.count('aria-pressed="true"') == 1
    assert 'aria-pressed="true"' not in theirs


def test_own_pending_comment_is_shown_to_its_author_only(article):
    author = UserFactory()
    make_comment(article=article, author=author, body="Still waiting", status="pending")

    mine = _reader(author).get(PAGE).content.decode()
    theirs = _reader().get(PAGE).content.decode()

    assert "Still waiting" in mine and "awaiting moderation" in mine
    assert "Still waiting" not in theirs


def test_moderators_toolbar_stays_with_moderators(article):
    _reader(moderator()).get(PAGE)

    page = _reader().get(PAGE).content.decode()

    assert "mod-toolbar" not in page


def test_moderator_gets_the_toolbar_from_a_copy_a_reader_filled(article):
    _reader().get(PAGE)

    page = _reader(moderator()).get(PAGE).content.decode()

    assert page.count('class="mod-toolbar"') == 12


def test_forms_lead_back_to_the_readers_own_address(article):
    page = _reader().get(PAGE + "?sort=newest").content.decode()

    assert 'name="next" value="/articles/story/?sort=newest#comments"' in page


def test_published_correction_notice_reaches_the_next_signed_in_reader(
    article, django_capture_on_commit_callbacks
):
    reader = _reader()
    reader.get(PAGE)

    with django_capture_on_commit_callbacks(execute=True):
        correction_services.publish_correction(
            report=CorrectionReportFactory(article=article), text="We misnamed the town.", user=desk_editor()
        )

    assert "We misnamed the town." in reader.get(PAGE).content.decode()


def test_approved_comment_reaches_the_next_signed_in_reader(article, django_capture_on_commit_callbacks):
    reader = _reader()
    reader.get(PAGE + "?sort=newest")

    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_services.post_comment(article=article, author=UserFactory(), body="Fresh words")
    with django_capture_on_commit_callbacks(execute=True):
        comment_services.change_status(
            comment_id=comment.pk,
            to_status=Comment.Status.APPROVED,
            actor_name="system",
            action="moderation.comment.approved",
        )

    assert "Fresh words" in reader.get(PAGE + "?sort=newest").content.decode()

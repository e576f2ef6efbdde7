"""Rules the thread page and the API share: long texts, unknown parents, posting limits,
permalinks (query counts) and what a signed-in reader's page must not leak into the cache."""

import pytest

from articles.models import SiteSettings
from comments.models import Comment
from tests.factories import UserFactory, make_comment

pytestmark = pytest.mark.django_db
THREAD_API = "/api/v1/articles/story/comments/"


@pytest.fixture
def signed_in(client):
    user = UserFactory(username="alice")
    client.force_login(user)
    return user


def test_the_form_refuses_a_text_over_the_limit_whole_and_gives_it_back(client, article, signed_in):
    response = client.post("/articles/story/comments/", {"body": "z" * 5001})

    assert response.status_code == 400
    assert "5,001 characters long; the limit is 5,000" in response.content.decode()
    assert "z" * 5001 in response.content.decode()
    assert not Comment.objects.exists()


def test_the_api_refuses_a_text_over_the_limit_with_the_reason(client, article, signed_in):
    response = client.post(THREAD_API, {"body": "z" * 5001}, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["body"] == [
        "The comment is longer than 5,000 characters. Shorten it and send it again."
    ]
    assert not Comment.objects.exists()


def test_an_edit_over_the_limit_is_refused_not_cut(client, article, signed_in):
    comment = make_comment(article=article, author=signed_in, body="Short")

    response = client.post(f"/comments/{comment.pk}/edit/", {"body": "z" * 5001})

    assert response.status_code == 400
    comment.refresh_from_db()
    assert (comment.body, comment.edit_body) == ("Short", "")


def test_a_reply_to_an_unknown_parent_gets_the_same_refusal_from_the_form_and_the_api(
    client, article, signed_in
):
    form = client.post("/articles/story/comments/", {"body": "Hi", "parent": 999999})
    api = client.post(THREAD_API, {"body": "Hi", "parent": 999999}, content_type="application/json")

    assert form.status_code == api.status_code == 400
    assert "No such comment to reply to." in form.content.decode()
    assert api.json()["parent"] == ["No such comment to reply to."]
    assert not Comment.objects.exists()


@pytest.mark.parametrize("status", ["pending", "in_review", "rejected"])
def test_a_reply_to_ones_own_comment_that_is_not_published_is_refused(client, article, signed_in, status):
    mine = make_comment(article=article, author=signed_in, status=status, body="Not public yet")

    form = client.post("/articles/story/comments/", {"body": "Me again", "parent": mine.pk})
    api = client.post(THREAD_API, {"body": "Me again", "parent": mine.pk}, content_type="application/json")

    assert form.status_code == api.status_code == 400
    assert api.json()["parent"] == ["Replies open once this comment is published."]
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("status", ["pending", "in_review", "rejected", "deleted"])
def test_a_reply_to_someone_elses_comment_that_is_not_public_is_refused_as_unknown(
    client, article, signed_in, status
):
    theirs = make_comment(article=article, status=status, body="Not public")

    api = client.post(THREAD_API, {"body": "Hi", "parent": theirs.pk}, content_type="application/json")

    assert api.status_code == 400
    assert api.json()["parent"] == ["No such comment to reply to."]


def test_the_per_user_limit_decides_for_a_signed_in_reader(
    client, article, signed_in, settings, redis_client
):
    settings.COMMENT_RATE_LIMIT, settings.COMMENT_IP_RATE_LIMIT = 2, 10
    for n in range(2):
        client.post(THREAD_API, {"body": f"Mine {n}"}, content_type="application/json")

    refused = client.post(THREAD_API, {"body": "One too many"}, content_type="application/json")
    client.force_login(UserFactory(username="neighbour"))
    neighbour = client.post(THREAD_API, {"body": "Same network"}, content_type="application/json")

    assert refused.status_code == 429
    assert neighbour.status_code == 201


def test_the_per_address_limit_is_a_higher_backstop(client, article, settings, redis_client):
    settings.COMMENT_RATE_LIMIT, settings.COMMENT_IP_RATE_LIMIT = 2, 3
    settings.COMMENT_RATE_PERIOD = 24 * 3600  # fixed windows: no boundary falls between the four posts
    answers = []
    for n in range(4):
        client.force_login(UserFactory(username=f"reader{n}"))
        answers.append(client.post(THREAD_API, {"body": f"From reader {n}"}, content_type="application/json"))

    assert [a.status_code for a in answers] == [201, 201, 201, 429]
    assert answers[-1]["Retry-After"]


def test_a_permalink_to_a_later_page_costs_three_queries_more_than_the_page(
    client, article, settings, django_assert_num_queries
):
    settings.COMMENT_PAGE_SIZE = 5
    writer = UserFactory()
    comments = [make_comment(article=article, author=writer, body=f"c{n}") for n in range(40)]
    SiteSettings.load()

    # The article, its blocks, teasers and correction notices; the comment with its parents,
    # the count of comments before it, the row that ends the page before; the page and its
    # first replies (none here, so not their replies).
    with django_assert_num_queries(9):
        response = client.get(f"/articles/story/?comment={comments[33].pk}")

    assert "c33" in response.content.decode()
    assert "c0<" not in response.content.decode()


def test_an_unknown_permalink_shows_the_first_page(client, article):
    make_comment(article=article, body="First words")

    response = client.get("/articles/story/?comment=999999")

    assert response.status_code == 200
    assert "First words" in response.content.decode()


def test_a_signed_in_readers_likes_and_edit_controls_never_reach_the_cached_page(client, article):
    alice = UserFactory(username="alice")
    mine = make_comment(article=article, author=alice, body="Mine")
    theirs = make_comment(article=article, body="Theirs")
    client.force_login(alice)
    client.put(f"/api/v1/comments/{theirs.pk}/like/")
    own_page = client.get("/articles/story/").content.decode()
    client.logout()

    public = client.get("/articles/story/").content.decode()

    assert 'aria-pressed="true"' in own_page and f"/comments/{mine.pk}/edit/" in own_page
    assert "aria-pressed" not in public and "/edit/" not in public and "Delete" not in public


def test_the_replies_page_shows_which_replies_the_reader_likes(client, article, settings):
    settings.COMMENT_REPLIES_SHOWN = 1
    top = make_comment(article=article, body="Top")
    make_comment(article=article, parent=top, body="First reply")
    second = make_comment(article=article, parent=top, body="Second reply")
    client.force_login(UserFactory(username="alice"))
    client.put(f"/api/v1/comments/{second.pk}/like/")

    page = client.get(f"/comments/{top.pk}/replies/").content.decode()

    assert page.count('aria-pressed="true"') == 1
    assert page.index('aria-pressed="true"') > page.index(f'id="comment-{second.pk}"')


def test_an_anonymous_permalink_page_is_cached_apart_from_the_plain_page(client, article, settings):
    settings.COMMENT_PAGE_SIZE = 1
    first = make_comment(article=article, body="On the first page")
    second = make_comment(article=article, body="On the second page")
    client.get(f"/articles/story/?comment={second.pk}")

    plain = client.get("/articles/story/").content.decode()
    permalink = client.get(f"/articles/story/?comment={second.pk}").content.decode()

    assert "On the first page" in plain and "On the second page" not in plain
    assert "On the second page" in permalink and f'id="c{first.pk}"' not in permalink
    assert f'id="c{second.pk}" tabindex="-1" class="highlighted"' in permalink

"""Every link to a comment is its permalink, `?comment=<id>#c<id>` (issue 30)."""

import pytest

from tests.factories import ArticleFactory, UserFactory, make_comment

pytestmark = pytest.mark.django_db


def test_ones_own_comments_and_replies_on_accounts_me_link_to_their_permalinks(client):
    article = ArticleFactory(slug="story")
    alice, bob = UserFactory(), UserFactory()
    mine = make_comment(article=article, author=alice, body="My words")
    reply = make_comment(article=article, author=bob, parent=mine, body="An answer")
    client.force_login(alice)

    page = client.get("/accounts/me/").content.decode()

    assert f'href="/articles/story/?comment={mine.pk}#c{mine.pk}"' in page
    assert f'href="/articles/story/?comment={reply.pk}#c{reply.pk}"' in page
    assert "#comment-" not in page


def test_the_api_of_ones_own_comments_gives_permalinks(client):
    article = ArticleFactory(slug="story")
    alice = UserFactory()
    mine = make_comment(article=article, author=alice)
    client.force_login(alice)

    results = client.get("/api/v1/me/comments/").json()["results"]

    assert results[0]["url"] == f"/articles/story/?comment={mine.pk}#c{mine.pk}"


@pytest.mark.parametrize("earlier", [5, 25])
def test_a_permalink_to_ones_own_waiting_comment_opens_the_page_that_holds_it(
    client, settings, earlier, django_assert_max_num_queries
):
    settings.COMMENT_PAGE_SIZE = 2
    article = ArticleFactory(slug="story")
    for n in range(earlier):
        make_comment(article=article, body=f"Earlier comment {n}")
    alice = UserFactory()
    mine = make_comment(article=article, author=alice, body="Mine, waiting", status="in_review")
    client.force_login(alice)
    client.get(f"/articles/story/?comment={mine.pk}")  # the article and settings cached

    with django_assert_max_num_queries(40) as counted:
        html = client.get(f"/articles/story/?comment={mine.pk}").content.decode()

    assert "Mine, waiting" in html
    assert f'href="/comments/{mine.pk}/delete/"' in html
    assert f'id="c{mine.pk}" tabindex="-1" class="highlighted"' in html
    assert len(counted) == QUERIES.setdefault("own permalink", len(counted))  # the same for 5 or 25


QUERIES: dict[str, int] = {}

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import SiteSettings
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
SEED_URL = "/articles/98000-russians-flee-to-kazakhstan/"


def _text(response) -> str:
    return response.content.decode()


def test_article_page_shows_headline_and_date(client, seeded):
    html = _text(client.get(SEED_URL))

    assert "An Estimated 98,000 Russians Have Fled to Kazakhstan Since Putin’s Conscription Order" in html
    assert "Sept. 27, 2022" in html


def test_article_page_shows_both_parts_of_the_body_in_order(client, seeded):
    html = _text(client.get(SEED_URL)).split('<div class="article-body"')[1]

    first = html.index("An estimated 98,000 Russians have fled to neighboring Kazakhstan")
    last_of_first_part = html.index("“because of the current hopeless situation.”")
    block = html.index("Other Topics of Interest")
    second = html.index("“We must take care of them and ensure their safety,”")
    end = html.index("UN rights office spokeswoman Ravina Shamdasani said on Sep. 27.")
    assert first < last_of_first_part < block < second < end


def test_article_page_keeps_the_non_breaking_space_of_the_seed(client, seeded):
    assert "ordered \u00a0assistance" in _text(client.get(SEED_URL))


def test_article_page_shows_the_related_block_where_the_seed_has_it(client, seeded):
    html = _text(client.get(SEED_URL))

    aside = re.search(r'<aside class="related".*?</aside>', html, re.S).group(0)
    assert aside.count("Ukraine&#x27;s Precipice") == 2
    assert "Other Topics of Interest" in aside
    assert "The $61-billion military aid package from the United States" in aside
    assert 'href="/articles/ukraines-precipice/"' in aside


def test_related_article_is_its_own_page(client, seeded):
    response = client.get("/articles/ukraines-precipice/")

    assert response.status_code == 200
    assert "The $61-billion military aid package" in _text(response)


def test_article_page_links_to_the_correction_form(client, seeded):
    html = _text(client.get(SEED_URL))

    assert re.search(
        r'To suggest a correction or clarification, <a href="/articles/98000-russians-flee-to-kazakhstan/corrections/new/">write to us here</a>',
        html,
    )
    assert client.get(SEED_URL + "corrections/new/").status_code == 200


def test_article_page_tells_readers_about_ctrl_enter(client, seeded):
    html = re.sub(r"<[^>]+>", "", _text(client.get(SEED_URL)))

    assert "You can also highlight the text and press Ctrl + Enter" in html


def test_article_page_shows_the_empty_comment_section(client, seeded):
    html = _text(client.get(SEED_URL))

    assert "Comments (0)" in html
    assert "Write the first comment for this!" in html


def test_article_page_carries_news_article_json_ld(client, seeded):
    html = _text(client.get(SEED_URL))

    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(raw)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == seeded.headline
    assert data["datePublished"].startswith("2022-09-27")


def test_json_ld_cannot_close_its_script_element(client):
    ArticleFactory(slug="tricky", headline="</script><script>alert(1)</script>")

    html = _text(client.get("/articles/tricky/"))

    assert "<script>alert(1)" not in html


def test_home_lists_latest_articles_newest_first(client):
    ArticleFactory(headline="Older story", published_at=timezone.now() - timedelta(days=2))
    ArticleFactory(headline="Newer story", published_at=timezone.now() - timedelta(hours=1))

    html = _text(client.get("/"))

    assert html.index("Newer story") < html.index("Older story")


def test_unpublished_article_is_not_found(client):
    ArticleFactory(slug="embargoed", published_at=timezone.now() + timedelta(days=1))

    assert client.get("/articles/embargoed/").status_code == 404
    assert "embargoed" not in _text(client.get("/"))


def test_unknown_article_is_not_found(client):
    assert client.get("/articles/nope/").status_code == 404


def test_closed_article_says_comments_are_closed(client):
    ArticleFactory(slug="closed", comments_open=False)

    assert "Comments are closed" in _text(client.get("/articles/closed/"))


def test_site_setting_closes_comments_days_after_publication(client):
    ArticleFactory(slug="old", published_at=timezone.now() - timedelta(days=10))
    SiteSettings.objects.update_or_create(pk=1, defaults={"comments_close_after_days": 7})

    assert "Comments are closed" in _text(client.get("/articles/old/"))


def test_article_page_reads_article_blocks_and_teasers_in_three_queries(
    client, seeded, django_assert_num_queries
):
    from delivery import bumps, changes

    client.get(SEED_URL)  # the site settings row is created once, then cached
    bumps.bump(changes.article_version_key(seeded.slug))  # the whole page must be built again

    with django_assert_num_queries(3):
        client.get(SEED_URL)


def test_the_site_name_comes_from_its_setting(client, db, settings):
    settings.SITE_NAME = "The Daily Example"

    page = client.get("/").content.decode()

    assert "<title>Latest news · The Daily Example</title>" in page
    assert '<a class="site-name" href="/">The Daily Example</a>' in page
    assert "Newsroom" not in page

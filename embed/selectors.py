"""Reads of stories: the articles that stand for pages of the newsroom's own site."""

from articles.models import Article
from articles.selectors import published_articles

from .origins import is_permitted


def story_at(url: str) -> Article | None:
    """The story of this canonical page address, None when there is none yet."""
    return Article.objects.filter(canonical_url=url).first()


def embeddable(slug: str) -> Article | None:
    """A published story whose page is on a site still permitted to embed it."""
    story = published_articles().exclude(canonical_url="").filter(slug=slug).first()
    return story if story is not None and is_permitted(story.canonical_url) else None

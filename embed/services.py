"""Writes of the embed: stories created on first ask."""

import hashlib
from urllib.parse import unquote, urlsplit

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from articles.models import Article

MAX_TITLE = 300


def _headline(url: str, title: str) -> str:
    title = " ".join(title.split())[:MAX_TITLE]
    if title:
        return title
    # The page gave none: its last path segment ("/2026/11/floods-in-valencia/" -> "Floods in valencia").
    segments = [s for s in unquote(urlsplit(url).path).split("/") if s]
    words = " ".join(segments[-1].replace("-", " ").replace("_", " ").split()) if segments else ""
    return (words.capitalize() or urlsplit(url).hostname or url)[:MAX_TITLE]


def create_story(*, url: str, title: str = "") -> Article:
    """The story of a page of a permitted site (canonical `url`), created now unless a concurrent
    request just did: an Article with no body of ours, open for comments like any other."""
    headline = _headline(url, title)
    # The URL's hash keeps slugs apart for pages sharing a title; the title keeps them readable.
    slug = f"{slugify(headline)[:60].strip('-') or 'story'}-{hashlib.sha256(url.encode()).hexdigest()[:8]}"
    try:
        with transaction.atomic():
            return Article.objects.create(headline=headline, slug=slug, canonical_url=url)
    except IntegrityError:
        found = Article.objects.filter(canonical_url=url).first()
        if found is None:  # the slug, not the URL, was taken: by an article of another page
            with transaction.atomic():
                return Article.objects.create(
                    headline=headline,
                    slug=f"story-{hashlib.sha256(url.encode()).hexdigest()[:24]}",
                    canonical_url=url,
                )
        return found

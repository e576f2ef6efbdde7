"""Seed content: articles kept as TOML files under seeds/articles/, loaded by `load_seeds`.

A file holds one article: its fields, then its body as `[[blocks]]`, each either `paragraphs`
(text, paragraphs separated by blank lines, kept character for character) or `related` (slugs of
articles shown as teasers, with an optional `label` and `heading`).
"""

import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from .models import Article, ArticleBlock

ARTICLE_KEYS = {"slug", "headline", "section", "standfirst", "published_at", "comments_open", "blocks"}
BLOCK_KEYS = {"paragraphs", "related", "label", "heading"}
_PARAGRAPH_BREAK = re.compile(r"\n(?:[ \t]*\n)+")


class SeedError(Exception):
    """A seed file that cannot be loaded; the message names the file and the problem."""


@dataclass(frozen=True)
class SeedArticle:
    path: Path
    slug: str
    headline: str
    section: str
    standfirst: str
    published_at: datetime
    comments_open: bool
    # (kind, text, label, heading, teaser slugs), in page order
    blocks: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = field(default_factory=tuple)


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _text(data: dict, key: str, path: Path, *, required: bool = False, max_length: int | None = None) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise SeedError(f"{path}: `{key}` must be a string")
    value = value.strip()
    if required and not value:
        raise SeedError(f"{path}: `{key}` is required")
    if max_length and len(value) > max_length:
        raise SeedError(f"{path}: `{key}` is longer than {max_length} characters")
    return value


def _paragraphs(text: str) -> list[str]:
    # Single newlines inside a paragraph are line wrapping; only blank lines (one or several,
    # as after the seed's fourth paragraph) separate paragraphs.
    parts = (part.strip(" \t\n").replace("\n", " ") for part in _PARAGRAPH_BREAK.split(text))
    return [part for part in parts if part]


def _block(raw: object, path: Path, number: int) -> list[tuple[str, str, str, str, tuple[str, ...]]]:
    where = f"{path}: block {number}"
    if not isinstance(raw, dict):
        raise SeedError(f"{where} must be a table")
    unknown = set(raw) - BLOCK_KEYS
    if unknown:
        raise SeedError(f"{where} has unknown keys: {', '.join(sorted(unknown))}")
    if ("paragraphs" in raw) == ("related" in raw):
        raise SeedError(f"{where} must have either `paragraphs` or `related`")
    if "paragraphs" in raw:
        if not isinstance(raw["paragraphs"], str):
            raise SeedError(f"{where}: `paragraphs` must be a string")
        paragraphs = _paragraphs(raw["paragraphs"])
        if not paragraphs:
            raise SeedError(f"{where}: `paragraphs` is empty")
        return [(ArticleBlock.Kind.PARAGRAPH, p, "", "", ()) for p in paragraphs]
    related = raw["related"]
    if not isinstance(related, list) or not related or not all(isinstance(s, str) for s in related):
        raise SeedError(f"{where}: `related` must be a non-empty list of article slugs")
    label = _text(raw, "label", path, max_length=100)
    heading = _text(raw, "heading", path, max_length=100)
    return [(ArticleBlock.Kind.RELATED, "", label, heading, tuple(related))]


def parse_seed(path: Path) -> SeedArticle:
    """Read and check one seed file; raises SeedError naming the file and the problem."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise SeedError(f"{path}: not UTF-8 text ({exc.reason})") from None
    except tomllib.TOMLDecodeError as exc:
        raise SeedError(f"{path}: not valid TOML: {exc}") from None
    unknown = set(data) - ARTICLE_KEYS
    if unknown:
        raise SeedError(f"{path}: unknown keys: {', '.join(sorted(unknown))}")
    slug = _text(data, "slug", path, required=True, max_length=200)
    if slugify(slug) != slug:
        raise SeedError(f"{path}: `slug` {slug!r} is not a valid slug (lowercase letters, digits, hyphens)")
    published_at = data.get("published_at")
    if not isinstance(published_at, datetime) or published_at.tzinfo is None:
        raise SeedError(f"{path}: `published_at` must be a date and time with a UTC offset")
    comments_open = data.get("comments_open", True)
    if not isinstance(comments_open, bool):
        raise SeedError(f"{path}: `comments_open` must be true or false")
    raw_blocks = data.get("blocks")
    if not isinstance(raw_blocks, list) or not raw_blocks:
        raise SeedError(f"{path}: the article needs at least one [[blocks]] entry")
    blocks = [b for n, raw in enumerate(raw_blocks, start=1) for b in _block(raw, path, n)]
    return SeedArticle(
        path=path,
        slug=slug,
        headline=_text(data, "headline", path, required=True, max_length=300),
        section=_text(data, "section", path, max_length=100),
        standfirst=_text(data, "standfirst", path),
        published_at=published_at,
        comments_open=comments_open,
        blocks=tuple(blocks),
    )


def _current_blocks(article: Article) -> tuple:
    return tuple(
        (b.kind, b.text, b.label, b.heading, tuple(t.slug for t in b.teasers.order_by("pk")))
        for b in article.blocks.prefetch_related("teasers").order_by("position")
    )


def load_seeds(directory: Path) -> LoadReport:
    """Create or update the articles the seed files describe, all or nothing; idempotent."""
    paths = sorted(directory.glob("*.toml"))
    if not paths:
        raise SeedError(f"{directory}: no seed files (*.toml) found")
    seeds = [parse_seed(p) for p in paths]
    slugs = [s.slug for s in seeds]
    for seed in seeds:
        if slugs.count(seed.slug) > 1:
            raise SeedError(f"{seed.path}: slug {seed.slug!r} is used by another seed file too")
        for block in seed.blocks:
            for slug in block[4]:
                if slug not in slugs and not Article.objects.filter(slug=slug).exists():
                    raise SeedError(f"{seed.path}: related article {slug!r} does not exist")

    report = LoadReport()
    with transaction.atomic():
        articles = {}
        for seed in seeds:
            fields = {
                "headline": seed.headline,
                "section": seed.section,
                "standfirst": seed.standfirst,
                "published_at": seed.published_at,
                "comments_open": seed.comments_open,
            }
            article = Article.objects.filter(slug=seed.slug).first()
            if article is None:
                article = Article.objects.create(slug=seed.slug, updated_at=seed.published_at, **fields)
                report.created.append(seed.slug)
            elif any(getattr(article, k) != v for k, v in fields.items()):
                for name, value in fields.items():
                    setattr(article, name, value)
                article.updated_at = timezone.now()
                article.save(update_fields=[*fields, "updated_at"])  # announced (articles/apps.py)
                report.updated.append(seed.slug)
            articles[seed.slug] = article
        for seed in seeds:
            article = articles[seed.slug]
            if _current_blocks(article) == seed.blocks:
                if seed.slug not in report.created + report.updated:
                    report.unchanged.append(seed.slug)
                continue
            article.blocks.all().delete()
            for position, (kind, text, label, heading, teasers) in enumerate(seed.blocks, start=1):
                block = ArticleBlock.objects.create(
                    article=article, position=position, kind=kind, text=text, label=label, heading=heading
                )
                if teasers:
                    block.teasers.set(Article.objects.filter(slug__in=teasers))
            if seed.slug not in report.created + report.updated:
                article.updated_at = timezone.now()
                article.save(update_fields=["updated_at"])
                report.updated.append(seed.slug)
    return report

"""Reads of comment threads. A public page is built once and cached in Redis until it changes."""

from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Q, Window
from django.db.models.functions import RowNumber

from accounts.selectors import display_name, ignored_ids
from articles import selectors as article_selectors
from articles.models import Article
from config import cursors
from delivery import changes, pagecache

from . import visibility
from .models import Comment, CommentLike
from .services import thread_cache_version, thread_version_key

SORTS = {"oldest", "newest", "top", "featured"}
# What an author is told of a rejection when moderation gave no plainer reason (a bulk rejection).
REJECTED_TEXT = "it breaks our community rules"


def article_copy_key(slug: str) -> str:
    return f"comments:article:{slug}"


def published_article(slug: str) -> Article:
    """A published article by slug, cached (every thread read needs it); raises DoesNotExist.

    comments.apps declares that a save of the article forgets the copy (delivery/changes.py).
    """
    article = cache.get(article_copy_key(slug))
    if article is None or not article.is_published:
        article = article_selectors.published_articles().get(slug=slug)
        cache.set(article_copy_key(slug), article, 60)
    return article


def cursor_values(cursor: str, sort: str) -> tuple:
    """The (like count or time, id) a thread cursor holds for this sort; raises cursors.BadCursor."""
    return cursors.decode(cursor, cursors.integer if sort == "top" else cursors.moment, cursors.integer)


def comment_data(comment: Comment, *, names: dict[int, str], viewer=None) -> dict:
    """The comment as this reader sees it (visibility.shown decides its text and author)."""
    seen = visibility.shown(comment, viewer=viewer)
    named = seen["state"] in (visibility.TEXT, visibility.OWN)
    return {
        "id": comment.pk,
        "article": comment.article_id,
        "parent": comment.parent_id,
        "reply_to": {"id": comment.reply_to_id, "author": names.get(comment.reply_to_id, "")}
        if comment.reply_to_id
        else None,
        "author": display_name(comment.author) if named else None,
        "author_id": comment.author_id if named else None,
        "body": seen["body"],
        "body_html": seen["body_html"],
        "status": visibility.REMOVED if seen["state"] == visibility.REMOVED else comment.status,
        "version": comment.version,
        "created_at": comment.created_at.isoformat(),
        "edited": named and comment.edited_at is not None,
        "like_count": comment.like_count if named else 0,
        "featured": comment.featured_at is not None and seen["state"] == visibility.TEXT,
        "staff": named and comment.author.is_staff,
        "depth": comment.depth,
        "replies": [],
        "reply_count": 0,
        "more_replies": 0,
        "replies_cursor": None,
    }


# What a thread page reads: the partial indexes hold exactly these, in page order.
SHOWN_STATUSES = visibility.THREAD


def _visible_replies():
    """Approved replies, and deleted ones that still hold an approved reply under them."""
    holds = Exists(Comment.objects.filter(parent=OuterRef("pk"), status=visibility.PUBLIC))
    return Comment.objects.filter(Q(status=visibility.PUBLIC) | Q(status=Comment.Status.DELETED) & holds)


def _first_replies(parent_ids: list[int]) -> list[Comment]:
    """The first COMMENT_REPLIES_SHOWN visible replies of each parent, each with `reply_total`,
    the parent's count of visible replies.

    One query whatever the parents hold: a comment with 2,000 replies sends as many rows as one
    with 3 (the window runs over the partial index comment_visible_replies).
    """
    if not parent_ids:
        return []
    by_parent = {"partition_by": [F("parent_id")]}
    return list(
        _visible_replies()
        .filter(parent_id__in=parent_ids)
        .annotate(
            reply_rank=Window(RowNumber(), order_by=[F("created_at").asc(), F("id").asc()], **by_parent),
            reply_total=Window(Count("id"), **by_parent),
        )
        .filter(reply_rank__lte=settings.COMMENT_REPLIES_SHOWN)
        .select_related("author__profile")
        .order_by("created_at", "id")
    )


def _replies_cursor(comment: Comment) -> str:
    return cursors.encode([comment.created_at.isoformat(), comment.pk])


def _nest(comments: list[Comment], replies: list[Comment]) -> dict[int, dict]:
    """Public data of the comments and their shown replies, each reply under its parent, with
    each comment's reply count and the cursor to the replies not shown."""
    everyone = comments + replies
    # Whom a reply answers is named only when that comment is public.
    names = {c.pk: display_name(c.author) for c in everyone if c.status == visibility.PUBLIC}
    missing = {c.reply_to_id for c in everyone if c.reply_to_id and c.reply_to_id not in names}
    missing -= {c.pk for c in everyone}
    if missing:
        for pk, username, shown in Comment.objects.filter(
            pk__in=missing, status=visibility.PUBLIC
        ).values_list("pk", "author__username", "author__profile__display_name"):
            names[pk] = shown or username
    nodes = {c.pk: comment_data(c, names=names) for c in everyone}
    for reply in replies:
        parent = nodes.get(reply.parent_id)
        if parent is None:
            continue
        parent["replies"].append(nodes[reply.pk])
        parent["reply_count"] = reply.reply_total
        parent["more_replies"] = reply.reply_total - len(parent["replies"])
        parent["replies_cursor"] = _replies_cursor(reply) if parent["more_replies"] else None
    return nodes


def comment_nodes(comments: list[Comment]) -> dict[int, dict]:
    """Public data of these comments, each with its first replies nested (two queries)."""
    return _nest(comments, _first_replies([c.pk for c in comments]))


def _after(created_at: datetime, pk: int) -> Q:
    """Rows after (created_at, pk) in page order. The bound on created_at alone is what the index
    walks from: with only the OR of the two cases, PostgreSQL read the whole rest of the thread
    (2,800 rows for page 50 of 5,000 comments, 3.2 ms) instead of the next 21."""
    return Q(created_at__gte=created_at) & (Q(created_at__gt=created_at) | Q(id__gt=pk))


def _public_page(article_id: int, sort: str, cursor: str | None, page_size: int) -> dict:
    tops = Comment.objects.filter(article_id=article_id, depth=0, status__in=SHOWN_STATUSES).select_related(
        "author__profile"
    )
    if sort == "featured":  # editors' picks at any depth, newest pick first (index comment_featured)
        tops = Comment.objects.filter(
            article_id=article_id, status=visibility.PUBLIC, featured_at__isnull=False
        ).select_related("author__profile")
        order, key = ("-featured_at", "-id"), lambda c: [c.featured_at.isoformat(), c.pk]
    elif sort == "top":
        order, key = ("-like_count", "-id"), lambda c: [c.like_count, c.pk]
    elif sort == "newest":
        order, key = ("-created_at", "-id"), lambda c: [c.created_at.isoformat(), c.pk]
    else:
        order, key = ("created_at", "id"), lambda c: [c.created_at.isoformat(), c.pk]
    if cursor:
        value, pk = cursor_values(cursor, sort)
        if sort == "featured":
            tops = tops.filter(Q(featured_at__lte=value), Q(featured_at__lt=value) | Q(id__lt=pk))
        elif sort == "top":
            tops = tops.filter(Q(like_count__lte=value), Q(like_count__lt=value) | Q(id__lt=pk))
        elif sort == "newest":
            tops = tops.filter(Q(created_at__lte=value), Q(created_at__lt=value) | Q(id__lt=pk))
        else:
            tops = tops.filter(_after(value, pk))
    page = list(tops.order_by(*order)[: page_size + 1])
    more = len(page) > page_size
    page = page[:page_size]
    next_cursor = cursors.encode(key(page[-1])) if more and page else None
    replies = []
    if sort != "featured":  # a pick stands alone; its replies are in the thread
        replies = _first_replies([c.pk for c in page])
        replies += _first_replies([c.pk for c in replies])
    nodes = _nest(page, replies)
    # A deleted comment stays as a placeholder only while it holds replies, so a page may come
    # out shorter than page_size; the cursor still continues after the last row read.
    shown = [c for c in page if c.status == visibility.PUBLIC or nodes[c.pk]["reply_count"]]
    return {"results": [nodes[c.pk] for c in shown], "next_cursor": next_cursor}


def live_comments(article: Article, ids: list[int], *, viewer) -> list[dict]:
    """Those of these comments of the article that are public now, oldest first, as the thread
    shows them to the viewer (an ignored commenter's emptied)."""
    found = list(
        Comment.objects.filter(article=article, pk__in=ids, status=visibility.PUBLIC)
        .select_related("author__profile")
        .order_by("created_at", "id")
    )
    nodes = _nest(found, [])
    ignoring = ignored_ids(viewer)
    for item in nodes.values():
        if item["author_id"] in ignoring:
            item.update(ignored=True, body="", body_html="")
    return [nodes[c.pk] for c in found]


def article_slug_of(comment_id: int) -> str | None:
    """The slug of the article a comment belongs to (a comment never moves), or None."""
    return pagecache.remembered(
        f"comment-article:{comment_id}",
        lambda: Comment.objects.filter(pk=comment_id).values_list("article__slug", flat=True).first(),
    )


def thread_versions(slug: str) -> list[str]:
    """The versions a public page of an article's thread is built from (delivery/pagecache.py)."""
    return changes.keys(changes.comments(slug), changes.article(slug))


def replies_versions(pk: int) -> list[str] | None:
    slug = article_slug_of(pk)
    return thread_versions(slug) if slug else None


def reply_parent(comment_id: int) -> Comment:
    """A comment whose replies readers may page through; raises Comment.DoesNotExist."""
    return Comment.objects.select_related("article", "author__profile").get(
        pk=comment_id, status__in=SHOWN_STATUSES
    )


def public_replies(parent: Comment, *, cursor: str | None = None) -> dict:
    """A page of a comment's visible replies, oldest first, each with its first replies nested;
    {results, next_cursor, more} (more: how many follow this page). Raises cursors.BadCursor."""
    replies = (
        _visible_replies()
        .filter(parent_id=parent.pk)
        .select_related("author__profile")
        .order_by("created_at", "id")
    )
    if cursor:
        value, pk = cursor_values(cursor, "oldest")
        replies = replies.filter(_after(value, pk))
    page_size = settings.COMMENT_PAGE_SIZE
    page = list(replies[: page_size + 1])
    more = replies.count() - page_size if len(page) > page_size else 0
    page = page[:page_size]
    nodes = _nest(page, _first_replies([c.pk for c in page]))
    return {
        "results": [nodes[c.pk] for c in page],
        "next_cursor": _replies_cursor(page[-1]) if more else None,
        "more": more,
    }


def public_thread(
    slug: str, *, sort: str = "oldest", cursor: str | None = None, article: Article | None = None
) -> tuple[Article, dict]:
    """The published article and a public page of its thread: {results, next_cursor}.

    One Redis round trip fetches the article, the thread's version and the cached page; a
    page built for an older version is stale. A caller that already holds the article passes
    it. Raises Article.DoesNotExist, cursors.BadCursor.
    """
    if sort not in SORTS:
        sort = "oldest"
    if cursor:
        cursor_values(cursor, sort)  # a made-up cursor is refused before it becomes a cache key
    page_size = settings.COMMENT_PAGE_SIZE
    article_key, version_key = article_copy_key(slug), thread_version_key(slug)
    page_key = f"thread:{slug}:{sort}:{page_size}:{settings.COMMENT_REPLIES_SHOWN}:{cursor or ''}"
    found = cache.get_many([article_key, version_key, page_key])
    article = article or found.get(article_key)
    if article is None or not article.is_published:
        article = article_selectors.published_articles().get(slug=slug)
        cache.set(article_key, article, 60)
    version = found.get(version_key) or thread_cache_version(slug)
    cached = found.get(page_key)
    if cached and cached["version"] == version and cached["article"] == article.pk:
        return article, cached["data"]
    data = _public_page(article.pk, sort, cursor, page_size)
    cache.set(page_key, {"version": version, "article": article.pk, "data": data}, timeout=600)
    return article, data


def liked_ids(viewer, ids: list[int]) -> set[int]:
    """Which of these comments the signed-in viewer likes (one query; none for anonymous)."""
    if viewer is None or not viewer.is_authenticated or not ids:
        return set()
    return set(
        CommentLike.objects.filter(user=viewer, comment_id__in=ids).values_list("comment_id", flat=True)
    )


def index_nodes(items: list[dict], nodes: dict[int, dict]) -> dict[int, dict]:
    """Every comment of a page's data, replies too, by id (the same dicts, to change in place)."""
    for item in items:
        nodes[item["id"]] = item
        index_nodes(item["replies"], nodes)
    return nodes

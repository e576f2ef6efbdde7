"""Where a comment sits in its thread, so `?comment=<id>` opens the page that holds it."""

import json

from django.conf import settings
from django.db.models import Q

from articles.models import Article
from config import cursors

from . import selectors, visibility
from .models import Comment


def locate(article: Article, comment_id: int, *, sort: str) -> dict | None:
    """The page cursor of a visible comment of this article and its chain of comments from the
    top-level one down; None when readers cannot see it here. A comment of the chain that is not
    public shows as a placeholder (selectors.comment_data asks comments.visibility); a chain whose
    top-level comment is not on the thread's pages leads nowhere.

    The page is the one paging from the start leads to (page 7 is the same page either way, and
    shares its cache): three queries, a count of the top-level comments before it on the
    thread's partial index and the row that ends the page before.
    """
    target = (
        Comment.objects.filter(pk=comment_id, article=article, status__in=visibility.THREAD)
        .select_related("parent__parent")
        .first()
    )
    if target is None:
        return None
    chain = [target]
    while chain[0].parent_id:
        chain.insert(0, chain[0].parent)
    top = chain[0]
    if top.status not in visibility.THREAD:
        return None
    tops = Comment.objects.filter(article=article, depth=0, status__in=visibility.THREAD)
    if sort == "top":
        before = Q(like_count__gt=top.like_count) | Q(like_count=top.like_count, id__gt=top.pk)
        order, key = ("-like_count", "-id"), lambda c: [c.like_count, c.pk]
    elif sort == "newest":
        before = Q(created_at__gt=top.created_at) | Q(created_at=top.created_at, id__gt=top.pk)
        order, key = ("-created_at", "-id"), lambda c: [c.created_at.isoformat(), c.pk]
    else:
        before = Q(created_at__lt=top.created_at) | Q(created_at=top.created_at, id__lt=top.pk)
        order, key = ("created_at", "id"), lambda c: [c.created_at.isoformat(), c.pk]
    page_start = tops.filter(before).count() // settings.COMMENT_PAGE_SIZE * settings.COMMENT_PAGE_SIZE
    cursor = None
    if page_start:
        cursor = cursors.encode(key(tops.order_by(*order)[page_start - 1]))
    return {"cursor": cursor, "chain": chain}


def locate_own(article: Article, comment_id: int, *, sort: str, viewer) -> dict | None:
    """Where the signed-in viewer's own comment that readers cannot see yet sits on their pages
    (personal.with_own_pending): a reply under its parent, a new comment on the first page under
    Newest and at the end of the last page otherwise. None when it is not theirs or not waiting."""
    if viewer is None or not viewer.is_authenticated or sort == "featured":
        return None
    own = (
        Comment.objects.filter(pk=comment_id, article=article, author=viewer, status__in=visibility.OWN_ONLY)
        .only("id", "parent_id")
        .first()
    )
    if own is None:
        return None
    if own.parent_id:
        return locate(article, own.parent_id, sort=sort)
    if sort == "newest":
        return {"cursor": None, "chain": []}
    tops = Comment.objects.filter(article=article, depth=0, status__in=visibility.THREAD)
    count = tops.count()
    page_start = max(0, count - 1) // settings.COMMENT_PAGE_SIZE * settings.COMMENT_PAGE_SIZE
    if not page_start:
        return {"cursor": None, "chain": []}
    if sort == "top":
        last = tops.order_by("-like_count", "-id")[page_start - 1]
        return {"cursor": cursors.encode([last.like_count, last.pk]), "chain": []}
    last = tops.order_by("created_at", "id")[page_start - 1]
    return {"cursor": cursors.encode([last.created_at.isoformat(), last.pk]), "chain": []}


def with_chain(data: dict, chain: list[Comment]) -> dict:
    """The page with every comment of the chain shown under its parent, also a reply beyond
    those shown by default (it then counts no longer among "Show N more replies")."""
    results = json.loads(json.dumps(data["results"]))  # the cached page must stay untouched
    nodes = selectors.index_nodes(results, {})
    missing = [c for c in chain[1:] if c.pk not in nodes]
    added = selectors.comment_nodes(missing) if missing else {}
    for comment in chain[1:]:
        parent = nodes.get(comment.parent_id)
        if comment.pk in nodes or parent is None:
            continue
        parent["replies"].append(added[comment.pk])
        selectors.index_nodes([added[comment.pk]], nodes)
        parent["more_replies"] = max(0, parent["more_replies"] - 1)
    return {**data, "results": results}

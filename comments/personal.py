"""The page of a thread as one signed-in reader sees it: their own comments that only they see
where they are, their likes, the commenters they ignore."""

import json

from django.db.models import Q

from accounts.selectors import ignored_ids
from articles.models import Article

from . import visibility
from .models import Comment
from .selectors import REJECTED_TEXT, comment_data, index_nodes, liked_ids, public_thread


def own_comments(article_id: int, viewer) -> list[dict]:
    """All of the viewer's comments on the article that look different to them than to others
    (waiting, not published, or with an edit not public), as own_entries: kept per reader."""
    return own_entries(
        Comment.objects.filter(article_id=article_id, author=viewer)
        .filter(Q(status__in=visibility.OWN_ONLY) | Q(status=visibility.PUBLIC, edit_version__isnull=False))
        .select_related("author__profile")
        .order_by("created_at", "id"),
        viewer=viewer,
    )


def own_entries(comments, *, viewer) -> list[dict]:
    """What personalized() puts in a page for each of the viewer's own comments (`comments`)."""
    entries = []
    for comment in comments:
        edit = visibility.own_edit(comment, viewer=viewer)
        entry = {"id": comment.pk, "parent": comment.parent_id, "edit": edit, "item": None}
        if comment.status != visibility.PUBLIC:
            item = comment_data(comment, names={}, viewer=viewer)
            if comment.status == Comment.Status.REJECTED:
                item["not_published"] = True
                item["rejection_reason"] = comment.rejection_reason or REJECTED_TEXT
            else:
                item["awaiting_moderation"] = True
                item["hold_reason"] = comment.hold_reason
            item["edit"] = entry["edit"]
            entry["item"] = item
        entries.append(entry)
    return entries


def new_ones_here(data: dict, *, cursor: str | None, sort: str) -> bool:
    """Whether the viewer's new top-level comments go on this page."""
    return not cursor if sort == "newest" else not data["next_cursor"]


def personalized(
    data: dict, *, own: list[dict], liked: set[int], ignoring: set[int], cursor: str | None, sort: str
) -> dict:
    """The page with the viewer's own comments (own_entries, those not placed on this page left
    out), likes and ignored commenters applied; `data` itself stays untouched (it is cached)."""
    placed_here = new_ones_here(data, cursor=cursor, sort=sort)
    own = [
        entry
        for entry in own
        if entry["item"] is None or (sort != "featured" and (placed_here or entry["parent"]))
    ]
    if not own and not ignoring and not liked:
        return data
    results = json.loads(json.dumps(data["results"]))
    nodes = index_nodes(results, {})
    for item in nodes.values():
        item["liked"] = item["id"] in liked
        if item["author_id"] in ignoring:
            item.update(ignored=True, body="", body_html="")
    for entry in own:
        if entry["item"] is None:
            if entry["id"] in nodes:
                nodes[entry["id"]]["edit"] = entry["edit"]
            continue
        item = json.loads(json.dumps(entry["item"]))
        if entry["parent"] and entry["parent"] in nodes:
            nodes[entry["parent"]]["replies"].append(item)
        elif not entry["parent"]:
            results.insert(0, item) if sort == "newest" else results.append(item)
        nodes[item["id"]] = item
    return {"results": results, "next_cursor": data["next_cursor"]}


def thread_page(article: Article, *, sort: str = "oldest", cursor: str | None = None, viewer=None) -> dict:
    """A page of top-level visible comments with their replies nested; {results, next_cursor}.

    The public part comes from the cache; a signed-in viewer's own comments awaiting
    moderation are added where the sort puts them, marked as such (with_own_pending).
    """
    _, data = public_thread(article.slug, sort=sort, cursor=cursor, article=article)
    return with_own_pending(article, data, viewer=viewer, cursor=cursor, sort=sort)


def with_own_pending(
    article: Article, data: dict, *, viewer, cursor: str | None = None, sort: str = "oldest"
) -> dict:
    """The page as the signed-in viewer sees it: their own comments awaiting moderation or not
    published added where the sort puts them (a reply under its parent; a new comment on the
    first page under Newest, at the end of the last page under Oldest and Most liked; none among
    the picks), their own edits that are not public beside the approved text readers see, the
    comments they like marked, and those of commenters they ignore hidden (kept as placeholders
    holding replies)."""
    if viewer is None or not viewer.is_authenticated:
        return data
    placed_here = new_ones_here(data, cursor=cursor, sort=sort)
    waiting = Q(status__in=visibility.OWN_ONLY)
    if sort == "featured":
        waiting = Q(pk__in=[])  # the picks: only edits of comments on them
    elif not placed_here:
        waiting &= Q(parent__isnull=False)  # replies go under their parent, on whatever page it is
    own = own_entries(
        Comment.objects.filter(article=article, author=viewer)
        .filter(waiting | Q(status=visibility.PUBLIC, edit_version__isnull=False))
        .select_related("author__profile")
        .order_by("created_at", "id"),
        viewer=viewer,
    )
    liked = liked_ids(viewer, list(index_nodes(data["results"], {})))
    return personalized(data, own=own, liked=liked, ignoring=ignored_ids(viewer), cursor=cursor, sort=sort)

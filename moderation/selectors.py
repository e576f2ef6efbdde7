"""Reads for the moderation pages: search, past decisions, the tabs' counts."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone
from django.utils.timesince import timesince

from comments.models import Comment

from .models import ReviewItem
from .queue import open_items

SEARCH_LIMIT = 50
DECIDED_TABS = {"approved": ReviewItem.Decision.APPROVE, "rejected": ReviewItem.Decision.REJECT}


def search_users(q: str) -> QuerySet:
    """Accounts whose username or email address contains `q` (moderators only see this)."""
    return (
        get_user_model()
        .objects.filter(Q(username__icontains=q) | Q(email__icontains=q))
        .annotate(comment_count=Count("comments"))
        .order_by("username")[:SEARCH_LIMIT]
    )


def search_comments(q: str) -> list[Comment]:
    """The newest comments whose text (or waiting edit) contains `q`, each with its open item if any."""
    comments = list(
        Comment.objects.filter(Q(body__icontains=q) | Q(edit_body__icontains=q))
        .select_related("article", "author")
        .order_by("-created_at", "-pk")[:SEARCH_LIMIT]
    )
    open_by_comment = dict(open_items().filter(comment__in=comments).values_list("comment_id", "pk"))
    for comment in comments:
        comment.open_item_id = open_by_comment.get(comment.pk)
    return comments


def recent_decisions(tab: str, *, limit: int = 50) -> QuerySet:
    """The most recent approvals or rejections by moderators, newest first."""
    return (
        ReviewItem.objects.filter(decision=DECIDED_TABS[tab], decided_by__isnull=False)
        .select_related("comment__article", "comment__author", "decided_by")
        .order_by("-decided_at", "-id")[:limit]
    )


def tab_counts(now=None) -> dict:
    """Open items per queue with the age of the oldest, and moderators' decisions of the last day."""
    now = now or timezone.now()
    rows = {
        row["queue"]: row
        for row in open_items()
        .order_by()
        .values("queue")
        .annotate(count=Count("id"), oldest=Min("created_at"))
    }
    counts = {
        queue: {
            "count": rows.get(queue, {}).get("count", 0),
            "oldest": f"oldest {timesince(rows[queue]['oldest'], now)}" if queue in rows else "empty",
        }
        for queue in ReviewItem.Queue.values
    }
    decided = dict(
        ReviewItem.objects.filter(decided_by__isnull=False, decided_at__gte=now - timedelta(days=1))
        .order_by()
        .values("decision")
        .annotate(n=Count("id"))
        .values_list("decision", "n")
    )
    for tab, decision in DECIDED_TABS.items():
        counts[tab] = {"count": decided.get(decision, 0), "oldest": "last 24 hours"}
    return counts

"""Reads for the moderator's pages and the API: open items, queue pages, how a moderator sees an
item, an author's history, the tabs and their filters, search and past decisions."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, JSONField, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.timesince import timesince

from articles.models import Article
from comments.audit import BY_SYSTEM
from comments.models import AuditRecord, Comment, CommentFlag

from .errors import Invalid
from .models import ModeratorNote, ReviewItem, Sanction

SEARCH_LIMIT = 50
DECIDED_TABS = {"approved": ReviewItem.Decision.APPROVE, "rejected": ReviewItem.Decision.REJECT}
# What every list of items shows: the comment (or sanction), its article and author, who holds and who decided.
LISTED = (
    "comment__article",
    "comment__author",
    "comment__parent__author",
    "claimed_by",
    "decided_by",
    "sanction__user",
)
TAB_LABELS = [*ReviewItem.Queue.choices, ("approved", "Approved"), ("rejected", "Rejected")]


def open_items(queue: str | None = None) -> QuerySet:
    items = ReviewItem.objects.filter(decided_at__isnull=True)
    return items.filter(queue=queue) if queue else items


def detailed(items: QuerySet) -> QuerySet:
    """Items with everything a moderator reads to decide them, in a constant number of queries.

    `checks` is the reasons list of the comment's latest system audit record (why the checks
    held it, or the flags that reported it) and `checked_by` its actor; `escalation_note` the
    words of whoever escalated it. The pages and the API both read items through here.
    """
    latest_system = AuditRecord.objects.filter(BY_SYSTEM, comment=OuterRef("comment")).order_by("-id")
    escalation_note = (
        ReviewItem.objects.filter(comment=OuterRef("comment"), decision=ReviewItem.Decision.ESCALATE)
        .order_by("-decided_at", "-id")
        .values("decision_note")[:1]
    )
    return (
        items.select_related(*LISTED, "sanction__created_by", "excluded_moderator")
        .annotate(
            checks=Subquery(latest_system.values("reasons")[:1], output_field=JSONField()),
            checked_by=Subquery(latest_system.values("actor_name")[:1]),
            escalation_note=Subquery(escalation_note),
        )
        .prefetch_related(
            Prefetch(
                "comment__flags",
                queryset=CommentFlag.objects.select_related("user").order_by("created_at", "id"),
            ),
            "comment__revisions",
        )
    )


def filtered(items: QuerySet, *, article_slug: str = "", reason: str = "") -> QuerySet:
    """Items on one article's comments, and held for a reason: "flag:<reason>" matches the reader
    flags only; any other reason the check that held the item or the reason of any flag on it."""
    if article_slug:
        items = items.filter(comment__article__slug=article_slug)
    if reason.startswith("flag:"):
        flagged = CommentFlag.objects.filter(comment=OuterRef("comment"), reason=reason.removeprefix("flag:"))
        items = items.filter(Exists(flagged))
    elif reason:
        flagged = CommentFlag.objects.filter(comment=OuterRef("comment"), reason=reason)
        items = items.filter(Q(reason=reason) | Exists(flagged))
    return items


def review_queue(
    *,
    queue: str,
    article_slug: str = "",
    reason: str = "",
    after: tuple[datetime, int] | None = None,
    limit: int = 20,
) -> list[ReviewItem]:
    """A page of a queue's open items, oldest first, after the (created_at, id) of `after`."""
    if queue not in ReviewItem.Queue.values:
        raise Invalid(f"Unknown queue {queue!r}.", field="queue")
    items = filtered(open_items(queue), article_slug=article_slug, reason=reason)
    if after is not None:
        at, pk = after
        items = items.filter(Q(created_at__gt=at) | Q(created_at=at, pk__gt=pk))
    return list(detailed(items.order_by("created_at", "id"))[:limit])


def items_by_id(ids: list[int]) -> list[ReviewItem]:
    return list(detailed(ReviewItem.objects.filter(pk__in=ids)).order_by("created_at", "id"))


def entries(items: QuerySet, *, viewer, limit: int | None = None) -> list[dict]:
    """Items as a moderator's page shows them: the item read through `detailed`, the comment's
    whole audit trail, the author's history (one per author) and who holds it."""
    trail = Prefetch("comment__audit_records", queryset=AuditRecord.objects.order_by("id"), to_attr="trail")
    found = detailed(items).prefetch_related(trail)
    found = list(found[:limit] if limit else found)
    histories, now = {}, timezone.now()
    shown = []
    for item in found:
        comment = item.comment  # None for an appeal against a sanction
        author = comment.author if comment is not None else item.sanction.user
        if author.pk not in histories:
            histories[author.pk] = author_history(author)
        flags = list(comment.flags.all()) if comment is not None else []
        shown.append(
            {
                "item": item,
                "comment": comment,
                "sanction": item.sanction,
                "checks": item.checks or [],
                "checked_by": item.checked_by or "",
                "flags": flags,
                "flag_weight": sum(f.weight for f in flags),
                "revisions": sorted(comment.revisions.all(), key=lambda r: r.version) if comment else [],
                "changed": bool(
                    comment and comment.edited_at and comment.edited_at > item.created_at and item.is_open
                ),
                "trail": comment.trail if comment is not None else [],
                "history": histories[author.pk],
                "held_by_me": item.held_by(viewer, now),
                "held_by_other": item.is_open
                and item.claimed_by_id not in (None, viewer.pk)
                and item.lease_expires_at > now,
            }
        )
    return shown


def with_comment(items: QuerySet) -> QuerySet:
    """Items for a list: the comment (or sanction), its article and author, who holds and who decided."""
    return items.select_related(*LISTED)


def filter_choices(queue: str) -> dict:
    """The articles and reasons a queue page can be filtered by."""
    open_here = open_items(queue)
    articles = (
        Article.objects.filter(pk__in=open_here.values("comment__article_id"))
        .order_by("headline")
        .values_list("slug", "headline")
    )
    checks = sorted(set(open_here.order_by().values_list("reason", flat=True)) - {""})
    return {
        "articles": list(articles),
        "reasons": [(r, r) for r in checks]
        + [(f"flag:{code}", f"Flagged: {label.lower()}") for code, label in CommentFlag.Reason.choices],
    }


def has_recent_decision(moderator) -> bool:
    """Whether the moderator has a decision still inside the undo window."""
    since = timezone.now() - timedelta(seconds=settings.MODERATION_UNDO_SECONDS)
    return ReviewItem.objects.filter(decided_by=moderator, decided_at__gte=since).exists()


def author_history(user, *, last: int = 5) -> dict:
    """What a moderator sees of an author: counts by status, sanctions, last comments."""
    counts = dict(
        Comment.objects.filter(author=user)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    sanctions = Sanction.objects.filter(user=user).select_related("created_by", "lifted_by")
    return {
        "id": user.pk,
        "username": user.get_username(),
        "joined": user.date_joined,
        "approved": counts.get(Comment.Status.APPROVED, 0),
        "rejected": counts.get(Comment.Status.REJECTED, 0),
        "in_review": counts.get(Comment.Status.IN_REVIEW, 0),
        "pending": counts.get(Comment.Status.PENDING, 0),
        "sanctions": list(sanctions.order_by("-created_at", "-id")[:20]),
        "active_sanctions": list(sanctions.active()),
        "last_comments": list(
            Comment.objects.filter(author=user).select_related("article").order_by("-created_at")[:last]
        ),
        "notes": list(ModeratorNote.objects.filter(user=user).select_related("created_by")[:20]),
    }


def sanctions_of(user) -> QuerySet:
    return (
        Sanction.objects.filter(user=user)
        .select_related("created_by", "lifted_by")
        .order_by("-created_at", "-id")
    )


def active_sanctions() -> QuerySet:
    """Every sanction in force, newest first (the sanctions page)."""
    return Sanction.objects.active().select_related("user", "created_by").order_by("-created_at")


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
    return with_comment(
        ReviewItem.objects.filter(decision=DECIDED_TABS[tab], decided_by__isnull=False, comment__isnull=False)
    ).order_by("-decided_at", "-id")[:limit]


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


def tabs(now=None) -> list[dict]:
    """The queue page's tabs, labelled, with their counts."""
    counts = tab_counts(now)
    return [{"queue": value, "label": label, **counts[value]} for value, label in TAB_LABELS]


def standing_from(kinds: dict[str, Sanction]) -> dict:
    return {
        "author_is_banned": Sanction.Kind.BAN in kinds,
        "author_suspended_until": kinds[Sanction.Kind.SUSPEND].until
        if Sanction.Kind.SUSPEND in kinds
        else None,
        "author_is_premoderated": Sanction.Kind.PREMOD in kinds,
    }

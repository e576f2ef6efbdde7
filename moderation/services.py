"""The moderation pipeline: gather what the checks need, decide, record, route to review."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from articles.models import SiteSettings
from comments.models import Comment
from comments.services import change_status

from . import checks
from .models import ReviewItem, Sanction, TextFingerprint, WordListEntry
from .normalize import fingerprint

log = logging.getLogger(__name__)
CHECKER = "system"
ACTIONS = {
    checks.APPROVE: "moderation.comment.approved",
    checks.REJECT: "moderation.comment.rejected",
    checks.REVIEW: "moderation.comment.held",
}


def word_lists() -> tuple[list[str], list[str]]:
    """The active lists, read for every batch so an admin's change applies to the next comment."""
    rows = list(WordListEntry.objects.filter(is_active=True).values_list("phrase", "kind"))
    return [p for p, k in rows if k == "banned"], [p for p, k in rows if k == "suspect"]


def standing(user, *, now=None) -> dict:
    now = now or timezone.now()
    active = Sanction.objects.filter(user=user, lifted_at__isnull=True).filter(
        Q(until__isnull=True) | Q(until__gt=now)
    )
    kinds = {s.kind: s for s in active}
    return {
        "author_is_banned": Sanction.Kind.BAN in kinds,
        "author_suspended_until": kinds[Sanction.Kind.SUSPEND].until
        if Sanction.Kind.SUSPEND in kinds
        else None,
        "author_is_premoderated": Sanction.Kind.PREMOD in kinds,
    }


def context_for(
    comment: Comment, *, banned: list[str], suspect: list[str], digest: str
) -> checks.CheckContext:
    now = timezone.now()
    approved = Comment.objects.filter(author_id=comment.author_id, status=Comment.Status.APPROVED).count()
    others = TextFingerprint.objects.filter(digest=digest).exclude(comment_id=comment.pk)
    return checks.CheckContext(
        text=comment.body,
        banned=banned,
        suspect=suspect,
        author_approved_count=approved,
        author_is_new=not Comment.objects.filter(
            author_id=comment.author_id, created_at__lt=comment.created_at
        ).exists(),
        premoderate_new_commenters=SiteSettings.load().premoderate_new_commenters,
        article_premoderated=comment.article.premoderate_comments,
        same_text_by_author=others.filter(
            author_id=comment.author_id,
            created_at__gte=now - timedelta(hours=settings.MODERATION_DUPLICATE_HOURS),
        ).count(),
        accounts_with_same_text=others.filter(
            created_at__gte=now - timedelta(minutes=settings.MODERATION_WAVE_MINUTES)
        )
        .values("author_id")
        .distinct()
        .count()
        + 1,
        **standing(comment.author),
    )


def moderate_comment(*, comment_id: int, version: int) -> str:
    """Run the checks on a pending comment and record the decision; idempotent.

    Acts only on a comment still pending at `version`, under its row lock, so a redelivered or
    duplicated task changes nothing. Status, audit record and review item commit together.
    """
    banned, suspect = word_lists()
    with transaction.atomic():
        comment = (
            Comment.objects.select_for_update()
            .select_related("article", "author")
            .filter(pk=comment_id)
            .first()
        )
        if comment is None or comment.status != Comment.Status.PENDING or comment.version != version:
            return "skipped"
        digest = fingerprint(comment.body)
        ctx = context_for(comment, banned=banned, suspect=suspect, digest=digest)
        ctx.toxicity = checks.toxicity_scores([comment.body])[0]
        decision = checks.run_checks(ctx)
        TextFingerprint.objects.update_or_create(
            comment=comment,
            defaults={"author_id": comment.author_id, "digest": digest, "created_at": comment.created_at},
        )
        to_status = {
            checks.APPROVE: Comment.Status.APPROVED,
            checks.REJECT: Comment.Status.REJECTED,
            checks.REVIEW: Comment.Status.IN_REVIEW,
        }[decision.decision]
        deciding = decision.deciding
        change_status(
            comment_id=comment.pk,
            to_status=to_status,
            actor_name=f"{CHECKER}:{deciding.name}@{deciding.version}" if deciding else CHECKER,
            action=ACTIONS[decision.decision],
            reasons=[c.as_dict() for c in decision.checks],
            hold_reason=deciding.hold_reason if deciding and decision.decision == checks.REVIEW else "",
        )
        if to_status == Comment.Status.IN_REVIEW:
            ReviewItem.objects.get_or_create(
                comment=comment, decided_at__isnull=True, defaults={"queue": ReviewItem.Queue.PREMOD}
            )
    return decision.decision


def evaluate_texts(texts: list[str]) -> list[checks.Decision]:
    """Judge texts as comments of an established author in good standing; writes nothing."""
    banned, suspect = word_lists()
    scores = checks.toxicity_scores(texts)
    return [
        checks.run_checks(checks.CheckContext(text=text, banned=banned, suspect=suspect, toxicity=score))
        for text, score in zip(texts, scores, strict=True)
    ]


def stale_pending(*, older_than_seconds: int) -> list[tuple[int, int]]:
    """(id, version) of comments pending longer than the sweep's age: their message was lost."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    return list(
        Comment.objects.filter(status=Comment.Status.PENDING, status_changed_at__lt=cutoff).values_list(
            "pk", "version"
        )[:1000]
    )

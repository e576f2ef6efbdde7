"""The moderation pipeline: gather what the checks need, decide, record, route to review."""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from articles.models import SiteSettings
from comments.models import Comment
from comments.services import change_status

from . import checks, notify, policy
from .models import ReviewItem, Sanction, TextFingerprint
from .normalize import find_phrases, fingerprint

log = logging.getLogger(__name__)
CHECKER = "system"
ACTIONS = {
    checks.APPROVE: "moderation.comment.approved",
    checks.REJECT: "moderation.comment.rejected",
    checks.REVIEW: "moderation.comment.held",
}


def standing(user, *, now=None) -> dict:
    now = now or timezone.now()
    active = Sanction.objects.filter(user=user).active(now)
    kinds = {s.kind: s for s in active}
    return {
        "author_is_banned": Sanction.Kind.BAN in kinds,
        "author_suspended_until": kinds[Sanction.Kind.SUSPEND].until
        if Sanction.Kind.SUSPEND in kinds
        else None,
        "author_is_premoderated": Sanction.Kind.PREMOD in kinds,
    }


def context_for(comment: Comment, *, rules: checks.Rules, digest: str) -> checks.CheckContext:
    now = timezone.now()
    approved = Comment.objects.filter(author_id=comment.author_id, status=Comment.Status.APPROVED).count()
    others = TextFingerprint.objects.filter(digest=digest).exclude(comment_id=comment.pk)
    return checks.CheckContext(
        text=comment.body,
        author_approved_count=approved,
        author_is_new_and_site_premod=SiteSettings.load().premoderate_new_commenters
        and not Comment.objects.filter(
            author_id=comment.author_id, created_at__lt=comment.created_at
        ).exists(),
        article_premoderated=comment.article.premoderate_comments,
        same_text_by_author_24h=others.filter(
            author_id=comment.author_id,
            created_at__gte=now - timedelta(hours=rules.duplicate_window_hours),
        ).count(),
        distinct_accounts_same_text_10min=others.filter(
            created_at__gte=now - timedelta(minutes=rules.wave_window_minutes)
        )
        .exclude(author_id=comment.author_id)
        .values("author_id")
        .distinct()
        .count()
        + 1,
        now=now,
        **standing(comment.author, now=now),
    )


def moderate_comment(*, comment_id: int, version: int) -> str:
    """Run the checks on a pending comment and record the decision; idempotent.

    Acts only on a comment still pending at `version`, under its row lock, so a redelivered or
    duplicated task changes nothing. The classifier runs before the lock is taken (the version
    pins the text); status, audit record and review item commit together.
    """
    body = (
        Comment.objects.filter(pk=comment_id, status=Comment.Status.PENDING, version=version)
        .values_list("body", flat=True)
        .first()
    )
    if body is None:
        return "skipped"
    toxicity = checks.toxicity_probabilities([body])[0]
    rules = policy.current_rules()
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
        ctx = context_for(comment, rules=rules, digest=digest)
        decision = policy.evaluate(ctx, rules=rules, toxicity=toxicity)
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
        decided = change_status(
            comment_id=comment.pk,
            to_status=to_status,
            actor_name=f"{CHECKER}:{deciding.name}@{deciding.version}" if deciding else CHECKER,
            action=ACTIONS[decision.decision],
            reasons=[c.as_dict() for c in decision.checks],
            hold_reason=decision.author_reason if decision.decision == checks.REVIEW else "",
        )
        open_item = ReviewItem.objects.filter(comment=comment, decided_at__isnull=True).first()
        if to_status == Comment.Status.IN_REVIEW:
            if open_item is None:
                ReviewItem.objects.create(
                    comment=comment, queue=ReviewItem.Queue.PREMOD, reason=deciding.name
                )
            else:  # an edit of a held comment: it stays where it is, for the new reason
                ReviewItem.objects.filter(pk=open_item.pk).update(reason=deciding.name)
        elif open_item is not None:
            # An edited comment the checks now decide on their own: nothing left to review.
            ReviewItem.objects.filter(pk=open_item.pk).update(
                decided_at=timezone.now(), decision=decision.decision, status_before=Comment.Status.PENDING,
                claimed_by=None, lease_expires_at=None,
            )  # fmt: skip
        if to_status == Comment.Status.REJECTED:
            notify.after_decision(
                comment_id=comment.pk, audit_id=decided.audit_record.pk, reason=decision.author_reason
            )
    return decision.decision


def posting_refusal(sender, author, **kwargs) -> str | None:
    """Why a banned or suspended author may not post now (comments.signals.comment_posting)."""
    if not getattr(author, "is_authenticated", False):
        return None
    now = timezone.now()
    state = standing(author, now=now)
    if state["author_is_banned"]:
        return "Your account may no longer post comments."
    until = state["author_suspended_until"]
    if until and until > now:
        local = timezone.localtime(until)
        return f"Your account is suspended from commenting until {local:%d %B %Y, %H:%M %Z}."
    return None


def correction_report_refusal(sender, text: str, **kwargs) -> str | None:
    """Banned words in a correction report (articles.signals.correction_report_checking)."""
    hits = find_phrases(text, policy.current_rules().banned)
    return f"banned_words: {', '.join(hits)}" if hits else None


def stale_pending(*, older_than_seconds: int) -> list[tuple[int, int]]:
    """(id, version) of comments pending longer than the sweep's age: their message was lost."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    return list(
        Comment.objects.filter(status=Comment.Status.PENDING, status_changed_at__lt=cutoff).values_list(
            "pk", "version"
        )[:1000]
    )

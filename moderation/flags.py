"""Reader flags: weigh each flag by the flagger's record, report and withhold past the thresholds.

A flag counts 1; double when most of the flagger's earlier decided flags were upheld (the
comment was rejected), half when most were dismissed (a moderator approved the comment anyway).
When the weighted flags since the last decision on the comment reach `flags_to_report` a
published comment enters the `reported` queue and stays visible; at `flags_to_withhold` it is
withheld (in review) until a moderator decides.
"""

from django.db import transaction
from django.db.models import Max, Sum

from comments.models import AuditRecord, Comment, CommentFlag
from comments.services import change_status

from .models import ModerationSettings, ReviewItem

UPHELD, NORMAL, DISMISSED = 2.0, 1.0, 0.5
HOLD_FLAGGED = "held for review after readers' reports"


def flag_weight(user_id: int, *, excluding: int | None = None) -> float:
    earlier = CommentFlag.objects.filter(user_id=user_id)
    if excluding is not None:
        earlier = earlier.exclude(pk=excluding)
    upheld = earlier.filter(comment__status=Comment.Status.REJECTED).count()
    dismissed = (
        earlier.filter(
            comment__status=Comment.Status.APPROVED,
            comment__review_items__decision=ReviewItem.Decision.APPROVE,
        )
        .values("comment")
        .distinct()
        .count()
    )
    if upheld > dismissed:
        return UPHELD
    if dismissed > upheld:
        return DISMISSED
    return NORMAL


def weighted_flags(comment_id: int) -> float:
    """The weight of the flags since a moderator last decided on the comment."""
    last_decision = ReviewItem.objects.filter(comment_id=comment_id, decided_at__isnull=False).aggregate(
        at=Max("decided_at")
    )["at"]
    flags = CommentFlag.objects.filter(comment_id=comment_id)
    if last_decision is not None:
        flags = flags.filter(created_at__gt=last_decision)
    return float(flags.aggregate(total=Sum("weight"))["total"] or 0)


def on_flag(*, comment_id: int, flag_id: int) -> str:
    """Weigh a new flag and act on the thresholds; what happened ("", "reported", "withheld")."""
    config = ModerationSettings.load()
    with transaction.atomic():
        flag = CommentFlag.objects.get(pk=flag_id)
        flag.weight = flag_weight(flag.user_id, excluding=flag.pk)
        flag.save(update_fields=["weight"])
        comment = Comment.objects.select_for_update().get(pk=comment_id)
        if comment.status != Comment.Status.APPROVED:
            return ""  # not public: nothing for readers' flags to change
        total = weighted_flags(comment_id)
        if total < config.flags_to_report:
            return ""
        explanation = {
            "name": "flags",
            "verdict": "review",
            "score": total,
            "explanation": f"weighted reader flags {total:g} ≥ report threshold {config.flags_to_report:g}",
        }
        item = ReviewItem.objects.filter(comment_id=comment_id, decided_at__isnull=True).first()
        happened = ""
        if item is None:
            ReviewItem.objects.create(comment=comment, queue=ReviewItem.Queue.REPORTED, reason="flags")
            AuditRecord.objects.create(
                comment=comment,
                actor_name="system:flags",
                action="moderation.comment.reported",
                from_status=comment.status,
                to_status=comment.status,
                reasons=[explanation],
                comment_version=comment.version,
            )
            happened = "reported"
        if total >= config.flags_to_withhold:
            change_status(
                comment_id=comment_id,
                to_status=Comment.Status.IN_REVIEW,
                actor_name="system:flags",
                action="moderation.comment.withheld",
                reasons=[
                    {
                        **explanation,
                        "explanation": f"weighted reader flags {total:g} ≥ withhold threshold "
                        f"{config.flags_to_withhold:g}",
                    }
                ],
                hold_reason=HOLD_FLAGGED,
                expect_status={Comment.Status.APPROVED},
            )
            happened = "withheld"
        return happened

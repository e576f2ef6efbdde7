"""Reader flags: weigh each flag by the flagger's record and account, report and withhold past
the thresholds.

A flag counts 1; double when most of the flagger's earlier decided flags were upheld (the
comment was rejected), half when most were dismissed (a moderator approved the comment anyway).
An account under a day old or with no approved comment counts a quarter at most: its flags still
reach moderators, but a batch of fresh accounts cannot hide a comment by itself. Accounts that
signed up from one address within a day count as one flagger: the cluster's flags add up to its
heaviest flag. When the weighted flags since the last decision on the comment reach
`flags_to_report` a published comment enters the `reported` queue and stays visible; at
`flags_to_withhold` it is withheld (in review) until a moderator decides.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone

from accounts.models import Profile
from comments import audit
from comments.models import Comment, CommentFlag
from comments.services import change_status, record_event, set_flag_weight

from .models import ModerationSettings, ReviewItem

UPHELD, NORMAL, DISMISSED, FRESH = 2.0, 1.0, 0.5, 0.25
FRESH_ACCOUNT = timedelta(days=1)
SAME_ADDRESS_WINDOW = timedelta(days=1)
HOLD_FLAGGED = "held for review after readers' reports"
FLAGS_ACTOR = audit.system_actor("flags")


@dataclass
class Weight:
    value: float
    reason: str


def _record_weight(user_id: int, excluding: int | None) -> Weight:
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
        return Weight(UPHELD, f"{upheld} earlier flags upheld, {dismissed} dismissed")
    if dismissed > upheld:
        return Weight(DISMISSED, f"{dismissed} earlier flags dismissed, {upheld} upheld")
    return Weight(NORMAL, "an established account")


def flag_weight(user_id: int, *, excluding: int | None = None) -> float:
    return flagger_weight(user_id, excluding=excluding).value


def flagger_weight(user_id: int, *, excluding: int | None = None, now=None) -> Weight:
    """How much one flag of this user counts, and why (before the same-address rule)."""
    from django.contrib.auth import get_user_model

    now = now or timezone.now()
    weight = _record_weight(user_id, excluding)
    user = get_user_model().objects.only("date_joined").get(pk=user_id)
    fresh = []
    if user.date_joined > now - FRESH_ACCOUNT:
        fresh.append("the account is under a day old")
    if not Comment.objects.filter(author_id=user_id, status=Comment.Status.APPROVED).exists():
        fresh.append("the account has no approved comment")
    if fresh and weight.value > FRESH:
        return Weight(FRESH, " and ".join(fresh))
    return weight


def _same_address_accounts(user_id: int) -> set[int]:
    """The accounts that signed up from this user's address within a day of it (itself included)."""
    profile = Profile.objects.filter(user_id=user_id).select_related("user").first()
    if profile is None or not profile.signup_address:
        return {user_id}
    joined = profile.user.date_joined
    return set(
        Profile.objects.filter(
            signup_address=profile.signup_address,
            user__date_joined__gte=joined - SAME_ADDRESS_WINDOW,
            user__date_joined__lte=joined + SAME_ADDRESS_WINDOW,
        ).values_list("user_id", flat=True)
    ) | {user_id}


def weigh_flag(flag: CommentFlag) -> Weight:
    """The weight a new flag counts for: the flagger's weight, less what accounts from the same
    signup address already counted on this comment (so together they count as one flagger)."""
    own = flagger_weight(flag.user_id, excluding=flag.pk)
    cluster = _same_address_accounts(flag.user_id) - {flag.user_id}
    if not cluster:
        return own
    counted = CommentFlag.objects.filter(comment_id=flag.comment_id, user_id__in=cluster).exclude(pk=flag.pk)
    already = float(counted.aggregate(total=Sum("weight"))["total"] or 0)
    if not already:
        return own
    value = max(own.value - already, 0.0)
    return Weight(
        value,
        f"{own.reason}; counted with {counted.count()} other flag(s) from accounts signed up from the "
        f"same address within a day (together they weigh {max(own.value, already):g})",
    )


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
    """Weigh a new flag and act on the thresholds; what happened ("", "reported", "withheld").

    Runs once the flag is committed (comments' flag_added signal). The comment's row lock, taken by
    comments.services and held to this transaction's end, orders two flags crossing a threshold
    at once: the second finds the first one's review item.
    """
    config = ModerationSettings.load()
    flag = CommentFlag.objects.get(pk=flag_id)
    weight = weigh_flag(flag)
    set_flag_weight(flag_id=flag.pk, weight=weight.value, reason=weight.reason)
    total = weighted_flags(comment_id)
    if total < config.flags_to_report:
        return ""
    with transaction.atomic():
        happened = _report(comment_id, total, config)
        if happened is None:
            return ""  # not public: nothing for readers' flags to change
        if total >= config.flags_to_withhold and _withhold(comment_id, total, config) is not None:
            happened = "withheld"
    return happened


class _AlreadyReported(Exception):
    pass


def _flags_reason(total: float, what: str, threshold: float) -> dict:
    return audit.reason(
        "flags", "review", f"weighted reader flags {total:g} ≥ {what} threshold {threshold:g}", score=total
    )


def _report(comment_id: int, total: float, config) -> str | None:
    """Put a public comment in the `reported` queue unless an item is open on it: "reported",
    "" (already in a queue), None (the comment is not public)."""
    comment = Comment.objects.filter(pk=comment_id).only("status").first()
    if comment is None or comment.status != Comment.Status.APPROVED:
        return None
    if ReviewItem.objects.filter(comment_id=comment_id, decided_at__isnull=True).exists():
        return ""
    try:
        with transaction.atomic():
            reported = record_event(
                comment_id=comment_id,
                actor_name=FLAGS_ACTOR,
                action=audit.COMMENT_REPORTED,
                reasons=[_flags_reason(total, "report", config.flags_to_report)],
                expect_status={Comment.Status.APPROVED},
            )
            if reported is None:
                return None
            if ReviewItem.objects.filter(comment_id=comment_id, decided_at__isnull=True).exists():
                raise _AlreadyReported  # made while this waited for the lock: undo the record
            ReviewItem.objects.create(comment=reported, queue=ReviewItem.Queue.REPORTED, reason="flags")
    except _AlreadyReported:
        return ""
    return "reported"


def _withhold(comment_id: int, total: float, config) -> Comment | None:
    return change_status(
        comment_id=comment_id,
        to_status=Comment.Status.IN_REVIEW,
        actor_name=FLAGS_ACTOR,
        action=audit.COMMENT_WITHHELD,
        reasons=[_flags_reason(total, "withhold", config.flags_to_withhold)],
        hold_reason=HOLD_FLAGGED,
        expect_status={Comment.Status.APPROVED},
    )

"""The moderation pipeline: gather what the checks need, decide, record, route to review."""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from articles.models import SiteSettings
from comments.models import Comment
from comments.services import change_status, mark_checked, record_event

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
EDIT_ACTIONS = {
    checks.APPROVE: "moderation.edit.approved",
    checks.REJECT: notify.EDIT_REJECTED,
    checks.REVIEW: "moderation.edit.held",
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


def context_for(
    comment: Comment, *, rules: checks.Rules, digest: str, text: str | None = None
) -> checks.CheckContext:
    now = timezone.now()
    approved = Comment.objects.filter(author_id=comment.author_id, status=Comment.Status.APPROVED).count()
    others = TextFingerprint.objects.filter(digest=digest).exclude(comment_id=comment.pk)
    return checks.CheckContext(
        text=comment.body if text is None else text,
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


def _target(comment, version: int) -> str:
    """What checks on `version` of this comment are for.

    "comment": a comment not yet decided, which the checks decide; "edit": a waiting edit of a
    published comment, which the checks may publish only when nothing else holds the comment;
    "record": a text someone else decides (held, or already judged by a moderator), on which the
    checks still run and are recorded so no version goes unchecked; "done": nothing to check (a
    refused or deleted comment); "": superseded by a newer version, or already checked.
    """
    if comment.checked_version >= version:
        return ""
    if comment.status in {Comment.Status.REJECTED, Comment.Status.DELETED}:
        return "done"
    if version == comment.edit_version:
        return "edit" if comment.edit_status == Comment.EditStatus.PENDING else "record"
    if version == comment.version and comment.edit_version is None:
        return "comment" if comment.status == Comment.Status.PENDING else "record"
    return ""


def moderate_comment(*, comment_id: int, version: int) -> str:
    """Run the checks on a version of a comment and record what they decide; idempotent.

    Acts only while that version still needs checking (see `_target`), under the comment's row
    lock, so a redelivered or duplicated task changes nothing. The classifier runs before the
    lock is taken (the version pins the text); status, audit record and review item commit
    together. An edit never lifts a hold: checks that pass an edit publish it only when no
    review item is open on the comment.
    """
    comment = Comment.objects.filter(pk=comment_id).first()
    target = _target(comment, version) if comment is not None else ""
    if target == "done":
        mark_checked(comment_id=comment_id, version=version)
    if target in {"", "done"}:
        return "skipped"
    text = comment.edit_body if version == comment.edit_version else comment.body
    scores = checks.classifier_scores([text])[0]
    rules = policy.current_rules()
    with transaction.atomic():
        comment = (
            Comment.objects.select_for_update()
            .select_related("article", "author")
            .filter(pk=comment_id)
            .first()
        )
        if comment is None or _target(comment, version) != target:
            return "skipped"
        digest = fingerprint(text)
        ctx = context_for(comment, rules=rules, digest=digest, text=text)
        decision = policy.evaluate(ctx, rules=rules, scores=scores)
        TextFingerprint.objects.update_or_create(
            comment=comment,
            defaults={"author_id": comment.author_id, "digest": digest, "created_at": comment.created_at},
        )
        verdict = dict(
            comment_id=comment.pk,
            actor_name=_checker(decision),
            reasons=[c.as_dict() for c in decision.checks],
            checked=True,
        )
        if target == "comment":
            _decide_comment(comment, decision, verdict)
        elif target == "edit":
            _decide_edit(comment, decision, verdict)
        else:
            record_event(action="moderation.comment.checked", **verdict)
    return decision.decision


def _checker(decision) -> str:
    deciding = decision.deciding
    return f"{CHECKER}:{deciding.name}@{deciding.version}" if deciding else CHECKER


def _open_item(comment: Comment) -> ReviewItem | None:
    return ReviewItem.objects.filter(comment=comment, decided_at__isnull=True).first()


def _decide_comment(comment: Comment, decision, verdict: dict) -> None:
    to_status = {
        checks.APPROVE: Comment.Status.APPROVED,
        checks.REJECT: Comment.Status.REJECTED,
        checks.REVIEW: Comment.Status.IN_REVIEW,
    }[decision.decision]
    decided = change_status(
        to_status=to_status,
        action=ACTIONS[decision.decision],
        hold_reason=decision.author_reason if decision.decision == checks.REVIEW else "",
        **verdict,
    )
    if to_status == Comment.Status.IN_REVIEW and _open_item(comment) is None:
        ReviewItem.objects.create(
            comment=comment, queue=ReviewItem.Queue.PREMOD, reason=decision.deciding.name
        )
    if to_status == Comment.Status.REJECTED:
        notify.after_decision(
            comment_id=comment.pk, audit_id=decided.audit_record.pk, reason=decision.author_reason
        )


def _decide_edit(comment: Comment, decision, verdict: dict) -> None:
    """The checks' verdict on an edit of a published comment; its approved text stays public
    unless the edit passes and nothing else holds the comment."""
    item = _open_item(comment)
    if decision.decision == checks.REJECT:
        refused = record_event(
            action=EDIT_ACTIONS[checks.REJECT], edit_status=Comment.EditStatus.REJECTED, **verdict
        )
        notify.after_decision(
            comment_id=comment.pk, audit_id=refused.audit_record.pk, reason=decision.author_reason
        )
    elif decision.decision == checks.APPROVE and item is None and comment.status == Comment.Status.APPROVED:
        change_status(
            to_status=Comment.Status.APPROVED,
            action=EDIT_ACTIONS[checks.APPROVE],
            publish_edit=True,
            **verdict,
        )
    else:
        record_event(action=EDIT_ACTIONS[checks.REVIEW], edit_status=Comment.EditStatus.IN_REVIEW, **verdict)
        if item is None:
            reason = decision.deciding.name if decision.deciding else "edit"
            ReviewItem.objects.create(
                comment=comment, queue=ReviewItem.Queue.PREMOD, reason=reason, for_edit=True
            )


def posting_refusal(sender, author, action: str = "post", **kwargs) -> str | None:
    """Why a banned or suspended author may not post or flag now (comments.signals.comment_posting)."""
    if not getattr(author, "is_authenticated", False):
        return None
    now = timezone.now()
    state = standing(author, now=now)
    doing = "flag comments" if action == "flag" else "post comments"
    if state["author_is_banned"]:
        return f"Your account may no longer {doing}."
    until = state["author_suspended_until"]
    if until and until > now:
        local = timezone.localtime(until)
        if action == "flag":
            return f"Your account is suspended and may not flag comments until {local:%d %B %Y, %H:%M %Z}."
        return f"Your account is suspended from commenting until {local:%d %B %Y, %H:%M %Z}."
    return None


def correction_report_refusal(sender, text: str, **kwargs) -> str | None:
    """Banned words in a correction report (articles.signals.correction_report_checking)."""
    hits = find_phrases(text, policy.current_rules().banned)
    return f"banned_words: {', '.join(hits)}" if hits else None


def stale_pending(*, older_than_seconds: int) -> list[tuple[int, int]]:
    """(id, version) of comments whose newest text has waited for its checks longer than the
    sweep's age: their message was lost (broker down, a worker died)."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    waiting = Comment.objects.filter(status=Comment.Status.PENDING, status_changed_at__lt=cutoff)
    edits = Comment.objects.filter(edit_status=Comment.EditStatus.PENDING, edited_at__lt=cutoff)
    # Held texts edited, or published by a moderator, before their checks ran: checked all the same.
    unchecked = Comment.objects.filter(
        status=Comment.Status.IN_REVIEW, checked_version__lt=F("version"), status_changed_at__lt=cutoff
    )
    found = {}
    for query in (waiting, edits, unchecked):
        for pk, version, edit_version in query.values_list("pk", "version", "edit_version")[:1000]:
            found[pk] = edit_version or version
    return sorted(found.items())

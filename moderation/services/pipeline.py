"""The moderation pipeline: gather what the checks need, decide, record, route to review."""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Count, F, Min
from django.utils import timezone

from accounts.selectors import verified_among
from articles.models import SiteSettings
from comments import audit
from comments.models import Comment
from comments.services import change_status, mark_checked, record_event

from .. import checks, notify, policy
from ..models import ReviewItem, Sanction, TextFingerprint
from ..normalize import find_phrases, fingerprint
from ..selectors import standing_from

log = logging.getLogger(__name__)
# Comments one task decides at most: the classifier's batch and one transaction's worth of rows.
BATCH = 50
ACTIONS = {
    checks.APPROVE: audit.COMMENT_APPROVED,
    checks.REJECT: audit.COMMENT_REJECTED,
    checks.REVIEW: audit.COMMENT_HELD,
}
EDIT_ACTIONS = {
    checks.APPROVE: audit.EDIT_APPROVED,
    checks.REJECT: audit.EDIT_REJECTED,
    checks.REVIEW: audit.EDIT_HELD,
}


class _Facts:
    """What the checks need to know about the authors and texts of a batch, read once for all of it.

    Four queries whatever the batch's size (approved counts, sanctions, first comments when the
    site holds new commenters, recent fingerprints), a fifth when the site requires verified
    addresses; `saw` adds each decided text, so a repeat inside the batch is seen like one
    decided earlier.
    """

    def __init__(self, comments: list[Comment], digests: set[str], rules: checks.Rules):
        self.now = timezone.now()
        self.rules = rules
        authors = {c.author_id for c in comments}
        self.approved = dict(
            Comment.objects.filter(author_id__in=authors, status=Comment.Status.APPROVED)
            .values("author_id")
            .annotate(n=Count("pk"))
            .values_list("author_id", "n")
        )
        self.sanctions: dict[int, dict] = {}
        for sanction in Sanction.objects.filter(user_id__in=authors).active(self.now):
            self.sanctions.setdefault(sanction.user_id, {})[sanction.kind] = sanction
        site = SiteSettings.load()
        self.unverified = authors - verified_among(authors) if site.require_verified_email else set()
        self.first_comment_at = {}
        if site.premoderate_new_commenters:
            self.first_comment_at = dict(
                Comment.objects.filter(author_id__in=authors)
                .values("author_id")
                .annotate(first=Min("created_at"))
                .values_list("author_id", "first")
            )
        window = max(
            timedelta(hours=rules.duplicate_window_hours), timedelta(minutes=rules.wave_window_minutes)
        )
        self.recent = list(
            TextFingerprint.objects.filter(digest__in=digests, created_at__gte=self.now - window).values_list(
                "comment_id", "author_id", "digest", "created_at"
            )
        )

    def saw(self, comment: Comment, digest: str) -> None:
        self.recent = [r for r in self.recent if r[0] != comment.pk]
        self.recent.append((comment.pk, comment.author_id, digest, comment.created_at))

    def context(self, comment: Comment, *, text: str, digest: str) -> checks.CheckContext:
        others = [r for r in self.recent if r[2] == digest and r[0] != comment.pk]
        duplicates_since = self.now - timedelta(hours=self.rules.duplicate_window_hours)
        wave_since = self.now - timedelta(minutes=self.rules.wave_window_minutes)
        first = self.first_comment_at.get(comment.author_id)
        return checks.CheckContext(
            text=text,
            author_approved_count=self.approved.get(comment.author_id, 0),
            author_email_unverified=comment.author_id in self.unverified,
            author_is_new_and_site_premod=bool(self.first_comment_at)
            and (first is None or first >= comment.created_at),
            article_premoderated=comment.article.premoderate_comments,
            same_text_by_author_24h=sum(
                1 for _, author, _, at in others if author == comment.author_id and at >= duplicates_since
            ),
            distinct_accounts_same_text_10min=len(
                {author for _, author, _, at in others if author != comment.author_id and at >= wave_since}
            )
            + 1,
            now=self.now,
            **standing_from(self.sanctions.get(comment.author_id, {})),
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
    return moderate_comments([(comment_id, version)])[0]


def moderate_waiting(*, comment_id: int, version: int) -> str:
    """Check this version and, in the same pass, the oldest other comments waiting for their checks.

    A worker that takes one message decides up to BATCH comments with one classifier call, one
    read of the rules and of the authors' standing, and one commit; the other comments' own
    messages then find nothing left to do. Returns the decision on `comment_id`.
    """
    waiting = [item for item in awaiting_checks(limit=BATCH) if item[0] != comment_id]
    return moderate_comments([(comment_id, version), *waiting[: BATCH - 1]])[0]


def moderate_comments(items: list[tuple[int, int]]) -> list[str]:
    """moderate_comment for many (comment id, version) pairs at once, in order; one transaction.

    The classifier scores every text in one call before any lock is taken; the rows are then
    locked and each target re-checked under its lock. Only the first comment's lock is waited
    for, so two workers on overlapping batches neither wait on each other nor deadlock.
    """
    results = {item: "skipped" for item in items}
    todo = _to_check(items)
    if not todo:
        return [results[item] for item in items]
    verdicts = checks.model_verdicts([text for *_, text in todo])
    rules = policy.current_rules()
    digests = {text: fingerprint(text) for *_, text in todo}
    with transaction.atomic():
        locked = _lock_batch(first=items[0][0], others=[pk for pk, *_ in todo])
        facts = _Facts(list(locked.values()), set(digests.values()), rules)
        fingerprints = []
        for (pk, version, target, text), verdict in zip(todo, verdicts, strict=True):
            comment = locked.get(pk)
            if comment is None or _target(comment, version) != target:
                continue
            digest = digests[text]
            decision = policy.evaluate(
                facts.context(comment, text=text, digest=digest), rules=rules, model=verdict
            )
            facts.saw(comment, digest)
            fingerprints.append(
                TextFingerprint(
                    comment=comment, author_id=comment.author_id, digest=digest, created_at=comment.created_at
                )
            )
            _record_decision(comment, decision, target)
            results[(pk, version)] = decision.decision
        TextFingerprint.objects.bulk_create(
            fingerprints,
            update_conflicts=True,
            unique_fields=["comment"],
            update_fields=["author", "digest", "created_at"],
        )
    return [results[item] for item in items]


def _to_check(items: list[tuple[int, int]]) -> list[tuple[int, int, str, str]]:
    """(id, version, target, text) of the versions that still need their checks; the others
    noted as checked when nothing is owed on them."""
    found = Comment.objects.in_bulk([pk for pk, _ in items])
    todo = []
    for pk, version in dict.fromkeys(items):
        comment = found.get(pk)
        target = _target(comment, version) if comment is not None else ""
        if target == "done":
            mark_checked(comment_id=pk, version=version)
        elif target:
            text = comment.edit_body if version == comment.edit_version else comment.body
            todo.append((pk, version, target, text))
    return todo


def _lock_batch(*, first: int, others: list[int]) -> dict[int, Comment]:
    """The batch's comments, locked: the first waited for, the others only if no one holds them,
    so another worker deciding them in its own batch does not hold this one up, nor the reverse.

    The pipeline keeps these locks to its commit: it decides many comments in one transaction,
    each through comments.services, which take the same locks again.
    """
    rows = Comment.objects.select_related("article", "author").order_by("pk")
    locked = {c.pk: c for c in rows.select_for_update(of=("self",)).filter(pk=first)}
    rest = rows.select_for_update(of=("self",), skip_locked=True).filter(
        pk__in=[pk for pk in others if pk != first]
    )
    locked.update((c.pk, c) for c in rest)
    return locked


def _record_decision(comment: Comment, decision, target: str) -> None:
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
        record_event(action=audit.COMMENT_CHECKED, **verdict)


def _checker(decision) -> str:
    deciding = decision.deciding
    return audit.system_actor(deciding.name, deciding.version) if deciding else audit.system_actor()


def _why(decision) -> str:
    """A review item's reason: the kind of harm when the deciding check names one, else the check."""
    return decision.kind or decision.deciding.name


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
        ReviewItem.objects.create(comment=comment, queue=ReviewItem.Queue.PREMOD, reason=_why(decision))
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
            reason = _why(decision) if decision.deciding else "edit"
            ReviewItem.objects.create(
                comment=comment, queue=ReviewItem.Queue.PREMOD, reason=reason, for_edit=True
            )


def correction_report_refusal(*, text: str) -> str | None:
    """Banned words in a correction report (the answer to corrections' report_checking signal)."""
    hits = find_phrases(text, policy.current_rules().banned)
    return f"banned_words: {', '.join(hits)}" if hits else None


def stale_pending(*, older_than_seconds: int) -> list[tuple[int, int]]:
    """(id, version) of comments whose newest text has waited for its checks longer than the
    sweep's age: their message was lost (broker down, a worker died)."""
    return awaiting_checks(before=timezone.now() - timedelta(seconds=older_than_seconds))


def awaiting_checks(*, before=None, limit: int = 1000) -> list[tuple[int, int]]:
    """(id, version) of comments whose newest text waits for its checks, oldest first: new
    comments, waiting edits, and held texts edited or published before their checks ran."""
    since = {} if before is None else {"status_changed_at__lt": before}
    waiting = Comment.objects.filter(status=Comment.Status.PENDING, **since)
    edits = Comment.objects.filter(
        edit_status=Comment.EditStatus.PENDING, **({} if before is None else {"edited_at__lt": before})
    )
    # Held texts edited, or published by a moderator, before their checks ran: checked all the same.
    unchecked = Comment.objects.filter(
        status=Comment.Status.IN_REVIEW, checked_version__lt=F("version"), **since
    )
    found = {}
    for query in (waiting, edits, unchecked):
        for pk, version, edit_version in query.order_by("pk").values_list("pk", "version", "edit_version")[
            :limit
        ]:
            found[pk] = edit_version or version
    return sorted(found.items())[:limit]

"""Appeals against decisions (DSA Art. 20): filing one, and answering it when a moderator other
than the one who decided first has decided its item."""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from comments.models import Comment
from moderation.models import ReviewItem
from moderation.services import REJECT_REASONS, route

from . import mail
from .errors import AlreadyDone, Invalid, NotFound, TooLate
from .models import Appeal, Notice, Statement

MAX_TEXT = 5000
S = Statement.Decision
# The comment's status while each decision on it stands.
STANDS_WHILE = {
    S.CONTENT_REMOVED: Comment.Status.REJECTED,
    S.CONTENT_DISABLED: Comment.Status.IN_REVIEW,
    S.NO_ACTION: Comment.Status.APPROVED,
}


def _appellant_role(statement: Statement, user) -> bool:
    """Whether the user appeals as the notice's notifier (False: as the restricted reader)."""
    if statement.is_restriction and statement.user_id == user.pk:
        return False
    # A notifier appeals a decision to leave the comment up; a removal is what they asked for.
    if not statement.is_restriction and Notice.objects.filter(statement=statement, notifier=user).exists():
        return True
    raise NotFound("No such decision.")


def _ensure_stands(statement: Statement) -> None:
    if statement.withdrawn_at or statement.reversed_at:
        raise AlreadyDone("This decision no longer stands.")
    if statement.sanction_id is not None:
        if not statement.sanction.is_active():
            raise AlreadyDone("This sanction has already ended.")
    elif statement.comment is None or statement.comment.status != STANDS_WHILE[statement.decision]:
        raise AlreadyDone("This decision no longer stands: the comment changed since.")


def file_appeal(*, statement_id: int, user, text: str) -> Appeal:
    """Appeal a decision once, within six months: its comment (or sanction) goes to the `appeals`
    queue, where the moderator who made the decision is never handed it."""
    statement = Statement.objects.select_related("comment", "sanction").filter(pk=statement_id).first()
    if statement is None or statement.withdrawn_at:
        raise NotFound("No such decision.")
    by_notifier = _appellant_role(statement, user)
    if timezone.now() > statement.appeal_until:
        raise TooLate("The six months to appeal this decision are over.")
    if Appeal.objects.filter(statement=statement, appellant=user).exists():
        raise AlreadyDone("You have already appealed this decision.")
    _ensure_stands(statement)
    text = (text or "").strip()
    if not text or "\x00" in text or len(text) > MAX_TEXT:
        raise Invalid("text", f"Say why the decision is wrong, in at most {MAX_TEXT:,} characters.")
    role = "the notifier of a notice" if by_notifier else "the reader"
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(
                statement=statement, appellant=user, by_notifier=by_notifier, text=text
            )
            appeal.item = route(
                queue=ReviewItem.Queue.APPEALS,
                reason="appeal",
                note=f"Appeal {appeal.pk} by {role} against “{statement.get_decision_display()}” "
                f"(statement {statement.pk}): {statement.explanation}\n\nTheir appeal: {text}",
                comment_id=statement.comment_id if statement.sanction_id is None else None,
                sanction_id=statement.sanction_id,
                excluded_moderator=statement.decided_by,
            )
            appeal.save(update_fields=["item"])
    except IntegrityError:  # the same appeal sent twice at once
        raise AlreadyDone("You have already appealed this decision.") from None
    return appeal


def _outcome(appeal: Appeal, action: str) -> str:
    """An appeal succeeds when the decision turns against the decision appealed: a restriction
    lifted (approve), or a comment a notifier reported removed after all (reject)."""
    wanted = ReviewItem.Decision.REJECT if appeal.by_notifier else ReviewItem.Decision.APPROVE
    return Appeal.Outcome.REVERSED if action == wanted else Appeal.Outcome.UPHELD


def _answer(outcome: str, item: ReviewItem) -> str:
    """The reasoned answer: the reason from the list (a moderator's note stays among moderators)."""
    if outcome == Appeal.Outcome.REVERSED:
        return "A moderator looked at the decision again and reversed it."
    words = REJECT_REASONS.get(item.decision_reason)
    return "A moderator looked at the decision again, and it stands" + (f": {words}." if words else ".")


def resolve(*, item: ReviewItem, moderator, action: str) -> list[Appeal]:
    """Answer the open appeals about the item's comment (or sanction) with the decision just taken."""
    about = (
        Q(statement__comment_id=item.comment_id)
        if item.comment_id
        else Q(statement__sanction_id=item.sanction_id)
    )
    appeals = list(Appeal.objects.select_for_update().filter(about, decided_at=None))
    now = timezone.now()
    for appeal in appeals:
        appeal.outcome = _outcome(appeal, action)
        appeal.decided_at, appeal.decided_by, appeal.answer = now, moderator, _answer(appeal.outcome, item)
        appeal.save(update_fields=["outcome", "decided_at", "decided_by", "answer"])
        if appeal.outcome == Appeal.Outcome.REVERSED and item.sanction_id:
            Statement.objects.filter(pk=appeal.statement_id).update(reversed_at=now)
        mail.after_commit("send_appeal_answer", appeal.pk)
    return appeals


def open_to_appeal(statement: Statement, *, appealed: bool) -> bool:
    """Whether an appeal would be taken now (no queries with comment and sanction selected)."""
    if appealed or timezone.now() > statement.appeal_until:
        return False
    try:
        _ensure_stands(statement)
    except AlreadyDone:
        return False
    return True

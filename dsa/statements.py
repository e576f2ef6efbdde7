"""Writing statements of reasons: one for every restriction, in the restriction's transaction.

A comment's status change (comments' `status_changed`) and a sanction (moderation's
`sanction_applied`) call in here; so does a decision on a notice that leaves the comment up.
"""

from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format

from comments import audit
from comments.models import AuditRecord, Comment, CommentFlag
from moderation.models import Sanction
from moderation.services import REJECT_REASONS

from . import grounds, seed
from .models import Clause, GuidelinesVersion, Notice, Statement

S = Statement


def clause(code: str) -> Clause:
    """The clause with this code in the guidelines in force (the general clause if it has none)."""
    now = timezone.now()
    version = GuidelinesVersion.objects.filter(published_at__lte=now).order_by("-number").first()
    if version is None:  # an empty table (a test's flush): a restriction must still cite a clause
        seed.install(GuidelinesVersion, Clause)
        version = GuidelinesVersion.objects.order_by("-number").first()
    clauses = {c.code: c for c in version.clauses.all()}
    return clauses.get(code) or clauses.get(grounds.GENERAL) or next(iter(clauses.values()))


def for_status_change(*, comment: Comment, record: AuditRecord) -> Statement | None:
    """The statement a comment's status change owes: a removal or a hiding; an undone decision
    withdraws its statement, a comment published again ends the statements in force on it."""
    Status = Comment.Status
    if record.action == audit.DECISION_UNDONE:
        _undo(comment, record)
        return None
    if record.to_status == Status.APPROVED and record.from_status in (Status.REJECTED, Status.IN_REVIEW):
        in_force(comment=comment).update(reversed_at=record.created_at)
        return None
    if record.to_status == Status.REJECTED and record.from_status != Status.REJECTED:
        decision = S.Decision.CONTENT_REMOVED
    elif record.action == audit.COMMENT_WITHHELD:
        decision = S.Decision.CONTENT_DISABLED
    else:
        return None
    why = (
        _by_system(comment, record) if audit.is_system(record.actor_name) else _by_moderator(comment, record)
    )
    return S.objects.create(
        user_id=comment.author_id,
        comment=comment,
        audit_record=record,
        decision=decision,
        content_date=comment.created_at,
        **why,
    )


def in_force(*, comment: Comment):
    return S.objects.filter(comment=comment, withdrawn_at=None, reversed_at=None).exclude(
        decision=S.Decision.NO_ACTION
    )


def _undo(comment: Comment, record: AuditRecord) -> None:
    """An undo takes back the comment's previous record: withdraw what it wrote, restore what it ended."""
    previous = AuditRecord.objects.filter(comment=comment, pk__lt=record.pk).order_by("-pk").first()
    if previous is None:
        return
    S.objects.filter(audit_record=previous, withdrawn_at=None).update(withdrawn_at=record.created_at)
    S.objects.filter(comment=comment, reversed_at=previous.created_at).update(reversed_at=None)


def _about(comment: Comment) -> str:
    when = date_format(timezone.localtime(comment.created_at), "j F Y, H:i")
    return f"Comment {comment.pk}, posted on {when} under “{comment.article.headline}”,"


def _incompatible(code: str, explanation: str) -> dict:
    found = clause(code)
    return {
        "ground": S.Ground.INCOMPATIBLE_CONTENT,
        "clause": found,
        "category": grounds.CLAUSE_CATEGORY.get(found.code, grounds.SCOPE),
        "explanation": f"Clause {found.number}, “{found.title}”: {explanation}"[:2000],
    }


def _by_system(comment: Comment, record: AuditRecord) -> dict:
    check = audit.system_check(record.actor_name)
    if check == "flags":
        return _by_flags(comment, record)
    kind = next(
        (r.get("kind") for r in record.reasons or [] if r.get("name") == check and r.get("kind")), ""
    )
    code, words = grounds.KINDS.get(kind) or grounds.CHECKS.get(check, grounds.UNKNOWN_CHECK)
    version = record.actor_name.partition("@")[2]
    facts = f"{_about(comment)} was refused by our automated check “{check or 'system'}”"
    facts += f" (version {version})" if version else ""
    # A ban or suspension is a moderator's decision; the checks only apply it to each comment.
    sanctioned = check == "author_standing"
    if sanctioned:
        facts += ", because a moderator banned or suspended the account"
    return {
        **_incompatible(code, words),
        "facts": facts + ".",
        "source": S.Source.OWN_INITIATIVE,
        "automated_detection": True,
        "automated_decision": S.Automation.PARTIALLY if sanctioned else S.Automation.FULLY,
    }


def _by_flags(comment: Comment, record: AuditRecord) -> dict:
    weights = (
        CommentFlag.objects.filter(comment=comment)
        .values("reason")
        .annotate(weight=Sum("weight"))
        .order_by("-weight")
    )
    top = weights[0]["reason"] if weights else "other"
    label = CommentFlag.Reason(top).label.lower() if top in CommentFlag.Reason.values else top
    threshold = next((r.get("explanation", "") for r in record.reasons if r.get("name") == "flags"), "")
    return {
        **_incompatible(
            grounds.REASONS.get(top, grounds.GENERAL),
            f"Readers reported it, most of them as {label}. It is hidden until a moderator decides.",
        ),
        "facts": f"{_about(comment)} was reported by readers; their reports reached the level at which a "
        f"comment is hidden until a moderator decides ({threshold}).",
        "source": S.Source.READERS_FLAGS,
        "automated_detection": False,
        "automated_decision": S.Automation.FULLY,
    }


def _open_notices(comment: Comment) -> list[Notice]:
    notices = list(Notice.objects.filter(comment=comment, decided_at=None))
    if not notices:  # a notifier's appeal against keeping the comment
        notices = list(
            Notice.objects.filter(
                comment=comment,
                statement__appeals__by_notifier=True,
                statement__appeals__decided_at__isnull=True,
            ).distinct()
        )
    return notices


def _by_moderator(comment: Comment, record: AuditRecord) -> dict:
    # The reason from the list, never the moderator's own note: notes stay among moderators.
    code = next((r.get("code", "other") for r in record.reasons if r.get("name") == "moderator"), "other")
    words = REJECT_REASONS.get(code, REJECT_REASONS["other"])
    notices = _open_notices(comment)
    why = f"A moderator decided that {words}."
    if code == grounds.ILLEGAL:
        legal, category = (
            grounds.LEGAL_GROUNDS[notices[0].category]
            if notices
            else (grounds.NO_NOTICE_LEGAL_GROUND, grounds.SPEECH)
        )
        ground = {
            "ground": S.Ground.ILLEGAL_CONTENT,
            "legal_ground": legal,
            "category": category,
            "explanation": why,
        }
    else:
        ground = _incompatible(grounds.REASONS.get(code, grounds.GENERAL), why)
    held = AuditRecord.objects.filter(audit.BY_SYSTEM, comment=comment, action=audit.COMMENT_HELD).exists()
    flagged = CommentFlag.objects.filter(comment=comment).exists()
    if notices:
        source = S.Source.TRUSTED_FLAGGER if any(n.by_trusted_flagger for n in notices) else S.Source.NOTICE
        after = f" after {len(notices)} notice(s) of illegal content ({notices[0].get_category_display().lower()})"
    elif flagged:
        source, after = S.Source.READERS_FLAGS, " after readers' reports"
    else:
        source, after = S.Source.OWN_INITIATIVE, " after our automated checks held it" if held else ""
    return {
        **ground,
        "facts": f"{_about(comment)} was reviewed by a moderator{after}.",
        "source": source,
        "automated_detection": held and not notices,
        "automated_decision": S.Automation.NOT_AUTOMATED,
        "decided_by_id": record.actor_id,
    }


def for_sanction(*, sanction: Sanction) -> Statement | None:
    """The statement of a ban or a suspension (pre-moderation restricts nothing readers see)."""
    decision = {
        Sanction.Kind.BAN: S.Decision.ACCOUNT_TERMINATED,
        Sanction.Kind.SUSPEND: S.Decision.ACCOUNT_SUSPENDED,
    }.get(sanction.kind)
    if decision is None:
        return None
    user = get_user_model().objects.get(pk=sanction.user_id)
    rejected = Comment.objects.filter(author=user, status=Comment.Status.REJECTED).count()
    until = (
        f" until {date_format(timezone.localtime(sanction.until), 'j F Y, H:i')}" if sanction.until else ""
    )
    what = "banned from commenting" if decision == S.Decision.ACCOUNT_TERMINATED else f"suspended{until}"
    return S.objects.create(
        user=user,
        sanction=sanction,
        decision=decision,
        **_incompatible("accounts", f"A moderator {what} your account: {sanction.reason}"),
        facts=f"A moderator reviewed the account {user.get_username()} ({rejected} comment(s) not published) "
        f"and {what} it.",
        source=S.Source.OWN_INITIATIVE,
        automated_detection=False,
        automated_decision=S.Automation.NOT_AUTOMATED,
        content_date=user.date_joined,
        end_date=sanction.until,
        decided_by_id=sanction.created_by_id,
    )


def for_kept_notices(*, comment: Comment, notices: list[Notice], moderator) -> Statement:
    """The decision, with reasons, to leave a comment up after notices: for its notifiers."""
    categories = sorted({n.get_category_display().lower() for n in notices})
    return S.objects.create(
        user_id=comment.author_id,
        comment=comment,
        decision=S.Decision.NO_ACTION,
        explanation="A moderator reviewed the comment and found it neither illegal nor against our "
        "community guidelines, so it stays published.",
        facts=f"{_about(comment)} was reported in {len(notices)} notice(s) of illegal content "
        f"({', '.join(categories)}) and reviewed by a moderator.",
        category=grounds.LEGAL_GROUNDS[notices[0].category][1],
        source=S.Source.TRUSTED_FLAGGER if any(n.by_trusted_flagger for n in notices) else S.Source.NOTICE,
        automated_detection=False,
        automated_decision=S.Automation.NOT_AUTOMATED,
        content_date=comment.created_at,
        decided_by=moderator,
    )

"""The vocabulary of comments' audit records: what happened (actions), who did it, and why.

Each record names an action from the list below, an actor, and its reasons as data: a list of
`{"name", "verdict", "score", "explanation", ...}`, one per check or decision. The actor is a
person (their username), or the system: "system" alone, or "system:<check>" / "system:<check>@<version>"
when a check decided. Usernames cannot hold a colon, so the two cannot be confused.
"""

from django.db.models import Q

SYSTEM = "system"

COMMENT_APPROVED = "moderation.comment.approved"
COMMENT_REJECTED = "moderation.comment.rejected"
COMMENT_HELD = "moderation.comment.held"
COMMENT_ESCALATED = "moderation.comment.escalated"
COMMENT_CHECKED = "moderation.comment.checked"
COMMENT_REPORTED = "moderation.comment.reported"
COMMENT_WITHHELD = "moderation.comment.withheld"
EDIT_APPROVED = "moderation.edit.approved"
EDIT_REJECTED = "moderation.edit.rejected"
EDIT_HELD = "moderation.edit.held"
DECISION_UNDONE = "moderation.decision.undone"
ESCALATION_UNDONE = "moderation.escalation.undone"
APPEAL_UPHELD = "moderation.appeal.upheld"  # a moderator upheld a rejection under appeal
COMMENT_EDITED = "comments.comment.edited"
COMMENT_DELETED = "comments.comment.deleted"
ACCOUNT_DELETED = "accounts.account.deleted"

# Audit records written by the system, for querysets of AuditRecord.
BY_SYSTEM = Q(actor_name=SYSTEM) | Q(actor_name__startswith=f"{SYSTEM}:")


def system_actor(check: str = "", version: str = "") -> str:
    """The actor name of an automated decision: "system", "system:flags", "system:toxicity@3"."""
    if not check:
        return SYSTEM
    return f"{SYSTEM}:{check}@{version}" if version else f"{SYSTEM}:{check}"


def is_system(actor_name: str) -> bool:
    return actor_name == SYSTEM or actor_name.startswith(f"{SYSTEM}:")


def system_check(actor_name: str) -> str:
    """The check named in a system actor ("toxicity" of "system:toxicity@3"); "" otherwise."""
    if not is_system(actor_name):
        return ""
    return actor_name.removeprefix(SYSTEM).removeprefix(":").partition("@")[0]


def reason(name: str, verdict: str, explanation: str, score: float | None = None, **extra) -> dict:
    """One entry of a record's reasons."""
    return {"name": name, "verdict": verdict, "score": score, "explanation": explanation, **extra}

"""Every write of moderation: the checks' pipeline, claims, decisions, sanctions, routing (notices, appeals).

One module per concern; import from here (`from moderation.services import decide`).
"""

from .claims import claim, claimable, release, release_expired, renew
from .decisions import (
    REJECT_REASONS,
    BulkResult,
    decide,
    decide_comment,
    decide_many,
    reverse_decision,
    undo_last,
)
from .pipeline import (
    BATCH,
    awaiting_checks,
    correction_report_refusal,
    moderate_comment,
    moderate_comments,
    moderate_waiting,
    stale_pending,
)
from .routing import route
from .sanctions import (
    add_note,
    apply_sanction,
    lift_sanction,
    reject_all_pending_of,
    reject_comments_of_banned_author,
)

__all__ = [
    "BATCH",
    "REJECT_REASONS",
    "BulkResult",
    "add_note",
    "apply_sanction",
    "awaiting_checks",
    "claim",
    "claimable",
    "correction_report_refusal",
    "decide",
    "decide_comment",
    "decide_many",
    "lift_sanction",
    "moderate_comment",
    "moderate_comments",
    "moderate_waiting",
    "reject_all_pending_of",
    "reject_comments_of_banned_author",
    "release",
    "release_expired",
    "renew",
    "reverse_decision",
    "route",
    "stale_pending",
    "undo_last",
]

"""The automated checks. Each reads a CheckContext and returns a verdict, a score and why."""

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings

from .normalize import contains_phrase, normalize

APPROVE, REVIEW, REJECT = "approve", "review", "reject"
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|net|org|info|biz|ru|io|co|xyz|top)\b", re.I)

# What the author of a held comment is told: a category, never the lists or scores.
HOLD_LINKS = "links from new accounts are checked by a moderator first"
HOLD_REVIEW = "held for review"
HOLD_PREMOD = "comments on this article are checked by a moderator first"
HOLD_NEW = "first comments from new accounts are checked by a moderator first"


@dataclass(frozen=True)
class CheckResult:
    name: str
    verdict: str
    score: float
    explanation: str
    version: str = "1"
    hold_reason: str = ""

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "verdict": self.verdict,
            "score": self.score,
            "explanation": self.explanation,
        }


@dataclass
class CheckContext:
    """Everything the checks need to know, filled from the database by the pipeline."""

    text: str
    banned: list[str] = field(default_factory=list)
    suspect: list[str] = field(default_factory=list)
    toxicity: float | None = None  # filled in batches by the pipeline
    author_approved_count: int = 10
    author_is_banned: bool = False
    author_suspended_until: datetime | None = None
    author_is_premoderated: bool = False
    author_is_new: bool = False
    premoderate_new_commenters: bool = False
    article_premoderated: bool = False
    same_text_by_author: int = 0
    accounts_with_same_text: int = 0


def banned_words(ctx: CheckContext) -> CheckResult:
    variants = normalize(ctx.text)
    hits = [p for p in ctx.banned if contains_phrase(variants, p)]
    if hits:
        return CheckResult(
            "banned_words", REJECT, 1.0, f"contains {len(hits)} banned word(s): {', '.join(hits)}"
        )
    return CheckResult("banned_words", APPROVE, 0.0, "no banned words")


def suspect_words(ctx: CheckContext) -> CheckResult:
    variants = normalize(ctx.text)
    hits = [p for p in ctx.suspect if contains_phrase(variants, p)]
    if hits:
        return CheckResult(
            "suspect_words",
            REVIEW,
            1.0,
            f"contains suspect word(s): {', '.join(hits)}",
            hold_reason=HOLD_REVIEW,
        )
    return CheckResult("suspect_words", APPROVE, 0.0, "no suspect words")


def toxicity(ctx: CheckContext) -> CheckResult:
    score = round(float(ctx.toxicity if ctx.toxicity is not None else toxicity_scores([ctx.text])[0]), 4)
    reject, review = settings.MODERATION_TOXICITY_REJECT, settings.MODERATION_TOXICITY_REVIEW
    if score >= reject:
        return CheckResult("toxicity", REJECT, score, f"toxicity {score:.2f} ≥ reject threshold {reject}")
    if score >= review:
        return CheckResult(
            "toxicity",
            REVIEW,
            score,
            f"toxicity {score:.2f} ≥ review threshold {review}",
            hold_reason=HOLD_REVIEW,
        )
    return CheckResult("toxicity", APPROVE, score, f"toxicity {score:.2f} below {review}")


def links(ctx: CheckContext) -> CheckResult:
    count = len(_URL.findall(ctx.text))
    if count > settings.MODERATION_MAX_LINKS:
        return CheckResult(
            "links",
            REVIEW,
            float(count),
            f"{count} links (more than {settings.MODERATION_MAX_LINKS})",
            hold_reason=HOLD_REVIEW,
        )
    if count and ctx.author_approved_count < settings.MODERATION_LINKS_MIN_APPROVED:
        return CheckResult(
            "links",
            REVIEW,
            float(count),
            f"link from an author with {ctx.author_approved_count} approved comments "
            f"(fewer than {settings.MODERATION_LINKS_MIN_APPROVED})",
            hold_reason=HOLD_LINKS,
        )
    return CheckResult("links", APPROVE, float(count), f"{count} link(s)")


def repeats(ctx: CheckContext) -> CheckResult:
    if ctx.same_text_by_author:
        return CheckResult(
            "repeats",
            REJECT,
            float(ctx.same_text_by_author),
            f"duplicate: the same text from this author within {settings.MODERATION_DUPLICATE_HOURS} hours",
        )
    if ctx.accounts_with_same_text >= settings.MODERATION_WAVE_ACCOUNTS:
        return CheckResult(
            "repeats",
            REVIEW,
            float(ctx.accounts_with_same_text),
            f"spam wave: the same text from {ctx.accounts_with_same_text} accounts within "
            f"{settings.MODERATION_WAVE_MINUTES} minutes",
            hold_reason=HOLD_REVIEW,
        )
    return CheckResult("repeats", APPROVE, 0.0, "not a repeat")


def author_standing(ctx: CheckContext) -> CheckResult:
    if ctx.author_is_banned:
        return CheckResult("author_standing", REJECT, 1.0, "the author is banned")
    if ctx.author_suspended_until:
        return CheckResult(
            "author_standing",
            REJECT,
            1.0,
            f"the author is suspended until {ctx.author_suspended_until:%Y-%m-%d %H:%M}",
        )
    if ctx.author_is_premoderated:
        return CheckResult(
            "author_standing", REVIEW, 1.0, "the author is pre-moderated", hold_reason=HOLD_REVIEW
        )
    if ctx.author_is_new and ctx.premoderate_new_commenters:
        return CheckResult(
            "author_standing",
            REVIEW,
            1.0,
            "first comment of a new account (site pre-moderates new commenters)",
            hold_reason=HOLD_NEW,
        )
    return CheckResult("author_standing", APPROVE, 0.0, "in good standing")


def article_setting(ctx: CheckContext) -> CheckResult:
    if ctx.article_premoderated:
        return CheckResult(
            "article_premoderation",
            REVIEW,
            1.0,
            "the article pre-moderates all comments",
            hold_reason=HOLD_PREMOD,
        )
    return CheckResult("article_premoderation", APPROVE, 0.0, "the article does not pre-moderate")


CHECKS = [author_standing, article_setting, banned_words, suspect_words, toxicity, links, repeats]


def toxicity_scores(texts: list[str]) -> list[float]:
    """Probabilities from the local classifier, one call for the whole batch."""
    from profanity_check import predict_prob

    if not texts:
        return []
    return [float(p) for p in predict_prob(texts)]


@dataclass(frozen=True)
class Decision:
    decision: str  # approve | review | reject
    checks: list[CheckResult]

    @property
    def deciding(self) -> CheckResult | None:
        return (
            next((c for c in self.checks if c.verdict == self.decision), None)
            if self.decision != APPROVE
            else None
        )

    def as_dict(self) -> dict:
        return {"decision": self.decision, "checks": [c.as_dict() for c in self.checks]}


def decide(results: list[CheckResult]) -> Decision:
    """Any reject wins, else any review, else approve."""
    verdicts = {r.verdict for r in results}
    decision = REJECT if REJECT in verdicts else REVIEW if REVIEW in verdicts else APPROVE
    return Decision(decision, results)


def run_checks(ctx: CheckContext) -> Decision:
    return decide([check(ctx) for check in CHECKS])

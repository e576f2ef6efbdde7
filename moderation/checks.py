"""The automated checks. Each is a small function returning a CheckResult; policy.py combines them.

Checks read plain data (CheckContext, Rules), never the database, so the pipeline fills them from
the database and the try-a-text tools fill them for an established commenter in good standing.
A check's version changes whenever the same input could get a different verdict, so an audit
record's "name@version" says which logic decided.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from importlib.metadata import version as package_version

from django.conf import settings
from django.utils import timezone

from .normalize import find_phrases, normalize, plain

APPROVE, REVIEW, REJECT = "approve", "review", "reject"

# What the author of a held or refused comment is told: a plain category, never the word lists,
# the scores or which check fired.
HOLD_REVIEW = "held for review"
HOLD_LINKS = "links from new accounts are checked by a moderator first"
HOLD_MANY_LINKS = "comments with several links are checked by a moderator first"
HOLD_ARTICLE = "comments on this article are checked by a moderator first"
HOLD_NEW = "first comments from new accounts are checked by a moderator first"
HOLD_ACCOUNT = "comments from your account are checked by a moderator first"
REFUSED_LANGUAGE = "it breaks our rules on abusive language"
REFUSED_DUPLICATE = "you already posted the same comment"
REFUSED_BANNED = "your account may no longer comment"
REFUSED_SUSPENDED = "your account is suspended from commenting for now"

_URL = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|info|biz|ru|io|co|uk|de|xyz|top|ly|me)\b(?:/\S*)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class CheckResult:
    name: str
    verdict: str  # approve | review | reject
    score: float
    explanation: str  # for moderators and the audit record
    version: str = "1"
    author_reason: str = ""  # for the author: a plain category, empty when approved

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "verdict": self.verdict,
            "score": self.score,
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class CheckContext:
    """What the checks know about one comment, its author and its article."""

    text: str
    author_approved_count: int = 0
    author_is_banned: bool = False
    author_suspended_until: datetime | None = None
    author_is_premoderated: bool = False
    # The author's first comment while SiteSettings.premoderate_new_commenters is on.
    author_is_new_and_site_premod: bool = False
    article_premoderated: bool = False
    # Other comments with the same normalized text by this author within the duplicate window.
    same_text_by_author_24h: int = 0
    # Accounts, this author included, that posted the same normalized text within the wave window.
    distinct_accounts_same_text_10min: int = 1
    now: datetime = field(default_factory=timezone.now)


@dataclass(frozen=True)
class Rules:
    """Word lists and thresholds for one run (policy.current_rules() reads them)."""

    banned: tuple[str, ...] = ()
    suspect: tuple[str, ...] = ()
    toxicity_review: float = 0.8
    toxicity_reject: float = 0.97
    max_links: int = 2
    links_min_approved: int = 3
    duplicate_window_hours: int = 24
    wave_accounts: int = 3
    wave_window_minutes: int = 10


def banned_words(ctx: CheckContext, rules: Rules) -> CheckResult:
    hits = find_phrases(ctx.text, rules.banned)
    if hits:
        return CheckResult("banned_words", REJECT, 1.0, f"banned: {', '.join(hits)}", "2", REFUSED_LANGUAGE)
    return CheckResult("banned_words", APPROVE, 0.0, "no banned words", "2")


def suspect_words(ctx: CheckContext, rules: Rules) -> CheckResult:
    hits = find_phrases(ctx.text, rules.suspect)
    if hits:
        return CheckResult("suspect_words", REVIEW, 1.0, f"suspect: {', '.join(hits)}", "2", HOLD_REVIEW)
    return CheckResult("suspect_words", APPROVE, 0.0, "no suspect words", "2")


@cache
def _toxicity_version() -> str:
    return f"2+alt-profanity-check-{package_version('alt-profanity-check')}"


def toxicity(probability: float | None, rules: Rules) -> CheckResult:
    """The verdict for a probability from toxicity_probabilities() (the classifier runs in batches).

    None when the classifier is switched off (MODERATION_TOXICITY_CHECK=false).
    """
    ver = _toxicity_version()
    if probability is None:
        return CheckResult("toxicity", APPROVE, 0.0, "the classifier is switched off", ver)
    score = round(float(probability), 4)
    if score >= rules.toxicity_reject:
        return CheckResult(
            "toxicity", REJECT, score, f"toxicity {score} ≥ reject threshold {rules.toxicity_reject}",
            ver, REFUSED_LANGUAGE,
        )  # fmt: skip
    if score >= rules.toxicity_review:
        return CheckResult(
            "toxicity", REVIEW, score, f"toxicity {score} ≥ review threshold {rules.toxicity_review}",
            ver, HOLD_REVIEW,
        )  # fmt: skip
    return CheckResult("toxicity", APPROVE, score, f"toxicity {score} < {rules.toxicity_review}", ver)


def toxicity_probabilities(texts: list[str]) -> list[float | None]:
    """The classifier's probability of abuse for each text, in one call for the whole list.

    Each text is scored as written and in its most literal normalized reading, and the higher
    counts: the model (a bag of words) does not see "sh1t" or "f u c k" as words. All None when
    the classifier is switched off.
    """
    if not texts:
        return []
    if not settings.MODERATION_TOXICITY_CHECK:
        return [None] * len(texts)
    from profanity_check import predict_prob  # loads the packaged model on first use (~1 s)

    readings = [normalize(text)[0] for text in texts]
    probabilities = predict_prob([*texts, *readings])
    n = len(texts)
    return [max(float(probabilities[i]), float(probabilities[n + i])) for i in range(n)]


def links(ctx: CheckContext, rules: Rules) -> CheckResult:
    count = len(_URL.findall(plain(ctx.text)))
    if count > rules.max_links:
        return CheckResult(
            "links",
            REVIEW,
            float(count),
            f"{count} links (more than {rules.max_links})",
            "2",
            HOLD_MANY_LINKS,
        )
    if count and ctx.author_approved_count < rules.links_min_approved:
        return CheckResult(
            "links",
            REVIEW,
            float(count),
            f"{count} link(s) from an author with {ctx.author_approved_count} approved comments "
            f"(fewer than {rules.links_min_approved})",
            "2",
            HOLD_LINKS,
        )
    return CheckResult("links", APPROVE, float(count), f"{count} link(s)", "2")


def repeats(ctx: CheckContext, rules: Rules) -> CheckResult:
    if ctx.same_text_by_author_24h > 0:
        return CheckResult(
            "repeats",
            REJECT,
            float(ctx.same_text_by_author_24h),
            f"duplicate: the author posted the same text within {rules.duplicate_window_hours} hours",
            "2",
            REFUSED_DUPLICATE,
        )
    if ctx.distinct_accounts_same_text_10min >= rules.wave_accounts:
        return CheckResult(
            "repeats",
            REVIEW,
            float(ctx.distinct_accounts_same_text_10min),
            f"spam wave: {ctx.distinct_accounts_same_text_10min} accounts posted the same text within "
            f"{rules.wave_window_minutes} minutes",
            "2",
            HOLD_REVIEW,
        )
    return CheckResult("repeats", APPROVE, 0.0, "not a repeat", "2")


def author_standing(ctx: CheckContext) -> CheckResult:
    if ctx.author_is_banned:
        return CheckResult("author_standing", REJECT, 1.0, "the author is banned", "2", REFUSED_BANNED)
    if ctx.author_suspended_until and ctx.author_suspended_until > ctx.now:
        return CheckResult(
            "author_standing",
            REJECT,
            1.0,
            f"the author is suspended until {ctx.author_suspended_until:%Y-%m-%d %H:%M %Z}",
            "2",
            REFUSED_SUSPENDED,
        )
    if ctx.author_is_premoderated:
        return CheckResult("author_standing", REVIEW, 1.0, "the author is pre-moderated", "2", HOLD_ACCOUNT)
    if ctx.author_is_new_and_site_premod:
        return CheckResult(
            "author_standing",
            REVIEW,
            1.0,
            "first comment of a new account (the site pre-moderates new commenters)",
            "2",
            HOLD_NEW,
        )
    return CheckResult("author_standing", APPROVE, 0.0, "in good standing", "2")


def article_premoderation(ctx: CheckContext) -> CheckResult:
    if ctx.article_premoderated:
        return CheckResult(
            "article_premoderation", REVIEW, 1.0, "the article pre-moderates all comments", "1", HOLD_ARTICLE
        )
    return CheckResult("article_premoderation", APPROVE, 0.0, "the article does not pre-moderate", "1")

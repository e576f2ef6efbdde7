"""The automated checks. Each is a small function returning a CheckResult; policy.py combines them.

Checks read plain data (CheckContext, Rules), never the database, so the pipeline fills them from
the database and the try-a-text tools fill them for an established commenter in good standing.
A check's version changes whenever the same input could get a different verdict, so an audit
record's "name@version" says which logic decided.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime

import re2
from django.conf import settings
from django.utils import timezone

from corrections.links import find_links, host

from . import classifier
from .normalize import find_phrases, normalize, plain
from .personal_data import find as find_personal_data
from .spam_links import DISPOSABLE_ENDINGS, MESSENGERS, SHORTENERS
from .told import (  # noqa: F401 - what the author is told, named by policy.py and the tests as checks.*
    HOLD,
    HOLD_ACCOUNT,
    HOLD_ARTICLE,
    HOLD_LINKS,
    HOLD_MANY_LINKS,
    HOLD_NEW,
    HOLD_REVIEW,
    HOLD_SPAM,
    HOLD_UNVERIFIED,
    REFUSED,
    REFUSED_BANNED,
    REFUSED_DUPLICATE,
    REFUSED_LANGUAGE,
    REFUSED_SUSPENDED,
)

APPROVE, REVIEW, REJECT = "approve", "review", "reject"


# Spam signals. Addresses written to dodge link detection, on the lowercased text: "shop dot com",
# "shop (dot) com", "shop . top", "www shop com", "h t t p : / /", "hxxp".
_TLD = r"(?:com|net|org|ru|info|biz|io|co|me|xyz|top|shop|site|online|club|vip|app|link|ly|cc|gg|tk)"
_SPELLED_ADDRESS = re2.compile(
    r"\b([a-z0-9-]{2,})\s*[\[({<]\s*(?:dot|\.)\s*[\])}>]\s*" + _TLD + r"\b"
    r"|\b([a-z0-9-]{2,})\s+(?:dot|d0t|dt)\s+" + _TLD + r"\b"
    r"|\b([a-z0-9-]{2,})(?:\s+\.\s*|\.\s+)" + _TLD + r"\b"
    r"|\bwww\s+(?:dot\s+)?([a-z0-9-]{2,})\s+(?:dot\s+)?" + _TLD + r"\b"
    r"|\b(h\s+t\s*t\s*p|hxxps?)\b"
)
_PHONE = re2.compile(r"(?:\+|\b)\d[\d \t().-]{6,18}\d\b")
_HANDLE = re2.compile(r"(?:^|\s)@[A-Za-z0-9_]{4,32}\b")
_MESSENGER = r"(?:whatsapp|whats app|telegram|tg|viber|signal|wechat|kik|snapchat|discord|instagram|dm)"
# On the normalized reading: a call to action next to a number or handle makes it advertising.
_CALL_TO_ACTION = re2.compile(
    r"\b(?:call|text|txt|sms|whatsapp|telegram|viber|signal|wechat|dm|pm|inbox|message|contact|reach|write|add)"
    r" (?:me|us|now|on|at|via|today|him|her)\b|\b" + _MESSENGER + r"\b"
)
# ... and a message-me-on-a-messenger without a number is half a signal, weighed with the rest.
_MESSENGER_CALL = re2.compile(
    r"\b(?:message|contact|write|text|dm|reach|add|join|chat with|find) (?:me|us|him|her|them)?\s?"
    r"(?:on|via|at|in) " + _MESSENGER + r"\b"
)


@dataclass(frozen=True)
class CheckResult:
    name: str
    verdict: str  # approve | review | reject
    score: float
    explanation: str  # for moderators and the audit record
    version: str = "1"
    author_reason: str = ""  # for the author: a plain category, empty when approved
    kind: str = ""  # the kind of harm a holding or refusing check found (HOLD's keys)
    language: str = ""  # the text's language, for the checks that read it

    def as_dict(self) -> dict:
        found = {"kind": self.kind} if self.kind else {}
        if self.language:
            found["language"] = self.language
        return {
            "name": self.name,
            "verdict": self.verdict,
            "score": self.score,
            "explanation": self.explanation,
            "version": self.version,
            **found,
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
    # The author's email address is not verified while SiteSettings.require_verified_email is on.
    author_email_unverified: bool = False
    article_premoderated: bool = False
    # Other comments with the same normalized text by this author within the duplicate window.
    same_text_by_author_24h: int = 0
    # Accounts, this author included, that posted the same normalized text within the wave window.
    distinct_accounts_same_text_10min: int = 1
    now: datetime = field(default_factory=timezone.now)


@dataclass(frozen=True, kw_only=True)
class Rules:
    """Word lists and thresholds for one run (policy.current_rules() reads them).

    The limits have no defaults here: they come from the saved ModerationSettings row, whose
    field defaults are the one source (config/settings.py's MODERATION_* where the environment
    may set them). The harm model's thresholds are its own, per language (classifier.py).
    """

    banned: tuple[str, ...] = ()
    suspect: tuple[str, ...] = ()
    threat: tuple[str, ...] = ()
    hate: tuple[str, ...] = ()
    spam: tuple[str, ...] = ()
    harm_review_other: float  # the harm model's review threshold in languages it has none for
    harm_reject: float  # the harm score at which a comment is refused outright
    max_links: int
    links_min_approved: int
    duplicate_window_hours: int
    wave_accounts: int
    wave_window_minutes: int


def _words(
    listed: str, decision: str, reason: str, ctx: CheckContext, words: tuple[str, ...], model
) -> CheckResult:
    """Profanity from the `listed` word list ("banned", "suspect"): `decision`, with the words found
    (listed words only inside quotes: see _only_quoted)."""
    hits = find_phrases(ctx.text, words)
    if hits and (quoted := _only_quoted(ctx.text, words, listed, hits, model)):
        return quoted
    if hits:
        return CheckResult(
            f"{listed}_words", decision, 1.0, f"{listed}: {', '.join(hits)}", "2", reason, kind="profanity"
        )
    return CheckResult(f"{listed}_words", APPROVE, 0.0, f"no {listed} words", "2")


def banned_words(ctx: CheckContext, rules: Rules, model: classifier.Verdict | None = None) -> CheckResult:
    return _words("banned", REJECT, REFUSED_LANGUAGE, ctx, rules.banned, model)


def suspect_words(ctx: CheckContext, rules: Rules, model: classifier.Verdict | None = None) -> CheckResult:
    return _words("suspect", REVIEW, HOLD_REVIEW, ctx, rules.suspect, model)


# Quoted speech: words between quotation marks ("…", “…”, «…», „…“, '…'). A report that quotes a
# threat or a slur to condemn it is not one, so a listed phrasing found only inside quotes, in a
# text with words of its own around them, does not hold a comment by itself: it goes to review
# (never straight to the bin) only when the harm model, which reads the whole text, scores it at
# least QUOTED_HOLD, or when the model is switched off.
_QUOTED = re.compile(r"\"[^\"]+\"|“[^”“]+[”“]|«[^»]+»|„[^“”]+[“”]|(?<!\w)'[^']+'(?!\w)")
OWN_WORDS = 3
QUOTED_HOLD = 0.5


def _only_quoted(
    text: str, phrases: tuple[str, ...], name: str, hits: list[str], model: classifier.Verdict | None
) -> CheckResult | None:
    """The result for listed phrasings found only inside quotes, or None when any is the commenter's
    own (outside quotes, or a text that is little more than the quote)."""
    own = _QUOTED.sub(" … ", text)
    if own == text or len(re.findall(r"\w+", own)) < OWN_WORDS or find_phrases(own, phrases):
        return None
    check = f"{name}_words"
    kind = {"banned": "profanity", "suspect": "profanity"}.get(name, name)
    said = f"{name}: {', '.join(hits[:3])}, only inside quotes"
    if model is None or model.score >= QUOTED_HOLD:
        scored = "the harm model is off" if model is None else f"harm score {model.score}"
        reason = HOLD_REVIEW if kind == "profanity" else HOLD[kind]
        return CheckResult(check, REVIEW, 1.0, f"{said} ({scored})", "3", reason, kind=kind)
    return CheckResult(check, APPROVE, 0.0, f"{said}, harm score {model.score} < {QUOTED_HOLD}", "3")


def model_verdicts(texts: list[str]) -> list[classifier.Verdict | None]:
    """The harm model's verdict on each text, in one call for the list; all None when it is
    switched off (MODERATION_TOXICITY_CHECK)."""
    if not texts:
        return []
    if not settings.MODERATION_TOXICITY_CHECK:
        return [None] * len(texts)
    return classifier.model().predict(texts)


def harm(verdict: classifier.Verdict | None, rules: Rules) -> CheckResult:
    """The harm model: review in the grey band, reject only a clear case.

    Review at the model's threshold for the text's language (the admin's for other languages);
    reject at the admin's reject threshold, only in a language the model was calibrated for: in
    another one it is guessing (a Kazakh news comment scored 0.98 on the tuning split).
    """
    if verdict is None:
        return CheckResult("harm", APPROVE, 0.0, "the harm model is switched off", "off")
    model = classifier.model()
    review = model.thresholds.get(verdict.language, rules.harm_review_other)
    reject = max(rules.harm_reject, review) if verdict.language in model.thresholds else 1.01
    said = f"{verdict.kind} {verdict.score} ({verdict.language}, model {model.version})"
    found = {"kind": verdict.kind, "language": verdict.language}
    if verdict.score >= reject:
        return CheckResult(
            "harm", REJECT, verdict.score, f"{said} ≥ reject threshold {reject}", model.version,
            REFUSED[verdict.kind], **found,
        )  # fmt: skip
    if verdict.score >= review:
        return CheckResult(
            "harm", REVIEW, verdict.score, f"{said} ≥ review threshold {review}", model.version,
            HOLD[verdict.kind], **found,
        )  # fmt: skip
    return CheckResult(
        "harm", APPROVE, verdict.score, f"{said} < review threshold {review}", model.version,
        language=verdict.language,
    )  # fmt: skip


def _listed(
    name: str, kind: str, ctx: CheckContext, phrases: tuple[str, ...], model: classifier.Verdict | None
) -> CheckResult:
    hits = find_phrases(ctx.text, phrases)
    if hits and (quoted := _only_quoted(ctx.text, phrases, kind, hits, model)):
        return quoted
    if hits:
        listed = "; ".join(f"“{hit}”" for hit in hits[:3])
        return CheckResult(name, REVIEW, 1.0, f"{kind}: listed phrasing {listed}", "2", HOLD[kind], kind=kind)
    return CheckResult(name, APPROVE, 0.0, "no listed phrasing", "2")


def threat_words(ctx: CheckContext, rules: Rules, model: classifier.Verdict | None = None) -> CheckResult:
    """A phrasing the newsroom lists as a threat."""
    return _listed("threat_words", "threat", ctx, rules.threat, model)


def hate_words(ctx: CheckContext, rules: Rules, model: classifier.Verdict | None = None) -> CheckResult:
    """A phrasing the newsroom lists as hate (dehumanising, extermination)."""
    return _listed("hate_words", "hate", ctx, rules.hate, model)


def personal_data(ctx: CheckContext) -> CheckResult:
    """A phone number or street address next to a person: doxxing, to review."""
    found = find_personal_data(ctx.text)
    if found.is_doxxing:
        return CheckResult(
            "personal_data", REVIEW, 1.0, f"doxxing: {', '.join(found.what)} near “{found.person}”", "1",
            HOLD["doxxing"], kind="doxxing",
        )  # fmt: skip
    return CheckResult("personal_data", APPROVE, 0.0, "; ".join(found.what) or "no personal data", "1")


def spam(ctx: CheckContext, rules: Rules) -> CheckResult:
    """Advertising from any author: what it saw, each signal weighted; 1.0 or more goes to review.

    Shortened, messenger and throwaway-domain links, spelled-out addresses and a phone number or
    handle next to a call to action weigh 1 each; each listed promotional phrasing weighs 0.5, and
    so does any other link or contact when promotional phrasing is there too.
    """
    text = plain(ctx.text)
    reading = normalize(ctx.text)[0]
    seen: list[tuple[str, float]] = []
    links = find_links(text)
    for link in links:
        name = host(link)
        if name in SHORTENERS:
            seen.append((f"shortened link {name}", 1.0))
        elif name in MESSENGERS or any(name.endswith("." + m) for m in MESSENGERS):
            seen.append((f"messenger link {name}", 1.0))
        elif name.rsplit(".", 1)[-1] in DISPOSABLE_ENDINGS:
            seen.append((f"throwaway-domain link {name}", 1.0))
    for match in _SPELLED_ADDRESS.finditer(text.lower()):
        if match.group(2) != "the":  # "the dot com bubble"
            seen.append((f"an address spelled out to dodge link detection (“{match.group(0)}”)", 1.0))
            break
    contact = _PHONE.search(text) or _HANDLE.search(text)
    if contact and _CALL_TO_ACTION.search(reading):
        seen.append((f"contact {contact.group(0).strip()} with a call to action", 1.0))
    elif _MESSENGER_CALL.search(reading):
        seen.append(("a messenger as the call to action", 0.5))
    promotional = find_phrases(ctx.text, rules.spam)
    if promotional:
        seen += [(f"promotional phrasing “{phrase}”", 0.5) for phrase in promotional]
        if links and not any(w == 1.0 for _, w in seen):
            seen.append((f"{len(links)} link(s) with promotional phrasing", 0.5))
        elif contact and not any(w == 1.0 for _, w in seen):
            seen.append(("contact details with promotional phrasing", 0.5))
    score = sum(weight for _, weight in seen)
    if score >= 1.0:
        return CheckResult(
            "spam", REVIEW, score, "spam: " + "; ".join(what for what, _ in seen), "1", HOLD_SPAM, kind="spam"
        )
    return CheckResult("spam", APPROVE, score, "; ".join(what for what, _ in seen) or "no spam signals", "1")


def links(ctx: CheckContext, rules: Rules) -> CheckResult:
    count = len(find_links(plain(ctx.text)))
    if count > rules.max_links:
        return CheckResult(
            "links",
            REVIEW,
            float(count),
            f"{count} links (more than {rules.max_links})",
            "3",
            HOLD_MANY_LINKS,
        )
    if count and ctx.author_approved_count < rules.links_min_approved:
        return CheckResult(
            "links",
            REVIEW,
            float(count),
            f"{count} link(s) from an author with {ctx.author_approved_count} approved comments "
            f"(fewer than {rules.links_min_approved})",
            "3",
            HOLD_LINKS,
        )
    return CheckResult("links", APPROVE, float(count), f"{count} link(s)", "3")


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
    if ctx.author_email_unverified:
        return CheckResult(
            "author_standing", REVIEW, 1.0, "unverified email address (the site requires verification)", "2",
            HOLD_UNVERIFIED,
        )  # fmt: skip
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

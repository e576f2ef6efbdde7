"""Spam checks for correction reports: links and repeats here, then the site's report policy.

The policy is a function named in settings, `CORRECTIONS_REPORT_POLICY` (the moderation app's
banned words): it takes the report's `text` and answers a reason or None. Corrections cannot import
moderation, so settings name it, as Django's AUTHENTICATION_BACKENDS name backends. With none
named, every report is refused (and `manage.py check` says why): no rule is silently skipped.
"""

import re
from collections import Counter
from collections.abc import Callable

from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string

from config.links import find_links
from config.named_settings import check_named

VERSION = "3"  # 3: links found by the pattern comments use (config/links.py); 2: the quote too
MAX_LINKS = 2  # a correction may cite a source or two; more is advertising
MAX_CHAR_RUN = 12
_WORD = re.compile(r"\w+")


def links_reason(text: str, *, name: str = "") -> str | None:
    links = find_links(text)
    if len(links) > MAX_LINKS:
        return f"links: {len(links)} links (at most {MAX_LINKS})"
    if find_links(name):
        return "links: a link in the name field"
    return None


def repeats_reason(text: str) -> str | None:
    run = re.search(rf"(.)\1{{{MAX_CHAR_RUN - 1},}}", text, re.S)
    if run and not run.group(0).isspace():
        return f"repeats: “{run.group(1)}” repeated {len(run.group(0))} times"
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) >= 8:
        word, count = Counter(words).most_common(1)[0]
        if len(word) > 2 and count / len(words) > 0.5:
            return f"repeats: “{word}” is {count} of {len(words)} words"
    return None


def spam_reason(*, message: str, suggestion: str, quote: str, name: str) -> str | None:
    """Why this report looks like spam (`check: explanation`), or None when it passes."""
    # The quote is the reader's text too: it need not be in the article at all.
    text = "\n".join(p for p in [message, suggestion, quote] if p)
    for reason in [links_reason(text, name=name), repeats_reason(text)]:
        if reason:
            return reason
    everything = "\n".join(p for p in [message, suggestion, quote, name] if p)
    policy = report_policy()
    if policy is None:
        return "policy: no report policy is configured (CORRECTIONS_REPORT_POLICY)"
    reason = policy(text=everything)
    return str(reason)[:300] if reason else None


def report_policy() -> Callable[..., str | None] | None:
    """The function settings name in CORRECTIONS_REPORT_POLICY, or None when none is named."""
    path = getattr(settings, "CORRECTIONS_REPORT_POLICY", "")
    return import_string(path) if path else None


@checks.register()
def check_report_policy(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Without a report policy every report is refused: say so at startup, not at the first report."""
    unset = checks.Error(
        "CORRECTIONS_REPORT_POLICY is not set: every correction report is refused.",
        hint='Name the function that checks reports, e.g. "moderation.services.correction_report_refusal".',
        id="corrections.E001",
    )
    return check_named("CORRECTIONS_REPORT_POLICY", import_id="corrections.E002", unset=unset)

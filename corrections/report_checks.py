"""Spam checks for correction reports: links and repeats here, then whatever answers the
`report_checking` signal (corrections/signals.py: the moderation app's banned words). With no
answer at all every report is refused: no rule is silently skipped.
"""

import re
from collections import Counter

from .links import find_links
from .models import CorrectionReport
from .signals import report_checking

VERSION = "3"  # 3: links found by the pattern comments use (links.py); 2: the quote too
MAX_LINKS = 2  # a correction may cite a source or two; more is advertising
MAX_CHAR_RUN = 12
_WORD = re.compile(r"\w+")
UNCHECKED = "policy: nothing checked the report's words (no receiver of report_checking)"


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
    answers = report_checking.send(sender=CorrectionReport, text=everything)
    if not answers:
        return UNCHECKED
    reason = next((reason for _, reason in answers if reason), None)
    return str(reason)[:300] if reason else None

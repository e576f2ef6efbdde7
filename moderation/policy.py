"""The policy: run every check, then any reject wins, else any review, else approve."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from . import checks
from .checks import APPROVE, REJECT, REVIEW, CheckContext, CheckResult, Rules
from .models import ModerationSettings, WordListEntry

# Texts per classifier call: large enough that the per-call overhead vanishes (a single-text call
# costs about as much as 300 texts in one), small enough to bound memory on a huge input.
BATCH_SIZE = 1000


@dataclass(frozen=True)
class Decision:
    decision: str  # approve | review | reject
    checks: list[CheckResult]

    @property
    def deciding(self) -> CheckResult | None:
        """The first check whose verdict is the decision (None when approved)."""
        if self.decision == APPROVE:
            return None
        return next(c for c in self.checks if c.verdict == self.decision)

    @property
    def author_reason(self) -> str:
        """What the author is told about a held or refused comment ("" when approved)."""
        return self.deciding.author_reason if self.deciding else ""

    def as_dict(self) -> dict:
        return {"decision": self.decision, "checks": [c.as_dict() for c in self.checks]}


def decide(results: list[CheckResult]) -> Decision:
    """Any reject wins, else any review, else approve."""
    verdicts = {r.verdict for r in results}
    decision = REJECT if REJECT in verdicts else REVIEW if REVIEW in verdicts else APPROVE
    return Decision(decision, results)


def current_rules() -> Rules:
    """The word lists and thresholds as saved now (two queries), so an edit applies to the next run."""
    config = ModerationSettings.load()
    banned, suspect = [], []
    for phrase, kind in WordListEntry.objects.filter(is_active=True).values_list("phrase", "kind"):
        (banned if kind == WordListEntry.Kind.BANNED else suspect).append(phrase)
    return Rules(
        banned=tuple(banned),
        suspect=tuple(suspect),
        toxicity_review=config.toxicity_review_threshold,
        toxicity_reject=config.toxicity_reject_threshold,
        max_links=config.max_links,
        links_min_approved=config.links_min_approved,
        duplicate_window_hours=config.duplicate_window_hours,
        wave_accounts=config.wave_accounts,
        wave_window_minutes=config.wave_window_minutes,
    )


def evaluate(ctx: CheckContext, *, rules: Rules, toxicity: float | None) -> Decision:
    """Every check on one comment; `toxicity` comes from checks.toxicity_probabilities()."""
    return decide(
        [
            checks.author_standing(ctx),
            checks.article_premoderation(ctx),
            checks.banned_words(ctx, rules),
            checks.suspect_words(ctx, rules),
            checks.toxicity(toxicity, rules),
            checks.links(ctx, rules),
            checks.repeats(ctx, rules),
        ]
    )


def established_commenter(text: str) -> CheckContext:
    """A comment by a commenter in good standing on an article without pre-moderation."""
    return CheckContext(text=text, author_approved_count=100)


def evaluate_texts(
    texts: Iterable[str],
    *,
    context_factory: Callable[[str], CheckContext] = established_commenter,
    rules: Rules | None = None,
) -> Iterator[Decision]:
    """Decisions for many texts, in order, with one classifier call per batch; writes nothing.

    The rules are read once, when the first decision is asked for.
    """
    rules = rules or current_rules()
    batch: list[str] = []
    for text in texts:
        batch.append(text)
        if len(batch) == BATCH_SIZE:
            yield from _evaluate_batch(batch, context_factory, rules)
            batch = []
    yield from _evaluate_batch(batch, context_factory, rules)


def _evaluate_batch(texts: list[str], context_factory, rules: Rules) -> list[Decision]:
    probabilities = checks.toxicity_probabilities(texts)
    return [
        evaluate(context_factory(text), rules=rules, toxicity=probability)
        for text, probability in zip(texts, probabilities, strict=True)
    ]

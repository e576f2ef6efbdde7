"""The policy: run every check, then any reject wins, else any review, else approve."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from . import checks, classifier
from .checks import APPROVE, REJECT, REVIEW, CheckContext, CheckResult, Rules
from .classifier import Verdict
from .models import ModerationSettings, WordListEntry

# Texts per classifier call: large enough that the per-call overhead vanishes (a single-text call
# costs about as much as 300 texts in one), small enough to bound memory on a huge input.
BATCH_SIZE = 1000


@dataclass(frozen=True)
class Decision:
    decision: str  # approve | review | reject
    checks: list[CheckResult]
    # The harm model's view (kind, score, language, score per kind; None when it is switched off).
    model: "Verdict | None" = None

    @property
    def kind(self) -> str:
        """The kind of harm: named by the first check that held the text and named one ("" when
        approved or held for another reason). The lists and detectors come first in the policy,
        so a listed hate phrasing is hate even when the model, sure enough to refuse it, reads
        another kind."""
        if self.decision == APPROVE:
            return ""
        return next((c.kind for c in self.checks if c.verdict != APPROVE and c.kind), "")

    @property
    def deciding(self) -> CheckResult | None:
        """The first check whose verdict is the decision (None when approved)."""
        if self.decision == APPROVE:
            return None
        return next(c for c in self.checks if c.verdict == self.decision)

    @property
    def author_reason(self) -> str:
        """What the author is told about a held or refused comment ("" when approved): the plain
        category of its kind when the deciding check named another one."""
        deciding = self.deciding
        if deciding is None:
            return ""
        if deciding.kind and self.kind != deciding.kind:
            return (checks.REFUSED if self.decision == REJECT else checks.HOLD)[self.kind]
        return deciding.author_reason

    def as_dict(self) -> dict:
        return {
            "decision": self.decision,
            "kind": self.kind,
            "model": {**self.model.as_dict(), "version": model_version()} if self.model else None,
            "checks": [c.as_dict() for c in self.checks],
        }


def decide(results: list[CheckResult], model: Verdict | None = None) -> Decision:
    """Any reject wins, else any review, else approve."""
    verdicts = {r.verdict for r in results}
    decision = REJECT if REJECT in verdicts else REVIEW if REVIEW in verdicts else APPROVE
    return Decision(decision, results, model)


def model_version() -> str:
    return classifier.model().version


def current_rules() -> Rules:
    """The word lists and thresholds as saved now (two queries), so an edit applies to the next run."""
    config = ModerationSettings.load()
    lists: dict[str, list[str]] = {kind: [] for kind in WordListEntry.Kind.values}
    for phrase, kind in WordListEntry.objects.filter(is_active=True).values_list("phrase", "kind"):
        lists[kind].append(phrase)
    return Rules(
        banned=tuple(lists[WordListEntry.Kind.BANNED]),
        suspect=tuple(lists[WordListEntry.Kind.SUSPECT]),
        threat=tuple(lists[WordListEntry.Kind.THREAT]),
        hate=tuple(lists[WordListEntry.Kind.HATE]),
        spam=tuple(lists[WordListEntry.Kind.SPAM]),
        harm_review_other=config.toxicity_review_threshold,
        harm_reject=config.toxicity_reject_threshold,
        max_links=config.max_links,
        links_min_approved=config.links_min_approved,
        duplicate_window_hours=config.duplicate_window_hours,
        wave_accounts=config.wave_accounts,
        wave_window_minutes=config.wave_window_minutes,
    )


def evaluate(ctx: CheckContext, *, rules: Rules, model: Verdict | None) -> Decision:
    """Every check on one comment; `model` comes from checks.model_verdicts()."""
    return decide(
        [
            checks.author_standing(ctx),
            checks.article_premoderation(ctx),
            checks.banned_words(ctx, rules, model),
            # The newsroom's lists and the detectors that name a kind come before the model: the
            # first check that holds a comment names the review item's reason and what the author
            # is told, and a listed phrasing or a phone number says more than a score.
            checks.threat_words(ctx, rules, model),
            checks.hate_words(ctx, rules, model),
            checks.personal_data(ctx),
            checks.spam(ctx, rules),
            checks.harm(model, rules),
            checks.suspect_words(ctx, rules, model),
            checks.links(ctx, rules),
            checks.repeats(ctx, rules),
        ],
        model,
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
    verdicts = checks.model_verdicts(texts)
    return [
        evaluate(context_factory(text), rules=rules, model=verdict)
        for text, verdict in zip(texts, verdicts, strict=True)
    ]

"""Retraining the harm model from the team's training set and the moderators' own decisions.

Every decided review item (a held or reported comment) is a labelled example: approved is
innocent, rejected is the kind the item was held for, or the kind the moderator's reason names.
A candidate is trained on the team's set and the older decisions, then scored on the frozen test
split and on the most recent decisions (which it never saw); it replaces the model in use only
when it is no worse on either: its share of harm held less its share of innocent text held is
at least the current model's (training.model.Score.quality).
"""

import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from .. import classifier
from ..models import ReviewItem
from ..training import KINDS, LABELS, TUNE_SPLIT, split
from ..training import model as trainer
from ..training.compose import examples

log = logging.getLogger(__name__)
# The newest decisions held out to judge the candidate on: the share of them, and at least this many.
RECENT_SHARE, RECENT_MIN = 0.2, 20
# A moderator's reject reason (services.decisions.REJECT_REASONS) as a kind of harm.
_REASON_KINDS = {"spam": "spam", "abuse": "profanity", "harassment": "harassment", "personal_data": "doxxing"}


def moderator_examples() -> list[tuple[str, str]]:
    """(text, label) for every decided review item whose decision says what the text is, oldest first."""
    rows = (
        ReviewItem.objects.filter(decision__in=[ReviewItem.Decision.APPROVE, ReviewItem.Decision.REJECT])
        .order_by("decided_at", "pk")
        .values_list("decision", "reason", "decision_reason", "comment__body")
    )
    labelled = []
    for decision, held_for, reason, body in rows:
        if decision == ReviewItem.Decision.APPROVE:
            labelled.append((body, LABELS[0]))
        elif label := held_for if held_for in KINDS else _REASON_KINDS.get(reason):
            labelled.append((body, label))
    return labelled


@dataclass(frozen=True)
class Outcome:
    version: str
    replaced: bool
    candidate: dict  # {"test": Score, "recent": Score}
    current: dict

    def summary(self) -> str:
        def line(name: str, scores: dict) -> str:
            return "; ".join(
                f"{split_name} harmful held {s.held_rate:.1%}, innocent held {s.false_rate:.1%}"
                for split_name, s in scores.items()
            )

        verdict = (
            "replaced the model in use"
            if self.replaced
            else "kept the model in use (the candidate was worse)"
        )
        return f"candidate {self.version}: {line('', self.candidate)}\ncurrent: {line('', self.current)}\n{verdict}"


def retrain_model(*, output: Path | None = None) -> Outcome:
    """Train a candidate with the moderators' decisions; replace the model in use only if no worse."""
    decisions = moderator_examples()
    held_out = max(RECENT_MIN, int(len(decisions) * RECENT_SHARE)) if decisions else 0
    older, recent = (
        decisions[:-held_out] if held_out else decisions,
        decisions[-held_out:] if held_out else [],
    )
    team = examples()
    weights = trainer.fit([*team, *older])
    thresholds = trainer.calibrate(weights, split(TUNE_SPLIT))
    candidate_model = trainer.in_memory(weights, thresholds)
    current_model = classifier.model()
    test = trainer.split_examples()
    candidate = {
        "test": trainer.score(candidate_model, test),
        "recent": trainer.score(candidate_model, recent),
    }
    current = {"test": trainer.score(current_model, test), "recent": trainer.score(current_model, recent)}
    better = all(candidate[name].no_worse_than(current[name]) for name in candidate)
    target = output or _target()
    version = candidate_model.version
    if better:
        version = trainer.save(
            weights, thresholds, target, trained_on=trainer.provenance([*team, *older], decisions=len(older))
        )
        log.info("harm model %s replaces %s at %s", version, current_model.version, target)
    else:
        log.warning("harm model candidate was worse than %s; kept it", current_model.version)
    return Outcome(version=version, replaced=better, candidate=candidate, current=current)


def build_shipped_model(path: Path = classifier.SHIPPED) -> str:
    """The model shipped in the repository: the team's set alone, thresholds from the tuning split."""
    team = examples()
    weights = trainer.fit(team)
    thresholds = trainer.calibrate(weights, split(TUNE_SPLIT))
    return trainer.save(weights, thresholds, path, trained_on=trainer.provenance(team, decisions=0))


def _target() -> Path:
    configured = settings.MODERATION_MODEL_PATH
    return Path(configured) if configured else classifier.SHIPPED

"""Train the harm model (moderation/classifier.py) and score it on a split; reproducible.

scikit-learn fits a multinomial logistic regression on both views of each text; the fitted
weights are saved as plain arrays (no pickle) with the labels, the thresholds per language and a
version derived from the weights, so the same examples and seed give the same file.
"""

import hashlib
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import sparse

from .. import classifier
from . import INNOCENT, KINDS, LABELS, TEST_SPLIT, TUNE_SPLIT, label_of, sha256, split

SEED = 25
# Regularisation, chosen on the tuning split (README, "The harm model"); the embedding is scaled
# so its 512 numbers weigh about as much as the n-grams.
C = 8.0
EMBEDDING_SCALE = 2.0
# The review threshold on the harm score, per language: where at most this share of the tuning
# split's innocent texts in that language would be held, between FLOOR and CEILING. Rejecting
# is the admin's threshold (ModerationSettings), the same in every language. The floor is 0.7
# (round 3): once the training set had sentences of the kinds the tuning split's innocent texts
# are, their scores fell and the calibrated thresholds with them, to 0.53-0.56, an optimistic
# reading of texts the model resembles; on the tuning split 0.6-0.75 held the same harm (316-314
# of 324) and innocent texts (1 of 270), so the middle of that range was kept.
INNOCENT_HELD = 0.015
FLOOR, CEILING = 0.7, 0.95
EVIDENCE = 100


def design(texts: list[str]):
    """The feature matrix the weights multiply: the scaled embedding next to the n-grams."""
    dense = sparse.csr_matrix(classifier.embeddings(texts) * EMBEDDING_SCALE)
    return sparse.hstack([dense, classifier.char_ngrams(texts)]).tocsr()


def fit(examples: Iterable[tuple[str, str]], *, seed: int = SEED) -> dict:
    """Weights for (text, label) examples, as the arrays a model file holds (without thresholds)."""
    from sklearn.linear_model import LogisticRegression

    texts, labels = zip(*examples, strict=True)
    y = np.array([LABELS.index(label) for label in labels])
    estimator = LogisticRegression(C=C, max_iter=3000, random_state=seed)
    estimator.fit(design(list(texts)), y, sample_weight=_weights(y))
    coef = estimator.coef_.T.astype(np.float32)  # (features, labels present)
    present = [LABELS[i] for i in estimator.classes_]
    return {
        "dense": (coef[:512] * EMBEDDING_SCALE).astype(np.float16),
        "sparse": coef[512:].astype(np.float16),
        "intercept": estimator.intercept_.astype(np.float32),
        "labels": present,
    }


def _weights(y: np.ndarray) -> np.ndarray:
    """Innocent texts weigh as much as harmful ones together, and each kind of harm the same: the
    harm score (every kind's share together) is then not pushed up by there being eight kinds."""
    counts = np.bincount(y, minlength=len(LABELS)).astype(float)
    kinds = int((counts[1:] > 0).sum())
    per_class = np.where(np.arange(len(LABELS)) == 0, 0.5, 0.5 / kinds) / np.maximum(counts, 1)
    return per_class[y] * len(y)


def calibrate(weights: dict, rows: list[tuple[str, str, str]]) -> dict[str, float]:
    """The review threshold per language, from the innocent texts of a split in that language."""
    model = in_memory(weights, thresholds={})
    innocent = [(language, text) for group, language, text in rows if label_of(group) == INNOCENT]
    scores = [v.score for v in model.predict([text for _, text in innocent])]
    thresholds = {}
    pooled = _threshold(
        sorted(
            (s for (lang, _), s in zip(innocent, scores, strict=True) if lang in classifier.KNOWN_LANGUAGES),
            reverse=True,
        )
    )
    for language in classifier.KNOWN_LANGUAGES:
        mine = sorted(
            (s for (lang, _), s in zip(innocent, scores, strict=True) if lang == language), reverse=True
        )
        # A language's own threshold rests on its few dozen innocent texts, where one grieving
        # comment moved it from 0.68 to 0.93 between two trainings: it is drawn towards the
        # threshold of all three languages together as if that one had EVIDENCE texts of its own.
        own = _threshold(mine) if mine else pooled
        blended = (len(mine) * own + EVIDENCE * pooled) / (len(mine) + EVIDENCE)
        thresholds[language] = round(min(max(FLOOR, blended), CEILING), 3)
    return thresholds


def _threshold(scores: list[float]) -> float:
    """Where at most INNOCENT_HELD of these innocent scores (sorted, highest first; at least one)
    would be held."""
    # At least one: a language with few innocent texts would otherwise be set by its single
    # most alarming one.
    allowed = max(1, int(len(scores) * INNOCENT_HELD))
    return min(max(FLOOR, scores[allowed] + 0.005), CEILING) if len(scores) > allowed else CEILING


def save(weights: dict, thresholds: dict, path: Path, *, trained_on: dict) -> str:
    """Write a model file; returns its version (a digest of the weights and thresholds)."""
    digest = hashlib.sha256()
    for name in ("dense", "sparse", "intercept"):
        digest.update(np.ascontiguousarray(weights[name]).tobytes())
    digest.update(json.dumps(thresholds, sort_keys=True).encode())
    version = f"harm-{digest.hexdigest()[:12]}"
    meta = {
        "version": version,
        "labels": weights["labels"],
        "thresholds": thresholds,
        "trained_on": trained_on,
    }
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        dense=weights["dense"],
        sparse=weights["sparse"],
        intercept=weights["intercept"],
        meta=np.array(json.dumps(meta, sort_keys=True)),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_bytes(buffer.getvalue())
    temporary.replace(path)
    return version


def in_memory(weights: dict, thresholds: dict) -> classifier.HarmModel:
    """A model from freshly fitted weights, without writing a file (a candidate, or for calibrating)."""
    model = classifier.HarmModel.__new__(classifier.HarmModel)
    model.dense = weights["dense"].astype(np.float32)
    model.sparse = weights["sparse"].astype(np.float32)
    model.intercept = weights["intercept"]
    model.labels = weights["labels"]
    model.thresholds = thresholds
    model.version = "candidate"
    model.meta = {}
    return model


@dataclass
class Score:
    """How a model does on labelled texts: harmful held, innocent held, per kind."""

    harmful: int = 0
    harmful_held: int = 0
    innocent: int = 0
    innocent_held: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind: [texts, held]

    @property
    def held_rate(self) -> float:
        return self.harmful_held / self.harmful if self.harmful else 1.0

    @property
    def false_rate(self) -> float:
        return self.innocent_held / self.innocent if self.innocent else 0.0

    @property
    def quality(self) -> float:
        """Harm held less innocent text held (Youden's J): one figure, so that a model holding a
        little less harm but much less innocent text is not called worse."""
        return self.held_rate - self.false_rate

    def no_worse_than(self, other: "Score") -> bool:
        return self.quality >= other.quality


def holds(model: classifier.HarmModel, texts: list[str]) -> list[bool]:
    """Whether the model alone would hold each text (harm score at its language's review threshold,
    the strictest of them in other languages)."""
    strictest = max(model.thresholds.values())
    return [v.score >= model.thresholds.get(v.language, strictest) for v in model.predict(texts)]


def score(model: classifier.HarmModel, labelled: list[tuple[str, str]]) -> Score:
    """(text, label) pairs through the model alone, counted."""
    result = Score()
    for (_, label), held in zip(labelled, holds(model, [t for t, _ in labelled]), strict=True):
        if label == INNOCENT:
            result.innocent += 1
            result.innocent_held += held
        else:
            result.harmful += 1
            result.harmful_held += held
            counts = result.by_kind.setdefault(label, [0, 0])
            counts[0] += 1
            counts[1] += held
    return result


def split_examples(path: Path = TEST_SPLIT) -> list[tuple[str, str]]:
    return [(text, label_of(group)) for group, _, text in split(path)]


def provenance(examples: list[tuple[str, str]], *, decisions: int) -> dict:
    return {
        "examples": len(examples),
        "moderator_decisions": decisions,
        "kinds": list(KINDS),
        "test_split_sha256": sha256(TEST_SPLIT),
        "tune_split_sha256": sha256(TUNE_SPLIT),
        "seed": SEED,
    }

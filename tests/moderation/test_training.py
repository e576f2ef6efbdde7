"""The training set, the frozen test split and retraining from moderators' decisions."""

import re
import unicodedata

import pytest
from rapidfuzz import fuzz, process

from moderation import classifier
from moderation.services import training
from moderation.training import TEST_SPLIT, compose, sha256, split
from moderation.training import model as trainer
from tests.factories import ReviewItemFactory

from .test_harm_model import CAUGHT, CAUGHT_MORE, EVASIONS, INNOCENT, INNOCENT_MORE

# The test split as it was frozen before any tuning (commit "Bench: the frozen test split ...").
FROZEN_TEST_SPLIT = "f2504876b06c261a1e1a457be77c3a2311ac98ba3cdd083b14b5154cd1b1f099"


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.findall(r"\w+", text))


@pytest.fixture(scope="module")
def training_keys() -> list[str]:
    return sorted({_key(text) for text, _ in compose.examples()})


def _near(text: str, keys: list[str]) -> tuple[str, float] | None:
    found = process.extractOne(_key(text), keys, scorer=fuzz.ratio, score_cutoff=85)
    return (found[0], found[1]) if found else None


def test_the_test_split_is_the_frozen_one():
    assert sha256(TEST_SPLIT) == FROZEN_TEST_SPLIT


def test_no_training_example_is_a_test_split_text_or_a_near_duplicate(training_keys):
    overlaps = [(text, near) for _, _, text in split(TEST_SPLIT) if (near := _near(text, training_keys))]

    assert overlaps == []


def test_the_phrasings_the_tests_check_are_not_in_the_training_set(training_keys):
    texts = [text for *_, text in [*CAUGHT, *CAUGHT_MORE, *EVASIONS]] + INNOCENT + INNOCENT_MORE

    assert [(text, near) for text in texts if (near := _near(text, training_keys))] == []


def test_the_training_set_is_composed_the_same_way_every_time():
    assert compose.examples() == compose.examples()


def test_the_training_set_has_thousands_of_examples_of_every_kind_in_three_languages():
    examples = compose.examples()
    labels = {label for _, label in examples}

    assert len(examples) >= 3000
    assert labels == set(trainer.LABELS)


@pytest.fixture
def small_team_set(monkeypatch):
    """The team's set cut to every 12th example: retraining runs its real steps in seconds, not minutes."""
    examples = compose.examples()[::12]
    monkeypatch.setattr(training, "examples", lambda: examples)
    return examples


def _decide(text: str, decision: str, reason: str = "", held_for: str = "") -> None:
    item = ReviewItemFactory(body=text, reason=held_for)
    item.decision, item.decision_reason = decision, reason
    item.decided_at = item.created_at
    item.save()


@pytest.mark.django_db
def test_moderators_decisions_are_labelled_examples():
    _decide("Fine comment about trams.", "approve")
    _decide("Their home number is 0161 496 0000, ring it.", "reject", "personal_data")
    _decide("You pathetic creature.", "reject", "other", held_for="harassment")
    _decide("Escalated text.", "escalate")

    assert training.moderator_examples() == [
        ("Fine comment about trams.", "innocent"),
        ("Their home number is 0161 496 0000, ring it.", "doxxing"),
        ("You pathetic creature.", "harassment"),
    ]


@pytest.mark.django_db
def test_retraining_refuses_a_candidate_worse_than_the_model_in_use(small_team_set, tmp_path, settings):
    settings.MODERATION_MODEL_PATH = str(tmp_path / "harm.npz")
    # Moderators who approved every threat they saw: a candidate that learns from them holds fewer.
    for text, label in compose.examples()[::7]:
        if label == "threat":
            _decide(text, "approve")
    classifier.model.cache_clear()
    in_use = classifier.model().version

    outcome = training.retrain_model()

    assert outcome.replaced is False
    assert not (tmp_path / "harm.npz").exists()
    classifier.model.cache_clear()
    assert classifier.model().version == in_use


@pytest.mark.django_db
def test_retraining_replaces_a_worse_model_in_use(small_team_set, tmp_path, settings):
    weak = tmp_path / "harm.npz"
    # A model in use that learnt from a handful of examples: anything trained on more is no worse.
    tiny = small_team_set[::10]
    trainer.save(trainer.fit(tiny), {"en": 0.5, "uk": 0.5, "ru": 0.5}, weak, trained_on={})
    settings.MODERATION_MODEL_PATH = str(weak)
    classifier.model.cache_clear()
    weak_version = classifier.model().version

    outcome = training.retrain_model()

    assert outcome.replaced is True
    classifier.model.cache_clear()
    assert classifier.model().version == outcome.version != weak_version
    classifier.model.cache_clear()

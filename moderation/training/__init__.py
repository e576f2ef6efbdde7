"""The moderation model's training set, written by the team (README, "The harm model").

`harmful_<lang>.tsv` and `innocent_<lang>.tsv` hold hand-written sentences (kind or group, text) in
English, Ukrainian and Russian; `compose.py` builds thousands of varied examples from them with a
fixed seed. `test.tsv` is the frozen test split and `tune.tsv` the tuning split (group, language,
text); no training example may be a near-duplicate of a test text (tests/moderation/test_training.py).
"""

import hashlib
from pathlib import Path

HERE = Path(__file__).parent
LANGUAGES = ("en", "uk", "ru")
KINDS = ("threat", "harassment", "hate", "sexual", "self-harm", "doxxing", "spam", "profanity")
INNOCENT = "innocent"
LABELS = (INNOCENT, *KINDS)
TEST_SPLIT = HERE / "test.tsv"
TUNE_SPLIT = HERE / "tune.tsv"


def read_tsv(path: Path) -> list[list[str]]:
    """Tab-separated rows, comment lines (#) and blank lines skipped."""
    return [
        line.split("\t")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


def split(path: Path) -> list[tuple[str, str, str]]:
    """(group, language, text) rows of a bench split."""
    return [(group, language, text) for group, language, text in read_tsv(path)]


def label_of(group: str) -> str:
    """The model's label for a split's group: evasions count as profanity, every innocent_* as innocent."""
    if group.startswith("innocent"):
        return INNOCENT
    return "profanity" if group == "evasion" else group


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()

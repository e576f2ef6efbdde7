"""The toxicity classifier: a small bidirectional LSTM trained on the Jigsaw toxic-comment labels,
run as a plain numpy forward pass (no deep-learning framework).

The weights and vocabulary in `model/` come from the `toxic-comment-classifier` 0.3.0 wheel (MIT
licence), converted by `model/convert.py`; README ("The classifier") says what else was compared
and why this one. The model loads once per process, on first use (`model()`), about 0.1 s.
"""

import logging
import os
import re
from functools import cache
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

log = logging.getLogger(__name__)

MODEL_DIR = Path(__file__).parent / "model"
# The model's six outputs, in its order, under the names the policy uses for them.
LABELS = ("toxicity", "severe_toxicity", "obscene", "threat", "insult", "identity_attack")
MAX_TOKENS = 100  # the model reads the last 100 known words, pre-padded with index 0
CHUNK = 128
# Keras' Tokenizer: these characters split words; apostrophes stay inside ("don't").
_SPLIT = re.compile(r"[!\"#$%&()*+,\-./:;<=>?@\[\\\]^_`{|}~\s]+")


class BiLSTMClassifier:
    def __init__(self, directory: Path = MODEL_DIR):
        words = (directory / "vocabulary.txt").read_text(encoding="utf-8").split("\n")
        self.index = {word: i for i, word in enumerate(words, start=1) if word}
        with np.load(directory / "toxic_bilstm.npz") as weights:
            w = {name: weights[name].astype(np.float32) for name in weights.files}
        self.embedding = w["embedding"]
        self.cells = [
            (w[f"{side}_kernel"], w[f"{side}_recurrent"], w[f"{side}_bias"])
            for side in ("forward", "backward")
        ]
        self.dense = (w["dense_kernel"], w["dense_bias"])
        self.out = (w["out_kernel"], w["out_bias"])

    def tokens(self, text: str) -> list[int]:
        ids = [self.index.get(word, 0) for word in _SPLIT.split(text.lower()) if word]
        return [i for i in ids if i][-MAX_TOKENS:]

    def predict(self, texts: list[str]) -> np.ndarray:
        """Probabilities, one row per text, one column per label in LABELS.

        Texts that read as the same known words are scored once; rows go through the network
        CHUNK at a time (one 1,700-row pass was 4x slower per row than 128-row ones: memory).
        """
        sequences = [tuple(self.tokens(text)) for text in texts]
        unique = list(dict.fromkeys(sequences))
        batch = np.zeros((len(unique), MAX_TOKENS), dtype=np.int64)
        for row, ids in enumerate(unique):
            if ids:
                batch[row, MAX_TOKENS - len(ids) :] = ids
        # One BLAS thread: these matrices are small, and on a busy 2-core machine OpenBLAS' threads
        # made a 128-row pass 5x slower (0.22 s against 0.043 s, measured).
        with threadpool_limits(limits=1, user_api="blas"):
            scores = np.concatenate(
                [self._forward(batch[i : i + CHUNK]) for i in range(0, len(unique), CHUNK)]
                or [np.zeros((0, 6))]
            )
        where = {ids: row for row, ids in enumerate(unique)}
        return scores[[where[ids] for ids in sequences]]

    def _forward(self, batch: np.ndarray) -> np.ndarray:
        x = self.embedding[batch]  # (n, steps, 50)
        forward = self._lstm(x, *self.cells[0])
        backward = self._lstm(x[:, ::-1], *self.cells[1])[:, ::-1]
        pooled = np.concatenate([forward, backward], axis=2).max(axis=1)
        hidden = np.maximum(pooled @ self.dense[0] + self.dense[1], 0.0)
        return _sigmoid(hidden @ self.out[0] + self.out[1])

    @staticmethod
    def _lstm(x: np.ndarray, kernel: np.ndarray, recurrent: np.ndarray, bias: np.ndarray) -> np.ndarray:
        n, steps, _ = x.shape
        units = recurrent.shape[0]
        inputs = np.ascontiguousarray((x @ kernel + bias).transpose(1, 0, 2))  # every step's input at once
        h = np.zeros((n, units), dtype=np.float32)
        c = np.zeros((n, units), dtype=np.float32)
        out = np.empty((n, steps, units), dtype=np.float32)
        for t in range(steps):
            z = inputs[t] + h @ recurrent
            i, f, g, o = np.split(z, 4, axis=1)  # Keras' gate order
            c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
            h = _sigmoid(o) * np.tanh(c)
            out[:, t] = h
        return out


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


@cache
def model() -> BiLSTMClassifier:
    """The process's classifier, loaded on first use and kept (one per worker process)."""
    log.info("loading the toxicity classifier from %s in process %d", MODEL_DIR, os.getpid())
    return BiLSTMClassifier()

"""Convert the weights of the `toxic-comment-classifier` wheel to the files beside this script.

A one-off, kept for provenance (README, "The classifier"): the wheel (version 0.3.0, MIT licence)
ships a Keras weights file and a pickled Keras Tokenizer and depends on TensorFlow. This reads
them without TensorFlow (h5py, and an unpickler that takes the Tokenizer's state as a plain dict)
and writes `toxic_bilstm.npz` (the weights, float16) and `vocabulary.txt` (the 19,999 words the
model knows, in index order). Run it by hand:

    pip download --no-deps toxic-comment-classifier==0.3.0 && unzip toxic_comment_classifier-*.whl
    pip install h5py && python moderation/model/convert.py toxic_classifier/model
"""

import pickle
import sys
from pathlib import Path

import h5py
import numpy as np

HERE = Path(__file__).parent
NUM_WORDS = 20000  # the Tokenizer's num_words: indexes 1..19,999 are used, 0 pads


class _State:
    def __setstate__(self, state):
        self.__dict__.update(state)


class _Unpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if module.startswith(("keras", "tensorflow")):
            return _State
        if module in {"collections", "builtins"}:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"unexpected class {module}.{name}")


def main(source: Path) -> None:
    with (source / "tokenizer.pickle").open("rb") as handle:
        tokenizer = _Unpickler(handle).load().__dict__  # noqa: S301 (a known file, classes restricted)
    words = sorted((i, w) for w, i in tokenizer["word_index"].items() if i < NUM_WORDS)
    assert [i for i, _ in words] == list(range(1, NUM_WORDS)), "word indexes are not 1..19,999"
    assert all(" " not in w and "\n" not in w for _, w in words)
    (HERE / "vocabulary.txt").write_text("".join(f"{w}\n" for _, w in words), encoding="utf-8")

    with h5py.File(source / "model.weights.h5", "r") as f:
        layers = f["layers"]

        def var(path: str, n: int) -> np.ndarray:
            return np.asarray(layers[path]["vars"][str(n)], dtype=np.float16)

        weights = {
            "embedding": var("embedding", 0),
            **{
                f"{side}_{name}": var(f"bidirectional/{side}_layer/cell", n)
                for side in ("forward", "backward")
                for n, name in enumerate(("kernel", "recurrent", "bias"))
            },
            "dense_kernel": var("dense", 0),
            "dense_bias": var("dense", 1),
            "out_kernel": var("dense_1", 0),
            "out_bias": var("dense_1", 1),
        }
    np.savez_compressed(HERE / "toxic_bilstm.npz", **weights)


if __name__ == "__main__":
    main(Path(sys.argv[1]))

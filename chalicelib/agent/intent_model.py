"""The trained intent classifier: hashed word and character n-grams, a linear model, pure Python.

The weights come from `python -m training.train` (numpy, at training time only); here they are read
from a small binary file and applied with the standard library, so a cold start pays milliseconds.
"""

from __future__ import annotations

import json
import math
import struct
import zlib
from array import array
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

from chalicelib.runtime.patterns import lazy

MODEL_PATH = Path(__file__).with_name("intent_model.bin")
MAGIC = b"TNDM-INTENT-1\n"
HASH_BITS = 20
WORD = lazy(r"[a-z0-9]+")
APOSTROPHES = lazy(r"['\u2019`]")
DIGITS = lazy(r"\d+")
CHAR_SIZES = (3, 4, 5)
MAX_CHARS = 2000  # a long email's first part says what it is about


def normalize(text: str) -> list[str]:
    """Lowercase word tokens, apostrophes dropped ("where's" -> "wheres"), numbers as 0."""
    lowered = APOSTROPHES.sub("", text[:MAX_CHARS].lower())
    return WORD.findall(DIGITS.sub("0", lowered))


def feature_names(text: str) -> list[str]:
    """Word unigrams and bigrams, and character 3-5-grams of each padded word."""
    words = normalize(text)
    names = [f"w:{word}" for word in words]
    names += [f"b:{left} {right}" for left, right in pairwise(words)]
    for word in dict.fromkeys(words):  # in order: the same features in every process
        padded = f"<{word}>"
        for size in CHAR_SIZES:
            names += [f"c:{padded[i : i + size]}" for i in range(len(padded) - size + 1)]
    return names


def hashed_features(text: str) -> dict[int, float]:
    """The message as a unit-length vector of hashed feature buckets (crc32: stable everywhere)."""
    counts: dict[int, float] = {}
    mask = (1 << HASH_BITS) - 1
    for name in feature_names(text):
        bucket = zlib.crc32(name.encode()) & mask
        counts[bucket] = 1.0  # presence: repeated words say no more
    norm = math.sqrt(len(counts)) or 1.0
    return {bucket: 1.0 / norm for bucket in counts}


@dataclass(frozen=True)
class Prediction:
    """The classifier's verdict: the best label, its probability, and every label's."""

    label: str
    confidence: float
    probabilities: dict[str, float]

    def ranked(self) -> list[tuple[str, float]]:
        """Labels from most to least likely."""
        return sorted(self.probabilities.items(), key=lambda item: -item[1])


class IntentModel:
    """A linear model over hashed features: sorted bucket ids, int8 weights and a scale."""

    def __init__(
        self,
        labels: list[str],
        buckets: array,
        weights: array,
        bias: list[float],
        scale: float,
        meta: dict[str, object] | None = None,
    ) -> None:
        self.labels = labels
        self.buckets = buckets  # array('I'), sorted
        self.weights = weights  # array('b'), len(buckets) * len(labels)
        self.bias = bias
        self.scale = scale
        self.meta = meta or {}

    def scores(self, text: str) -> list[float]:
        """Each label's linear score for the message."""
        width = len(self.labels)
        totals = [0.0] * width
        buckets, weights = self.buckets, self.weights
        for bucket, value in hashed_features(text).items():
            at = bisect_left(buckets, bucket)
            if at == len(buckets) or buckets[at] != bucket:
                continue
            row = weights[at * width : (at + 1) * width]
            for index in range(width):
                totals[index] += row[index] * value
        return [total * self.scale + bias for total, bias in zip(totals, self.bias, strict=True)]

    def predict(self, text: str) -> Prediction:
        """The most likely label with softmax probabilities over all labels."""
        scores = self.scores(text)
        top = max(scores)
        exps = [math.exp(score - top) for score in scores]
        total = sum(exps)
        probabilities = {label: e / total for label, e in zip(self.labels, exps, strict=True)}
        label = max(probabilities, key=probabilities.__getitem__)
        return Prediction(label, probabilities[label], probabilities)

    def to_bytes(self) -> bytes:
        """The model file: magic, a JSON header, then bucket ids and int8 weights."""
        header = {
            "labels": self.labels,
            "bias": self.bias,
            "scale": self.scale,
            "features": len(self.buckets),
            "hash_bits": HASH_BITS,
            "meta": self.meta,
        }
        encoded = json.dumps(header, sort_keys=True).encode()
        buckets = array("I", self.buckets)
        if buckets.itemsize != 4:  # pragma: no cover - every platform we run on has 4-byte ints
            raise ValueError("array('I') is not 32-bit here")
        body = _little_endian(buckets).tobytes() + self.weights.tobytes()
        return MAGIC + struct.pack("<I", len(encoded)) + encoded + body

    @classmethod
    def from_bytes(cls, data: bytes) -> IntentModel:
        """Read a model file written by `to_bytes`."""
        if not data.startswith(MAGIC):
            raise ValueError("not an intent model file")
        offset = len(MAGIC)
        (size,) = struct.unpack_from("<I", data, offset)
        offset += 4
        header = json.loads(data[offset : offset + size])
        offset += size
        count, width = header["features"], len(header["labels"])
        buckets = array("I")
        buckets.frombytes(data[offset : offset + 4 * count])
        buckets = _little_endian(buckets)
        weights = array("b")
        weights.frombytes(data[offset + 4 * count : offset + 4 * count + count * width])
        return cls(
            header["labels"], buckets, weights, header["bias"], header["scale"], header["meta"]
        )


def _little_endian(values: array) -> array:
    """The array in little-endian byte order (the file's), whatever the machine's."""
    import sys

    if sys.byteorder == "big":  # pragma: no cover
        values = array(values.typecode, values)
        values.byteswap()
    return values


@cache
def load_model(path: Path = MODEL_PATH) -> IntentModel:
    """The committed model, read once per process."""
    return IntentModel.from_bytes(path.read_bytes())

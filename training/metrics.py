"""Classification figures: accuracy, per-label precision and recall, macro-F1, confusion."""

from __future__ import annotations

from collections import Counter


def accuracy(truth: list[str], predicted: list[str]) -> float:
    """The share of predictions that are right (0 for no examples)."""
    return sum(t == p for t, p in zip(truth, predicted, strict=True)) / len(truth) if truth else 0.0


def per_label(truth: list[str], predicted: list[str]) -> dict[str, dict[str, float]]:
    """Precision, recall and support of each label that occurs in either list."""
    pairs = list(zip(truth, predicted, strict=True))
    out: dict[str, dict[str, float]] = {}
    for label in sorted(set(truth) | set(predicted)):
        hits = sum(t == p == label for t, p in pairs)
        said = sum(p == label for _, p in pairs)
        real = sum(t == label for t, _ in pairs)
        out[label] = {
            "precision": hits / said if said else 0.0,
            "recall": hits / real if real else 0.0,
            "support": real,
        }
    return out


def macro_f1(truth: list[str], predicted: list[str]) -> float:
    """The mean F1 over the labels that occur in `truth`."""
    scores = per_label(truth, predicted)
    f1s = []
    for label in set(truth):
        p, r = scores[label]["precision"], scores[label]["recall"]
        f1s.append(2 * p * r / (p + r) if p + r else 0.0)
    return sum(f1s) / len(f1s) if f1s else 0.0


def confusion(truth: list[str], predicted: list[str]) -> dict[str, dict[str, int]]:
    """For each true label, how often each label was predicted."""
    table: dict[str, Counter[str]] = {}
    for t, p in zip(truth, predicted, strict=True):
        table.setdefault(t, Counter())[p] += 1
    return {label: dict(sorted(row.items())) for label, row in sorted(table.items())}

"""Three linear classifiers over the runtime's hashed features, trained with numpy (dev only).

Each gives a weight matrix (features x labels) and a bias, so any of them exports to the same
model file and runs with the same pure-Python inference.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from chalicelib.agent.intent_model import hashed_features

SEED = 19


@dataclass
class Matrix:
    """Examples as sparse rows over a compact column space (the buckets seen in training)."""

    indptr: np.ndarray
    cols: np.ndarray
    vals: np.ndarray

    def row(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        """One example's columns and values."""
        start, end = self.indptr[index], self.indptr[index + 1]
        return self.cols[start:end], self.vals[start:end]

    @property
    def rows(self) -> int:
        return len(self.indptr) - 1


@dataclass
class Linear:
    """A trained linear model: bucket ids of its columns, weights and bias."""

    buckets: np.ndarray
    weights: np.ndarray  # (columns, labels)
    bias: np.ndarray

    def scores(self, data: Matrix) -> np.ndarray:
        """Scores of every example (rows x labels)."""
        out = np.tile(self.bias, (data.rows, 1))
        for index in range(data.rows):
            cols, vals = data.row(index)
            out[index] += vals @ self.weights[cols]
        return out


def vectorize(
    texts: list[str], columns: dict[int, int] | None = None
) -> tuple[Matrix, dict[int, int]]:
    """Hash the texts; a new column space from them unless one is given (unknown buckets dropped)."""
    rows = [hashed_features(text) for text in texts]
    if columns is None:
        columns = {b: i for i, b in enumerate(sorted({b for row in rows for b in row}))}
    indptr, cols, vals = [0], [], []
    for row in rows:
        kept = [(columns[b], v) for b, v in row.items() if b in columns]
        cols += [c for c, _ in kept]
        vals += [v for _, v in kept]
        indptr.append(len(cols))
    matrix = Matrix(np.array(indptr), np.array(cols, dtype=np.int64), np.array(vals))
    return matrix, columns


def _buckets(columns: dict[int, int]) -> np.ndarray:
    out = np.zeros(len(columns), dtype=np.uint32)
    for bucket, index in columns.items():
        out[index] = bucket
    return out


def logistic_regression(
    data: Matrix,
    labels: np.ndarray,
    weights: np.ndarray,
    columns: dict[int, int],
    width: int,
    l2: float = 1e-4,
    epochs: int = 30,
    rate: float = 0.05,
    batch: int = 64,
) -> Linear:
    """Multinomial logistic regression: mini-batch Adam on the weighted cross-entropy plus L2."""
    rng = np.random.default_rng(SEED)
    w = np.zeros((len(columns), width))
    b = np.zeros(width)
    moments = [np.zeros_like(w), np.zeros_like(w), np.zeros_like(b), np.zeros_like(b)]
    step = 0
    for _ in range(epochs):
        order = rng.permutation(data.rows)
        for start in range(0, data.rows, batch):
            chosen = order[start : start + batch]
            grad_w, grad_b = _gradient(data, labels, weights, chosen, w, b, width)
            grad_w += l2 * w
            step += 1
            w, b = _adam(w, b, grad_w, grad_b, moments, step, rate)
    return Linear(_buckets(columns), w, b)


def _gradient(
    data: Matrix,
    labels: np.ndarray,
    weights: np.ndarray,
    chosen: np.ndarray,
    w: np.ndarray,
    b: np.ndarray,
    width: int,
) -> tuple[np.ndarray, np.ndarray]:
    """The mean weighted cross-entropy gradient over the chosen examples (one batch at once)."""
    lengths = data.indptr[chosen + 1] - data.indptr[chosen]
    at = np.concatenate([np.arange(data.indptr[i], data.indptr[i + 1]) for i in chosen])
    rows = np.repeat(np.arange(len(chosen)), lengths)
    cols, vals = data.cols[at], data.vals[at]
    scores = np.tile(b, (len(chosen), 1))
    np.add.at(scores, rows, vals[:, None] * w[cols])
    probs = np.exp(scores - scores.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    probs[np.arange(len(chosen)), labels[chosen]] -= 1.0
    probs *= (weights[chosen] / weights[chosen].sum())[:, None]
    grad_w = np.zeros_like(w)
    np.add.at(grad_w, cols, vals[:, None] * probs[rows])
    return grad_w, probs.sum(axis=0)


def _adam(
    w: np.ndarray,
    b: np.ndarray,
    grad_w: np.ndarray,
    grad_b: np.ndarray,
    moments: list[np.ndarray],
    step: int,
    rate: float,
) -> tuple[np.ndarray, np.ndarray]:
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    m_w, v_w, m_b, v_b = moments
    m_w *= beta1
    m_w += (1 - beta1) * grad_w
    v_w *= beta2
    v_w += (1 - beta2) * grad_w**2
    m_b *= beta1
    m_b += (1 - beta1) * grad_b
    v_b *= beta2
    v_b += (1 - beta2) * grad_b**2
    correction = np.sqrt(1 - beta2**step) / (1 - beta1**step)
    w = w - rate * correction * m_w / (np.sqrt(v_w) + eps)
    b = b - rate * correction * m_b / (np.sqrt(v_b) + eps)
    return w, b


def averaged_perceptron(
    data: Matrix, labels: np.ndarray, columns: dict[int, int], width: int, epochs: int = 10
) -> Linear:
    """The multiclass perceptron with weight averaging (the lazy-update trick)."""
    rng = np.random.default_rng(SEED)
    w = np.zeros((len(columns), width))
    totals = np.zeros_like(w)
    b, b_totals = np.zeros(width), np.zeros(width)
    step = 1
    for _ in range(epochs):
        for index in rng.permutation(data.rows):
            cols, vals = data.row(index)
            guess = int(np.argmax(vals @ w[cols] + b))
            truth = int(labels[index])
            if guess != truth:
                for label, sign in ((truth, 1.0), (guess, -1.0)):
                    w[cols, label] += sign * vals
                    totals[cols, label] += sign * step * vals
                    b[label] += sign
                    b_totals[label] += sign * step
            step += 1
    return Linear(_buckets(columns), w - totals / step, b - b_totals / step)


def naive_bayes(
    data: Matrix, labels: np.ndarray, columns: dict[int, int], width: int, alpha: float = 0.1
) -> Linear:
    """Multinomial naive Bayes on the feature values, additive smoothing `alpha`."""
    counts = np.full((len(columns), width), alpha)
    priors = np.zeros(width)
    for index in range(data.rows):
        cols, vals = data.row(index)
        counts[cols, labels[index]] += vals
        priors[labels[index]] += 1
    log_likelihood = np.log(counts / counts.sum(axis=0, keepdims=True))
    log_prior = np.log((priors + 1) / (priors.sum() + width))
    return Linear(_buckets(columns), log_likelihood, log_prior)

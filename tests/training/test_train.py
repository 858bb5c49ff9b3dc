"""Which trained model `make train` exports (training/train.py's choice)."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("numpy")  # training needs numpy; the functions do not

from training.train import JUNK_MAX_SHARE, MAX_LOG_LOSS, chosen


def result(name: str, macro_f1: float, log_loss: float, junk: float = 0.0) -> tuple[Any, ...]:
    """One candidate's result as main() records it."""
    row = {"macro_f1": macro_f1, "log_loss": log_loss, "junk": junk}
    return ((macro_f1, -log_loss), name, None, row, 0.0)


def test_an_uncalibrated_model_is_not_chosen_over_a_calibrated_one() -> None:
    # the averaged perceptron once won on macro-F1 (0.916 against 0.908) with a log loss of 0.60:
    # its confidences are no probabilities, and the agent's 0.4 and 0.35 thresholds read them as such
    results = [
        result("logistic regression", 0.908, 0.13),
        result("averaged perceptron", 0.916, MAX_LOG_LOSS * 2),
        result("naive Bayes", 0.851, 0.19),
    ]
    assert chosen(results)[1] == "logistic regression"


def test_a_model_sure_of_junk_is_not_chosen() -> None:
    results = [
        result("sure of junk", 0.95, 0.10, junk=JUNK_MAX_SHARE * 10),
        result("sane", 0.90, 0.2),
    ]
    assert chosen(results)[1] == "sane"


def test_the_best_of_all_when_none_is_sane() -> None:
    results = [result("a", 0.90, 0.9), result("b", 0.92, 0.8)]
    assert chosen(results)[1] == "b"

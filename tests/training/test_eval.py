"""`make eval` on a tiny split: it trains nothing, runs the real rules agent, writes its JSON."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from training import eval as intent_eval
from training.export import to_model
from training.methods import logistic_regression, vectorize

TINY = """intent\tutterance
order_status\twhere is my parcel
human_request\tlet me speak to a person
out_of_scope\thow do I reset my password
"""


def test_eval_reports_a_tiny_split_and_writes_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    own = tmp_path / "tiny.tsv"
    own.write_text(TINY)
    out = tmp_path / "report.json"
    assert intent_eval.main(["--own", str(own), "--no-bitext", "--json", str(out)]) == 0
    report = json.loads(out.read_text())
    assert report["own"]["examples"] == 3 and "bitext" not in report
    escalation = report["all"]["escalation"]
    assert escalation["should"] == 1 and escalation["recall"] == 1.0
    assert report["all"]["order_answered"] == {"questions": 1, "with_the_order": 1}
    assert report["costs"]["model_bytes"] > 0
    assert "intent accuracy" in capsys.readouterr().out


def test_a_trained_model_survives_export_and_predicts_what_it_learned() -> None:
    texts = ["where is my order", "where is my parcel", "talk to a human", "human please"]
    labels = np.array([0, 0, 1, 1])
    data, columns = vectorize(texts)
    trained = logistic_regression(data, labels, np.ones(4), columns, 2, epochs=30)
    model = to_model(trained, ["order_status", "human_request"], 100_000, {})
    again = type(model).from_bytes(model.to_bytes())
    assert again.predict("where is my package").label == "order_status"
    assert again.predict("a human please").label == "human_request"

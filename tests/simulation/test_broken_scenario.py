"""A scenario that cannot run is a failed scenario with its reason; the run goes on and reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chalicelib.simulation.__main__ import main
from tests.simulation.test_runner import SIMPLE, write

OWN_RETURNS_ARTICLE = {
    **SIMPLE,
    "name": "own-returns-article",
    "knowledge": [
        {"id": "returns", "title": "Returns", "body": "Returns are accepted within 60 days."}
    ],
    "turns": [{"customer": "What is your returns policy?", "expect": {"reply_contains": ["60"]}}],
}


@pytest.mark.usefixtures("own_stack")
def test_a_scenario_with_the_stores_article_id_after_another_runs_and_the_report_is_written(
    tmp_path: Path,
) -> None:
    first = write(tmp_path / "a-simple.yaml", SIMPLE)
    second = write(tmp_path / "b-own-returns.yaml", OWN_RETURNS_ARTICLE)
    report = tmp_path / "report.json"
    status = main([first, second, "--report", str(report)])
    written = json.loads(report.read_text())
    outcome = {s["name"]: s["passed"] for s in written["scenarios"]}
    assert outcome == {"returns-question": True, "own-returns-article": True}, written
    assert status == 0


@pytest.mark.usefixtures("own_stack")
def test_a_scenario_that_cannot_run_fails_with_its_reason_and_the_next_still_runs(
    tmp_path: Path,
) -> None:
    broken = {**SIMPLE, "name": "product-without-sku", "catalog": [{"name": "No sku"}]}
    first = write(tmp_path / "a-broken.yaml", broken)
    second = write(tmp_path / "b-simple.yaml", SIMPLE)
    report = tmp_path / "report.json"
    assert main([first, second, "--report", str(report)]) == 1
    written = json.loads(report.read_text())
    [failed, passed] = written["scenarios"]
    assert (failed["name"], failed["passed"]) == ("product-without-sku", False)
    assert "POST /events refused" in failed["error"]
    assert (passed["name"], passed["passed"]) == ("returns-question", True)
    assert (written["passed"], written["failed"]) == (1, 1)


def test_a_run_whose_files_cannot_load_still_writes_its_report(tmp_path: Path) -> None:
    broken = write(tmp_path / "typo.yaml", {**SIMPLE, "turnz": []})
    report = tmp_path / "report.json"
    assert main([broken, "--report", str(report)]) == 2
    written = json.loads(report.read_text())
    assert written["scenarios"] == [] and "turnz" in written["error"]

"""The simulation runner: misses and mistakes are told (every scenario passing: test_scenarios.py)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml

from chalicelib.simulation.__main__ import main, run
from chalicelib.simulation.checks import leaks, secrets_of_others
from chalicelib.simulation.model import Scenario
from tests.harness import Pipeline
from tests.review.conftest import review_pipeline  # noqa: F401  (fixture)
from tests.review.support import HELPDESK
from tests.review.test_review_api import returns_miss

SIMPLE = {
    "name": "returns-question",
    "channel": "webchat",
    "customer": {"profile": {"customer_id": "c1", "email": "kim@example.com", "first_name": "Kim"}},
    "turns": [{"customer": "What is your returns policy?", "expect": {"escalated": False}}],
}


def write(path: Path, scenario: dict[str, object]) -> str:
    path.write_text(yaml.safe_dump(scenario))
    return str(path)


@pytest.mark.usefixtures("own_stack")
def test_a_wrong_expectation_exits_1_and_the_report_says_so(tmp_path: Path) -> None:
    scenario = {**SIMPLE, "turns": [{"customer": "Returns?", "expect": {"reply_contains": ["zz"]}}]}
    report = tmp_path / "report.json"
    assert main([write(tmp_path / "wrong.yaml", scenario), "--report", str(report)]) == 1
    written = json.loads(report.read_text())
    assert written["passed"] == 0 and written["failed"] == 1
    turn = written["scenarios"][0]["turns"][0]
    assert turn["passed"] is False and turn["expected"] == {"reply_contains": ["zz"]}
    assert "30 days" in turn["actual"]["reply"]


def test_a_malformed_file_is_named_with_its_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = {**SIMPLE, "turns": [{"customer": "Hi", "expect": {"escalatd": True}}]}
    path = write(tmp_path / "typo.yaml", scenario)
    assert main([path]) == 2
    error = capsys.readouterr().err
    assert path in error and "turns[0].expect.escalatd" in error and "Extra inputs" in error


def test_a_bad_order_status_names_its_place_in_the_customer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    order = {"order_id": "o1", "order_number": "1", "status": "lost", "placed_at": "2026-01-01"}
    order.update(items=[], total=1, currency="USD")
    customer = {**SIMPLE["customer"], "orders": [order]}  # type: ignore[dict-item]
    assert main([write(tmp_path / "bad.yaml", {**SIMPLE, "customer": customer})]) == 2
    assert "customer: Value error, orders[0].status" in capsys.readouterr().err


def test_another_customers_data_in_a_reply_is_a_leak_unless_the_customer_typed_it() -> None:
    bob = {"profile": {"customer_id": "cust-bob", "email": "bob@example.org", "last_name": "Stone"}}
    scenario = Scenario.model_validate({**SIMPLE, "others": [bob]})
    secrets = secrets_of_others(scenario)
    assert leaks("Mr STONE's order", secrets, "where is my order") == ["last_name Stone"]
    assert leaks("No order for bob@example.org", secrets, "orders of bob@example.org?") == []
    assert leaks("Milestones ahead", secrets, "") == []


def test_an_exported_review_scenario_runs(
    review_pipeline: Pipeline,  # noqa: F811
    tmp_path: Path,
    own_stack: None,
) -> None:
    shopper, _ = returns_miss(review_pipeline)
    path = f"/conversations/{shopper.conversation_id}/scenario"
    exported = review_pipeline.client.http.post(path, headers=HELPDESK).body.decode()
    (tmp_path / "exported.yaml").write_text(exported)
    report = run([str(tmp_path)], io.StringIO())
    # The reviewer's correct answer (14 days) is not the demo store's policy: the miss shows.
    turn = report["scenarios"][0]["turns"][-1]
    assert turn["expected"]["reply_contains"] == ["14 days"] and turn["passed"] is False
    assert turn["actual"]["tools"] == ["search_knowledge"]
    # Closing the loop: once the article says what the reviewer wrote, the same scenario passes.
    scenario = yaml.safe_load(exported)
    fixed = {
        "id": "returns",
        "title": "Returns and refunds",
        "body": "You can return unworn items within 14 days of delivery for a full refund.",
    }
    scenario["knowledge"] = [fixed]
    (tmp_path / "exported.yaml").write_text(yaml.safe_dump(scenario))
    fixed_report = run([str(tmp_path)], io.StringIO())
    assert fixed_report["failed"] == 0 and fixed_report["passed"] == 1

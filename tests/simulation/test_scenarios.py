"""Every scenario of simulations/ passes on rules, one test each (shared out one by one: work_units.py)."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from chalicelib import bootstrap
from chalicelib.simulation.model import load_scenario, scenario_files
from chalicelib.simulation.report import print_scenario, summary
from chalicelib.simulation.runner import run_or_fail
from chalicelib.simulation.world import World, start_world

SIMULATIONS = Path(__file__).resolve().parents[2] / "simulations"
SCENARIOS = scenario_files([str(SIMULATIONS)])


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    """The simulation runner's embedded stack on the rules backend; the environment restored."""
    saved = dict(os.environ)
    os.environ["AGENT_BACKEND"] = "rules"
    started = start_world()
    yield started
    started.stop()
    bootstrap.reset(None)
    os.environ.clear()
    os.environ.update(saved)


def test_the_simulations_hold_every_scenario_and_the_red_team() -> None:
    assert len(SCENARIOS) >= 110
    assert len(list((SIMULATIONS / "red-team").glob("*.yaml"))) >= 50


@pytest.mark.parametrize(
    "path", SCENARIOS, ids=[str(p.relative_to(SIMULATIONS)) for p in SCENARIOS]
)
def test_the_scenario_passes_on_rules(world: World, path: Path) -> None:
    out = io.StringIO()
    result = run_or_fail(world, load_scenario(path))
    print_scenario(result, 1, 1, out)
    report = summary([result])
    assert report["passed"] == 1 and report["failed"] == 0, out.getvalue()

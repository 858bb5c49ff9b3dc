"""`python -m chalicelib.simulation PATH... [--report FILE]`: run scenarios, exit 1 on any miss."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any, TextIO

from chalicelib.simulation.model import Scenario, ScenarioError, load_scenario, scenario_files
from chalicelib.simulation.report import print_scenario, summary, write_report


def run(paths: list[str], out: TextIO = sys.stdout) -> dict[str, Any]:
    """Load every scenario (all errors before any run), play them on one embedded stack."""
    scenarios = [load_scenario(path) for path in scenario_files(paths)]
    started = time.monotonic()
    results = play_all(scenarios, out)
    report = summary(results)
    elapsed = time.monotonic() - started
    out.write(f"\n{report['passed']} passed, {report['failed']} failed in {elapsed:.1f}s\n")
    return report


def play_all(scenarios: list[Scenario], out: TextIO) -> list[dict[str, Any]]:
    """Every scenario's entry; a stack that cannot start fails each scenario with that reason."""
    from chalicelib.simulation.runner import cannot_run, run_or_fail
    from chalicelib.simulation.world import start_world

    try:
        world = start_world()
    except Exception as error:  # reported per scenario, never a bare traceback
        results = [cannot_run(scenario.name, error) for scenario in scenarios]
    else:
        results = []
        try:
            for scenario in scenarios:
                results.append(run_or_fail(world, scenario))
                print_scenario(results[-1], len(results), len(scenarios), out)
        finally:
            world.stop()
    return results


def main(argv: list[str] | None = None) -> int:
    """The command line; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m chalicelib.simulation", description=__doc__)
    parser.add_argument("paths", nargs="+", help="scenario files or folders of .yaml")
    parser.add_argument("--report", help="write the JSON report here")
    options = parser.parse_args(argv)
    try:
        report = run(options.paths)
    except ScenarioError as error:
        print(f"error: {error.message}", file=sys.stderr)
        if options.report:  # the report is always written: here it says why nothing ran
            write_report({**summary([]), "error": error.message}, options.report)
        return 2
    if options.report:
        write_report(report, options.report)
    return 1 if report["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())

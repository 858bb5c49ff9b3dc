"""`python -m chalicelib.simulation PATH... [--report FILE]`: run scenarios, exit 1 on any miss."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any, TextIO

from chalicelib.simulation.model import ScenarioError, load_scenario, scenario_files
from chalicelib.simulation.report import print_scenario, summary, write_report


def run(paths: list[str], out: TextIO = sys.stdout) -> dict[str, Any]:
    """Load every scenario (all errors before any run), play them on one embedded stack."""
    from chalicelib.simulation.runner import run_scenario
    from chalicelib.simulation.world import start_world

    scenarios = [load_scenario(path) for path in scenario_files(paths)]
    world = start_world()
    started, results = time.monotonic(), []
    try:
        for index, scenario in enumerate(scenarios, 1):
            results.append(run_scenario(world, scenario))
            print_scenario(results[-1], index, len(scenarios), out)
    finally:
        world.stop()
    report = summary(results)
    elapsed = time.monotonic() - started
    out.write(f"\n{report['passed']} passed, {report['failed']} failed in {elapsed:.1f}s\n")
    return report


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
        return 2
    if options.report:
        write_report(report, options.report)
    return 1 if report["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())

"""The units of work `--dist loadfile` shares out between the two workers (tests/conftest.py).

A unit runs on one worker, so the module and session fixtures its tests share are set up once.
It is a test file, as under xdist's loadfile, except:
- files that share a costly session fixture are one unit: the infra tests' CDK synth of both stages
  (~40 s on 2 cores) runs once, not once per worker;
- each test of a SPREAD file is a unit of its own: the simulation scenarios (~150 of ~1 s) go to
  whichever worker is free, and, being units of one test, are given out last, evening out the end.
"""

from __future__ import annotations

from xdist.scheduler import LoadFileScheduling

SHARED = {"tests/infra/": "tests/infra/"}
SPREAD = ("tests/simulation/test_scenarios.py::",)


def work_unit(nodeid: str) -> str:
    """The unit a test belongs to."""
    if nodeid.startswith(SPREAD):
        return nodeid
    path = nodeid.split("::", 1)[0]
    return next((unit for prefix, unit in SHARED.items() if path.startswith(prefix)), path)


class WorkUnitScheduling(LoadFileScheduling):
    """xdist's loadfile, with `work_unit` as the unit."""

    def _split_scope(self, nodeid: str) -> str:
        return work_unit(nodeid)

"""The cyclic garbage collector paused for a cold start: init and the first event build objects
that live as long as the process (modules, classes, clients, models), and the collector's passes
over them while they are young are most of its cost (gen-1 passes over botocore's and pydantic's
objects: tens of ms of a cold worker). After the first event they are frozen (never scanned again)
and collection resumes for what each event allocates."""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    """Stop cyclic collection until `resume` (app.py calls this before its imports)."""
    global _paused
    if gc.isenabled() and not _paused:
        gc.disable()
        _paused = True


def resume() -> None:
    """Freeze what the cold start built and collect again; a no-op after the first call."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()

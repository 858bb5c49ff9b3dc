"""The local servers' garbage collector: after a full collection its survivors are frozen."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from dev.collector import freeze_survivors, keep_pauses_short


@pytest.fixture
def restored_collector() -> Iterator[None]:
    """Undo keep_pauses_short for the rest of the suite's process."""
    yield
    if freeze_survivors in gc.callbacks:
        gc.callbacks.remove(freeze_survivors)
    gc.unfreeze()


class Node:
    """An object the collector tracks."""


def test_objects_alive_at_a_full_collection_are_left_out_of_later_ones(
    restored_collector: None,
) -> None:
    keep_pauses_short()
    made_later = [Node() for _ in range(1_000)]
    frozen_before = gc.get_freeze_count()
    gc.collect()
    assert gc.get_freeze_count() >= frozen_before + len(made_later)


def test_cyclic_garbage_made_after_a_full_collection_is_still_freed(
    restored_collector: None,
) -> None:
    keep_pauses_short()
    cycle = Node()
    cycle.itself = cycle  # type: ignore[attr-defined]
    del cycle
    assert gc.collect() >= 1


def test_a_collection_of_a_young_generation_freezes_nothing(restored_collector: None) -> None:
    keep_pauses_short()
    was_enabled = gc.isenabled()
    gc.disable()  # no automatic full collection (other threads allocate too) between the counts
    try:
        frozen = gc.get_freeze_count()
        kept = [Node() for _ in range(100)]
        gc.collect(0)
        assert gc.get_freeze_count() == frozen
        assert kept
    finally:
        if was_enabled:
            gc.enable()

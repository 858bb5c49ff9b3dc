"""Short garbage-collector pauses for the local stack's long-running servers (moto, the API).

CPython's full collection walks every object the process holds and stops all its threads while it
does: in moto under the 2,000-message burst that was 120-600 ms every half minute or so (the
imported service models plus every stored item), and each acknowledgement that arrived meanwhile
waited for it (the probe acks over 100 ms were exactly those). After each full collection the
objects that survived it are frozen (`gc.freeze`): later collections walk only what was made
since, so a pause stays a few milliseconds. A cycle among frozen objects that becomes garbage
later is not freed; moto's memory under the burst shows what that costs (bench.stack_burst).
"""

from __future__ import annotations

import gc
from typing import Any

OLDEST = 2  # CPython's oldest generation: its collection is the full one


def freeze_survivors(phase: str, info: dict[str, Any]) -> None:
    """gc callback: once a full collection has ended, freeze what it kept."""
    if phase == "stop" and info.get("generation") == OLDEST:
        gc.freeze()


def keep_pauses_short() -> None:
    """Collect the whole heap once now, then freeze survivors after every full collection."""
    gc.collect()
    gc.freeze()
    if freeze_survivors not in gc.callbacks:
        gc.callbacks.append(freeze_survivors)

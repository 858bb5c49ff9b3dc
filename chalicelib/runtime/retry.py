"""Short in-process retries for writes that must follow a side effect already done."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from chalicelib.domain.errors import TransientError

T = TypeVar("T")
ATTEMPTS = 4  # waits of 50, 100 and 200 ms: 0.35 s at most


def retried(call: Callable[[], T], attempts: int = ATTEMPTS) -> T:
    """`call()`, tried again on TransientError (throttling, a 5xx) with a short backoff.

    For what records a send, a queued event or a removed marker: retrying the whole turn
    through the queue would repeat the side effect. The last TransientError is raised.
    """
    for attempt in range(attempts - 1):
        try:
            return call()
        except TransientError:
            time.sleep(0.05 * 2**attempt)
    return call()

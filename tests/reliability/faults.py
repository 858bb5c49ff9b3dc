"""Fault injection on the app's own boto3 clients through botocore's event hooks."""

from __future__ import annotations

import threading
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.bootstrap import Services

THROTTLED = {"Error": {"Code": "ThrottlingException", "Message": "Rate exceeded (injected)"}}


class AwsFaults:
    """Counts the app's AWS calls and fails the ones chosen by their position."""

    def __init__(self, services: Services) -> None:
        self.calls: list[str] = []
        self.fail_at: set[int] = set()
        self.lock = threading.Lock()
        clients = [services.table.client, services.sqs]
        for client in clients:
            client.meta.events.register("before-call.*.*", self._before_call)

    def _before_call(self, model: Any, **_: Any) -> None:
        """Record the call; raise throttling when its position was chosen."""
        with self.lock:
            position = len(self.calls)
            self.calls.append(f"{model.service_model.service_name}.{model.name}")
        if position in self.fail_at:
            raise ClientError(THROTTLED, model.name)

    def reset(self, fail_at: set[int] | None = None) -> None:
        """Forget counted calls; fail these positions from now on."""
        with self.lock:
            self.calls.clear()
            self.fail_at = set(fail_at or ())

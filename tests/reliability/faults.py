"""Fault injection on the app's own boto3 clients through botocore's event hooks."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterable
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.bootstrap import Services

THROTTLING = "ThrottlingException"
# The HTTP status AWS answers each injected error code with (the app's classifiers read both).
STATUS = {
    THROTTLING: 400,
    "ProvisionedThroughputExceededException": 400,
    "TooManyRequestsException": 429,
    "InternalError": 500,
    "InternalFailure": 500,
    "InternalServerError": 500,
    "ServiceUnavailable": 503,
    "MessageRejected": 400,
}


def aws_error(code: str, operation: str) -> ClientError:
    """The ClientError botocore raises when AWS answers `code`."""
    response: Any = {
        "Error": {"Code": code, "Message": f"{code} (injected)"},
        "ResponseMetadata": {"HTTPStatusCode": STATUS.get(code, 400)},
    }
    return ClientError(response, operation)


class AwsFaults:
    """Counts the app's AWS calls and fails the ones chosen by position (or by operation name)."""

    def __init__(self, services: Services, also: Iterable[Any] = ()) -> None:
        self.calls: list[str] = []
        self.callers: list[set[str]] = []
        self.fail_at: set[int] = set()
        self.always: set[str] = set()
        self.code = THROTTLING
        self.lock = threading.Lock()
        clients = [services.table.client, services.sqs, *also]
        for client in clients:
            client.meta.events.register("before-call.*.*", self._before_call)

    def _before_call(self, model: Any, **_: Any) -> None:
        """Record the call; raise the chosen error when its position or operation was chosen."""
        name = f"{model.service_model.service_name}.{model.name}"
        callers = _app_modules()
        with self.lock:
            position = len(self.calls)
            self.calls.append(name)
            self.callers.append(callers)
        if position in self.fail_at or name in self.always:
            raise aws_error(self.code, model.name)

    def reset(
        self,
        fail_at: set[int] | None = None,
        code: str = THROTTLING,
        always: Iterable[str] = (),
    ) -> None:
        """Forget counted calls; from now on fail these positions, and `always` (`sqs.SendMessage`)."""
        with self.lock:
            self.calls.clear()
            self.callers.clear()
            self.fail_at = set(fail_at or ())
            self.always = set(always)
            self.code = code

    def positions(self, *names: str) -> list[int]:
        """Where calls of these operations (`sqs.SendMessage`) were counted."""
        with self.lock:
            return [i for i, name in enumerate(self.calls) if name in names]

    def made_by(self, module: str) -> list[int]:
        """Where calls were counted that a module of the app (`chalicelib.handoff.escalation`) made."""
        with self.lock:
            return [i for i, callers in enumerate(self.callers) if module in callers]


def _app_modules() -> set[str]:
    """The app's modules on the calling stack."""
    frame, found = sys._getframe(1), set()
    while frame is not None:
        module = str(frame.f_globals.get("__name__", ""))
        if module.startswith("chalicelib."):
            found.add(module)
        frame = frame.f_back  # type: ignore[assignment]
    return found

"""What AWS does that moto and `chalice local` do not: SQS event-source polling, schedule firing."""

from __future__ import annotations

import os
import re
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

Handler = Callable[[dict[str, Any], Any], Any]

# On AWS the worker's Lambda never shares a CPU with the webhook's; here both share the machine's
# cores, so the emulated functions' threads run at a lower CPU priority (nice) than the API and moto:
# a webhook arriving while the worker drains gets the core first (issue 23's acks).
BACKGROUND_NICE = 10


def run_in_background(nice: int = BACKGROUND_NICE) -> None:
    """Lower the calling thread's CPU priority by `nice` (Linux: per thread, inherited by the
    threads it starts); where that is not possible it runs as it is."""
    try:
        thread = threading.get_native_id()
        current = os.getpriority(os.PRIO_PROCESS, thread)
        os.setpriority(os.PRIO_PROCESS, thread, min(19, current + nice))
    except (AttributeError, OSError):
        pass


class LambdaContext:
    """The parts of Lambda's context object that handlers and Powertools read."""

    def __init__(self, function_name: str) -> None:
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.invoked_function_arn = (
            f"arn:aws:lambda:us-east-1:123456789012:function:{function_name}"
        )
        self.memory_limit_in_mb = 512
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = "local"

    def get_remaining_time_in_millis(self) -> int:
        """Lambda's remaining time; locally always plenty."""
        return 30_000


def sqs_event(messages: list[dict[str, Any]], queue_arn: str) -> dict[str, Any]:
    """The event Lambda's SQS event source gives a handler for received messages."""
    return {"Records": [_record(m, queue_arn) for m in messages]}


def _record(message: dict[str, Any], queue_arn: str) -> dict[str, Any]:
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": message.get("Attributes", {}),
        "messageAttributes": message.get("MessageAttributes", {}),
        "md5OfBody": message.get("MD5OfBody", ""),
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": "us-east-1",
    }


class SqsEventSource(threading.Thread):
    """Polls a queue and invokes a handler like Lambda's event-source mapping (partial failures)."""

    def __init__(self, sqs: Any, queue_url: str, handler: Handler, name: str, batch_size: int = 10):
        super().__init__(name=f"sqs:{name}", daemon=True)
        self.sqs, self.queue_url, self.handler, self.batch_size = (
            sqs,
            queue_url,
            handler,
            batch_size,
        )
        attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])
        self.queue_arn = attributes["Attributes"]["QueueArn"]
        self.function = name
        self.stopping = threading.Event()

    def run(self) -> None:
        """Poll until stopped."""
        run_in_background()
        while not self.stopping.is_set():
            try:
                self.poll_once(wait_seconds=1)
            except Exception as error:  # keep polling, as Lambda does
                if self.stopping.is_set():
                    return
                print(f"[{self.name}] poll failed: {error!r}", flush=True)
                time.sleep(1)

    def poll_once(self, wait_seconds: int = 0) -> int:
        """Receive one batch and hand it to the handler; returns how many messages it had."""
        received = self.sqs.receive_message(
            QueueUrl=self.queue_url,
            MaxNumberOfMessages=self.batch_size,
            WaitTimeSeconds=wait_seconds,
            MessageSystemAttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if received:
            self._invoke(received)
        return len(received)

    def _invoke(self, messages: list[dict[str, Any]]) -> None:
        try:
            result = self.handler(sqs_event(messages, self.queue_arn), LambdaContext(self.function))
        except Exception as error:  # the whole batch returns to the queue
            print(f"[{self.name}] handler failed, batch retried: {error!r}", flush=True)
            return
        failed = {f["itemIdentifier"] for f in (result or {}).get("batchItemFailures", [])}
        done = [m for m in messages if m["MessageId"] not in failed]
        for message in done:
            self.sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"])

    def stop(self) -> None:
        """Stop after the current poll."""
        self.stopping.set()


AT = re.compile(r"^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$")


def due_at(schedule: dict[str, Any]) -> datetime | None:
    """When a one-time `at(...)` schedule is due, in UTC; None for other expressions."""
    match = AT.match(schedule.get("ScheduleExpression", ""))
    if not match:
        return None
    zone = ZoneInfo(schedule.get("ScheduleExpressionTimezone") or "UTC")
    return datetime.fromisoformat(match.group(1)).replace(tzinfo=zone).astimezone(UTC)


class SchedulerEmulator(threading.Thread):
    """Fires due EventBridge Scheduler schedules by invoking their Lambda target, then deletes them."""

    def __init__(
        self, scheduler: Any, group: str, functions: dict[str, Handler], interval: float = 1.0
    ):
        super().__init__(name="scheduler", daemon=True)
        self.scheduler, self.group, self.functions, self.interval = (
            scheduler,
            group,
            functions,
            interval,
        )
        self.stopping = threading.Event()

    def run(self) -> None:
        """Fire due schedules until stopped."""
        run_in_background()
        while not self.stopping.wait(self.interval):
            try:
                self.fire_due()
            except Exception as error:
                print(f"[scheduler] failed: {error!r}", flush=True)

    def fire_due(self, now: datetime | None = None) -> int:
        """Invoke every due schedule's target once; returns how many fired."""
        now = now or datetime.now(UTC)
        fired = 0
        listed = self.scheduler.list_schedules(GroupName=self.group).get("Schedules", [])
        for summary in listed:
            schedule = self.scheduler.get_schedule(Name=summary["Name"], GroupName=self.group)
            moment = due_at(schedule)
            if moment is not None and moment <= now and self._fire(schedule):
                fired += 1
        return fired

    def _fire(self, schedule: dict[str, Any]) -> bool:
        import json

        target = schedule["Target"]
        function = target["Arn"].rsplit(":", 1)[-1].removeprefix("tandem-dev-")
        handler = self.functions.get(function)
        if handler is None:
            return False
        handler(json.loads(target.get("Input") or "{}"), LambdaContext(function))
        if schedule.get("ActionAfterCompletion") == "DELETE":
            self.scheduler.delete_schedule(Name=schedule["Name"], GroupName=self.group)
        return True

    def stop(self) -> None:
        """Stop after the current pass."""
        self.stopping.set()


def scheduled_event(rule: str) -> dict[str, Any]:
    """The event an EventBridge rule gives a Chalice `@app.schedule` handler."""
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "time": now,
        "region": "us-east-1",
        "resources": [f"arn:aws:events:us-east-1:123456789012:rule/{rule}"],
        "detail": {},
    }


class RateRule(threading.Thread):
    """Invokes a scheduled handler every `interval` seconds, like an EventBridge rate rule."""

    def __init__(self, name: str, handler: Handler, interval: float) -> None:
        super().__init__(name=f"rule:{name}", daemon=True)
        self.rule, self.handler, self.interval = name, handler, interval
        self.stopping = threading.Event()

    def run(self) -> None:
        """Invoke until stopped; a failing invocation is logged and tried again next time."""
        run_in_background()
        while not self.stopping.wait(self.interval):
            try:
                self.handler(scheduled_event(self.rule), LambdaContext(self.rule))
            except Exception as error:
                print(f"[{self.name}] failed: {error!r}", flush=True)

    def stop(self) -> None:
        """Stop before the next invocation."""
        self.stopping.set()

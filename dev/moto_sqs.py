"""Costs of moto's SQS (5.2.5) that grow with the queue, removed for the local stack, the tests and
the benchmarks (`dev.moto_fixes.apply` applies them). Every answer is moto's, as before.

Under a backlog (issue 23: 2,000 messages waiting while one worker drains them) these made every SQS
call, the webhook's SendMessage among them, wait on moto's one GIL behind O(queue) work:
- A queue's `attributes` counts its messages three times over, reading the clock once per message
  each time (`Message.visible`, `.delayed`: ~5 us a read through moto's datetime arithmetic).
  Here each count, and the list of visible messages ReceiveMessage walks, reads the clock once.
- ReceiveMessage checks each message it returns against the queue's retention period through
  GetQueueAttributes, which computes every attribute (the counts among them) three times for the
  one it returns: 30 whole-queue attribute computations for a batch of 10. Here it reads the
  retention period from the queue.
- GetQueueAttributes computes every attribute once per name asked, then twice per name found; here
  once per call.
- SendMessage reads the queue's attributes up to four times, for ContentBasedDeduplication alone;
  within a SendMessage, `attributes` is that one.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from moto.core.utils import unix_time, unix_time_millis
from moto.sqs.models import Message, Queue, SQSBackend

# Within a SendMessage: the queue's attributes it reads are ContentBasedDeduplication alone.
SENDING: ContextVar[bool] = ContextVar("SENDING", default=False)
# Within a GetQueueAttributes: each queue's attributes, computed once.
READING: ContextVar[dict[int, dict[str, Any]] | None] = ContextVar("READING", default=None)
whole_send, whole_attributes = SQSBackend.send_message, Queue.attributes
whole_get_attributes = SQSBackend.get_queue_attributes


def send_message(self: SQSBackend, *args: Any, **kwargs: Any) -> Any:
    """moto's SendMessage, reading only the queue attribute it needs."""
    token = SENDING.set(True)
    try:
        return whole_send(self, *args, **kwargs)
    finally:
        SENDING.reset(token)


def get_queue_attributes(self: SQSBackend, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """moto's GetQueueAttributes, computing the queue's attributes once."""
    token = READING.set({})
    try:
        return whole_get_attributes(self, *args, **kwargs)
    finally:
        READING.reset(token)


def queue_attributes(self: Queue) -> dict[str, Any]:
    """The queue's attributes (moto's); within a SendMessage, the one it reads."""
    if SENDING.get():
        return sending_attributes(self)
    reading = READING.get()
    if reading is None:
        return dict(whole_attributes.fget(self))  # type: ignore[attr-defined]
    if id(self) not in reading:
        reading[id(self)] = dict(whole_attributes.fget(self))  # type: ignore[attr-defined]
    return reading[id(self)]


def sending_attributes(queue: Queue) -> dict[str, Any]:
    """What SendMessage reads of a queue's attributes: a FIFO queue's ContentBasedDeduplication."""
    if not queue.fifo_queue:
        return {}
    enabled = bool(getattr(queue, "content_based_deduplication", False))
    return {"ContentBasedDeduplication": str(enabled).lower()}


def visible_messages(self: Queue) -> list[Message]:
    """The messages visible and not delayed (moto's `Queue.messages`), at one reading of the clock."""
    now = unix_time_millis()
    # Message.visible is `now > visible_at`, Message.delayed `now < delayed_until`.
    return [m for m in self._messages if now > m.visible_at and not now < m.delayed_until]


def count_visible(self: Queue) -> int:
    """ApproximateNumberOfMessages."""
    return len(visible_messages(self))


def count_not_visible(self: Queue) -> int:
    """ApproximateNumberOfMessagesNotVisible (received, in their visibility timeout)."""
    now = unix_time_millis()
    return sum(1 for m in self._messages if not now > m.visible_at)


def count_delayed(self: Queue) -> int:
    """ApproximateNumberOfMessagesDelayed."""
    now = unix_time_millis()
    return sum(1 for m in self._messages if now < m.delayed_until)


def within_retention(self: SQSBackend, queue_name: str, message: Message) -> bool:
    """Whether the message is still within its queue's MessageRetentionPeriod (moto's test)."""
    retention_period = int(self.get_queue(queue_name).message_retention_period)  # type: ignore[attr-defined]
    return retention_period + message.sent_timestamp / 1000 > unix_time()  # type: ignore[operator]


def apply() -> None:
    """Patch moto's SQS in this process (idempotent)."""
    SQSBackend.send_message = send_message  # type: ignore[method-assign]
    SQSBackend.get_queue_attributes = get_queue_attributes  # type: ignore[method-assign]
    SQSBackend.is_message_valid_based_on_retention_period = within_retention  # type: ignore[method-assign]
    Queue.attributes = property(queue_attributes)  # type: ignore[assignment,method-assign]
    Queue.messages = property(visible_messages)  # type: ignore[assignment,method-assign]
    Queue.approximate_number_of_messages = property(count_visible)  # type: ignore[assignment,method-assign]
    Queue.approximate_number_of_messages_not_visible = property(count_not_visible)  # type: ignore[assignment,method-assign]
    Queue.approximate_number_of_messages_delayed = property(count_delayed)  # type: ignore[assignment,method-assign]

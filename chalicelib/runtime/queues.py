"""The SQS queues: inbound turns (FIFO by conversation) and the helpdesk queue."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.domain.errors import TransientError


class FifoQueue:
    """A FIFO queue: messages of one group are handled in order, one at a time."""

    def __init__(self, client: Any, url: str) -> None:
        self.client = client
        self.url = url

    def send(self, body: dict[str, Any], group: str, dedupe_id: str) -> None:
        """Enqueue a JSON body; SQS drops a repeat of `dedupe_id` within five minutes."""
        try:
            self.client.send_message(
                QueueUrl=self.url,
                MessageBody=json.dumps(body, default=str),
                MessageGroupId=_safe(group),
                MessageDeduplicationId=_safe(dedupe_id),
            )
        except (ClientError, BotoCoreError) as error:
            raise TransientError("the queue did not accept the message") from error


def _safe(value: str) -> str:
    """SQS ids allow 128 characters of a limited alphabet: hash anything else."""
    import hashlib
    import re

    if re.fullmatch(r"[A-Za-z0-9!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~]{1,128}", value):
        return value
    return hashlib.sha256(value.encode()).hexdigest()

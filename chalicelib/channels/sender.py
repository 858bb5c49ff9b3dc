"""What every channel's sender is to the outbox: one method, `send`."""

from __future__ import annotations

from typing import Protocol

from chalicelib.domain.messages import OutboundMessage, SendResult


class ChannelSender(Protocol):
    """Sends text on one channel."""

    def send(self, message: OutboundMessage) -> SendResult:
        """Send a message; TransientError to retry later, PermanentSendError to give up."""
        ...

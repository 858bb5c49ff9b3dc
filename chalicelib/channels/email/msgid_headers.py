"""Mail headers that hold msg-ids (RFC 5322 3.6.4), written so that clients can thread on them.

The standard library folds an over-long token of an unstructured header into RFC 2047
encoded-words, which a msg-id may never contain: an SES Message-ID
(`<0100018c...-000000@email.amazonses.com>`) is long enough to be mangled in `References`.
Here each msg-id stays bare and whole, one per folded line.
"""

from __future__ import annotations

from email.headerregistry import BaseHeader, HeaderRegistry, UnstructuredHeader
from email.message import EmailMessage
from email.policy import EmailPolicy, default
from typing import Any

MSG_ID_HEADERS = ("message-id", "in-reply-to", "references")


class MsgIdHeader(UnstructuredHeader, BaseHeader):
    """A header of whitespace-separated msg-ids, folded between them and never encoded."""

    def fold(self, *, policy: Any) -> str:
        """`Name: <id1>` then each further id on a continuation line."""
        ids = str(self).split()
        return f"{self.name}: " + f"{policy.linesep} ".join(ids) + policy.linesep


def _registry() -> HeaderRegistry:
    registry = HeaderRegistry()
    for name in MSG_ID_HEADERS:
        registry.map_to_type(name, MsgIdHeader)
    return registry


MAIL_POLICY: EmailPolicy[EmailMessage] = default.clone(header_factory=_registry())

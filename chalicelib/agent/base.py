"""What every agent backend takes and gives: one interface, two backends (openai, rules)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from chalicelib.domain.conversations import Conversation, StoredMessage
from chalicelib.domain.messages import Author, Channel
from chalicelib.domain.profiles import CustomerBundle

if TYPE_CHECKING:
    from chalicelib.agent.tools import ToolBox


@dataclass
class ToolCall:
    """A tool the agent called, with its arguments and result, recorded with the reply."""

    name: str
    arguments: dict[str, Any]
    result: Any


@dataclass
class Reason:
    """Why a conversation escalates: a contract reason code and the words that triggered it."""

    code: str
    evidence: str = ""


@dataclass
class Escalation:
    """The decision to hand the conversation to a human."""

    reasons: list[Reason]
    summary: str = ""
    suggested_next_step: str = ""


@dataclass
class TurnContext:
    """Everything a backend may use for one turn; the customer is fixed by the channel identity."""

    conversation: Conversation
    customer: CustomerBundle
    verified: bool
    new_messages: list[StoredMessage]
    tools: ToolBox

    @property
    def channel(self) -> Channel:
        """The conversation's channel."""
        return self.conversation.channel

    @property
    def text(self) -> str:
        """The customer's new message(s), joined: consecutive messages are answered together."""
        return "\n".join(message.text for message in self.new_messages)

    def history(self, limit: int = 20) -> list[StoredMessage]:
        """The recent transcript before the new messages."""
        new = {m.message_id for m in self.new_messages}
        return [m for m in self.conversation.messages if m.message_id not in new][-limit:]

    def previous_replies(self) -> list[StoredMessage]:
        """Earlier replies of the AI in this conversation."""
        return [m for m in self.history() if m.author is Author.AI]


@dataclass
class TurnResult:
    """A backend's answer: the reply and everything that explains it."""

    reply: str
    tools: list[ToolCall] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    escalation: Escalation | None = None
    fallback: bool = False
    intent: str = ""
    offer: dict[str, Any] | None = None  # what the reply offers to do next ("remind you?")


class Agent(Protocol):
    """An agent backend."""

    def respond(self, context: TurnContext) -> TurnResult:
        """Answer the customer's new messages."""
        ...

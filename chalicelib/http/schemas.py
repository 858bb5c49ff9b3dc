"""Pydantic models of the HTTP bodies, the source of `GET /openapi.json` (imported only there)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel

from chalicelib.domain.events import MAX_BATCH, StoreEvent

Text = Annotated[str, Field(min_length=1)]


class Body(BaseModel):
    """A JSON body: unknown fields are ignored."""

    model_config = ConfigDict(extra="allow")


class ErrorDetail(BaseModel):
    """What went wrong, and which field when the input was at fault."""

    code: str
    message: str
    field: str | None = None


class ErrorBody(BaseModel):
    """Every error answer: `{"error": {"code", "message", "field"?}}`."""

    error: ErrorDetail


class Health(BaseModel):
    """The liveness answer."""

    status: Literal["ok"]


class ChatSessionRequest(Body):
    """Open a web-chat session, anonymous or with a store-signed identity token."""

    visitor_id: str | None = None
    identity_token: str | None = None
    time_zone: str | None = Field(
        None, description="the shopper's IANA time zone: the deadline is stated in it"
    )


class ChatSession(BaseModel):
    """A new session and the bearer token for its messages."""

    session_id: str
    token: str
    expires_at: str


class ChatMessageRequest(Body):
    """A customer's chat message; `client_message_id` (a UUID) makes a retry idempotent."""

    text: Annotated[str, Field(min_length=1, max_length=4000)]
    client_message_id: str | None = None


class MessageAccepted(BaseModel):
    """The id of the accepted message (the same for a retried post)."""

    message_id: str


class ChatMessage(BaseModel):
    """One message of a chat transcript."""

    id: str
    author: Literal["customer", "ai", "human"]
    text: str
    created_at: str


class ChatTranscript(BaseModel):
    """Messages after a cursor, and the handoff state while a human owns the chat."""

    messages: list[ChatMessage]
    cursor: str | None
    handoff: dict[str, Any] | None = None


class EventBatch(BaseModel):
    """A batch of store events, validated whole."""

    events: Annotated[list[StoreEvent], Field(min_length=1, max_length=MAX_BATCH)]


class EventsRequest(RootModel[EventBatch | StoreEvent]):
    """One event, or a batch of them."""


class EventsAccepted(BaseModel):
    """How many events were applied and how many were seen before."""

    accepted: int
    duplicates: int
    ignored_fields: list[str] | None = Field(
        default=None,
        description="fields Tandem does not know and ignored (absent when none); ?strict=true refuses them",
    )


class SupportAgent(BaseModel):
    """The person answering."""

    id: Text
    name: Text


class HelpdeskReply(Body):
    """A support agent's reply, sent on the customer's channel."""

    text: Text
    agent: SupportAgent


class StateChange(Body):
    """Resolve or release; the agent is optional."""

    agent: SupportAgent | None = None


class Feedback(Body):
    """A reviewer's report of what the AI got wrong."""

    message_id: str | None = None
    category: str
    what_was_wrong: str | None = None
    correct_answer: str | None = None
    source: str | None = None


class ArticleRequest(Body):
    """A knowledge article's new version."""

    title: Annotated[str, Field(min_length=1, max_length=200)]
    body: Annotated[str, Field(min_length=1, max_length=20_000)]


class TwilioInboundForm(Body):
    """Twilio's inbound message form (the fields Tandem reads; Twilio sends more)."""

    MessageSid: str
    AccountSid: str | None = None
    From: str
    To: str | None = None
    Body: str | None = None
    NumMedia: str | None = None


class TwilioStatusForm(Body):
    """Twilio's status callback form for a message Tandem sent."""

    MessageSid: str
    MessageStatus: str
    ErrorCode: str | None = None


class AnyObject(Body):
    """A JSON object (its fields are documented in docs/)."""

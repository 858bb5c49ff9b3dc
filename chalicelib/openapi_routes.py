"""The operations of the HTTP API, declared for the OpenAPI document (one entry per route method)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from chalicelib import api_schemas as s

JSON, FORM, HTML = "application/json", "application/x-www-form-urlencoded", "text/html"
XML, TEXT = "text/xml", "text/plain"


@dataclass(frozen=True)
class Operation:
    """One method of one route: what it takes, answers and needs."""

    method: str
    path: str
    name: str
    summary: str
    response: Any = None
    status: int = 200
    response_type: str = JSON
    request: Any = None
    request_type: str = JSON
    security: str | None = None
    query: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()
    conflicts: bool = False
    also: tuple[int, ...] = field(default=())

    def errors(self) -> list[int]:
        """The error statuses this operation can answer with."""
        found = {400, *(status for status in self.also if status >= 400)}
        if self.security:
            found |= {401, 403}
        if "{" in self.path:
            found.add(404)
        if self.request is not None:
            found.add(413)
        if self.conflicts:
            found.add(409)
        return sorted(found)

    def parameters(self) -> list[dict[str, Any]]:
        """Path, query and header parameters."""
        names = re.findall(r"{(\w+)}", self.path)
        found = [_param(n, "path", True) for n in names]
        found += [_param(n, "query", False) for n in self.query]
        return found + [_param(n, "header", False) for n in self.headers]


def _param(name: str, where: str, required: bool) -> dict[str, Any]:
    return {"name": name, "in": where, "required": required, "schema": {"type": "string"}}


CONV = "/conversations/{conversation_id}"
CHAT = "/chat/sessions/{session_id}/messages"
SHOPIFY_HEADERS = ("X-Shopify-Topic", "X-Shopify-Webhook-Id")
OPERATIONS: list[Operation] = [
    Operation("GET", "/health", "health", "liveness", s.Health),
    Operation("GET", "/openapi.json", "openapi", "this document", s.AnyObject),
    Operation(
        "POST",
        "/events",
        "store_events",
        "store events (one, or a batch of at most 100)",
        s.EventsAccepted,
        202,
        request=s.EventsRequest,
        security="storeApiKey",
        also=(503,),
    ),
    Operation(
        "POST",
        "/webhooks/shopify",
        "shopify_webhook",
        "a Shopify webhook (raw JSON body)",
        s.AnyObject,
        request=s.AnyObject,
        security="shopifyHmac",
        headers=SHOPIFY_HEADERS,
        also=(503,),
    ),
    Operation(
        "POST",
        "/webhooks/twilio",
        "twilio_inbound",
        "an inbound SMS or WhatsApp message",
        "twiml",
        response_type=XML,
        request=s.TwilioInboundForm,
        request_type=FORM,
        security="twilioSignature",
        also=(503,),
    ),
    Operation(
        "POST",
        "/webhooks/twilio/status",
        "twilio_status",
        "a sent message's status",
        "twiml",
        response_type=XML,
        request=s.TwilioStatusForm,
        request_type=FORM,
        security="twilioSignature",
        also=(503,),
    ),
    Operation(
        "POST",
        "/chat/sessions",
        "open_chat_session",
        "open a web-chat session",
        s.ChatSession,
        201,
        request=s.ChatSessionRequest,
        also=(401,),  # an identity token that is not valid
    ),
    Operation(
        "OPTIONS", "/chat/sessions", "chat_sessions_preflight", "CORS preflight", "empty", 204, TEXT
    ),
    Operation(
        "POST",
        CHAT,
        "post_chat_message",
        "a customer's chat message",
        s.MessageAccepted,
        202,
        request=s.ChatMessageRequest,
        security="chatSession",
        also=(503,),
    ),
    Operation(
        "GET",
        CHAT,
        "chat_transcript",
        "the chat's messages after a cursor",
        s.ChatTranscript,
        security="chatSession",
        query=("after",),
    ),
    Operation("OPTIONS", CHAT, "chat_messages_preflight", "CORS preflight", "empty", 204, TEXT),
    Operation(
        "GET",
        "/chat/widget.js",
        "chat_widget",
        "the embeddable widget",
        "script",
        response_type="application/javascript",
    ),
    Operation(
        "GET",
        "/chat/demo",
        "chat_demo",
        "a demo page using the widget",
        "page",
        response_type=HTML,
        query=("identity_token",),
    ),
    Operation(
        "GET",
        "/customers/{customer_id}",
        "get_customer",
        "a unified customer profile",
        s.AnyObject,
        security="helpdeskApiKey",
    ),
    Operation(
        "GET",
        "/customers",
        "find_customer",
        "a profile found by email or phone",
        s.AnyObject,
        security="helpdeskApiKey",
        query=("email", "phone"),
        also=(404,),
    ),
    Operation(
        "GET",
        "/kb/articles",
        "list_kb_articles",
        "knowledge articles, latest versions",
        s.AnyObject,
        security="helpdeskApiKey",
    ),
    Operation(
        "PUT",
        "/kb/articles/{article_id}",
        "put_kb_article",
        "a new article version",
        s.AnyObject,
        request=s.ArticleRequest,
        security="helpdeskApiKey",
        also=(201,),
    ),
    Operation(
        "GET",
        CONV,
        "get_conversation",
        "state, profile snapshot and transcript",
        s.AnyObject,
        security="helpdeskApiKey",
    ),
    Operation(
        "POST",
        f"{CONV}/replies",
        "reply_to_conversation",
        "a human reply on the channel",
        s.AnyObject,
        201,
        request=s.HelpdeskReply,
        security="helpdeskApiKey",
        conflicts=True,
        also=(503,),
    ),
    Operation(
        "POST",
        f"{CONV}/resolve",
        "resolve_conversation",
        "resolve",
        s.AnyObject,
        request=s.StateChange,
        security="helpdeskApiKey",
        conflicts=True,
        also=(503,),
    ),
    Operation(
        "POST",
        f"{CONV}/release",
        "release_conversation",
        "hand back to the AI",
        s.AnyObject,
        request=s.StateChange,
        security="helpdeskApiKey",
        conflicts=True,
    ),
    Operation(
        "POST",
        f"{CONV}/feedback",
        "conversation_feedback",
        "report an AI miss",
        s.AnyObject,
        201,
        request=s.Feedback,
        security="helpdeskApiKey",
        headers=("X-Reviewer",),
    ),
    Operation(
        "POST",
        f"{CONV}/scenario",
        "conversation_scenario",
        "the chat as a scenario",
        "yaml",
        response_type="application/yaml",
        request=s.AnyObject,
        security="helpdeskApiKey",
    ),
    Operation(
        "GET",
        "/review/conversations",
        "review_conversations",
        "flagged conversations",
        s.AnyObject,
        security="helpdeskApiKey",
        query=("flag", "since"),
    ),
    Operation(
        "GET",
        "/review/sample",
        "review_sample",
        "AI-handled conversations nobody flagged: newest first, or a random sample",
        s.AnyObject,
        security="helpdeskApiKey",
        query=("since", "until", "limit", "random", "seed"),
    ),
    Operation(
        "GET",
        "/review/misses",
        "review_misses",
        "misses grouped by cause",
        s.AnyObject,
        security="helpdeskApiKey",
        query=("since",),
    ),
    Operation(
        "GET",
        "/review/dashboard",
        "review_dashboard",
        "the review dashboard",
        "page",
        response_type=HTML,
        security="helpdeskApiKey",
        query=("since",),
    ),
    Operation(
        "GET",
        "/metrics",
        "metrics",
        "AI and human metrics",
        s.AnyObject,
        security="helpdeskApiKey",
        query=("since", "until"),
    ),
    Operation(
        "GET",
        "/unsubscribe/{token}",
        "unsubscribe_page",
        "the unsubscribe page",
        "page",
        response_type=HTML,
    ),
    Operation(
        "POST",
        "/unsubscribe/{token}",
        "unsubscribe",
        "unsubscribe from follow-ups",
        "page",
        response_type=HTML,
        request=s.AnyObject,
        request_type=FORM,
    ),
]

"""Web chat: sessions with HS256 tokens, store-signed identity tokens, messages in and out."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jwt

from chalicelib.channels.ingest import Ingest
from chalicelib.domain.conversations import Conversation, Ownership
from chalicelib.domain.errors import (
    BadRequestError,
    ForbiddenError,
    NotFoundError,
    UnauthorizedError,
)
from chalicelib.domain.messages import Channel, CustomerRef, InboundMessage, iso, utcnow
from chalicelib.store.conversations import ConversationRepository
from chalicelib.store.customers import CustomerRepository

# Messages one poll of the transcript answers with; the cursor brings the rest on the next.
POLL_MESSAGES = 100
MAX_AFTER_CHARS = 300  # a cursor is a message's sort key: its time and id
MAX_TEXT = 4000
UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
VISITOR = re.compile(r"^[A-Za-z0-9_.:-]{1,128}$")
TIME_ZONE = re.compile(r"^[A-Za-z][A-Za-z0-9_+/-]{0,63}$")


def identity_ref(token: str, secret: str) -> CustomerRef:
    """The customer a store-signed identity token names; 401 when it is not valid."""
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"], options={"require": ["exp"]})
    except jwt.ExpiredSignatureError:
        raise UnauthorizedError("identity_token has expired", field="identity_token") from None
    except jwt.PyJWTError as error:
        raise UnauthorizedError(
            f"identity_token is not valid: {error}", field="identity_token"
        ) from None
    ref = CustomerRef(customer_id=_claim(claims, "sub"), email=_claim(claims, "email"))
    if not (ref.customer_id or ref.email):
        raise UnauthorizedError("identity_token needs a sub or email claim", field="identity_token")
    if ref.email:
        ref.email = ref.email.strip().lower()
    return ref


def _claim(claims: dict[str, Any], name: str) -> str | None:
    value = claims.get(name)
    return str(value) if isinstance(value, str | int) and str(value).strip() else None


class ChatSessions:
    """Opens sessions, accepts messages and lists the transcript for the widget."""

    def __init__(
        self,
        session_secret: str,
        identity_secret: str,
        ttl_seconds: int,
        customers: CustomerRepository,
        conversations: ConversationRepository,
        ingest: Ingest,
    ) -> None:
        self.session_secret = session_secret
        self.identity_secret = identity_secret
        self.ttl = ttl_seconds
        self.customers = customers
        self.conversations = conversations
        self.ingest = ingest

    def open(self, body: dict[str, Any]) -> dict[str, Any]:
        """A new session: verified when the body carries a valid identity token."""
        visitor_id = _optional_text(body, "visitor_id", VISITOR) or uuid.uuid4().hex
        token = body.get("identity_token")
        if token is not None and not isinstance(token, str):
            raise BadRequestError("identity_token must be a string", field="identity_token")
        ref = identity_ref(token, self.identity_secret) if token else None
        # A verified session also names its browser: that visitor's anonymous lead is merged in.
        identities = (
            [*_identities(ref), ("visitor", visitor_id)] if ref else [("visitor", visitor_id)]
        )
        profile = {"lead": ref is None, "email": ref.email if ref else None}
        customer_id = self.customers.resolve_or_create(identities, **profile)
        session_id = f"chat_{uuid.uuid4().hex[:24]}"
        meta = {"visitor_id": visitor_id, "time_zone": time_zone(body)}
        self._create_conversation(session_id, customer_id, ref, meta)
        expires = datetime.now(UTC) + timedelta(seconds=self.ttl)
        claims = {"sid": session_id, "vid": visitor_id, "exp": expires, "iat": datetime.now(UTC)}
        if ref:
            claims["ref"] = ref.model_dump(exclude_none=True)
        signed = jwt.encode(claims, self.session_secret, algorithm="HS256")
        return {"session_id": session_id, "token": signed, "expires_at": iso(expires)}

    def _create_conversation(
        self, session_id: str, customer_id: str, ref: CustomerRef | None, meta: dict[str, Any]
    ) -> None:
        conversation = Conversation(
            conversation_id=session_id,
            channel=Channel.WEBCHAT,
            address=session_id,
            customer_id=customer_id,
            verified=ref is not None,
            created_at=iso(utcnow()),
            meta={name: value for name, value in meta.items() if value},
        )
        self.conversations.create(conversation)

    def authenticate(self, session_id: str, authorization: str | None) -> dict[str, Any]:
        """The session token's claims; 401 without a valid token, 403 for another session."""
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise UnauthorizedError("send the session token as Authorization: Bearer <token>")
        try:
            claims = jwt.decode(
                token,
                self.session_secret,
                algorithms=["HS256"],
                options={"require": ["exp", "sid"]},
            )
        except jwt.ExpiredSignatureError:
            raise UnauthorizedError("the session token has expired: open a new session") from None
        except jwt.PyJWTError:
            raise UnauthorizedError("the session token is not valid") from None
        if claims["sid"] != session_id:
            raise ForbiddenError("this token belongs to another session")
        return claims

    def post(self, session_id: str, claims: dict[str, Any], body: dict[str, Any]) -> dict[str, str]:
        """Accept a customer message (a retry with the same client_message_id is stored once)."""
        text = body.get("text")
        if not isinstance(text, str) or not text.strip():
            raise BadRequestError("text must be a non-empty string", field="text")
        if len(text) > MAX_TEXT:
            raise BadRequestError(f"text must be at most {MAX_TEXT} characters", field="text")
        client_id = _optional_text(body, "client_message_id", UUID) or uuid.uuid4().hex
        ref = CustomerRef.model_validate(claims["ref"]) if claims.get("ref") else None
        message = InboundMessage(
            channel=Channel.WEBCHAT,
            source="webchat",
            external_id=f"{session_id}:{client_id.lower()}",
            sender=session_id,
            text=text.strip(),
            verified=ref is not None,
            customer=ref,
            conversation_id=session_id,
            meta={"visitor_id": claims.get("vid")},
        )
        return {"message_id": self.ingest.accept(message).message_id}

    def transcript(self, session_id: str, after: str | None) -> dict[str, Any]:
        """Messages after a cursor, and the handoff state while a human owns the conversation."""
        conversation = self.conversations.load_meta(session_id)
        if conversation is None:
            raise NotFoundError("no such chat session")
        if after and len(after) > MAX_AFTER_CHARS:
            raise BadRequestError("after must be a cursor this endpoint returned", field="after")
        start = "MSG#" + after.replace("~", "#") if after else None
        # A poll reads the messages after the cursor only, never the whole conversation.
        messages = self.conversations.after(session_id, start, POLL_MESSAGES).messages
        result: dict[str, Any] = {
            "messages": [_public(m) for m in messages],
            "cursor": _cursor(messages[-1]) if messages else after,
        }
        if conversation.state is Ownership.HUMAN:
            result["handoff"] = {
                "state": "human",
                "respond_by": conversation.meta.get("respond_by"),
            }
        return result


def _cursor(message: Any) -> str:
    """A URL-safe position after a message: its sort key without `MSG#`, `#` as `~`."""
    return str(message.sk).removeprefix("MSG#").replace("#", "~")


def _public(message: Any) -> dict[str, Any]:
    """A message as the widget sees it."""
    shown = {"id": message.message_id, "author": message.author.value, "text": message.text}
    shown["created_at"] = message.created_at
    if message.agent:
        shown["agent_name"] = message.agent.get("name")
    return shown


def _identities(ref: CustomerRef) -> list[tuple[str, str]]:
    found = [("customer", ref.customer_id), ("email", ref.email)]
    return [(kind, value) for kind, value in found if value]


def time_zone(body: dict[str, Any]) -> str | None:
    """The shopper's IANA time zone as their browser reports it (times are shown in it)."""
    value = _optional_text(body, "time_zone", TIME_ZONE)
    if value is None:
        return None
    try:
        ZoneInfo(value)
    except (ValueError, ZoneInfoNotFoundError):
        raise BadRequestError("time_zone must be an IANA time zone", field="time_zone") from None
    return value


def _optional_text(body: dict[str, Any], name: str, pattern: re.Pattern[str]) -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not pattern.match(value):
        raise BadRequestError(f"{name} has an invalid format", field=name)
    return value

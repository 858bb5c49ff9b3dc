"""`tandem chat`: talk to the agent as a customer, on web chat, SMS or WhatsApp."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from tandem_cli.errors import CliError
from tandem_cli.transport import Transport

CHANNELS = ("webchat", "sms", "whatsapp")


@dataclass
class Reply:
    """A message from the store's side: the AI or a person."""

    author: str
    text: str
    agent_name: str | None = None


@dataclass
class ChatOptions:
    """Who the customer is and where the store's keys and senders are."""

    channel: str
    customer: str
    helpdesk_key: str
    identity_secret: str = ""
    twilio_auth_token: str = ""
    sms_from: str = "+15005550006"
    whatsapp_from: str = "whatsapp:+14155238886"
    wait_seconds: float = 30


@dataclass
class Conversation:
    """One customer's conversation: say something, get the store's replies."""

    transport: Transport
    options: ChatOptions
    conversation_id: str | None = None
    seen: set[str] = field(default_factory=set)
    session: dict[str, Any] = field(default_factory=dict)
    cursor: str = ""  # where the transcript's last full page ended: a poll reads on from there

    def say(self, text: str, tick: Callable[[], None] = lambda: None) -> list[Reply]:
        """Send one customer message and wait for the store's answer to it."""
        if self.options.channel == "webchat":
            self._post_webchat(text)
        else:
            self._post_twilio(text)
        self.transport.settle()
        return self._replies(tick)

    def _post_webchat(self, text: str) -> None:
        if not self.session:
            body: dict[str, Any] = {}
            if self.options.customer and self.options.identity_secret:
                body["identity_token"] = identity_token(
                    self.options.identity_secret, self.options.customer
                )
            self.session = self.transport.request("POST", "/chat/sessions", body).ok()
            self.conversation_id = self.session["session_id"]
        auth = {"Authorization": f"Bearer {self.session['token']}"}
        path = f"/chat/sessions/{self.conversation_id}/messages"
        self.transport.request("POST", path, {"text": text}, headers=auth).ok()

    def _post_twilio(self, text: str) -> None:
        from twilio.request_validator import RequestValidator

        whatsapp = self.options.channel == "whatsapp"
        sender = f"whatsapp:{self.options.customer}" if whatsapp else self.options.customer
        form = {
            "MessageSid": "SM" + secrets.token_hex(16),
            "AccountSid": "AC" + "0" * 32,
            "From": sender,
            "To": self.options.whatsapp_from if whatsapp else self.options.sms_from,
            "Body": text,
            "NumMedia": "0",
        }
        url = self.transport.base_url + "/webhooks/twilio"
        signature = RequestValidator(self.options.twilio_auth_token).compute_signature(url, form)
        self.transport.request(
            "POST", "/webhooks/twilio", form=form, headers={"X-Twilio-Signature": signature}
        ).ok()

    def _replies(self, tick: Callable[[], None]) -> list[Reply]:
        """Poll the transcript until the store answers (or the wait is over)."""
        deadline = time.monotonic() + self.options.wait_seconds
        while time.monotonic() < deadline:
            new = [m for m in self._transcript() if m["message_id"] not in self.seen]
            self.seen.update(m["message_id"] for m in new)
            replies = [
                Reply(m["author"], m.get("text") or "", m.get("agent_name"))
                for m in new
                if m["author"] != "customer"
            ]
            if replies:
                return replies
            tick()
            time.sleep(0.5)
            self.transport.settle()
        raise CliError(
            f"no answer within {self.options.wait_seconds:g} s (is the inbound worker running?)"
        )

    def _transcript(self) -> list[dict[str, Any]]:
        conversation_id = self.conversation_id or self._find_conversation()
        if conversation_id is None:
            return []
        self.conversation_id = conversation_id
        keys = {"X-Api-Key": self.options.helpdesk_key}
        entries: list[dict[str, Any]] = []
        while True:  # the transcript comes in pages (issue 23)
            query = f"?cursor={self.cursor}" if self.cursor else ""
            path = f"/conversations/{conversation_id}{query}"
            view = self.transport.request("GET", path, headers=keys).ok()
            entries += [_entry(m) for m in view["transcript"]]
            if not view.get("next_cursor"):
                return entries
            self.cursor = str(view["next_cursor"])

    def _find_conversation(self) -> str | None:
        keys = {"X-Api-Key": self.options.helpdesk_key}
        from urllib.parse import quote

        found = self.transport.request(
            "GET", f"/customers?phone={quote(self.options.customer)}", headers=keys
        )
        if found.status == 404:
            return None
        channel = self.options.channel
        for conversation in found.ok().get("conversations", []):
            if conversation["channel"] == channel and conversation["state"] != "resolved":
                return str(conversation["conversation_id"])
        return None


def _entry(message: dict[str, Any]) -> dict[str, Any]:
    """A transcript entry with an id, whatever the view names it."""
    agent = message.get("agent_name") or (message.get("agent") or {}).get("name")
    return {
        **message,
        "message_id": message.get("message_id") or message.get("id"),
        "agent_name": agent,
    }


def identity_token(secret: str, customer_id: str, hours: int = 12) -> str:
    """An identity token as the store's backend signs it for a logged-in shopper."""
    import datetime as dt

    import jwt

    expires = dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours)
    return jwt.encode({"sub": customer_id, "exp": expires}, secret, algorithm="HS256")


def run_chat(
    conversation: Conversation,
    lines: Iterable[str],
    show: Callable[[str], None],
    tick: Callable[[], None] = lambda: None,
) -> int:
    """The chat loop: each line the customer types, then the store's replies."""
    for raw in lines:
        text = raw.strip()
        if not text:
            continue
        if text in ("/quit", "/exit"):
            break
        for reply in conversation.say(text, tick):
            who = reply.agent_name or reply.author
            show(f"{who}> {reply.text}")
    if conversation.conversation_id:
        show(f"(conversation {conversation.conversation_id})")
    return 0

"""A small stand-in for Tandem's web-chat API (the contract's chat endpoints), for browser tests."""

from __future__ import annotations

import json
import secrets
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from chalicelib.channels.webchat.assets import demo_page, widget_js

ORDER_REPLY = "Your order #1001 shipped with UPS (tracking 1Z999) and arrives on Thursday."


def now_iso(delta: timedelta = timedelta()) -> str:
    """The current UTC time plus `delta`, ISO 8601 with a Z."""
    return (datetime.now(UTC) + delta).isoformat(timespec="seconds").replace("+00:00", "Z")


def scripted_reply(text: str) -> str:
    """What the fake AI answers to a customer message."""
    if "order" in text.lower():
        return ORDER_REPLY
    return f"You said: {text}"


@dataclass
class ChatSession:
    """One widget session: its token, transcript and handoff state."""

    session_id: str
    token: str
    visitor_id: str | None
    identity_token: str | None
    messages: list[dict[str, Any]] = field(default_factory=list)
    client_ids: dict[str, str] = field(default_factory=dict)
    handoff: dict[str, str] | None = None


class FakeChatApi:
    """The chat endpoints on 127.0.0.1, with knobs for tests (delays, lost responses, handoff)."""

    def __init__(self, reply_delay: float = 0.8) -> None:
        self.reply_delay = reply_delay
        self.sessions: dict[str, ChatSession] = {}
        self.message_posts: list[dict[str, Any]] = []
        self.polls = 0
        self.drop_next_post_response = False
        self.api_url = ""  # set by whoever starts it: the API's origin and the store's
        self.store_url = ""
        self.lock = threading.Lock()
        self._servers: list[ThreadingHTTPServer] = []

    def start(self) -> str:
        """Serve on a free port in a background thread; returns the base URL."""
        api = self

        class Handler(ChatHandler):
            fake = api

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        self._servers.append(server)
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        return f"http://127.0.0.1:{server.server_address[1]}"

    def stop(self) -> None:
        """Stop every server started."""
        for server in self._servers:
            server.shutdown()
            server.server_close()

    def open_session(self, body: dict[str, Any]) -> ChatSession:
        """A new session, as POST /chat/sessions makes."""
        session = ChatSession(
            uuid.uuid4().hex,
            secrets.token_hex(16),
            body.get("visitor_id"),
            body.get("identity_token"),
        )
        with self.lock:
            self.sessions[session.session_id] = session
        return session

    def add_customer_message(self, session: ChatSession, text: str, client_id: str | None) -> str:
        """Store a customer message once per client_message_id; schedule the AI reply."""
        with self.lock:
            self.message_posts.append({"session_id": session.session_id, "client_id": client_id})
            if client_id and client_id in session.client_ids:
                return session.client_ids[client_id]
            message = self._append(session, "customer", text, client_message_id=client_id)
            if client_id:
                session.client_ids[client_id] = message["id"]
        if session.handoff is None:
            reply = scripted_reply(text)
            timer = threading.Timer(self.reply_delay, self._ai_reply, (session, reply))
            timer.daemon = True
            timer.start()
        return str(message["id"])

    def escalate(self, session: ChatSession) -> None:
        """Hand the conversation to the human team: the AI stops answering."""
        with self.lock:
            session.handoff = {"state": "human", "respond_by": now_iso(timedelta(hours=24))}

    def human_reply(self, session: ChatSession, text: str, agent_name: str) -> None:
        """Post a human teammate's reply."""
        with self.lock:
            self._append(session, "human", text, agent={"id": "agent-1", "name": agent_name})

    def revoke_tokens(self) -> None:
        """Invalidate every session token, as an expired or rotated secret would."""
        with self.lock:
            for session in self.sessions.values():
                session.token = secrets.token_hex(16)

    def customer_messages(self, session: ChatSession) -> list[dict[str, Any]]:
        """The customer messages stored for a session."""
        return [m for m in session.messages if m["author"] == "customer"]

    def only_session(self) -> ChatSession:
        """The single session opened so far (fails when there are none or several)."""
        assert len(self.sessions) == 1, f"expected one session, got {len(self.sessions)}"
        return next(iter(self.sessions.values()))

    def _ai_reply(self, session: ChatSession, text: str) -> None:
        with self.lock:
            self._append(session, "ai", text)

    def _append(self, session: ChatSession, author: str, text: str, **extra: Any) -> dict[str, Any]:
        message = {"id": uuid.uuid4().hex, "author": author, "text": text, "created_at": now_iso()}
        session.messages.append(message | extra)
        return message


class ChatHandler(BaseHTTPRequestHandler):
    """Routes the chat endpoints of the contract, with permissive CORS."""

    fake: FakeChatApi

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""

    def do_OPTIONS(self) -> None:
        self._send(204, None)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        parts = url.path.strip("/").split("/")
        if url.path == "/chat/widget.js":
            self._send_text(200, widget_js(), "application/javascript")
        elif url.path == "/chat/demo":
            query = parse_qs(url.query)
            api = query.get("api", [f"http://{self.headers['Host']}"])[0]
            page = demo_page(api, query.get("identity_token", [None])[0])
            self._send_text(200, page, "text/html")
        elif parts[:2] == ["chat", "sessions"] and len(parts) == 4 and parts[3] == "messages":
            self._list_messages(parts[2], parse_qs(url.query).get("after", ["0"])[0])
        else:
            self._error(404, "not_found", "no such route")

    def do_POST(self) -> None:
        parts = urlsplit(self.path).path.strip("/").split("/")
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            return self._error(400, "invalid_json", "body is not JSON")
        if parts == ["chat", "sessions"]:
            session = self.fake.open_session(body)
            expires = now_iso(timedelta(hours=1))
            payload = {"session_id": session.session_id, "token": session.token}
            self._send(201, payload | {"expires_at": expires})
        elif parts[:2] == ["chat", "sessions"] and len(parts) == 4 and parts[3] == "messages":
            self._post_message(parts[2], body)
        else:
            self._error(404, "not_found", "no such route")

    def _session(self, session_id: str) -> ChatSession | None:
        session = self.fake.sessions.get(session_id)
        if session is None or self.headers.get("Authorization") != f"Bearer {session.token}":
            self._error(401, "unauthorized", "missing or invalid session token")
            return None
        return session

    def _post_message(self, session_id: str, body: dict[str, Any]) -> None:
        session = self._session(session_id)
        if session is None:
            return
        text = str(body.get("text") or "").strip()
        if not text:
            return self._error(400, "invalid_text", "text is required")
        message_id = self.fake.add_customer_message(session, text, body.get("client_message_id"))
        if self.fake.drop_next_post_response:
            # Stored, but the answer is lost on the way: the widget sees a network error.
            self.fake.drop_next_post_response = False
            self.close_connection = True
            self.connection.close()
            return
        self._send(202, {"message_id": message_id})

    def _list_messages(self, session_id: str, after: str) -> None:
        session = self._session(session_id)
        if session is None:
            return
        with self.fake.lock:
            self.fake.polls += 1
            start = int(after) if after.isdigit() else 0
            payload: dict[str, Any] = {
                "messages": session.messages[start:],
                "cursor": str(len(session.messages)),
            }
            if session.handoff:
                payload["handoff"] = session.handoff
        self._send(200, payload)

    def _error(self, status: int, code: str, message: str) -> None:
        self._send(status, {"error": {"code": code, "message": message}})

    def _send_text(self, status: int, text: str, content_type: str) -> None:
        self._send(status, text.encode(), f"{content_type}; charset=utf-8")

    def _send(self, status: int, payload: Any, content_type: str = "application/json") -> None:
        body = payload if isinstance(payload, bytes) else b""
        if payload is not None and not isinstance(payload, bytes):
            body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Headers", "Authorization, Content-Type")
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
